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
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"agent-hook"}, "accepts 1 arg"},
		{[]string{"agent-hook", "no-such-agent"}, "unknown agent"},
		{[]string{"agent-hook", "claude-code", "--read-policy", "maybe"}, "--read-policy"},
		{[]string{"agent-hook", "claude-code", "--on-error", "ignore"}, "--on-error"},
		{[]string{"agent-hook", "install", "claude-code", "--scope", "global"}, "--scope"},
		{[]string{"agent-hook", "install", "claude-code", "--command", "true"}, "--command must run"},
	} {
		code, out, errOut := runCLI(t, "{}", nil, tt.args...)
		if code != ExitError || !strings.Contains(errOut, tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tt.args, code, errOut, tt.want)
		}
		if out != "" {
			t.Errorf("%q: a usage error answered on stdout: %q", tt.args, out)
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
	if b, _ := os.ReadFile(settings); string(b) != `{"theme":"dark"}` {
		t.Errorf("settings after uninstall: %s, want them as they were", b)
	}
}
