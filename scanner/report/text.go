package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
)

// Text writes findings for people: one block a finding, then a summary
// line. Secrets are masked unless Options.ShowSecrets; ANSI colour is used
// only with Options.Color. Control characters from scanned input are
// replaced, so a report cannot drive the terminal.
type Text struct {
	w    io.Writer
	opts Options
}

// lineWidth is how many characters of a line the text format shows around
// a secret.
const lineWidth = 120

// ANSI SGR sequences.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[1;31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiDim    = "\x1b[2m"
)

// Write implements scanner.Reporter.
func (t *Text) Write(findings []scanner.Finding, summary scanner.Summary) error {
	bw := bufio.NewWriter(t.w)
	red := newRedactor(findings, t.opts.ShowSecrets, t.opts.maskFor(mask))
	for i, f := range findings {
		if i > 0 {
			bw.WriteString("\n")
		}
		t.finding(bw, red.finding(f))
	}
	if len(findings) > 0 {
		bw.WriteString("\n")
	}
	sum := SummaryLine(findings, summary)
	if len(findings) > 0 {
		sum = t.paint(ansiRed, sum)
	}
	bw.WriteString(sum + "\n")
	for _, n := range summary.Notices {
		bw.WriteString("note: " + n + "\n")
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write text report: %w", err)
	}
	return nil
}

// paint wraps s in an ANSI style when colour is on.
func (t *Text) paint(style, s string) string {
	if !t.opts.Color || s == "" {
		return s
	}
	return style + s + ansiReset
}

// finding writes one finding's block. f is already redacted.
func (t *Text) finding(w *bufio.Writer, f scanner.Finding) {
	head := t.paint(ansiRed, printable(f.RuleID)+":")
	if f.Description != "" {
		head += " " + t.paint(ansiBold, printable(f.Description))
	}
	w.WriteString(head + "\n")
	field := func(label, value string) {
		fmt.Fprintf(w, "  %-8s %s\n", label+":", value)
	}
	if f.Repository != "" {
		field("repo", printable(f.Repository))
	}
	field("where", t.paint(ansiCyan, printable(location(f))))
	if c := f.Commit; c != nil {
		v := shortSHA(c.SHA)
		if c.Author != "" {
			v += " " + c.Author
			if c.Email != "" {
				v += " <" + c.Email + ">"
			}
		}
		if c.Date != "" {
			v += " " + c.Date
		}
		field("commit", printable(v))
	}
	if f.Agent != "" {
		field("agent", printable(f.Agent))
	}
	if j := jsonLocation(f); j != "" {
		field("json", printable(j))
	}
	if f.Secret != "" {
		field("secret", t.paint(ansiYellow, printable(f.Secret)))
	}
	if line := t.excerpt(f); line != "" {
		field("line", line)
	}
	if f.Validation == "invalid" {
		field("check", "checksum or structure is wrong: likely not a real secret")
	}
	if f.Severity != "" {
		risk := f.Severity
		if f.Provider != "" {
			risk += " (" + f.Provider + ")"
		}
		field("risk", printable(risk))
	}
	field("fix", printable(rules.NextStep(f.Provider, f.Revoke)))
	if f.Commit != nil && f.Commit.SHA != "" {
		field("history", rules.HistoryNote)
	}
	if f.Fingerprint != "" {
		field("ignore", t.paint(ansiDim, printable(f.Fingerprint)))
	}
}

// jsonLocation describes where in a transcript or hook payload a finding
// is, or returns "" for other kinds.
func jsonLocation(f scanner.Finding) string {
	var parts []string
	if f.JSONLine > 0 {
		parts = append(parts, fmt.Sprintf("line %d", f.JSONLine))
	}
	if f.JSONPath != "" {
		parts = append(parts, f.JSONPath)
	}
	for _, kv := range [][2]string{{"role", f.Role}, {"tool", f.Tool}, {"session", f.Session}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	return strings.Join(parts, " ")
}

// excerpt returns the finding's line, trimmed to about lineWidth
// characters around the (already masked) secret, with the secret
// highlighted when colour is on.
func (t *Text) excerpt(f scanner.Finding) string {
	line := strings.TrimRight(f.Line, "\r\n")
	if line == "" {
		return ""
	}
	at := nearest(line, f.Secret, f.StartColumn-1)
	if at < 0 {
		// The secret is not on the line (a path-only rule, say): show the
		// start of the line.
		return printable(trimRunes(line, lineWidth, false))
	}
	before, secret, after := line[:at], f.Secret, line[at+len(f.Secret):]
	room := lineWidth - utf8.RuneCountInString(secret)
	left := room / 2
	if n := utf8.RuneCountInString(after); n < room-left {
		left = room - n
	}
	right := room - min(left, utf8.RuneCountInString(before))
	before = trimRunes(before, max(left, 0), true)
	after = trimRunes(after, max(right, 0), false)
	return printable(before) + t.paint(ansiYellow, printable(secret)) + printable(after)
}

// nearest returns the index of the occurrence of sub in s closest to
// byte offset want, or -1 when there is none or sub is empty.
func nearest(s, sub string, want int) int {
	if sub == "" {
		return -1
	}
	best := -1
	for off := 0; ; {
		i := strings.Index(s[off:], sub)
		if i < 0 {
			return best
		}
		i += off
		if best < 0 || abs(i-want) < abs(best-want) {
			best = i
		}
		off = i + 1
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// trimRunes shortens s to at most n runes, keeping its end when fromLeft
// (cutting its start) and its start otherwise, and marks the cut with "…".
func trimRunes(s string, n int, fromLeft bool) string {
	count := utf8.RuneCountInString(s)
	if count <= n {
		return s
	}
	if n <= 1 {
		return "…"
	}
	if fromLeft {
		skip := count - (n - 1)
		i := 0
		for range skip {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
		return "…" + s[i:]
	}
	i := 0
	for range n - 1 {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i] + "…"
}

// printable replaces line breaks with "↵", tabs with a space and other
// control characters (including ESC) with U+FFFD, so that scanned text
// cannot move the cursor or change colours.
func printable(s string) string {
	clean := true
	for _, r := range s {
		if unicode.IsControl(r) || r == utf8.RuneError {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return '↵'
		case r == '\r':
			return -1
		case r == '\t':
			return ' '
		case unicode.IsControl(r):
			return utf8.RuneError
		}
		return r
	}, s)
}
