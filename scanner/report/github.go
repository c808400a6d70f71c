package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
)

// GitHub writes one GitHub Actions "error" workflow command per finding,
//
//	::error file=PATH,line=L,endLine=L2,col=C,endColumn=C2,title=RULE::MESSAGE
//
// so that findings show as annotations on a workflow run or pull request.
// Values are escaped as GitHub's toolkit does: % CR LF in the message, and
// also : and , in properties. Properties with no value are left out. No
// output is written for a clean scan.
type GitHub struct {
	w    io.Writer
	opts Options
}

// Write implements scanner.Reporter.
func (g *GitHub) Write(findings []scanner.Finding, summary scanner.Summary) error {
	bw := bufio.NewWriter(g.w)
	for _, n := range summary.Notices {
		bw.WriteString("::warning title=leakguard::" + githubEscapeData(n) + "\n")
	}
	red := newRedactor(findings, g.opts.ShowSecrets, g.opts.maskFor(mask))
	for _, f := range findings {
		bw.WriteString(githubCommand(red.finding(f)))
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write github report: %w", err)
	}
	return nil
}

// githubCommand formats one (already redacted) finding.
func githubCommand(f scanner.Finding) string {
	var props []string
	prop := func(k, v string) {
		if v != "" {
			props = append(props, k+"="+githubEscapeProperty(v))
		}
	}
	num := func(k string, n int) {
		if n > 0 {
			prop(k, strconv.Itoa(n))
		}
	}
	prop("file", f.Path)
	num("line", f.StartLine)
	num("endLine", f.EndLine)
	num("col", f.StartColumn)
	num("endColumn", f.EndColumn)
	prop("title", f.RuleID)

	msg := f.Description
	if msg == "" {
		msg = "Secret"
	}
	msg += " (" + f.RuleID + ")"
	if f.Secret != "" {
		msg += ": " + f.Secret
	}
	if f.Path == "" {
		msg += " in " + displayPath(f)
	}
	if c := f.Commit; c != nil && c.SHA != "" {
		msg += " at commit " + shortSHA(c.SHA)
		if c.Author != "" {
			msg += " by " + c.Author
		}
	}
	if j := jsonLocation(f); j != "" {
		msg += " [" + j + "]"
	}
	if f.Agent != "" {
		msg += " (commit made by AI coding agent " + f.Agent + ")"
	}
	msg += "\nto fix: " + rules.NextStep(f.Provider, f.Revoke)
	if c := f.Commit; c != nil && c.SHA != "" {
		msg += "\n" + rules.HistoryNote
	}
	if f.Fingerprint != "" {
		msg += "\nfingerprint: " + f.Fingerprint
	}
	head := "::error"
	if len(props) > 0 {
		head += " " + strings.Join(props, ",")
	}
	return head + "::" + githubEscapeData(msg)
}

// githubEscapeData escapes a workflow command's message.
func githubEscapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// githubEscapeProperty escapes a workflow command's property value.
func githubEscapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
