package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
)

// ExplainOptions are the flags of `leakguard explain`.
type ExplainOptions struct {
	Config      string
	Target      string
	ShowSecrets bool
	NoValidate  bool
}

func newExplainCmd(env *Env) *cobra.Command {
	o := &ExplainOptions{}
	cmd := &cobra.Command{
		Use:   "explain FINGERPRINT|RULE",
		Short: "Say why a finding fired, or what a rule finds and how to rotate what it finds",
		Long: `Explain a rule or a finding.

With a RULE id (as 'leakguard rules list' shows them), print what the rule
looks for: its description, keywords, regular expression, secret group,
entropy threshold, validator, allowlists, its examples, and what to do when
it fires (rotate the secret at its issuer, then clean the history).

With a FINGERPRINT (the "ignore:" line of a text report, or the fingerprint
field of a JSON report: path:rule:line, or commit:path:rule:line for a
finding in git history), read that file (or that commit's version of it,
with git show), run the rules over it, and say why the finding fired on
that line: the text the regex matched, the keyword that made the rule a
candidate, the secret group, its entropy against the rule's threshold, and
what the validator said; then the rule as above. Secrets are masked unless
--show-secrets.`,
		Example: `  leakguard explain aws-access-token
  leakguard explain config/app.env:github-pat:3
  leakguard explain 0123abcd...:deploy.sh:aws-access-token:10`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Target = args[0]
			return runExplain(cmd.Context(), env, o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.Config, "config", "c", "", "rules config file (default: $LEAKGUARD_CONFIG, .leakguard.toml or .gitleaks.toml here, else the built-in rules)")
	f.BoolVar(&o.ShowSecrets, "show-secrets", false, "print the secret in full")
	f.BoolVar(&o.NoValidate, "no-validate", false, "explain as a scan with --no-validate would")
	return cmd
}

func runExplain(ctx context.Context, env *Env, o *ExplainOptions) error {
	set, err := rules.ResolveEnv(o.Config, ".", env.Getenv)
	if err != nil {
		return withCode(ExitError, err)
	}
	if r := set.Rule(o.Target); r != nil {
		explainRule(env.Out, r, o.ShowSecrets)
		return nil
	}
	fp, err := parseFingerprint(o.Target, set)
	if err != nil {
		return err
	}
	data, err := readForExplain(ctx, fp)
	if err != nil {
		return withCode(ExitError, err)
	}
	det, err := detectors.Compile(set, detectors.Options{Validate: !o.NoValidate, ReportInvalid: true, Decode: true})
	if err != nil {
		return withCode(ExitError, err)
	}
	rule := set.Rule(fp.rule)
	w := env.Out
	fmt.Fprintf(w, "finding %s\n\n", o.Target)
	found := 0
	for _, m := range det.Detect(data, detectors.Target{Path: fp.path}) {
		if !matchesRule(m, fp.rule) || m.PathOnly && fp.line != 0 {
			continue
		}
		if line := 1 + bytes.Count(data[:m.Start], []byte{'\n'}); line != fp.line && fp.line != 0 {
			continue
		}
		found++
		explainMatch(w, data, m, o.ShowSecrets)
	}
	if found == 0 {
		fmt.Fprintf(w, "  rule %s reports nothing on line %d of %s now: the line changed, an allowlist or\n  the validator drops it, or the fingerprint is from another version.\n", fp.rule, fp.line, fp.where())
	}
	fmt.Fprintln(w)
	explainRule(w, rule, o.ShowSecrets)
	return nil
}

// fingerprint is a parsed .gitleaksignore fingerprint.
type fingerprint struct {
	commit, path, rule string
	line               int
}

func (f fingerprint) where() string {
	if f.commit != "" {
		return f.commit + ":" + f.path
	}
	return f.path
}

var fullSHA = regexp.MustCompile(`^[0-9a-f]{40}([0-9a-f]{24})?$`)

// parseFingerprint reads path:rule:line or commit:path:rule:line (a path may
// hold colons: the rule and line are taken from the right).
func parseFingerprint(s string, set *rules.Set) (fingerprint, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 3 {
		return fingerprint{}, usageError("%q is neither a rule id nor a fingerprint (path:rule:line or commit:path:rule:line); 'leakguard rules list' shows the rules", s)
	}
	line, err := strconv.Atoi(parts[len(parts)-1])
	if err != nil || line < 0 {
		return fingerprint{}, usageError("fingerprint %q: the last part must be a line number", s)
	}
	fp := fingerprint{rule: parts[len(parts)-2], line: line}
	rest := parts[:len(parts)-2]
	if len(rest) > 1 && fullSHA.MatchString(rest[0]) {
		fp.commit, rest = rest[0], rest[1:]
	}
	fp.path = strings.Join(rest, ":")
	if set.Rule(fp.rule) == nil {
		return fingerprint{}, usageError("fingerprint %q: no rule %q in the rules in effect", s, fp.rule)
	}
	if fp.path == "" {
		return fingerprint{}, usageError("fingerprint %q names no file (a commit message or stdin cannot be read back)", s)
	}
	return fp, nil
}

// readForExplain reads the file a fingerprint names: from the work tree,
// or the commit's version through git show.
func readForExplain(ctx context.Context, fp fingerprint) ([]byte, error) {
	if fp.commit == "" {
		data, err := os.ReadFile(fp.path)
		if err != nil {
			return nil, fmt.Errorf("explain: %w", unwrapPathError(err))
		}
		return data, nil
	}
	// The commit is 40 or 64 hex digits and the path is given after the
	// colon of one argument, so nothing here reads as an option to git.
	cmd := exec.CommandContext(ctx, "git", "show", "--no-textconv", fp.commit+":"+fp.path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("explain: git show %s:%s: %v: %s", shortID(fp.commit), fp.path, err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

func shortID(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

// matchesRule reports whether m is rule id's match, itself or standing for
// it (the most specific of several rules on one secret).
func matchesRule(m detectors.Match, id string) bool {
	if m.Rule.ID == id {
		return true
	}
	for _, a := range m.Also {
		if a.Rule.ID == id {
			return true
		}
	}
	return false
}

// explainMatch says why one match fired.
func explainMatch(w io.Writer, data []byte, m detectors.Match, show bool) {
	secret := string(m.Secret(data))
	matched := string(m.Text(data))
	raw := string(data[m.SecretStart:m.SecretEnd])
	masked := func(s string) string {
		if show || secret == "" {
			return s
		}
		s = strings.ReplaceAll(s, secret, scanner.Redact(secret))
		if raw != "" && raw != secret {
			s = strings.ReplaceAll(s, raw, scanner.Redact(raw))
		}
		return s
	}
	ls := bytes.LastIndexByte(data[:m.Start], '\n') + 1
	le := bytes.IndexByte(data[m.End:], '\n')
	if le < 0 {
		le = len(data)
	} else {
		le += m.End
	}
	line := 1 + bytes.Count(data[:m.Start], []byte{'\n'})
	fmt.Fprintf(w, "  line %d, column %d: %s\n", line, m.Start-ls+1, clipLine(masked(string(data[ls:le]))))
	fmt.Fprintf(w, "  matched:    %s\n", clipLine(masked(matched)))
	if secret != "" && secret != matched {
		fmt.Fprintf(w, "  secret:     %s (the rule's secret group %d)\n", masked(secret), m.Rule.SecretGroup)
	} else if secret != "" {
		fmt.Fprintf(w, "  secret:     %s (the whole match)\n", masked(secret))
	}
	if kw := keywordIn(matched, m.Rule.Keywords); kw != "" {
		fmt.Fprintf(w, "  keyword:    %q, which makes the rule a candidate for this input\n", kw)
	} else if len(m.Rule.Keywords) == 0 {
		fmt.Fprintf(w, "  keyword:    the rule has none: it runs over every input\n")
	}
	if m.Rule.Entropy > 0 {
		fmt.Fprintf(w, "  entropy:    %.2f bits per byte, above the rule's threshold %.2f\n", m.Entropy, m.Rule.Entropy)
	} else {
		fmt.Fprintf(w, "  entropy:    %.2f bits per byte (the rule sets no threshold)\n", m.Entropy)
	}
	if m.Encoding != "" {
		fmt.Fprintf(w, "  encoding:   found by decoding %s at that place\n", m.Encoding)
	}
	for _, a := range m.Also {
		fmt.Fprintf(w, "  also:       rule %s matches the same secret (this rule is more specific)\n", a.Rule.ID)
	}
	if m.Rule.Validate != "" {
		fmt.Fprintf(w, "  validator:  %s says %s\n", m.Rule.Validate, verdictText(fmt.Sprint(m.Verdict)))
	}
	if m.Marked {
		fmt.Fprintf(w, "  note:       the line carries an allow marker, so scans do not report it\n")
	}
	if len(m.Required) > 0 {
		fmt.Fprintf(w, "  required:   %d required rule(s) matched nearby\n", len(m.Required))
	}
}

func verdictText(v string) string {
	if v == "" {
		return "nothing"
	}
	return v
}

func keywordIn(s string, kws []string) string {
	low := strings.ToLower(s)
	for _, k := range kws {
		if strings.Contains(low, k) {
			return k
		}
	}
	return ""
}

func clipLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' && r != '\t' {
			return '?'
		}
		return r
	}, s)
	if len(s) > 160 {
		return s[:157] + "..."
	}
	return s
}

// explainRule prints what a rule looks for and what to do when it fires.
func explainRule(w io.Writer, r *rules.Rule, show bool) {
	fmt.Fprintf(w, "rule %s: %s\n", r.ID, r.Description)
	fmt.Fprintf(w, "  origin:     %s\n", r.Origin)
	if r.Provider != "" {
		fmt.Fprintf(w, "  provider:   %s\n", r.Provider)
	}
	if r.Severity != "" {
		fmt.Fprintf(w, "  severity:   %s\n", r.Severity)
	}
	if r.Docs != "" {
		fmt.Fprintf(w, "  format:     %s\n", r.Docs)
	}
	if len(r.Tags) > 0 {
		fmt.Fprintf(w, "  tags:       %s\n", strings.Join(r.Tags, ", "))
	}
	if len(r.Keywords) > 0 {
		fmt.Fprintf(w, "  keywords:   %s\n", strings.Join(r.Keywords, ", "))
	}
	if r.Regex != "" {
		fmt.Fprintf(w, "  regex:      %s\n", r.Regex)
	}
	if r.Path != nil {
		fmt.Fprintf(w, "  path:       %s\n", r.Path)
	}
	if r.SecretGroup > 0 {
		fmt.Fprintf(w, "  secret:     group %d of the regex\n", r.SecretGroup)
	}
	if r.Entropy > 0 {
		fmt.Fprintf(w, "  entropy:    at least %.2f bits per byte\n", r.Entropy)
	}
	if r.Validate != "" {
		fmt.Fprintf(w, "  validator:  %s (checksum or structure; --no-validate turns it off)\n", r.Validate)
	}
	if n := len(r.Allowlists); n > 0 {
		fmt.Fprintf(w, "  allowlists: %d\n", n)
	}
	for _, ex := range r.Examples {
		if !show {
			ex = maskExample(ex)
		}
		fmt.Fprintf(w, "  example:    %s\n", clipLine(ex))
	}
	fmt.Fprint(w, "\nwhat to do\n")
	for i, step := range []string{
		"Treat the secret as known to others: " + r.NextStep() + "; keep the new one in a secret store.",
		"Remove it from the code. " + rules.CommittedNote,
		"Only if it is not a secret (a test value, an example), suppress this place: a gitleaks:allow comment on the line, or its fingerprint in .gitleaksignore.",
	} {
		fmt.Fprint(w, wrapText(fmt.Sprintf("  %d. ", i+1), "     ", step, 80))
	}
}

// maskExample masks the long runs of token characters in a rule example,
// which are fake secrets shaped like real ones.
func maskExample(s string) string {
	return tokenRun.ReplaceAllStringFunc(s, scanner.Redact)
}

var tokenRun = regexp.MustCompile(`[A-Za-z0-9+/_=-]{16,}`)

// wrapText fills text into lines of at most width columns (a word longer
// than that, a URL, gets a line of its own), the first starting with first
// and the others with indent.
func wrapText(first, indent, text string, width int) string {
	var b strings.Builder
	line := first
	empty := true
	for _, word := range strings.Fields(text) {
		if !empty && len(line)+1+len(word) > width {
			b.WriteString(line + "\n")
			line, empty = indent, true
		}
		if !empty {
			line += " "
		}
		line += word
		empty = false
	}
	b.WriteString(line + "\n")
	return b.String()
}
