package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/leakguard/leakguard/scanner"
)

// GitleaksJSON writes a JSON array in the shape of gitleaks' (v8) JSON
// report, so that tools reading gitleaks reports read leakguard's: the same
// keys in the same order, one-space indentation, Entropy as a 32-bit float
// and HTML characters escaped, as gitleaks' encoder writes them. A clean
// scan is [], never null.
//
// Unless Options.ShowSecrets, Secret is "REDACTED" and every secret in
// Match and Message is replaced with "REDACTED", as gitleaks --redact does.
type GitleaksJSON struct {
	w    io.Writer
	opts Options
}

// gitleaksFinding mirrors the JSON keys of gitleaks' report.Finding, in
// its field order.
type gitleaksFinding struct {
	RuleID      string
	Description string
	StartLine   int
	EndLine     int
	StartColumn int
	EndColumn   int
	Match       string
	Secret      string
	File        string
	SymlinkFile string
	Commit      string
	Entropy     float32
	Author      string
	Email       string
	Date        string
	Message     string
	Tags        []string
	Fingerprint string
}

// gitleaksRedacted is what gitleaks --redact writes for a secret.
func gitleaksRedacted(string) string { return "REDACTED" }

// Write implements scanner.Reporter.
func (g *GitleaksJSON) Write(findings []scanner.Finding, _ scanner.Summary) error {
	red := newRedactor(findings, g.opts.ShowSecrets, g.opts.maskFor(gitleaksRedacted))
	out := make([]gitleaksFinding, 0, len(findings))
	for _, f := range findings {
		f = red.finding(f)
		gf := gitleaksFinding{
			RuleID:      f.RuleID,
			Description: f.Description,
			StartLine:   f.StartLine,
			EndLine:     f.EndLine,
			StartColumn: f.StartColumn,
			EndColumn:   f.EndColumn,
			Match:       f.Match,
			Secret:      f.Secret,
			File:        f.Path,
			Entropy:     float32(f.Entropy),
			Tags:        nonNil(f.Tags),
			Fingerprint: f.Fingerprint,
		}
		if c := f.Commit; c != nil {
			gf.Commit, gf.Author, gf.Email, gf.Date, gf.Message = c.SHA, c.Author, c.Email, c.Date, c.Message
		}
		out = append(out, gf)
	}
	enc := json.NewEncoder(g.w)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write gitleaks-json report: %w", err)
	}
	return nil
}
