package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/rules"
)

func newRulesCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List and check detection rules",
	}
	var config, format string
	list := &cobra.Command{
		Use:   "list",
		Short: "List the rules in effect (id, origin, keywords, description)",
		Long: `List the rules in effect. --format table (the default) fits one rule a
line in 120 columns: long keyword lists and descriptions are cut ("+3" says
how many keywords are not shown). --format json writes every field of every
rule: id, description, origin, keywords, tags, regex, path, secretGroup,
entropy, validator, allowlists and the number of examples.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			set, err := rules.ResolveEnv(config, ".", env.Getenv)
			if err != nil {
				return withCode(ExitError, err)
			}
			switch format {
			case "table", "":
				return rulesTable(env.Out, set)
			case "json":
				return rulesJSON(env.Out, set)
			}
			return usageError("unknown --format %q (want table or json)", format)
		},
	}
	list.Flags().StringVarP(&format, "format", "f", "table", "table or json")
	list.Flags().StringVarP(&config, "config", "c", "", "rules config file")
	check := &cobra.Command{
		Use:   "check",
		Short: "Run every rule's examples through the whole detector",
		Long: `Run every rule's examples (inputs it must report) and negatives (inputs it
must not report) through the whole detector: keyword prefilter, windows,
regex, secret group, entropy and allowlists. Also lists the rules that have no
literal to anchor on, which run over every candidate input whole.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			set, err := rules.ResolveEnv(config, ".", env.Getenv)
			if err != nil {
				return withCode(ExitError, err)
			}
			det, err := detectors.Compile(set, detectors.DefaultOptions())
			if err != nil {
				return withCode(ExitError, err)
			}
			res := CheckRules(det)
			for _, p := range res.Problems {
				fmt.Fprintln(env.Out, p)
			}
			for _, id := range det.WholeInputRules() {
				fmt.Fprintf(env.Out, "note: rule %s has no anchoring literal; its regex runs over whole inputs\n", id)
			}
			fmt.Fprintf(env.Out, "%d rules, %d examples, %d negatives checked, %d problems\n", len(set.Rules), res.Examples, res.Negatives, len(res.Problems))
			if len(res.Problems) > 0 {
				return withCode(ExitFindings, nil)
			}
			return nil
		},
	}
	check.Flags().StringVarP(&config, "config", "c", "", "rules config file")
	cmd.AddCommand(list, check)
	return cmd
}

// RuleCheck is the outcome of CheckRules.
type RuleCheck struct {
	Examples, Negatives int
	Problems            []string
}

// CheckRules runs each rule's examples and negatives, expanded from their
// templates (rules.Expand), through det.
func CheckRules(det *detectors.Detector) RuleCheck {
	var res RuleCheck
	for _, r := range det.Rules().Rules {
		examples, err := r.ExampleCases()
		if err != nil {
			res.Problems = append(res.Problems, err.Error())
		}
		negatives, err := r.NegativeCases()
		if err != nil {
			res.Problems = append(res.Problems, err.Error())
		}
		for _, ex := range examples {
			res.Examples++
			if !reports(det, r.ID, ex) {
				res.Problems = append(res.Problems, fmt.Sprintf("rule %s: example not reported: %s", r.ID, describe(ex)))
			}
		}
		for _, neg := range negatives {
			res.Negatives++
			if reports(det, r.ID, neg) {
				res.Problems = append(res.Problems, fmt.Sprintf("rule %s: negative reported: %s", r.ID, describe(neg)))
			}
		}
	}
	return res
}

// reports says whether the detector's pipeline reports rule id on input:
// as the finding's rule or as one of the rules it stands for. Allow markers
// do not count here (examples carry them so that the repository scans
// clean).
func reports(det *detectors.Detector, id string, ex rules.Example) bool {
	for _, m := range det.Detect([]byte(ex.Text), detectors.Target{Path: ex.Path}) {
		if m.Rule.ID == id {
			return true
		}
		for _, o := range m.Also {
			if o.Rule.ID == id {
				return true
			}
		}
	}
	return false
}

// describe quotes an example's text, clipped, with its path if it has one.
func describe(ex rules.Example) string {
	if ex.Path != "" {
		return fmt.Sprintf("%q at path %q", clip(ex.Text), ex.Path)
	}
	return fmt.Sprintf("%q", clip(ex.Text))
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}

// Column widths of the rules table: the whole line fits in 120 columns.
const (
	rulesKeywordWidth = 28
	rulesLineWidth    = 120
)

func rulesTable(w io.Writer, set *rules.Set) error {
	idw, ow := len("ID"), len("ORIGIN")
	for _, r := range set.Rules {
		idw, ow = max(idw, len(r.ID)), max(ow, len(originName(r.Origin)))
	}
	descw := max(rulesLineWidth-idw-ow-rulesKeywordWidth-6, 20)
	row := func(id, origin, kw, desc string) {
		line := fmt.Sprintf("%-*s  %-*s  %-*s  %s", idw, id, ow, origin, rulesKeywordWidth, kw, clipTo(desc, descw))
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	row("ID", "ORIGIN", "KEYWORDS", "DESCRIPTION")
	for _, r := range set.Rules {
		row(r.ID, originName(r.Origin), keywordCell(r.Keywords, rulesKeywordWidth), r.Description)
	}
	_, err := fmt.Fprintf(w, "%d rules\n", len(set.Rules))
	return err
}

// originName shortens a config path to its file name.
func originName(o string) string {
	if i := strings.LastIndexAny(o, `/\`); i >= 0 {
		return o[i+1:]
	}
	return o
}

// keywordCell lists keywords within width, saying how many are left out.
func keywordCell(kws []string, width int) string {
	var b strings.Builder
	for i, k := range kws {
		more := ""
		if rest := len(kws) - i - 1; rest > 0 {
			more = fmt.Sprintf(",+%d", rest)
		}
		sep := ""
		if i > 0 {
			sep = ","
		}
		if b.Len()+len(sep)+len(k)+len(more) > width {
			if i == 0 {
				return clipTo(k, width-len(more)) + more
			}
			return b.String() + fmt.Sprintf(",+%d", len(kws)-i)
		}
		b.WriteString(sep + k)
	}
	return b.String()
}

// clipTo cuts s to n characters, ending with "..." when cut.
func clipTo(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n <= 3 {
		return string(r[:n])
	}
	return string(r[:n-3]) + "..."
}

type ruleJSON struct {
	ID          string   `json:"id"`
	Description string   `json:"description"`
	Origin      string   `json:"origin"`
	Keywords    []string `json:"keywords"`
	Tags        []string `json:"tags"`
	Regex       string   `json:"regex,omitempty"`
	Path        string   `json:"path,omitempty"`
	SecretGroup int      `json:"secretGroup,omitempty"`
	Entropy     float64  `json:"entropy,omitempty"`
	Validator   string   `json:"validator,omitempty"`
	Allowlists  int      `json:"allowlists"`
	Examples    int      `json:"examples"`
	Negatives   int      `json:"negatives"`
}

func rulesJSON(w io.Writer, set *rules.Set) error {
	out := make([]ruleJSON, 0, len(set.Rules))
	for _, r := range set.Rules {
		j := ruleJSON{ID: r.ID, Description: r.Description, Origin: r.Origin, Keywords: nonNilStrings(r.Keywords),
			Tags: nonNilStrings(r.Tags), Regex: r.Regex, SecretGroup: r.SecretGroup, Entropy: r.Entropy,
			Validator: r.Validate, Allowlists: len(r.Allowlists), Examples: len(r.Examples), Negatives: len(r.Negatives)}
		if r.Path != nil {
			j.Path = r.Path.String()
		}
		out = append(out, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
