package redact

import (
	"bytes"
	"context"
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
	defer SetKey(currentKey())
	if err := SetKey([]byte("0123456789abcdef0123456789abcdef")); err != nil {
		t.Fatal(err)
	}
	a := Placeholder("rule-x", "abc")
	if !strings.HasPrefix(a, "[REDACTED:rule-x:") || len(a) != len("[REDACTED:rule-x:]")+8 {
		t.Errorf("placeholder %q, want [REDACTED:rule-x:<8 hex>]", a)
	}
	// Same key, same secret: same placeholder.
	if b := Placeholder("rule-x", "abc"); a != b {
		t.Errorf("same secret, two placeholders: %q %q", a, b)
	}
	// Unkeyed SHA-256 ("abc" starts ba7816bf) would let anyone test a guess.
	if strings.Contains(a, "ba7816bf") {
		t.Errorf("placeholder %q is the unkeyed SHA-256 prefix", a)
	}
	// Another key: another placeholder.
	SetKey([]byte("another key, sixteen bytes or more"))
	if c := Placeholder("rule-x", "abc"); c == a {
		t.Errorf("two keys gave the same placeholder %q", c)
	}
	if SetKey([]byte("short")) == nil {
		t.Error("a short key was accepted")
	}
}

func TestLoadKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	k1, err := LoadKey(dir)
	if err != nil || len(k1) != keySize {
		t.Fatalf("LoadKey: %d bytes, %v", len(k1), err)
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	k2, err := LoadKey(dir)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Errorf("second LoadKey gave another key (%v)", err)
	}
	// A key file others can read is made private.
	os.Chmod(filepath.Join(dir, KeyFile), 0o644)
	if _, err := LoadKey(dir); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(filepath.Join(dir, KeyFile)); fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v after load, want 0600", fi.Mode().Perm())
	}
	os.WriteFile(filepath.Join(dir, KeyFile), []byte("not hex\n"), 0o600)
	if _, err := LoadKey(dir); err == nil {
		t.Error("a malformed key file was accepted")
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

func TestRewriteFile(t *testing.T) {
	r := testRedactor(t)
	aws := fakeAWS(3)
	dir := t.TempDir()
	backups := filepath.Join(t.TempDir(), "state", "backups")
	path := filepath.Join(dir, "s.jsonl")
	orig := `{"m":"` + aws + `"}` + "\n"
	if err := os.WriteFile(path, []byte(orig), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := RewriteFile(path, RewriteOptions{BackupDir: backups}, r.JSONL)
	if err != nil || res.Count != 1 {
		t.Fatalf("RewriteFile: %+v, %v", res, err)
	}
	got, _ := os.ReadFile(path)
	if want := `{"m":"` + Placeholder("aws-access-token", aws) + `"}` + "\n"; string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644 kept", fi.Mode().Perm())
	}
	// The backup is outside the folder, private, and named.
	if filepath.Dir(res.Backup) != backups {
		t.Errorf("backup %q, want it in %s", res.Backup, backups)
	}
	if bak, _ := os.ReadFile(res.Backup); string(bak) != orig {
		t.Errorf("backup %q, want the original", bak)
	}
	if fi, err := os.Stat(res.Backup); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode: %v %v, want 0600", fi.Mode().Perm(), err)
	}
	// Nothing left next to the file: no FILE.bak, no temporary file.
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files in the folder, want only the log", len(entries))
	}
	// Nothing left to redact: the file stays as it is, no new backup.
	res, err = RewriteFile(path, RewriteOptions{BackupDir: backups}, r.JSONL)
	if err != nil || res.Count != 0 || res.Backup != "" {
		t.Fatalf("second RewriteFile: %+v, %v", res, err)
	}
	// A failing redaction leaves the file untouched and no temporary file.
	before, _ := os.ReadFile(path)
	_, err = RewriteFile(path, RewriteOptions{}, func(_ io.Reader, w io.Writer) (int, error) {
		w.Write([]byte("partial"))
		return 0, io.ErrUnexpectedEOF
	})
	after, _ := os.ReadFile(path)
	if err == nil || !bytes.Equal(before, after) {
		t.Errorf("failing redaction: err %v, file changed %v", err, !bytes.Equal(before, after))
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files in the folder after a failure, want 1", len(entries))
	}
}

// TestRewriteFileSymlink: a link is followed, its target is rewritten, and
// the link stays a link (it used to be replaced by a regular file, leaving
// the secret in the target).
func TestRewriteFileSymlink(t *testing.T) {
	r := testRedactor(t)
	aws := fakeAWS(4)
	dir := t.TempDir()
	target := filepath.Join(dir, "real", "s.jsonl")
	os.MkdirAll(filepath.Dir(target), 0o755)
	if err := os.WriteFile(target, []byte(`{"m":"`+aws+`"}`+"\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.jsonl")
	if err := os.Symlink(filepath.Join("real", "s.jsonl"), link); err != nil {
		t.Skip("no symlinks:", err)
	}
	res, err := RewriteFile(link, RewriteOptions{}, r.JSONL)
	if err != nil || res.Count != 1 {
		t.Fatalf("RewriteFile: %+v, %v", res, err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link is no longer a link: %v %v", fi.Mode(), err)
	}
	got, _ := os.ReadFile(target)
	if strings.Contains(string(got), aws) || !strings.Contains(string(got), "[REDACTED:") {
		t.Errorf("target not redacted: %q", got)
	}
	if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o640 {
		t.Errorf("target mode %v, want 0640", fi.Mode().Perm())
	}
}

// TestRewriteFileHardLink: a file with another hard link is rewritten in
// place, so that no name keeps the secret.
func TestRewriteFileHardLink(t *testing.T) {
	r := testRedactor(t)
	aws := fakeAWS(5)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")
	os.WriteFile(a, []byte(`{"m":"`+aws+`"}`+"\n"), 0o600)
	if err := os.Link(a, b); err != nil {
		t.Skip("no hard links:", err)
	}
	if _, err := RewriteFile(a, RewriteOptions{}, r.JSONL); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{a, b} {
		if got, _ := os.ReadFile(p); strings.Contains(string(got), aws) {
			t.Errorf("%s still holds the secret", filepath.Base(p))
		}
	}
}

// TestJSONMemberNamedSecret: JSON redaction removes what a scan of the raw
// document reports, also a value only its member name marks as a secret,
// and leaves the member name and the rest of the document alone.
func TestJSONMemberNamedSecret(t *testing.T) {
	r := testRedactor(t)
	pw := "Qx7kLm2Rv9Tz" + "4Wb8Np3"
	doc := []byte(`{"host":"db","password":"` + pw + `","port":5432}`)
	fs, err := r.Scanner.Findings(context.Background(), scanner.Fragment{Data: doc})
	if err != nil || len(fs) != 1 {
		t.Fatalf("scan of the raw document: %d findings, %v; want 1", len(fs), err)
	}
	out, n, err := r.JSON(doc)
	if err != nil || n != 1 {
		t.Fatalf("JSON: %d replaced, %v; want 1", n, err)
	}
	if strings.Contains(string(out), pw) || !strings.Contains(string(out), `"password":"[REDACTED:`) || !strings.Contains(string(out), `"host":"db"`) {
		t.Errorf("JSON output %s", out)
	}
}
