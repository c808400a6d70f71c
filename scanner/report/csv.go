package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/leakguard/leakguard/scanner"
)

// CSV writes a header row and one row per finding. The first sixteen
// columns are gitleaks' CSV columns, in its order and with its names (Tags
// joined by spaces); leakguard's extra columns follow them. Unlike
// gitleaks, the header is written even when there are no findings.
type CSV struct {
	w    io.Writer
	opts Options
}

var csvHeader = []string{
	// gitleaks' columns.
	"RuleID", "Commit", "File", "SymlinkFile", "Secret", "Match",
	"StartLine", "EndLine", "StartColumn", "EndColumn",
	"Author", "Message", "Date", "Email", "Fingerprint", "Tags",
	// leakguard's.
	"Description", "Kind", "Entropy", "JSONLine", "JSONPath", "Role", "Tool", "Session",
	"Provider", "Severity", "Revoke",
}

// Write implements scanner.Reporter.
func (c *CSV) Write(findings []scanner.Finding, _ scanner.Summary) error {
	cw := csv.NewWriter(c.w)
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("write csv report: %w", err)
	}
	red := newRedactor(findings, c.opts.ShowSecrets, c.opts.maskFor(mask))
	for _, f := range findings {
		f = red.finding(f)
		var commit scanner.CommitInfo
		if f.Commit != nil {
			commit = *f.Commit
		}
		jsonLine := ""
		if f.JSONLine > 0 {
			jsonLine = strconv.Itoa(f.JSONLine)
		}
		row := []string{
			f.RuleID, commit.SHA, f.Path, "", f.Secret, f.Match,
			strconv.Itoa(f.StartLine), strconv.Itoa(f.EndLine),
			strconv.Itoa(f.StartColumn), strconv.Itoa(f.EndColumn),
			commit.Author, commit.Message, commit.Date, commit.Email, f.Fingerprint,
			strings.Join(f.Tags, " "),
			f.Description, string(f.Kind), strconv.FormatFloat(f.Entropy, 'f', 4, 64),
			jsonLine, f.JSONPath, f.Role, f.Tool, f.Session,
			f.Provider, f.Severity, f.Revoke,
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write csv report: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv report: %w", err)
	}
	return nil
}
