package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	fakes "github.com/leakguard/leakguard/internal/fake"
	"github.com/leakguard/leakguard/scanner"
)

// reportSeeds are JSON reports as leakguard writes them (masked and with
// --show-secrets, findings in files, history, transcripts, a partial
// report) and a gitleaks report, with fake secrets built here.
func reportSeeds(t testing.TB) [][]byte {
	key, pat := fakes.AWSKeyID(21), fakes.GitHubPAT(22)
	fs := []scanner.Finding{
		{RuleID: "aws-access-token", Description: "AWS", Tags: []string{"aws"}, Kind: scanner.KindFile, Path: "config/app.env",
			StartLine: 3, EndLine: 3, StartColumn: 14, EndColumn: 33, Match: "K=" + key, Secret: key, Entropy: 3.6843,
			Fingerprint: "config/app.env:aws-access-token:3", Provider: "AWS", Severity: "high", Revoke: "https://example.invalid/rotate"},
		{RuleID: "github-pat", Kind: scanner.KindBlob, Path: "a/b.go", StartLine: 10, EndLine: 10, StartColumn: 1, EndColumn: 40,
			Match: pat, Secret: pat, Fingerprint: "0123456789abcdef0123456789abcdef01234567:a/b.go:github-pat:10", AlsoMatched: []string{"generic-api-key"},
			Encoding: "base64", Validation: "valid", Agent: "claude-code (trailer:Co-Authored-By)",
			Commit: &scanner.CommitInfo{SHA: "0123456789abcdef0123456789abcdef01234567", Author: "A", Email: "a@example.invalid", Date: "2024-05-01T10:00:00Z", Message: "add " + pat}},
		{RuleID: "aws-access-token", Kind: scanner.KindTranscript, Path: "s.jsonl", StartLine: 1, EndLine: 1, JSONLine: 14,
			JSONPath: "/message/content/0/text", Role: "assistant", Tool: "Bash", Session: "abc", Secret: key, Repository: "https://example.invalid/r.git"},
	}
	var out [][]byte
	for _, show := range []bool{false, true} {
		for _, sum := range []scanner.Summary{{Fragments: 12, Bytes: 40960, Files: 3}, {Commits: 4, Objects: 9, Partial: "interrupted by SIGINT", Notices: []string{"n"}}} {
			var b bytes.Buffer
			if err := (&JSON{w: &b, opts: Options{ShowSecrets: show}}).Write(fs, sum); err != nil {
				t.Fatal(err)
			}
			out = append(out, b.Bytes())
		}
	}
	var b bytes.Buffer
	if err := (&GitleaksJSON{w: &b, opts: Options{ShowSecrets: true}}).Write(fs, scanner.Summary{}); err != nil {
		t.Fatal(err)
	}
	out = append(out, b.Bytes(), []byte(`{"version":2,"findings":[]}`), []byte(`{"version":1}`))
	return out
}

// FuzzReadJSON reads reports. On any input: no panic; what ReadJSON
// accepts, encoding/json accepts; what it reads it writes back (with the
// secrets as they were read) and reads again unchanged; and the report
// written, used as a baseline, contains every finding read.
func FuzzReadJSON(f *testing.F) {
	for _, s := range reportSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		fs, sum, _, err := ReadJSON(bytes.NewReader(in))
		if err != nil {
			return
		}
		var v any
		if err := json.NewDecoder(bytes.NewReader(in)).Decode(&v); err != nil {
			t.Fatalf("ReadJSON accepts what encoding/json rejects: %v", err)
		}
		var b bytes.Buffer
		if err := (&JSON{w: &b, opts: Options{ShowSecrets: true}}).Write(fs, sum); err != nil {
			t.Fatalf("write back: %v", err)
		}
		fs2, sum2, redacted2, err := ReadJSON(bytes.NewReader(b.Bytes()))
		if err != nil {
			t.Fatalf("read back: %v\n%s", err, b.Bytes())
		}
		if redacted2 {
			t.Fatal("written with the secrets read, read back as redacted")
		}
		opt := cmpopts.EquateEmpty()
		if d := cmp.Diff(fs, fs2, opt); d != "" {
			t.Fatalf("findings change in a round trip (-read +read back):\n%s", d)
		}
		if d := cmp.Diff(sum, sum2, opt); d != "" {
			t.Fatalf("summary changes in a round trip (-read +read back):\n%s", d)
		}
		base, err := scanner.ParseBaseline(b.Bytes())
		if err != nil {
			t.Fatalf("the report written is not a baseline: %v", err)
		}
		for _, f := range fs {
			if f.RuleID != "" && !base.Contains(f) {
				t.Fatalf("baseline of the report does not contain its finding %s at %s:%d", f.RuleID, f.Path, f.StartLine)
			}
		}
	})
}
