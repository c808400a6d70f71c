package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
)

// Options configure a reporter.
type Options struct {
	// ShowSecrets writes secrets in full. When false every format masks
	// them (see mask; gitleaks-json writes "REDACTED" as gitleaks --redact
	// does).
	ShowSecrets bool
	// Color turns on ANSI colour in the text format; other formats ignore it.
	Color bool
	// Rules is the rule metadata SARIF describes its results with.
	Rules []*rules.Rule
	// ToolVersion is written where a format records the tool's version.
	ToolVersion string
}

// Formats lists the accepted format names, for --help.
var Formats = []string{"text", "json", "gitleaks-json", "sarif", "csv", "junit", "github"}

// New returns the reporter for format, writing to w. An unknown format is
// an error that names the accepted ones.
func New(format string, w io.Writer, opts Options) (scanner.Reporter, error) {
	switch format {
	case "text":
		return &Text{w: w, opts: opts}, nil
	case "json":
		return &JSON{w: w, opts: opts}, nil
	case "gitleaks-json":
		return &GitleaksJSON{w: w, opts: opts}, nil
	case "sarif":
		return &SARIF{w: w, opts: opts}, nil
	case "csv":
		return &CSV{w: w, opts: opts}, nil
	case "junit":
		return &JUnit{w: w, opts: opts}, nil
	case "github":
		return &GitHub{w: w, opts: opts}, nil
	}
	return nil, fmt.Errorf("report: unknown format %q (accepted: %s)", format, strings.Join(Formats, ", "))
}

// mask hides a secret for display, as scanner.Redact does.
func mask(secret string) string { return scanner.Redact(secret) }

// redactor masks secrets in findings before a reporter writes them. A nil
// *redactor leaves findings as they are (Options.ShowSecrets).
type redactor struct {
	mask func(string) string
	// all replaces every secret of the scan with its masked form, so that
	// a line holding two secrets shows neither, whichever finding it is
	// printed for.
	all *strings.Replacer
}

// newRedactor returns a redactor for the secrets of findings, or nil when
// secrets are to be shown. maskFn maps a non-empty secret to what is shown
// instead.
func newRedactor(findings []scanner.Finding, show bool, maskFn func(string) string) *redactor {
	if show {
		return nil
	}
	var secrets []string
	for _, f := range findings {
		if f.Secret != "" {
			secrets = append(secrets, f.Secret)
		}
	}
	// Longest first: strings.Replacer tries its pairs in argument order at
	// each position, so a secret that contains another is replaced whole.
	slices.SortFunc(secrets, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	secrets = slices.Compact(secrets)
	pairs := make([]string, 0, 2*len(secrets))
	for _, s := range secrets {
		pairs = append(pairs, s, maskFn(s))
	}
	return &redactor{mask: maskFn, all: strings.NewReplacer(pairs...)}
}

// finding returns f as it may be shown: its secret masked, and every secret
// of the scan masked in its match, line and commit message. f itself is
// not modified.
func (r *redactor) finding(f scanner.Finding) scanner.Finding {
	if r == nil {
		return f
	}
	if f.Secret != "" {
		f.Secret = r.mask(f.Secret)
	}
	f.Match = r.all.Replace(f.Match)
	f.Line = r.all.Replace(f.Line)
	if f.Commit != nil {
		c := *f.Commit
		c.Message = r.all.Replace(c.Message)
		f.Commit = &c
	}
	return f
}

// displayPath names where a finding is for people: its path, or the kind
// of input when there is no path.
func displayPath(f scanner.Finding) string {
	if f.Path != "" {
		return f.Path
	}
	switch f.Kind {
	case scanner.KindStdin, "":
		return "<stdin>"
	default:
		return "<" + string(f.Kind) + ">"
	}
}

// shortSHA returns the first 8 characters of a commit hash.
func shortSHA(sha string) string {
	if len(sha) > 8 {
		return sha[:8]
	}
	return sha
}

// location formats path:line:col, leaving out what is zero.
func location(f scanner.Finding) string {
	s := displayPath(f)
	if f.StartLine > 0 {
		s += fmt.Sprintf(":%d", f.StartLine)
		if f.StartColumn > 0 {
			s += fmt.Sprintf(":%d", f.StartColumn)
		}
	}
	return s
}

// summaryLine describes a finished scan in one line.
func summaryLine(n int, s scanner.Summary) string {
	var b strings.Builder
	if n == 0 {
		b.WriteString("no leaks found")
	} else {
		b.WriteString(plural(n, "finding"))
	}
	fmt.Fprintf(&b, " in %s (%s)", plural(int(s.Fragments), "fragment"), byteSize(s.Bytes))
	if s.Skipped > 0 {
		fmt.Fprintf(&b, ", %d skipped", s.Skipped)
	}
	if s.Errors > 0 {
		fmt.Fprintf(&b, ", %d unreadable", s.Errors)
	}
	return b.String()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// byteSize formats a byte count with a decimal unit (1 MB = 10^6 bytes).
func byteSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f KB", float64(n)/1e3)
	case n < 1000*1000*1000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	default:
		return fmt.Sprintf("%.2f GB", float64(n)/1e9)
	}
}
