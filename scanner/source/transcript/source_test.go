package transcript

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
)

var (
	detOnce sync.Once
	det     *detectors.Detector
	detErr  error
)

func testScanner(t testing.TB) *scanner.Scanner {
	t.Helper()
	detOnce.Do(func() {
		set, err := rules.Default()
		if err != nil {
			detErr = err
			return
		}
		det, detErr = detectors.Compile(set, detectors.Options{})
	})
	if detErr != nil {
		t.Fatal(detErr)
	}
	return scanner.New(det, scanner.Options{Workers: 2})
}

// fakePEM generates a throwaway EC private key, PEM-encoded, at test time.
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

// fakeAWS builds a fake AWS access key id from seed.
func fakeAWS(seed int64) string {
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	rng := rand.New(rand.NewSource(seed))
	b := []byte("AK" + "IA")
	for i := 0; i < 16; i++ {
		b = append(b, alpha[rng.Intn(len(alpha))])
	}
	return string(b)
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type hit struct {
	Line             int
	Rule, Path, Role string
	Tool, Session    string
}

func scanTranscript(t *testing.T, src *Source) ([]hit, []string) {
	t.Helper()
	var notes []string
	src.Note = func(path string, line int, msg string) { notes = append(notes, msg) }
	src.Error = func(path string, err error) { t.Errorf("read %s: %v", path, err) }
	fs, _, err := testScanner(t).Scan(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	var hits []hit
	for _, f := range fs {
		if f.JSONLine != 0 && f.StartLine != f.JSONLine {
			t.Errorf("%s at %s: StartLine %d, want the JSONL line %d", f.RuleID, f.JSONPath, f.StartLine, f.JSONLine)
		}
		hits = append(hits, hit{f.StartLine, f.RuleID, f.JSONPath, f.Role, f.Tool, f.Session})
	}
	return hits, notes
}

// TestTranscriptFindsEscapedSecrets writes a session log with a private
// key escaped once (a tool input and a tool result), twice (tool-call
// arguments: JSON in a JSON string) and an AWS key three JSON levels down,
// and ends with a truncated line, as a live session's log does.
func TestTranscriptFindsEscapedSecrets(t *testing.T) {
	key, aws, aws2 := fakePEM(t), fakeAWS(1), fakeAWS(2)
	lines := []string{
		mustJSON(t, map[string]any{"sessionId": "sess-1", "type": "assistant", "message": map[string]any{
			"role": "assistant", "content": []any{map[string]any{"type": "tool_use", "id": "toolu_1", "name": "Bash",
				"input": map[string]any{"command": "cat > id.pem <<EOF\n" + key + "EOF"}}}}}),
		mustJSON(t, map[string]any{"sessionId": "sess-1", "type": "user", "message": map[string]any{
			"role": "user", "content": []any{map[string]any{"type": "tool_result", "tool_use_id": "toolu_1", "content": key}}}}),
		mustJSON(t, map[string]any{"role": "assistant", "tool_calls": []any{map[string]any{"id": "call_1", "type": "function",
			"function": map[string]any{"name": "deploy", "arguments": mustJSON(t, map[string]any{"config": map[string]any{"key": key}})}}}}),
		mustJSON(t, map[string]any{"blob": mustJSON(t, map[string]any{"payload": mustJSON(t, map[string]any{"aws": aws})})}),
		`{"type":"user","message":{"content":"export ID=` + aws2,
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "session.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	got, notes := scanTranscript(t, &Source{Paths: []string{dir}})
	name := filepath.ToSlash(path)
	_ = name
	want := []hit{
		{1, "private-key", "/message/content/0/input/command", "assistant", "Bash", "sess-1"},
		{2, "private-key", "/message/content/0/content", "tool", "Bash", "sess-1"},
		{3, "private-key", "/tool_calls/0/function/arguments#/config/key", "assistant", "deploy", "sess-1"},
		{4, "aws-access-token", "/blob#/payload#/aws", "", "", "sess-1"},
		{5, "aws-access-token", "", "", "", "sess-1"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("findings (-want +got)\n%s", d)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "not JSON") {
		t.Errorf("notes = %q, want one about line 5", notes)
	}
}

func TestTranscriptJSONExport(t *testing.T) {
	aws := fakeAWS(3)
	doc := "{\n  \"id\": \"conv-7\",\n  \"messages\": [\n    {\"role\": \"user\", \"content\": \"hello\"},\n" +
		"    {\"role\": \"assistant\", \"content\": \"use " + aws + "\"}\n  ]\n}\n"
	path := filepath.Join(t.TempDir(), "export.json")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	got, notes := scanTranscript(t, &Source{Paths: []string{path}})
	want := []hit{{5, "aws-access-token", "/messages/1/content", "assistant", "", ""}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	if len(notes) != 0 {
		t.Errorf("notes: %q", notes)
	}
}

func TestTranscriptStdinAndInvalidUTF8(t *testing.T) {
	aws := fakeAWS(4)
	in := "{\"m\":\"\xff\xfe bad bytes then " + aws + "\"}\n\n"
	got, _ := scanTranscript(t, &Source{Paths: []string{"-"}, In: strings.NewReader(in)})
	want := []hit{{1, "aws-access-token", "/m", "", "", ""}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

func TestAgentLogDirs(t *testing.T) {
	home := t.TempDir()
	for _, d := range []string{".claude/projects/p1", ".codex/sessions/2026/01/02", ".cursor/projects/x/agent-transcripts/a", ".gemini/tmp/abc/chats"} {
		if err := os.MkdirAll(filepath.Join(home, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, l := range AgentLogDirs(home, func(string) string { return "" }) {
		rel, _ := filepath.Rel(home, l.Dir)
		got = append(got, l.Agent+" "+filepath.ToSlash(rel))
	}
	want := []string{
		"claude-code .claude/projects",
		"codex .codex/sessions",
		"cursor .cursor/projects/x/agent-transcripts",
		"gemini-cli .gemini/tmp/abc",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

func TestTranscriptBrokenJSONExport(t *testing.T) {
	aws := fakeAWS(5)
	dir := t.TempDir()
	cut := filepath.Join(dir, "cut.json")
	if err := os.WriteFile(cut, []byte("{\n  \"messages\": [\n    {\"role\": \"user\", \"content\": \"key "+aws+"\"},\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	jsonl := filepath.Join(dir, "lines.json")
	if err := os.WriteFile(jsonl, []byte(`{"a":"x"}`+"\n"+`{"b":"`+aws+`"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, notes := scanTranscript(t, &Source{Paths: []string{cut}})
	if d := cmp.Diff([]hit{{3, "aws-access-token", "", "", "", ""}}, got); d != "" {
		t.Errorf("cut export (-want +got)\n%s", d)
	}
	if len(notes) != 1 {
		t.Errorf("notes %q, want one", notes)
	}
	got, notes = scanTranscript(t, &Source{Paths: []string{jsonl}})
	if d := cmp.Diff([]hit{{2, "aws-access-token", "/b", "", "", ""}}, got); d != "" || len(notes) != 0 {
		t.Errorf("JSONL named .json (-want +got)\n%s\nnotes %q", d, notes)
	}
}
