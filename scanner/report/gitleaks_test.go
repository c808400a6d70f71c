package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	gitleaks "github.com/zricethezav/gitleaks/v8/report"

	"github.com/leakguard/leakguard/scanner"
)

// decodeGitleaks unmarshals a gitleaks-json report into gitleaks' own
// Finding type, refusing keys gitleaks does not know.
func decodeGitleaks(t *testing.T, out []byte) []gitleaks.Finding {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	var got []gitleaks.Finding
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("decode into gitleaks report.Finding: %v\n%s", err, out)
	}
	return got
}

// TestGitleaksJSONRoundTrip proves the output is gitleaks' report shape:
// gitleaks' own type reads it without unknown keys, and writing that value
// back the way gitleaks' JSON reporter does gives the same bytes.
func TestGitleaksJSONRoundTrip(t *testing.T) {
	tests := []struct {
		name     string
		findings []scanner.Finding
		opts     Options
	}{
		{name: "empty"},
		{name: "masked", findings: testFindings()},
		{name: "shown", findings: testFindings(), opts: Options{ShowSecrets: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := render(t, "gitleaks-json", tt.opts, tt.findings, testSummary)
			got := decodeGitleaks(t, out)
			if len(got) != len(tt.findings) {
				t.Fatalf("got %d findings, want %d", len(got), len(tt.findings))
			}
			var again bytes.Buffer
			enc := json.NewEncoder(&again)
			enc.SetIndent("", " ")
			if err := enc.Encode(got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(out), again.String()); diff != "" {
				t.Errorf("gitleaks re-encodes differently (-ours +gitleaks):\n%s", diff)
			}
		})
	}
}

func TestGitleaksJSONEmptyIsArray(t *testing.T) {
	for _, findings := range [][]scanner.Finding{nil, {}} {
		if got := string(render(t, "gitleaks-json", Options{}, findings, scanner.Summary{})); got != "[]\n" {
			t.Errorf("got %q, want %q", got, "[]\n")
		}
	}
}

// TestGitleaksJSONFields checks the mapping of each field, with secrets
// shown, against the findings.
func TestGitleaksJSONFields(t *testing.T) {
	findings := testFindings()
	got := decodeGitleaks(t, render(t, "gitleaks-json", Options{ShowSecrets: true}, findings, testSummary))
	for i, f := range findings {
		want := gitleaks.Finding{
			RuleID: f.RuleID, Description: f.Description,
			StartLine: f.StartLine, EndLine: f.EndLine, StartColumn: f.StartColumn, EndColumn: f.EndColumn,
			Match: f.Match, Secret: f.Secret, File: f.Path,
			Entropy: float32(f.Entropy), Tags: nonNil(f.Tags), Fingerprint: f.Fingerprint,
		}
		if c := f.Commit; c != nil {
			want.Commit, want.Author, want.Email, want.Date, want.Message = c.SHA, c.Author, c.Email, c.Date, c.Message
		}
		if diff := cmp.Diff(want, got[i], cmp.AllowUnexported(gitleaks.Finding{})); diff != "" {
			t.Errorf("finding %d (%s) (-want +got):\n%s", i, f.RuleID, diff)
		}
	}
}

// TestGitleaksJSONRedactsLikeGitleaks compares our masked Secret and Match
// with what gitleaks' Finding.Redact(100) (--redact) makes of the same
// finding.
func TestGitleaksJSONRedactsLikeGitleaks(t *testing.T) {
	findings := testFindings()
	shown := decodeGitleaks(t, render(t, "gitleaks-json", Options{ShowSecrets: true}, findings, testSummary))
	masked := decodeGitleaks(t, render(t, "gitleaks-json", Options{}, findings, testSummary))
	for i := range shown {
		want := shown[i]
		want.Redact(100)
		if masked[i].Secret != want.Secret || masked[i].Match != want.Match {
			t.Errorf("finding %d: got Secret %q Match %q, want %q %q (gitleaks)",
				i, masked[i].Secret, masked[i].Match, want.Secret, want.Match)
		}
	}
}
