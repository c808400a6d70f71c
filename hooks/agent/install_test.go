package agent

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func readJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

func TestInstallClaudeKeepsOtherSettings(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".claude", "settings.json")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	orig := `{
  "permissions": {"allow": ["Bash(npm test)"]},
  "model": "opus",
  "futureKey": {"n": 1.50},
  "hooks": {
    "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "./lint.sh", "timeout": 5}]}],
    "Stop": [{"hooks": [{"type": "command", "command": "say done"}]}]
  }
}`
	if err := os.WriteFile(path, []byte(orig), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := "leakguard agent-hook claude-code"
	changed, err := Install(path, ClaudeCode, cmd)
	if err != nil || !changed {
		t.Fatalf("Install: %v, %v", changed, err)
	}
	want := map[string]any{
		"permissions": map[string]any{"allow": []any{"Bash(npm test)"}},
		"model":       "opus",
		"futureKey":   map[string]any{"n": 1.5},
		"hooks": map[string]any{
			"PreToolUse": []any{
				map[string]any{"matcher": "Bash", "hooks": []any{map[string]any{"type": "command", "command": "./lint.sh", "timeout": 5.0}}},
				map[string]any{"matcher": "*", "hooks": []any{map[string]any{"type": "command", "command": cmd}}},
			},
			"PostToolUse":      []any{map[string]any{"matcher": "*", "hooks": []any{map[string]any{"type": "command", "command": cmd}}}},
			"UserPromptSubmit": []any{map[string]any{"hooks": []any{map[string]any{"type": "command", "command": cmd}}}},
			"Stop":             []any{map[string]any{"hooks": []any{map[string]any{"type": "command", "command": "say done"}}}},
		},
	}
	if d := cmp.Diff(want, readJSON(t, path)); d != "" {
		t.Errorf("after install (-want +got)\n%s", d)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600 kept", fi.Mode().Perm())
	}
	// Idempotent.
	if changed, err := Install(path, ClaudeCode, cmd); err != nil || changed {
		t.Errorf("second Install: changed %v, %v", changed, err)
	}
	// A new binary path updates our entries in place.
	if changed, err := Install(path, ClaudeCode, "/opt/bin/leakguard agent-hook claude-code"); err != nil || !changed {
		t.Errorf("Install with a new command: changed %v, %v", changed, err)
	}
	// Uninstall leaves exactly what was there.
	if changed, err := Uninstall(path, ClaudeCode); err != nil || !changed {
		t.Fatalf("Uninstall: %v, %v", changed, err)
	}
	var before map[string]any
	if err := json.Unmarshal([]byte(orig), &before); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(before, readJSON(t, path)); d != "" {
		t.Errorf("after uninstall (-want +got)\n%s", d)
	}
	if changed, err := Uninstall(path, ClaudeCode); err != nil || changed {
		t.Errorf("second Uninstall: changed %v, %v", changed, err)
	}
}

func TestInstallCursorCreatesFile(t *testing.T) {
	home := t.TempDir()
	path, err := SettingsPath(Cursor, ScopeUser, "/unused", home)
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(home, ".cursor", "hooks.json") {
		t.Errorf("path %s", path)
	}
	cmd := "leakguard agent-hook cursor"
	if changed, err := Install(path, Cursor, cmd); err != nil || !changed {
		t.Fatalf("Install: %v, %v", changed, err)
	}
	entry := []any{map[string]any{"command": cmd}}
	want := map[string]any{"version": 1.0, "hooks": map[string]any{
		"beforeSubmitPrompt": entry, "beforeShellExecution": entry, "beforeMCPExecution": entry,
		"beforeReadFile": entry, "afterFileEdit": entry,
	}}
	if d := cmp.Diff(want, readJSON(t, path)); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	if _, err := Uninstall(path, Cursor); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]any{"version": 1.0}, readJSON(t, path)); d != "" {
		t.Errorf("after uninstall (-want +got)\n%s", d)
	}
}

func TestInstallRefusesBrokenSettings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "settings.json")
	for _, content := range []string{`{"hooks": [1]}`, `[]`, `{"a":`} {
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Install(path, ClaudeCode, "leakguard agent-hook claude-code"); !errors.Is(err, ErrSettings) {
			t.Errorf("%s: got %v, want ErrSettings", content, err)
		}
		if b, _ := os.ReadFile(path); string(b) != content {
			t.Errorf("%s: file changed to %s", content, b)
		}
	}
}

func TestSettingsPaths(t *testing.T) {
	tests := []struct {
		a     Agent
		scope Scope
		want  string
	}{
		{ClaudeCode, ScopeProject, "/p/.claude/settings.json"},
		{ClaudeCode, ScopeUser, "/h/.claude/settings.json"},
		{Codex, ScopeProject, "/p/.codex/hooks.json"},
		{Cursor, ScopeProject, "/p/.cursor/hooks.json"},
	}
	for _, tt := range tests {
		got, err := SettingsPath(tt.a, tt.scope, "/p", "/h")
		if err != nil || filepath.ToSlash(got) != tt.want {
			t.Errorf("%s %s: got %q, %v, want %q", tt.a, tt.scope, got, err, tt.want)
		}
	}
	if _, err := SettingsPath(ClaudeCode, "global", "/p", "/h"); err == nil {
		t.Error("unknown scope accepted")
	}
}
