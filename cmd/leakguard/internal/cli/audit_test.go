package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestAgentDecisionsAreAudited runs agent-hook on events that are blocked,
// asked and redacted, then reads them back with `leakguard audit`.
func TestAgentDecisionsAreAudited(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	dir := t.TempDir()
	for _, args := range [][]string{{"init", "-q"}, {"config", "user.email", "sponsor@example.com"}} {
		if out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v %s", args, err, out)
		}
	}
	t.Setenv("GIT_COMMITTER_EMAIL", "")
	aws := agentFakeAWS(41)
	if err := os.WriteFile(filepath.Join(dir, ".env"), []byte("X=1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	events := []string{
		jsonLine(t, map[string]any{"session_id": "sess-1", "cwd": dir, "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": map[string]any{"command": "echo " + aws}}),
		jsonLine(t, map[string]any{"session_id": "sess-1", "cwd": dir, "hook_event_name": "PreToolUse", "tool_name": "Read", "tool_input": map[string]any{"file_path": filepath.Join(dir, ".env")}}),
		jsonLine(t, map[string]any{"session_id": "sess-2", "cwd": dir, "hook_event_name": "PostToolUse", "tool_name": "Bash", "tool_input": map[string]any{"command": "env"},
			"tool_response": map[string]any{"stdout": "K=" + aws, "stderr": "", "interrupted": false, "isImage": false}}),
		jsonLine(t, map[string]any{"session_id": "sess-3", "cwd": dir, "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": map[string]any{"command": "ls"}}),
	}
	for _, ev := range events {
		if code, out, errOut := runCLI(t, ev, nil, "agent-hook", "claude-code"); code != 0 {
			t.Fatalf("agent-hook: exit %d %s %s", code, out, errOut)
		}
	}
	log, err := os.ReadFile(filepath.Join(state, "leakguard", "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(log), aws) || strings.Contains(string(log), aws[4:]) {
		t.Fatal("the audit log holds the secret")
	}
	lines := strings.Split(strings.TrimSpace(string(log)), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d audit lines, want 3 (the clean call is not recorded):\n%s", len(lines), log)
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]any{"hook": "agent-hook", "decision": "blocked", "agent": true, "agentName": "claude-code",
		"session": "sess-1", "event": "PreToolUse", "tool": "Bash", "cwd": dir, "sponsorEmail": "sponsor@example.com"} {
		if first[k] != want {
			t.Errorf("%s = %v, want %v (%s)", k, first[k], want, lines[0])
		}
	}
	if first["ruleIds"] == nil || first["fingerprints"] == nil || first["user"] == nil {
		t.Errorf("no rule ids, fingerprints or user: %s", lines[0])
	}
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"audit"}, []string{"blocked", "asked", "redacted"}},
		{[]string{"audit", "--decision", "asked"}, []string{"asked"}},
		{[]string{"audit", "--session", "sess-2"}, []string{"redacted"}},
		{[]string{"audit", "--agent", "codex"}, nil},
		{[]string{"audit", "--since", "1h", "--hook", "agent-hook"}, []string{"blocked", "asked", "redacted"}},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(t, "", nil, tt.args...)
		if code != 0 {
			t.Errorf("%v: exit %d %s", tt.args, code, errOut)
		}
		got := strings.Split(strings.TrimSpace(out), "\n")
		if out == "" {
			got = nil
		}
		if len(got) != len(tt.want) {
			t.Errorf("%v: %d lines, want %d:\n%s", tt.args, len(got), len(tt.want), out)
			continue
		}
		for i, w := range tt.want {
			if !strings.Contains(got[i], "  "+w+" ") {
				t.Errorf("%v line %d: %q, want decision %s", tt.args, i, got[i], w)
			}
		}
	}
	if code, out, _ := runCLI(t, "", nil, "audit", "--json", "--decision", "redacted"); code != 0 || !json.Valid([]byte(strings.TrimSpace(out))) {
		t.Errorf("--json: %d %s", code, out)
	}
	if code, _, _ := runCLI(t, "", nil, "audit", "--since", "yesterday"); code != ExitError {
		t.Errorf("bad --since: exit %d, want 2", code)
	}
}

// TestAgentHookStdinNeverCloses: a hook whose stdin stays open answers
// "block" within the timeout instead of waiting for the agent's own.
func TestAgentHookStdinNeverCloses(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	defer r.Close()
	w.Write([]byte(`{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"ls"}`))
	var out, errb strings.Builder
	env := &Env{In: r, Out: &out, Err: &errb, Getenv: func(string) string { return "" }, Version: "test"}
	code := Run(t.Context(), env, []string{"agent-hook", "claude-code", "--stdin-timeout", "200ms"})
	if code != 2 || !strings.Contains(out.String(), `"decision":"block"`) || !strings.Contains(errb.String(), "not closed within 200ms") {
		t.Errorf("exit %d, stdout %s, stderr %s", code, out.String(), errb.String())
	}
}

// TestAgentHookUnwritableAuditBlocks: a decision that lets a call through
// with findings must be recorded; when the audit log cannot be written,
// the agent's call is blocked instead (issue 16: it used to only warn).
func TestAgentHookUnwritableAuditBlocks(t *testing.T) {
	state := t.TempDir()
	if err := os.WriteFile(filepath.Join(state, "leakguard"), []byte("a file, not a directory"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_STATE_HOME", state)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".env"), []byte("X=1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ev := jsonLine(t, map[string]any{"cwd": dir, "hook_event_name": "PreToolUse", "tool_name": "Read", "tool_input": map[string]any{"file_path": filepath.Join(dir, ".env")}})
	code, out, errOut := runCLI(t, ev, nil, "agent-hook", "claude-code", "--read-policy", "allow")
	if code != 2 || !strings.Contains(out, `"decision":"block"`) || !strings.Contains(errOut, "audit") {
		t.Errorf("exit %d, stdout %s, stderr %s: want a block naming the audit log", code, out, errOut)
	}
	// Nothing found: nothing to record, the call goes ahead.
	clean := jsonLine(t, map[string]any{"cwd": dir, "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": map[string]any{"command": "ls"}})
	if code, out, _ := runCLI(t, clean, nil, "agent-hook", "claude-code"); code != 0 || strings.TrimSpace(out) != "{}" {
		t.Errorf("clean call: exit %d %s", code, out)
	}
}
