package report

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

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
	// RedactPercent, from 1 to 100, masks that share of each secret the
	// way gitleaks' --redact=N does: the first (100-N)% of the secret is
	// kept and "..." follows; 100 writes "REDACTED". 0 means the format's
	// own masking. ShowSecrets wins over it.
	RedactPercent int
	// Root is the absolute path (slash- or OS-separated) of the directory
	// the findings' relative paths are relative to; SARIF names it as the
	// SRCROOT base. Empty when there is none (stdin).
	Root string
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

// maskFor returns the masking function: def, the format's own, unless
// RedactPercent asks for gitleaks' percentage masking.
func (o Options) maskFor(def func(string) string) func(string) string {
	if o.RedactPercent <= 0 {
		return def
	}
	return func(s string) string { return MaskPercent(s, o.RedactPercent) }
}

// MaskPercent masks percent (1 to 100) of secret as gitleaks --redact=N
// does: it keeps the first (100-percent)% of its bytes, rounded half to
// even and cut back to a character boundary, and appends "..."; 100 (or
// more) gives "REDACTED".
func MaskPercent(secret string, percent int) string {
	if percent >= 100 {
		return "REDACTED"
	}
	if secret == "" {
		return secret
	}
	keep := int(math.RoundToEven(float64(len(secret)) * float64(100-percent) / 100))
	for keep > 0 && keep < len(secret) && !utf8.RuneStart(secret[keep]) {
		keep--
	}
	return secret[:keep] + "..."
}

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

// SummaryLine describes a finished scan in one line, for people:
//
//	3 secrets in 2 files (1,204 files, 86.0 MB scanned in 1.2 s)
//	no leaks found (10,595 commits, 24,001 objects, 16.0 MB scanned in 4.2 s)
//
// A scan that could not read part of its input, or that was stopped, says
// so first, so that it never reads like a pass.
func SummaryLine(findings []scanner.Finding, s scanner.Summary) string {
	var b strings.Builder
	nothing := s.Files == 0 && s.Bytes == 0 && s.Fragments == 0
	switch {
	case s.Partial != "":
		fmt.Fprintf(&b, "PARTIAL REPORT (%s): ", s.Partial)
	case s.Errors > 0 && nothing && len(findings) == 0:
		fmt.Fprintf(&b, "NOTHING SCANNED: %s could not be read (%s)", plural(int(s.Errors), "input"), scannedPart(s))
		return b.String()
	case s.Errors > 0:
		fmt.Fprintf(&b, "INCOMPLETE: %s could not be read; ", plural(int(s.Errors), "input"))
	}
	if len(findings) == 0 {
		b.WriteString("no leaks found")
		if s.Errors > 0 {
			b.WriteString(" in the rest")
		}
	} else {
		b.WriteString(plural(len(findings), "secret"))
		if where := findingPlaces(findings); where != "" {
			b.WriteString(" in " + where)
		}
	}
	if s.Partial != "" {
		b.WriteString(" so far")
	}
	b.WriteString(" (" + scannedPart(s) + ")")
	if s.Skipped > 0 {
		fmt.Fprintf(&b, ", %s skipped", thousands(s.Skipped))
	}
	return b.String()
}

// findingPlaces says where findings are: "2 files", "3 commits", or ""
// when they have neither path nor commit (stdin).
func findingPlaces(findings []scanner.Finding) string {
	paths, commits := map[string]bool{}, map[string]bool{}
	for _, f := range findings {
		if f.Commit != nil && f.Commit.SHA != "" {
			commits[f.Commit.SHA] = true
		} else if f.Path != "" {
			paths[f.Path] = true
		}
	}
	var parts []string
	if len(commits) > 0 {
		parts = append(parts, plural(len(commits), "commit"))
	}
	if len(paths) > 0 {
		parts = append(parts, plural(len(paths), "file"))
	}
	return strings.Join(parts, " and ")
}

// scannedPart is what a scan read: "1,204 files, 86.0 MB scanned in 1.2 s".
func scannedPart(s scanner.Summary) string {
	var parts []string
	if s.Commits > 0 {
		parts = append(parts, plural64(s.Commits, "commit"))
	}
	if s.Objects > 0 {
		parts = append(parts, plural64(s.Objects, "object"))
	}
	if s.Files > 0 {
		parts = append(parts, plural64(s.Files, "file"))
	}
	if len(parts) == 0 && s.Fragments > 0 && s.Commits == 0 {
		parts = append(parts, plural64(s.Fragments, "fragment"))
	}
	parts = append(parts, byteSize(s.Bytes)+" scanned")
	out := strings.Join(parts, ", ")
	if s.Duration > 0 {
		out += " in " + duration(s.Duration)
	}
	return out
}

// duration formats a scan's wall time: "0.25 s", "1.2 s", "3 min 4 s".
func duration(d time.Duration) string {
	switch sec := d.Seconds(); {
	case sec < 1:
		return fmt.Sprintf("%.2f s", sec)
	case sec < 60:
		return fmt.Sprintf("%.1f s", sec)
	default:
		m := int(sec) / 60
		return fmt.Sprintf("%d min %d s", m, int(sec)-60*m)
	}
}

func plural64(n int64, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return thousands(n) + " " + word + "s"
}

// thousands formats n with commas between groups of three digits.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func plural(n int, word string) string { return plural64(int64(n), word) }

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
