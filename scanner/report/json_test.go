package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
)

// decodeJSON reads a json report strictly into its schema types.
func decodeJSON(t *testing.T, out []byte) jsonReport {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	var r jsonReport
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("decode: %v\n%s", err, out)
	}
	return r
}

func TestJSONShowSecrets(t *testing.T) {
	findings := testFindings()
	got := decodeJSON(t, render(t, "json", Options{ShowSecrets: true}, findings, testSummary))
	if got.Redacted {
		t.Error("redacted = true with ShowSecrets")
	}
	for i, f := range findings {
		jf := got.Findings[i]
		if jf.Secret != f.Secret || jf.Match != f.Match {
			t.Errorf("finding %d: secret/match not shown in full", i)
		}
		if f.Commit != nil && jf.Commit.Message != f.Commit.Message {
			t.Errorf("finding %d: commit message %q, want %q", i, jf.Commit.Message, f.Commit.Message)
		}
	}
}

func TestJSONFields(t *testing.T) {
	findings := testFindings()
	got := decodeJSON(t, render(t, "json", Options{}, findings, testSummary))
	if got.Version != 1 || !got.Redacted {
		t.Errorf("version %d redacted %v, want 1 true", got.Version, got.Redacted)
	}
	want := jsonSummary{Findings: 5, Fragments: 5, Bytes: 12_345_678, Skipped: 1}
	if diff := cmp.Diff(want, got.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	aws := findings[2]
	wantAWS := jsonFinding{
		RuleID: aws.RuleID, Description: aws.Description, Tags: aws.Tags, Kind: "blob", Path: aws.Path,
		StartLine: 10, EndLine: 10, StartColumn: aws.StartColumn, EndColumn: aws.EndColumn,
		Match: mask(aws.Secret), Secret: mask(aws.Secret), Entropy: 3.6842, Fingerprint: aws.Fingerprint,
		Provider: "AWS", Severity: "critical", Revoke: aws.Revoke,
		NextStep: "revoke or rotate the AWS credential (" + aws.Revoke + "), then replace it where it is used",
		History:  rules.HistoryNote,
		Commit: &jsonCommit{SHA: aws.Commit.SHA, Author: "Jane Doe", Email: "jane@example.com", Date: aws.Commit.Date,
			Message: "add deploy script\n\nwith the key " + mask(aws.Secret) + " for now"},
	}
	if diff := cmp.Diff(wantAWS, got.Findings[2]); diff != "" {
		t.Errorf("aws finding (-want +got):\n%s", diff)
	}
	tr := got.Findings[3]
	if tr.JSONLine != 14 || tr.JSONPath != "/message/content/0/text" || tr.Role != "assistant" || tr.Tool != "Bash" || tr.Session != "sess-01" {
		t.Errorf("transcript location not kept: %+v", tr)
	}
}

// TestJSONOmitsEmpty checks the keys that are left out when empty, and that
// the others are always there.
func TestJSONOmitsEmpty(t *testing.T) {
	out := render(t, "json", Options{}, []scanner.Finding{{RuleID: "r", Kind: scanner.KindStdin}}, scanner.Summary{})
	var raw struct {
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal(out, &raw); err != nil {
		t.Fatal(err)
	}
	f := raw.Findings[0]
	for _, k := range []string{"commit", "jsonLine", "jsonPath", "role", "tool", "session"} {
		if _, ok := f[k]; ok {
			t.Errorf("key %q present though empty", k)
		}
	}
	for _, k := range []string{"ruleId", "description", "tags", "kind", "path", "startLine", "endLine", "startColumn", "endColumn", "match", "secret", "entropy", "fingerprint"} {
		if _, ok := f[k]; !ok {
			t.Errorf("key %q missing", k)
		}
	}
	if tags, ok := f["tags"].([]any); !ok || len(tags) != 0 {
		t.Errorf("tags = %#v, want []", f["tags"])
	}
	if got := decodeJSON(t, render(t, "json", Options{}, nil, scanner.Summary{})); got.Findings == nil {
		t.Error("findings is null for a clean scan, want []")
	}
}

// TestJSONOneSecretManyRules: the rules a finding stands for and the
// encodings it was found through are in the report.
func TestJSONOneSecretManyRules(t *testing.T) {
	f := testFindings()[0]
	f.AlsoMatched, f.Encoding = []string{"curl-auth-header", "generic-api-key"}, "base64+percent"
	got := decodeJSON(t, render(t, "json", Options{}, []scanner.Finding{f}, testSummary))
	jf := got.Findings[0]
	if d := cmp.Diff(f.AlsoMatched, jf.AlsoMatched); d != "" || jf.Encoding != f.Encoding {
		t.Errorf("alsoMatched (-want +got):\n%s\nencoding %q, want %q", d, jf.Encoding, f.Encoding)
	}
}
