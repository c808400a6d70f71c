package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAgentHookCommand(t *testing.T) {
	aws := agentFakeAWS(21)
	prompt := jsonLine(t, map[string]any{"session_id": "s", "hook_event_name": "UserPromptSubmit", "prompt": "key " + aws})
	tests := []struct {
		name   string
		in     string
		args   []string
		code   int
		stdout string
	}{
		{"secret prompt", prompt, []string{"agent-hook", "claude-code"}, 0,
			`{"decision":"block","reason":"leakguard: 1 secret(s) in the prompt: aws-access-token ` + aws[:4] + `***** at /prompt. The prompt was not sent. Remove the secret, or pass it through an environment variable or a secrets manager instead of the conversation."}`},
		{"clean prompt", `{"hook_event_name":"UserPromptSubmit","prompt":"hello","new_field":[1]}`, []string{"agent-hook", "claude-code"}, 0, `{}`},
		{"empty stdin blocks", "", []string{"agent-hook", "claude-code"}, 2,
			`{"decision":"block","reason":"leakguard agent-hook: agent: empty hook input (expected the event JSON on stdin) (blocked: --on-error block)"}`},
		{"garbage allowed", "not json", []string{"agent-hook", "codex", "--on-error", "allow"}, 0, `{}`},
		{"cursor shell clean", `{"hook_event_name":"beforeShellExecution","command":"ls","cwd":"/"}`, []string{"agent-hook", "cursor"}, 0, `{"permission":"allow"}`},
		{"bad config still answers", prompt, []string{"agent-hook", "cursor", "--config", "/nonexistent/leakguard.toml"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.in, nil, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr %s", code, tt.code, errOut)
			}
			out = strings.TrimSpace(out)
			if !json.Valid([]byte(out)) {
				t.Fatalf("stdout is not JSON: %q", out)
			}
			if tt.stdout != "" && out != tt.stdout {
				t.Errorf("stdout\n got %s\nwant %s", out, tt.stdout)
			}
			if tt.stdout == "" && !strings.Contains(out, `"permission":"deny"`) {
				t.Errorf("not blocked: %s", out)
			}
		})
	}
}

func TestAgentHookUsage(t *testing.T) {
	for _, args := range [][]string{
		{"agent-hook"},
		{"agent-hook", "gemini"},
		{"agent-hook", "claude-code", "--read-policy", "maybe"},
		{"agent-hook", "claude-code", "--on-error", "ignore"},
		{"agent-hook", "install", "claude-code", "--scope", "global"},
		{"agent-hook", "install", "claude-code", "--command", "true"},
	} {
		if code, _, _ := runCLI(t, "{}", nil, args...); code != ExitError {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}

func TestAgentHookInstallCommand(t *testing.T) {
	home := t.TempDir()
	vars := map[string]string{"HOME": home}
	settings := filepath.Join(home, ".claude", "settings.json")
	if err := os.MkdirAll(filepath.Dir(settings), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(settings, []byte(`{"theme":"dark"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"agent-hook", "install", "claude-code", "--scope", "user"}, "installed in"},
		{[]string{"agent-hook", "install", "claude-code", "--scope", "user"}, "already installed in"},
		{[]string{"agent-hook", "uninstall", "claude-code", "--scope", "user"}, "removed from"},
		{[]string{"agent-hook", "uninstall", "claude-code", "--scope", "user"}, "not installed in"},
	}
	for _, s := range steps {
		code, out, errOut := runCLI(t, "", vars, s.args...)
		if code != ExitClean || !strings.Contains(out, s.want+" "+settings) {
			t.Errorf("%q: exit %d, out %q, err %q; want %q", s.args, code, out, errOut, s.want)
		}
	}
	if b, _ := os.ReadFile(settings); strings.TrimSpace(string(b)) != "{\n  \"theme\": \"dark\"\n}" {
		t.Errorf("settings after uninstall: %s", b)
	}
}
