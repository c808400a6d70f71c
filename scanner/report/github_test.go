package report

import (
	"strings"
	"testing"

	"github.com/leakguard/leakguard/scanner"
)

func TestGitHubEscape(t *testing.T) {
	tests := []struct {
		name, in, data, prop string
	}{
		{"plain", "abc", "abc", "abc"},
		{"percent", "100%", "100%25", "100%25"},
		{"newlines", "a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"colon comma", "a:b,c", "a:b,c", "a%3Ab%2Cc"},
		{"already escaped", "%0A", "%250A", "%250A"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := githubEscapeData(tt.in); got != tt.data {
				t.Errorf("data: got %q, want %q", got, tt.data)
			}
			if got := githubEscapeProperty(tt.in); got != tt.prop {
				t.Errorf("property: got %q, want %q", got, tt.prop)
			}
		})
	}
}

func TestGitHubCommand(t *testing.T) {
	secret := fake("", 20, 31)
	tests := []struct {
		name string
		f    scanner.Finding
		want string
	}{
		{
			name: "file",
			f:    scanner.Finding{RuleID: "r1", Description: "Thing", Path: "a,b:c.txt", StartLine: 2, EndLine: 3, StartColumn: 4, EndColumn: 5, Secret: secret, Provider: "Acme", Revoke: "https://acme.example/keys"},
			want: "::error file=a%2Cb%3Ac.txt,line=2,endLine=3,col=4,endColumn=5,title=r1::Thing (r1): " + secret + "%0Ato fix: revoke or rotate the Acme credential (https://acme.example/keys), then replace it where it is used",
		},
		{
			name: "stdin without line",
			f:    scanner.Finding{RuleID: "r2", Kind: scanner.KindStdin, Fingerprint: "x:r2:0"},
			want: "::error title=r2::Secret (r2) in <stdin>%0Ato fix: revoke or rotate the credential where it was issued, then replace it where it is used%0Afingerprint: x:r2:0",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := githubCommand(tt.f); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestGitHubOneLinePerFinding checks that escaping keeps every command on
// its own line, whatever the findings hold.
func TestGitHubOneLinePerFinding(t *testing.T) {
	findings := testFindings()
	out := string(render(t, "github", Options{}, findings, testSummary))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(findings) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(findings), out)
	}
	for i, l := range lines {
		if !strings.HasPrefix(l, "::error ") || strings.Count(l, "::") < 2 || strings.Contains(l, "\r") {
			t.Errorf("line %d is not a workflow command: %q", i, l)
		}
		if !strings.Contains(l, "title="+findings[i].RuleID+"::") {
			t.Errorf("line %d lacks title=%s: %q", i, findings[i].RuleID, l)
		}
	}
	if got := render(t, "github", Options{}, nil, testSummary); len(got) != 0 {
		t.Errorf("clean scan wrote %q, want nothing", got)
	}
}
