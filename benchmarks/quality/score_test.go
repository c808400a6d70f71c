package quality

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Hand-made labels and findings. Secret texts are built, not literal, so
// that the repository stays clean under a scan.
func scoreFixture() ([]Label, []Finding) {
	tok := "ghp_" + strings.Repeat("Ab1", 12)
	pw := "Maple#" + "2291qXz"
	pem := "-----BEGIN EC " + "PRIVATE KEY-----\nMHcCAQEE\nAwEHoUQD\n-----END EC PRIVATE KEY-----"
	labels := []Label{
		{File: "src/a.go", Line: 3, EndLine: 3, Type: "github-pat", Secret: tok, Context: "go"},
		{File: "src/a.go", Line: 9, EndLine: 9, Type: "password", Secret: pw, Context: "go"},
		{File: "env/b.env", Line: 2, EndLine: 2, Type: "private-key", Secret: strings.ReplaceAll(pem, "\n", `\n`), Plain: pem, Context: "env"},
		{File: "deploy/s.yaml", Line: 7, EndLine: 7, Type: "password", Secret: base64.StdEncoding.EncodeToString([]byte(pw)), Plain: pw, Context: "k8s"},
		{File: "src/a.go", Line: 5, EndLine: 5, Type: "placeholder", Secret: "your-api-key-here", Context: "go", Negative: true},
	}
	findings := []Finding{
		// Exact hit on the token, reported twice by two rules.
		{RuleID: "github-pat", File: "/corpus/src/a.go", StartLine: 3, Secret: tok},
		{RuleID: "generic-api-key", File: "/corpus/src/a.go", StartLine: 3, Secret: `"` + tok + `"`},
		// Right secret, wrong line: not a hit.
		{RuleID: "generic-password-assignment", File: "/corpus/src/a.go", StartLine: 10, Secret: pw},
		// Escaped key matched by its decoded form.
		{RuleID: "private-key", File: "/corpus/env/b.env", StartLine: 2, EndLine: 2, Secret: pem},
		// Base64 value reported decoded.
		{RuleID: "generic-password-assignment-unquoted", File: "/corpus/deploy/s.yaml", StartLine: 7, Secret: pw},
		// A placeholder reported: false positive on a hard negative.
		{RuleID: "generic-api-key", File: "/corpus/src/a.go", StartLine: 5, Secret: "your-api-key-here"},
		// Something else entirely.
		{RuleID: "jwt", File: "/corpus/logs/x.log", StartLine: 1, Secret: "eyJhbGciOi"},
	}
	return labels, findings
}

func TestScore(t *testing.T) {
	labels, findings := scoreFixture()
	rep := Score(labels, findings, "/corpus")
	want := Counts{Secrets: 4, Found: 3, Findings: 7, TP: 4}
	if diff := cmp.Diff(want, rep.Overall); diff != "" {
		t.Errorf("overall (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int{"placeholder": 1}, rep.NegativeHits); diff != "" {
		t.Errorf("negative hits (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int{"generic-password-assignment": 1, "jwt": 1}, rep.Unlabelled); diff != "" {
		t.Errorf("unlabelled (-want +got):\n%s", diff)
	}
	if got := rep.ByType["password"]; got == nil || got.Found != 1 || got.Secrets != 2 {
		t.Errorf("password type: got %+v, want 1 of 2 found", got)
	}
	if got := rep.ByContext["go"]; got == nil || got.TP != 2 || got.Findings != 4 || got.Found != 1 {
		t.Errorf("go context: got %+v, want 2 TP of 4 findings, 1 found", got)
	}
	if len(rep.Missed) != 1 || rep.Missed[0].Line != 9 {
		t.Errorf("missed: got %+v, want the password on line 9", rep.Missed)
	}
	if r := rep.Overall.Recall(); r != 0.75 {
		t.Errorf("recall: got %v, want 0.75", r)
	}
	var out bytes.Buffer
	rep.Print(&out, "fixture")
	for _, s := range []string{"recall 0.750 (3/4)", "precision 0.571 (4/7)", "placeholder"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("report does not contain %q:\n%s", s, out.String())
		}
	}
}

func TestOverlaps(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"equal", "abcdefgh", "abcdefgh", true},
		{"contained", "xxabcdefghyy", "abcdefgh", true},
		{"shared 8", "1234abcdefgh", "abcdefgh5678", true},
		{"shared 7", "1234abcdefg", "abcdefg5678", false},
		{"short contained", "pw12", "user:pw12@host", true},
		{"empty", "", "abc", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := overlaps(tt.a, tt.b); got != tt.want {
				t.Errorf("overlaps(%q, %q): got %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestReadFindingsGitleaksShape(t *testing.T) {
	in := `[{"RuleID":"github-pat","File":"a.go","StartLine":3,"EndLine":3,"Secret":"x","Match":"y","Entropy":3.5,"Fingerprint":"a.go:github-pat:3"}]`
	fs, err := ReadFindings(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Finding{{RuleID: "github-pat", File: "a.go", StartLine: 3, EndLine: 3, Secret: "x", Match: "y"}}
	if diff := cmp.Diff(want, fs); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestPEMHeaderAloneIsNotAHit: a finding that swallows only the BEGIN line
// of the next key (gitleaks' lazy private-key regex after a short
// placeholder block) does not find that key.
func TestPEMHeaderAloneIsNotAHit(t *testing.T) {
	head := "-----BEGIN OPENSSH " + "PRIVATE KEY-----"
	key := head + "\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUA\n-----END OPENSSH PRIVATE KEY-----\n"
	labels := []Label{{File: "a.go", Line: 5, EndLine: 8, Type: "private-key", Secret: key, Context: "go"}}
	swallow := "-----BEGIN RSA " + "PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n`\nvar k = `" + head
	rep := Score(labels, []Finding{{RuleID: "private-key", File: "a.go", StartLine: 1, EndLine: 5, Secret: swallow}}, "")
	if rep.Overall.Found != 0 {
		t.Errorf("header-only overlap counted as a hit")
	}
	rep = Score(labels, []Finding{{RuleID: "private-key", File: "a.go", StartLine: 5, EndLine: 8, Secret: key}}, "")
	if rep.Overall.Found != 1 {
		t.Errorf("the key itself was not counted")
	}
}
