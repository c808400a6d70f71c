package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// agentFakeAWS builds a fake AWS access key id at test time.
func agentFakeAWS(seed int64) string {
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	rng := rand.New(rand.NewSource(seed))
	b := []byte("AK" + "IA")
	for i := 0; i < 16; i++ {
		b = append(b, alpha[rng.Intn(len(alpha))])
	}
	return string(b)
}

func jsonLine(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// runCLI runs one command line with stdin in and an environment of vars.
func runCLI(t *testing.T, in string, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	state := t.TempDir()
	getenv := func(k string) string {
		if v, ok := vars[k]; ok || k != "XDG_STATE_HOME" {
			return v
		}
		return state // never the user's own state directory
	}
	env := &Env{In: strings.NewReader(in), Out: &out, Err: &errb, Getenv: getenv, Version: "test"}
	code = Run(context.Background(), env, args)
	return code, out.String(), errb.String()
}

// writeSession writes a Claude-Code-shaped session log holding aws in a
// tool call and, escaped twice, in tool-call arguments, and a truncated
// last line.
func writeSession(t *testing.T, dir, aws string) string {
	t.Helper()
	lines := []string{
		jsonLine(t, map[string]any{"sessionId": "s-1", "type": "assistant", "message": map[string]any{"role": "assistant",
			"content": []any{map[string]any{"type": "tool_use", "id": "toolu_1", "name": "Bash", "input": map[string]any{"command": "export K=" + aws}}}}}),
		jsonLine(t, map[string]any{"role": "assistant", "tool_calls": []any{map[string]any{"id": "c1", "type": "function",
			"function": map[string]any{"name": "login", "arguments": jsonLine(t, map[string]any{"password": aws})}}}}),
		`{"type":"user","message":{"content":"` + aws,
	}
	path := filepath.Join(dir, "session.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

type reportFinding struct {
	RuleID   string `json:"ruleId"`
	Path     string `json:"path"`
	Line     int    `json:"startLine"`
	JSONLine int    `json:"jsonLine"`
	JSONPath string `json:"jsonPath"`
	Tool     string `json:"tool"`
	Session  string `json:"session"`
}

func TestTranscriptCommand(t *testing.T) {
	aws := agentFakeAWS(11)
	dir := t.TempDir()
	path := writeSession(t, dir, aws)
	code, out, errOut := runCLI(t, "", nil, "transcript", "--no-progress", "-f", "json", path)
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1; stderr %s", code, errOut)
	}
	var rep struct{ Findings []reportFinding }
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	p := filepath.ToSlash(path)
	want := []reportFinding{
		{"aws-access-token", p, 1, 1, "/message/content/0/input/command", "Bash", "s-1"},
		{"aws-access-token", p, 2, 2, "/tool_calls/0/function/arguments#/password", "login", "s-1"},
		{"aws-access-token", p, 3, 3, "", "", "s-1"},
	}
	if d := cmp.Diff(want, rep.Findings); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	if !strings.Contains(errOut, ":3: not JSON") {
		t.Errorf("no note about the truncated line: %s", errOut)
	}
	if strings.Contains(out+errOut, aws) {
		t.Error("secret printed in full")
	}
}

func TestTranscriptRedactInPlace(t *testing.T) {
	aws := agentFakeAWS(12)
	dir := t.TempDir()
	path := writeSession(t, dir, aws)
	code, _, errOut := runCLI(t, "", nil, "transcript", "--no-progress", "--in-place", path)
	if code != ExitFindings {
		t.Fatalf("exit %d; stderr %s", code, errOut)
	}
	if !strings.Contains(errOut, "redacted 3 secret(s)") {
		t.Errorf("stderr: %s", errOut)
	}
	// No copy of the secrets is left beside the log (there used to be a
	// FILE.bak holding all of them).
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files beside the log, want none", len(entries)-1)
	}
	got, _ := os.ReadFile(path)
	if strings.Contains(string(got), aws) {
		t.Error("the log still holds the secret")
	}
	lines := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
	for i, l := range lines[:2] {
		if !json.Valid([]byte(l)) {
			t.Errorf("line %d no longer JSON: %s", i+1, l)
		}
	}
	// Scrubbed: a second scan is clean.
	if code, out, errOut := runCLI(t, "", nil, "transcript", "--no-progress", path); code != ExitClean {
		t.Errorf("after --in-place: exit %d\n%s%s", code, out, errOut)
	}
}

func TestTranscriptBackupOutsideFolder(t *testing.T) {
	aws := agentFakeAWS(14)
	dir, state := t.TempDir(), t.TempDir()
	path := writeSession(t, dir, aws)
	orig, _ := os.ReadFile(path)
	code, _, errOut := runCLI(t, "", map[string]string{"XDG_STATE_HOME": state}, "transcript", "--no-progress", "--in-place", "--backup", path)
	if code != ExitFindings {
		t.Fatalf("exit %d; stderr %s", code, errOut)
	}
	baks, _ := filepath.Glob(filepath.Join(state, "leakguard", "backups", "*"))
	if len(baks) != 1 {
		t.Fatalf("backups: %q, want one in the state directory", baks)
	}
	if b, _ := os.ReadFile(baks[0]); !bytes.Equal(b, orig) {
		t.Error("the backup is not the original")
	}
	if fi, _ := os.Stat(baks[0]); fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", fi.Mode().Perm())
	}
	if !strings.Contains(errOut, baks[0]) {
		t.Errorf("stderr does not name the backup %s:\n%s", baks[0], errOut)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files beside the log, want none", len(entries)-1)
	}
}

// TestTranscriptRedactOnlyMasks: --redact means what it means everywhere
// (mask the report); it used to rewrite the logs.
func TestTranscriptRedactOnlyMasks(t *testing.T) {
	aws := agentFakeAWS(15)
	path := writeSession(t, t.TempDir(), aws)
	orig, _ := os.ReadFile(path)
	code, out, errOut := runCLI(t, "", nil, "transcript", "--no-progress", "--redact", "-f", "json", path)
	if code != ExitFindings {
		t.Fatalf("exit %d; %s", code, errOut)
	}
	if now, _ := os.ReadFile(path); !bytes.Equal(now, orig) {
		t.Error("--redact rewrote the log")
	}
	if strings.Contains(out, aws) || !strings.Contains(out, `"REDACTED"`) {
		t.Errorf("report not masked with REDACTED:\n%s", out)
	}
}

// TestTranscriptSeesOldBackups: FILE.jsonl.bak left by older versions is
// scanned and named, so that --agent-logs no longer reads clean while
// copies of the secrets sit beside the logs.
func TestTranscriptSeesOldBackups(t *testing.T) {
	aws := agentFakeAWS(16)
	home := t.TempDir()
	proj := filepath.Join(home, ".claude", "projects", "-work-app")
	os.MkdirAll(proj, 0o755)
	path := writeSession(t, proj, aws)
	if err := os.Rename(path, path+".bak"); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "", map[string]string{"HOME": home}, "transcript", "--no-progress", "--agent-logs")
	if code != ExitFindings || !strings.Contains(errOut, "session.jsonl.bak is a backup") {
		t.Errorf("exit %d, want 1 and the backup named; stderr:\n%s", code, errOut)
	}
}

func TestTranscriptAgentLogs(t *testing.T) {
	aws := agentFakeAWS(13)
	home := t.TempDir()
	proj := filepath.Join(home, ".claude", "projects", "-work-app")
	if err := os.MkdirAll(proj, 0o755); err != nil {
		t.Fatal(err)
	}
	writeSession(t, proj, aws)
	vars := map[string]string{"HOME": home}
	code, out, errOut := runCLI(t, "", vars, "transcript", "--no-progress", "--agent-logs", "-l", "debug", "-f", "json")
	if code != ExitFindings || !strings.Contains(errOut, "claude-code session logs") {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if n := strings.Count(out, `"ruleId"`); n != 3 {
		t.Errorf("%d findings, want 3", n)
	}
	empty := t.TempDir()
	code, _, errOut = runCLI(t, "", map[string]string{"HOME": empty}, "transcript", "--agent-logs")
	if code != ExitClean || !strings.Contains(errOut, "no agent session logs") {
		t.Errorf("no logs: exit %d, %s", code, errOut)
	}
}

func TestTranscriptUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"transcript"}, "give a transcript PATH"},
		{[]string{"transcript", "--in-place", "-"}, "to redact stdin use 'leakguard redact -'"},
		{[]string{"transcript", "-", "x.jsonl"}, "cannot be mixed with paths"},
	} {
		if code, _, errOut := runCLI(t, "", nil, tt.args...); code != ExitError || !strings.Contains(errOut, tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tt.args, code, errOut, tt.want)
		}
	}
}

func TestTranscriptFlags(t *testing.T) {
	var got *TranscriptOptions
	cmd := newTranscriptCmd(&Env{}, func(_ context.Context, o *TranscriptOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--agent-logs", "--in-place", "--backup", "--redact=40", "--max-embedded", "3", "a.jsonl"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if !got.AgentLogs || !got.InPlace || !got.Backup || got.Redact != 40 || got.MaxEmbedded != 3 || len(got.Paths) != 1 {
		t.Errorf("options: %+v", got)
	}
}

// TestTranscriptColumnsInJSONLLine: a finding's column is where the secret
// is written in the JSONL line (after \n, \", \u00e9, surrogate-pair
// escapes, and inside JSON held in a string), so that an editor lands on
// it; it used to be the column inside the decoded string.
func TestTranscriptColumnsInJSONLLine(t *testing.T) {
	aws := agentFakeAWS(17)
	lines := []string{
		jsonLine(t, map[string]any{"type": "user", "message": map[string]any{"content": "é \"quoted\"\n\t🔑 line two: key " + aws + " end"}}),
		jsonLine(t, map[string]any{"role": "assistant", "tool_calls": []any{map[string]any{"id": "c1", "type": "function",
			"function": map[string]any{"name": "login", "arguments": jsonLine(t, map[string]any{"note": "a\nb", "password": aws})}}}}),
		`{"plain":"` + aws + `"}`,
		`{"m":"\u00e9\ud83d\udd11 <\u003c> \"x\"\\n key ` + aws + `"}`,
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "s.jsonl")
	os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600)
	code, out, errOut := runCLI(t, "", nil, "transcript", "--no-progress", "-f", "json", path)
	if code != ExitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Findings []struct {
			StartLine, StartColumn, EndColumn int
			JSONLine                          int
			JSONPath                          string
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != len(lines) {
		t.Fatalf("%d findings, want %d:\n%s", len(rep.Findings), len(lines), out)
	}
	for _, f := range rep.Findings {
		if f.StartLine != f.JSONLine {
			t.Errorf("%s: line %d, want the JSONL line %d", f.JSONPath, f.StartLine, f.JSONLine)
		}
		line := lines[f.JSONLine-1]
		if f.StartColumn < 1 || f.EndColumn > len(line) || line[f.StartColumn-1:f.EndColumn] != aws {
			t.Errorf("%s: columns %d-%d of line %d do not hold the secret", f.JSONPath, f.StartColumn, f.EndColumn, f.JSONLine)
		}
	}
}
