package cli

import (
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/leakguard/leakguard/hooks/gate"
	"github.com/leakguard/leakguard/scanner"
)

// hookReportMax is how many findings a blocked hook lists.
const hookReportMax = 20

// reportHookFindings writes the short, redacted account of a blocked (or
// warned) hook: where, which rule, the masked secret, and how to fix or
// suppress it.
func reportHookFindings(w io.Writer, v gate.Verdict) {
	findings, block := v.Findings, v.Block
	n := len(findings)
	noun := "secret"
	if n > 1 {
		noun = "secrets"
	}
	verdict := hookWhat(v.Hook) + " blocked"
	if !block {
		verdict = "warning (policy mode = warn, the " + hookWhat(v.Hook) + " goes ahead)"
	}
	fmt.Fprintf(w, "leakguard: %s: %d %s in the %s\n", verdict, n, noun, v.Target)
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
	switch v.Hook {
	case "pre-push":
		fmt.Fprintln(w, "To fix: remove the secret from those commits (git rebase -i, git commit --amend) and push again.")
	case "commit-msg":
		if v.Target == "commit message" {
			fmt.Fprintln(w, "To fix: take the secret out of the commit message and commit again.")
			break
		}
		fallthrough
	default:
		fmt.Fprintln(w, "To fix: remove the secret from the file (read it from the environment or a secret store), git add it, and commit again.")
	}
	fmt.Fprintln(w, "A real secret that was written down must be revoked and replaced.")
	seen := map[string]bool{}
	for i, f := range findings {
		if i == hookReportMax {
			break
		}
		if f.Revoke != "" && !seen[f.Revoke] {
			seen[f.Revoke] = true
			fmt.Fprintf(w, "  %s: %s\n", printableText(f.Provider), printableText(f.Revoke))
		}
	}
	if v.Agent.IsAgent {
		fmt.Fprintf(w, "This is an agent commit (%s, detected by %s): agents cannot suppress findings.\n", v.Agent.Name, v.Agent.Signal)
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

// reportHookError says why a hook could not check, and what follows.
func reportHookError(w io.Writer, v gate.Verdict) {
	fmt.Fprintf(w, "leakguard: %s: %v\n", v.Hook, v.Err)
	switch {
	case v.Panicked:
		fmt.Fprintf(w, "leakguard: %s blocked: the hook failed (internal error; fail closed)\n", v.Hook)
	case v.Block:
		who := "this " + hookWhat(v.Hook)
		if v.Agent.IsAgent {
			who = "an agent commit (" + v.Agent.Name + ")"
		}
		fmt.Fprintf(w, "leakguard: %s blocked: the hook could not check, and the policy for %s fails closed\n", v.Hook, who)
		if !v.Agent.IsAgent {
			fmt.Fprintf(w, "leakguard: fix the cause above; to %s without the check once, use git's --no-verify\n", hookWhat(v.Hook))
		}
	default:
		fmt.Fprintf(w, "leakguard: warning: nothing was checked; the %s goes ahead (policy: fail open)\n", hookWhat(v.Hook))
	}
}

func hookWhat(hook string) string {
	if hook == "pre-push" {
		return "push"
	}
	return "commit"
}

func shortSHA(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
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
