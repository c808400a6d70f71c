package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/rules"
)

func newRulesCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List and check detection rules",
	}
	var config string
	list := &cobra.Command{
		Use:   "list",
		Short: "List the rules in effect (id, origin, keywords, description)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			set, err := rules.ResolveEnv(config, ".", env.Getenv)
			if err != nil {
				return withCode(ExitError, err)
			}
			tw := tabwriter.NewWriter(env.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tORIGIN\tKEYWORDS\tDESCRIPTION")
			for _, r := range set.Rules {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Origin, strings.Join(r.Keywords, ","), r.Description)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(env.Out, "%d rules\n", len(set.Rules))
			return nil
		},
	}
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
		examples, err := r.ExampleInputs()
		if err != nil {
			res.Problems = append(res.Problems, err.Error())
		}
		negatives, err := r.NegativeInputs()
		if err != nil {
			res.Problems = append(res.Problems, err.Error())
		}
		for _, ex := range examples {
			res.Examples++
			if !reports(det, r.ID, ex) {
				res.Problems = append(res.Problems, fmt.Sprintf("rule %s: example not reported: %q", r.ID, clip(ex)))
			}
		}
		for _, neg := range negatives {
			res.Negatives++
			if reports(det, r.ID, neg) {
				res.Problems = append(res.Problems, fmt.Sprintf("rule %s: negative reported: %q", r.ID, clip(neg)))
			}
		}
	}
	return res
}

// reports says whether the detector's pipeline reports rule id on input:
// as the finding's rule or as one of the rules it stands for. Allow markers
// do not count here (examples carry them so that the repository scans
// clean).
func reports(det *detectors.Detector, id, input string) bool {
	for _, m := range det.Detect([]byte(input), detectors.Target{}) {
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

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}
