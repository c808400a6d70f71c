package report

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/leakguard/leakguard/scanner"
)

func TestTextExcerpt(t *testing.T) {
	secret := fake("tok_", 40, 21)
	long := strings.Repeat("x", 500)
	tests := []struct {
		name     string
		line     string
		wantHas  []string // substrings the excerpt must contain
		wantNot  []string
		maxRunes int
	}{
		{name: "short line", line: "key=" + secret, wantHas: []string{"key=tok_*****"}, maxRunes: lineWidth},
		{name: "long both sides", line: long + "key=" + secret + long, wantHas: []string{"…", "key=tok_*****", "tok_*****xxx"}, maxRunes: lineWidth},
		{name: "long left", line: long + "key=" + secret, wantHas: []string{"…x", "key=tok_*****"}, maxRunes: lineWidth},
		{name: "long right", line: "key=" + secret + long, wantHas: []string{"key=tok_*****x", "x…"}, maxRunes: lineWidth},
		{name: "multibyte", line: strings.Repeat("é", 300) + secret + strings.Repeat("🔑", 300), wantHas: []string{"é" + "tok_*****" + "🔑"}, maxRunes: lineWidth},
		{name: "control characters", line: "\x1b[2J\tkey=" + secret + "\r\n", wantHas: []string{"\uFFFD[2J key=tok_*****"}, wantNot: []string{"\x1b", "\r", "\n", "\t"}, maxRunes: lineWidth},
		{name: "secret absent from line", line: long, wantHas: []string{"xx…"}, maxRunes: lineWidth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := scanner.Finding{RuleID: "r", Secret: secret, Match: secret, Line: tt.line, StartLine: 1, StartColumn: strings.Index(tt.line, secret) + 1}
			f = newRedactor([]scanner.Finding{f}, false, mask).finding(f)
			got := (&Text{}).excerpt(f)
			for _, s := range tt.wantHas {
				if !strings.Contains(got, s) {
					t.Errorf("excerpt %q does not contain %q", got, s)
				}
			}
			for _, s := range tt.wantNot {
				if strings.Contains(got, s) {
					t.Errorf("excerpt %q contains %q", got, s)
				}
			}
			if n := utf8.RuneCountInString(got); n > tt.maxRunes {
				t.Errorf("excerpt has %d runes, want <= %d", n, tt.maxRunes)
			}
		})
	}
}

func TestTextColor(t *testing.T) {
	for _, color := range []bool{false, true} {
		got := string(render(t, "text", Options{Color: color}, testFindings(), testSummary))
		if has := strings.Contains(got, "\x1b["); has != color {
			t.Errorf("Color=%v: output has ANSI escapes: %v", color, has)
		}
	}
}

func TestTextBlocks(t *testing.T) {
	got := string(render(t, "text", Options{}, testFindings(), testSummary))
	for _, want := range []string{
		"github-pat: GitHub Personal Access Token\n",
		"  where:   config/app.env:3:19\n",
		"  commit:  01234567 Jane Doe <jane@example.com> 2024-05-01T10:00:00Z\n",
		"  json:    line 14 /message/content/0/text role=assistant tool=Bash session=sess-01\n",
		"  secret:  ghp_*****\n",
		"  ignore:  config/app.env:github-pat:3\n",
		"\n5 secrets in 2 commits and 2 files (5 fragments, 12.3 MB scanned), 1 skipped\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output does not contain %q:\n%s", want, got)
		}
	}
	if got := string(render(t, "text", Options{}, nil, scanner.Summary{Fragments: 1, Bytes: 3})); got != "no leaks found (1 fragment, 3 B scanned)\n" {
		t.Errorf("clean scan: got %q", got)
	}
}

func TestTrimRunes(t *testing.T) {
	tests := []struct {
		name     string
		s        string
		n        int
		fromLeft bool
		want     string
	}{
		{"fits", "abc", 3, false, "abc"},
		{"cut right", "abcdef", 4, false, "abc…"},
		{"cut left", "abcdef", 4, true, "…def"},
		{"runes", "ééééé", 3, true, "…éé"},
		{"zero", "abc", 0, false, "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := trimRunes(tt.s, tt.n, tt.fromLeft); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNearest(t *testing.T) {
	tests := []struct {
		name, s, sub string
		want, at     int
	}{
		{"first", "ab ab ab", "ab", 0, 0},
		{"middle", "ab ab ab", "ab", 2, 3},
		{"last", "ab ab ab", "ab", 9, 6},
		{"absent", "abc", "x", 0, -1},
		{"empty", "abc", "", 0, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nearest(tt.s, tt.sub, tt.want); got != tt.at {
				t.Errorf("got %d, want %d", got, tt.at)
			}
		})
	}
}
