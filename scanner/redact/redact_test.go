package redact

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
)

var (
	detOnce sync.Once
	det     *detectors.Detector
	detErr  error
)

func testRedactor(t testing.TB) *Redactor {
	t.Helper()
	detOnce.Do(func() {
		set, err := rules.Default()
		if err != nil {
			detErr = err
			return
		}
		det, detErr = detectors.Compile(set, detectors.DefaultOptions())
	})
	if detErr != nil {
		t.Fatal(detErr)
	}
	return &Redactor{Scanner: scanner.New(det, scanner.Options{})}
}

func fakeAWS(seed int64) string {
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	rng := rand.New(rand.NewSource(seed))
	b := []byte("AK" + "IA")
	for i := 0; i < 16; i++ {
		b = append(b, alpha[rng.Intn(len(alpha))])
	}
	return string(b)
}

func fakePEM(t testing.TB) string {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.New(rand.NewSource(1)))
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "EC " + "PRIVATE KEY", Bytes: der}))
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPlaceholder(t *testing.T) {
	// sha256("abc") starts ba7816bf.
	if got, want := Placeholder("rule-x", "abc"), "[REDACTED:rule-x:ba7816bf]"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestReplaceHook(t *testing.T) {
	r := testRedactor(t)
	key := fakeAWS(7)
	var seen []string
	r.Replace = func(rule, secret string) string {
		seen = append(seen, rule+"="+secret)
		return "<" + rule + ">"
	}
	got, n, err := r.JSON([]byte(`{"a":"id ` + key + `","b":"plain"}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"a":"id <aws-access-token>","b":"plain"}`; n != 1 || string(got) != want {
		t.Errorf("got %q (%d), want %q (1)", got, n, want)
	}
	if want := []string{"aws-access-token=" + key}; strings.Join(seen, ",") != strings.Join(want, ",") {
		t.Errorf("Replace saw %q, want %q", seen, want)
	}
}

func TestText(t *testing.T) {
	r := testRedactor(t)
	aws := fakeAWS(1)
	in := "id=" + aws + "\nnothing here\nagain " + aws + "\n"
	got, n := r.Text([]byte(in))
	ph := Placeholder("aws-access-token", aws)
	want := "id=" + ph + "\nnothing here\nagain " + ph + "\n"
	if string(got) != want || n != 2 {
		t.Errorf("got %q (%d), want %q (2)", got, n, want)
	}
	clean := []byte("nothing to see\n")
	if got, n := r.Text(clean); n != 0 || !bytes.Equal(got, clean) {
		t.Errorf("clean text changed: %q", got)
	}
}

// TestRoundTrip redacts JSONL with secrets at several JSON depths and a
// line that is not JSON, then checks that the output still parses line for
// line and scans clean, and that clean strings kept their bytes.
func TestRoundTrip(t *testing.T) {
	r := testRedactor(t)
	key, aws := fakePEM(t), fakeAWS(2)
	lines := []string{
		`{"keep":"caf\u00e9 \ud83d\ude00","n":1}`,
		mustJSON(t, map[string]any{"message": map[string]any{"content": []any{map[string]any{"type": "tool_result", "content": key}}}}),
		mustJSON(t, map[string]any{"tool_calls": []any{map[string]any{"function": map[string]any{"name": "f",
			"arguments": mustJSON(t, map[string]any{"key": key, "id": aws})}}}}),
		mustJSON(t, map[string]any{"a": mustJSON(t, map[string]any{"b": mustJSON(t, map[string]any{"c": "x " + aws})})}),
		`{"truncated":"` + aws,
	}
	in := strings.Join(lines, "\n") + "\n"
	var out bytes.Buffer
	n, err := r.JSONL(strings.NewReader(in), &out)
	if err != nil {
		t.Fatal(err)
	}
	if n != 5 {
		t.Errorf("replaced %d secrets, want 5", n)
	}
	got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(got) != len(lines) {
		t.Fatalf("got %d lines, want %d", len(got), len(lines))
	}
	if got[0] != lines[0] {
		t.Errorf("clean line changed: %q", got[0])
	}
	for i, l := range got[:4] {
		if !json.Valid([]byte(l)) {
			t.Errorf("line %d no longer parses: %s", i+1, l)
		}
	}
	if want := `{"truncated":"` + Placeholder("aws-access-token", aws); got[4] != want {
		t.Errorf("text line: got %q, want %q", got[4], want)
	}
	if ms := det.Detect(out.Bytes(), detectors.Target{}); len(ms) != 0 {
		t.Errorf("redacted output still has %d matches, first %s", len(ms), ms[0].Rule.ID)
	}
	// Inside the nested strings the placeholder names the rule.
	var l3 struct{ A string }
	if err := json.Unmarshal([]byte(got[3]), &l3); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(l3.A, "[REDACTED:aws-access-token:") {
		t.Errorf("nested string: %s", l3.A)
	}
}

func TestJSONRejectsInvalid(t *testing.T) {
	if _, _, err := testRedactor(t).JSON([]byte(`{"a":`)); err == nil {
		t.Error("no error for truncated JSON")
	}
}

func TestRewrite(t *testing.T) {
	r := testRedactor(t)
	aws := fakeAWS(3)
	dir := t.TempDir()
	path := filepath.Join(dir, "s.jsonl")
	orig := `{"m":"` + aws + `"}` + "\n"
	if err := os.WriteFile(path, []byte(orig), 0o640); err != nil {
		t.Fatal(err)
	}
	n, err := Rewrite(path, true, r.JSONL)
	if err != nil || n != 1 {
		t.Fatalf("Rewrite: %d, %v", n, err)
	}
	got, _ := os.ReadFile(path)
	if want := `{"m":"` + Placeholder("aws-access-token", aws) + `"}` + "\n"; string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", fi.Mode().Perm())
	}
	if bak, _ := os.ReadFile(path + ".bak"); string(bak) != orig {
		t.Errorf("backup %q, want the original", bak)
	}
	// Nothing left to redact: the file and its backup stay as they are.
	n, err = Rewrite(path, false, r.JSONL)
	if err != nil || n != 0 {
		t.Fatalf("second Rewrite: %d, %v", n, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("%d files left in the directory, want the file and its backup", len(entries))
	}
	// A failing redaction leaves the file untouched.
	_, err = Rewrite(path, false, func(io.Reader, io.Writer) (int, error) { return 0, io.ErrUnexpectedEOF })
	if err == nil {
		t.Error("no error from a failing redaction")
	}
}
