package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"

	"github.com/leakguard/leakguard/hooks"
	"github.com/leakguard/leakguard/scanner"
)

// hookReportMax is how many findings a blocked hook lists.
const hookReportMax = 20

// decide turns the findings into the hook's answer and records it.
func (r *hookRun) decide(findings []scanner.Finding) error {
	ev := hooks.AuditEvent{RuleIDs: ruleIDs(findings), Fingerprints: fingerprints(findings)}
	if len(findings) == 0 {
		ev.Decision = hooks.DecisionAllowed
		r.record(ev)
		return nil
	}
	block := r.policy.Blocks()
	r.report(r.env.Err, findings, block)
	if !block {
		ev.Decision = hooks.DecisionAllowed
		r.record(ev)
		return nil
	}
	ev.Decision = hooks.DecisionBlocked
	r.record(ev)
	return withCode(ExitFindings, nil)
}

// report writes the short, redacted account of a blocked (or warned) hook:
// where, which rule, the masked secret, and how to fix or suppress it.
func (r *hookRun) report(w io.Writer, findings []scanner.Finding, block bool) {
	n := len(findings)
	noun := "secret"
	if n > 1 {
		noun = "secrets"
	}
	verdict := r.what() + " blocked"
	if !block {
		verdict = "warning (policy mode = warn, the " + r.what() + " goes ahead)"
	}
	fmt.Fprintf(w, "leakguard: %s: %d %s in the %s\n", verdict, n, noun, r.target)
	rows := make([][3]string, 0, min(n, hookReportMax))
	for i, f := range findings {
		if i == hookReportMax {
			break
		}
		where := f.Path
		if f.StartLine > 0 {
			where = fmt.Sprintf("%s:%d", f.Path, f.StartLine)
		}
		if f.Commit != nil && f.Commit.SHA != "" {
			where = shortSHA(f.Commit.SHA) + " " + where
		}
		secret := scanner.Redact(f.Secret)
		if f.Secret == "" {
			secret = "(file name)"
		}
		rows = append(rows, [3]string{printableText(where), f.RuleID, printableText(secret)})
	}
	var wd [2]int
	for _, row := range rows {
		wd[0], wd[1] = max(wd[0], len(row[0])), max(wd[1], len(row[1]))
	}
	for _, row := range rows {
		fmt.Fprintf(w, "  %-*s  %-*s  %s\n", wd[0], row[0], wd[1], row[1], row[2])
	}
	if n > hookReportMax {
		fmt.Fprintf(w, "  ... and %d more\n", n-hookReportMax)
	}
	if !block {
		return
	}
	switch r.o.Hook {
	case "pre-push":
		fmt.Fprintln(w, "To fix: remove the secret from those commits (git rebase -i, git commit --amend) and push again.")
	case "commit-msg":
		if r.target == "commit message" {
			fmt.Fprintln(w, "To fix: take the secret out of the commit message and commit again.")
			break
		}
		fallthrough
	default:
		fmt.Fprintln(w, "To fix: remove the secret from the file (read it from the environment or a secret store), git add it, and commit again.")
	}
	fmt.Fprintln(w, "A real secret that was written down must be revoked and replaced.")
	if r.agent.IsAgent {
		fmt.Fprintf(w, "This is an agent commit (%s, detected by %s): agents cannot suppress findings.\n", r.agent.Name, r.agent.Signal)
		fmt.Fprintln(w, "Inline allow markers and .gitleaksignore entries that are not yet committed do not count;")
		fmt.Fprintln(w, "a person can commit the fingerprint to .gitleaksignore if this is a false positive:")
	} else {
		fmt.Fprintln(w, "If it is a false positive, add its fingerprint to .gitleaksignore, or put")
		fmt.Fprintln(w, "a `gitleaks:allow` comment on its line:")
	}
	for i, f := range findings {
		if i == hookReportMax {
			break
		}
		fmt.Fprintf(w, "  %s\n", printableText(f.Fingerprint))
	}
}

func ruleIDs(findings []scanner.Finding) []string {
	seen := map[string]bool{}
	var ids []string
	for _, f := range findings {
		if !seen[f.RuleID] {
			seen[f.RuleID] = true
			ids = append(ids, f.RuleID)
		}
	}
	sort.Strings(ids)
	return ids
}

func fingerprints(findings []scanner.Finding) []string {
	var fps []string
	for _, f := range findings {
		fps = append(fps, f.Fingerprint)
	}
	return fps
}

// printableText replaces control characters, so that a file name cannot
// drive the terminal.
func printableText(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
}
