package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// fakeChars is the alphabet fake secrets are drawn from.
const fakeChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// fake returns prefix followed by n characters generated from seed. It
// builds secrets at test time, so that no source line holds one.
func fake(prefix string, n int, seed uint32) string {
	var b strings.Builder
	b.WriteString(prefix)
	x := seed
	for range n {
		x = x*1664525 + 1013904223
		b.WriteByte(fakeChars[(x>>16)%uint32(len(fakeChars))])
	}
	return b.String()
}

// at fills the columns of f from where its secret is in its line.
func at(f scanner.Finding) scanner.Finding {
	first, _, _ := strings.Cut(f.Line, "\n")
	i := strings.Index(first, f.Match)
	if i < 0 {
		panic("fixture: match not on line: " + f.RuleID)
	}
	f.StartColumn = i + 1
	f.EndColumn = i + len(f.Match)
	if f.EndLine == 0 {
		f.EndLine = f.StartLine
	}
	return f
}

// testFindings returns one finding of each kind a report must handle, in
// scan order (path, line, column, rule). Every call returns fresh values.
func testFindings() []scanner.Finding {
	pat := fake("gh"+"p_", 36, 1)
	aws := fake("AK"+"IA", 16, 2)
	slack := fake("xox"+"b-", 30, 3)
	generic := fake("", 32, 4)
	short := fake("", 10, 5) // shorter than 12: masked without a prefix
	sha := strings.Repeat("0123456789abcdef", 3)[:40]
	commit := &scanner.CommitInfo{
		SHA: sha, Author: "Jane Doe", Email: "jane@example.com",
		Date:    "2024-05-01T10:00:00Z",
		Message: "add deploy script\n\nwith the key " + aws + " for now",
	}
	transcriptLine := strings.Repeat("lorem ipsum ", 20) + "api_key=" + generic +
		" and pass=" + short + " " + strings.Repeat("dolor sit amet ", 20)
	return []scanner.Finding{
		at(scanner.Finding{
			RuleID: "slack-bot-token", Description: "Slack Bot token", Kind: scanner.KindCommitMessage,
			StartLine: 1, Match: slack, Secret: slack, Entropy: 4.5123456,
			Line:        "token " + slack,
			Commit:      &scanner.CommitInfo{SHA: strings.Repeat("fedcba9876543210", 3)[:40], Author: "Agent", Email: "agent@example.com", Date: "2024-05-02T11:00:00Z", Message: "token " + slack},
			Fingerprint: strings.Repeat("fedcba9876543210", 3)[:40] + "::slack-bot-token:1",
		}),
		at(scanner.Finding{
			RuleID: "github-pat", Description: "GitHub Personal Access Token", Tags: []string{"github", "token"},
			Kind: scanner.KindFile, Path: "config/app.env", StartLine: 3,
			Match: pat, Secret: pat, Entropy: 5.0234,
			// The escape sequence checks that scanned text cannot drive a terminal.
			Line:        "\x1b[31mGITHUB_TOKEN=" + pat + "\r",
			Fingerprint: "config/app.env:github-pat:3",
		}),
		at(scanner.Finding{
			RuleID: "aws-access-token", Description: "AWS <access> key & ID", Tags: []string{"aws"},
			Provider: "AWS", Severity: "critical", Revoke: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
			Kind: scanner.KindBlob, Path: "deploy/dir with space/a,b:c%.sh", StartLine: 10,
			Match: aws, Secret: aws, Entropy: 3.6842,
			Line:        "# 🔑 é: export AWS_ACCESS_KEY_ID=\"" + aws + "\"",
			Commit:      commit,
			Fingerprint: sha + ":deploy/dir with space/a,b:c%.sh:aws-access-token:10",
		}),
		at(scanner.Finding{
			RuleID: "generic-api-key", Description: "Generic API Key",
			Kind: scanner.KindTranscript, Path: "sessions/s1.jsonl", StartLine: 1,
			Match: "api_key=" + generic, Secret: generic, Entropy: 4.75,
			Line:     transcriptLine,
			JSONLine: 14, JSONPath: "/message/content/0/text", Role: "assistant", Tool: "Bash", Session: "sess-01",
			Fingerprint: "sessions/s1.jsonl:generic-api-key:1",
		}),
		at(scanner.Finding{
			RuleID: "short-password", Description: "Short password",
			Kind: scanner.KindTranscript, Path: "sessions/s1.jsonl", StartLine: 1,
			Match: "pass=" + short, Secret: short, Entropy: 3.1219,
			Line:     transcriptLine,
			JSONLine: 14, JSONPath: "/message/content/0/text", Role: "assistant", Tool: "Bash", Session: "sess-01",
			Fingerprint: "sessions/s1.jsonl:short-password:1",
		}),
	}
}

// testSummary goes with testFindings.
var testSummary = scanner.Summary{Fragments: 5, Bytes: 12_345_678, Skipped: 1}

// testRules is the rule metadata SARIF is given: some rules with results,
// one without, and two results' rules missing.
func testRules() []*rules.Rule {
	return []*rules.Rule{
		{ID: "unused-rule", Description: "Never reported"},
		{ID: "github-pat", Description: "GitHub Personal Access Token", Tags: []string{"github"}},
		{ID: "generic-api-key", Description: "Generic API Key"},
		{ID: "aws-access-token", Description: "AWS access key", Tags: []string{"aws", "security"}},
	}
}

// secretsOf returns the raw secrets of findings.
func secretsOf(findings []scanner.Finding) []string {
	var s []string
	for _, f := range findings {
		s = append(s, f.Secret)
	}
	return s
}

// render writes findings in format and returns the output.
func render(t *testing.T, format string, opts Options, findings []scanner.Finding, sum scanner.Summary) []byte {
	t.Helper()
	var buf bytes.Buffer
	r, err := New(format, &buf, opts)
	if err != nil {
		t.Fatalf("New(%q): %v", format, err)
	}
	if err := r.Write(findings, sum); err != nil {
		t.Fatalf("%s: Write: %v", format, err)
	}
	return buf.Bytes()
}

// checkGolden compares got with testdata/golden/<format>/<name>.golden, or
// rewrites that file when -update is given.
func checkGolden(t *testing.T, format, name string, got []byte) {
	t.Helper()
	path := filepath.Join("..", "..", "testdata", "golden", format, name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// TestGolden writes the test findings, masked, in every format and compares
// the output with the golden files. Golden files never hold a raw secret.
func TestGolden(t *testing.T) {
	tests := []struct {
		name     string
		findings []scanner.Finding
		sum      scanner.Summary
		opts     Options
	}{
		{name: "empty", sum: scanner.Summary{Fragments: 3, Bytes: 2048}},
		{name: "findings", findings: testFindings(), sum: testSummary},
		{name: "color", findings: testFindings(), sum: testSummary, opts: Options{Color: true}},
	}
	for _, format := range Formats {
		for _, tt := range tests {
			if tt.opts.Color && format != "text" {
				continue // colour only changes the text format
			}
			t.Run(format+"/"+tt.name, func(t *testing.T) {
				opts := tt.opts
				opts.Rules = testRules()
				opts.ToolVersion = "1.2.3"
				got := render(t, format, opts, tt.findings, tt.sum)
				checkGolden(t, format, tt.name, got)
			})
		}
	}
}

// TestNoSecretUnlessShown checks the redaction contract in every format: no
// raw secret appears unless ShowSecrets, and every one appears with it.
func TestNoSecretUnlessShown(t *testing.T) {
	secrets := secretsOf(testFindings())
	for _, format := range Formats {
		for _, show := range []bool{false, true} {
			name := format + "/masked"
			if show {
				name = format + "/shown"
			}
			t.Run(name, func(t *testing.T) {
				opts := Options{ShowSecrets: show, Color: true, Rules: testRules()}
				got := string(render(t, format, opts, testFindings(), testSummary))
				for _, s := range secrets {
					if contains := strings.Contains(got, s); contains != show {
						t.Errorf("output contains secret %.4s…: %v, want %v", s, contains, show)
					}
				}
			})
		}
	}
}

func TestNewUnknownFormat(t *testing.T) {
	_, err := New("yaml", &bytes.Buffer{}, Options{})
	if err == nil {
		t.Fatal("New(yaml): no error")
	}
	for _, f := range Formats {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not name format %q", err, f)
		}
	}
}

// TestWriteDoesNotModifyFindings checks that redaction works on copies.
func TestWriteDoesNotModifyFindings(t *testing.T) {
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			findings := testFindings()
			render(t, format, Options{}, findings, testSummary)
			if diff := cmp.Diff(testFindings(), findings); diff != "" {
				t.Errorf("findings changed (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMask(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "*****"},
		{"short", "abc", "*****"},
		{"eleven", "abcdefghijk", "*****"},
		{"twelve", "abcdefghijkl", "abcd*****"},
		{"long", fake("tok_", 40, 9), "tok_*****"},
		{"multibyte", "ééééééééééééé", "éééé*****"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mask(tt.in); got != tt.want {
				t.Errorf("mask(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRedactorMasksEverySecret(t *testing.T) {
	long := fake("", 20, 7)
	inner := long[2:14] // a secret inside another one
	findings := []scanner.Finding{
		{RuleID: "a", Secret: long, Match: "k=" + long, Line: "k=" + long + " j=" + inner},
		{RuleID: "b", Secret: inner, Match: inner, Line: "x " + inner},
		{RuleID: "c", Secret: "", Match: "", Line: "nothing"},
	}
	r := newRedactor(findings, false, mask)
	tests := []struct {
		name string
		in   scanner.Finding
		want scanner.Finding
	}{
		{"outer", findings[0], scanner.Finding{RuleID: "a", Secret: mask(long), Match: "k=" + mask(long), Line: "k=" + mask(long) + " j=" + mask(inner)}},
		{"inner", findings[1], scanner.Finding{RuleID: "b", Secret: mask(inner), Match: mask(inner), Line: "x " + mask(inner)}},
		{"no secret", findings[2], findings[2]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, r.finding(tt.in)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if got := newRedactor(findings, true, mask); got != nil {
		t.Errorf("newRedactor(show) = %v, want nil", got)
	}
}

func TestSummaryLine(t *testing.T) {
	at := func(path, sha string) scanner.Finding {
		f := scanner.Finding{RuleID: "r", Path: path}
		if sha != "" {
			f.Commit = &scanner.CommitInfo{SHA: sha}
		}
		return f
	}
	tests := []struct {
		name     string
		findings []scanner.Finding
		sum      scanner.Summary
		want     string
	}{
		{"clean stdin", nil, scanner.Summary{Fragments: 1, Bytes: 10}, "no leaks found (1 fragment, 10 B scanned)"},
		{"files", []scanner.Finding{at("a", ""), at("a", ""), at("b", "")},
			scanner.Summary{Files: 1204, Bytes: 86_000_000, Duration: 1200 * time.Millisecond},
			"3 secrets in 2 files (1,204 files, 86.0 MB scanned in 1.2 s)"},
		{"git", []scanner.Finding{at("a", "c1"), at("", "c2")},
			scanner.Summary{Commits: 10595, Objects: 24001, Bytes: 16_000_000, Duration: 4200 * time.Millisecond},
			"2 secrets in 2 commits (10,595 commits, 24,001 objects, 16.0 MB scanned in 4.2 s)"},
		{"skipped", []scanner.Finding{at("", "")}, scanner.Summary{Files: 40, Bytes: 2500, Skipped: 2}, "1 secret (40 files, 2.5 KB scanned), 2 skipped"},
		{"unreadable", nil, scanner.Summary{Errors: 1}, "NOTHING SCANNED: 1 input could not be read (0 B scanned)"},
		{"part unreadable", nil, scanner.Summary{Files: 3, Bytes: 30, Errors: 2}, "INCOMPLETE: 2 inputs could not be read; no leaks found in the rest (3 files, 30 B scanned)"},
		{"partial", []scanner.Finding{at("a", "")}, scanner.Summary{Files: 9, Bytes: 3_000_000_000, Partial: "interrupted by SIGINT"},
			"PARTIAL REPORT (interrupted by SIGINT): 1 secret in 1 file so far (9 files, 3.00 GB scanned)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SummaryLine(tt.findings, tt.sum); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMaskPercent(t *testing.T) {
	tests := []struct {
		secret  string
		percent int
		want    string
	}{
		{"abcdefghij", 100, "REDACTED"},
		{"abcdefghij", 50, "abcde..."},
		{"abcdefghij", 20, "abcdefgh..."},
		{"abcdefghij", 95, "..."},   // 0.5 rounds to even: 0
		{"abcdefghij", 85, "ab..."}, // 1.5 rounds to even: 2
		{"ééé", 50, "é..."},         // 3 bytes kept, cut back to a character
		{"", 50, ""},
	}
	for _, tt := range tests {
		if got := MaskPercent(tt.secret, tt.percent); got != tt.want {
			t.Errorf("MaskPercent(%q, %d): got %q, want %q", tt.secret, tt.percent, got, tt.want)
		}
	}
	// Every format honours it.
	f := scanner.Finding{RuleID: "r", Path: "p", StartLine: 1, Secret: "abcdefghij", Match: "k=abcdefghij", Line: "k=abcdefghij"}
	for _, format := range Formats {
		out := string(render(t, format, Options{RedactPercent: 50}, []scanner.Finding{f}, scanner.Summary{}))
		if strings.Contains(out, "abcdefghij") || !strings.Contains(out, "abcde...") {
			t.Errorf("%s with RedactPercent 50: want abcde... and no secret in:\n%s", format, out)
		}
	}
}
