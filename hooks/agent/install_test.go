package agent

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, path, content string, perm os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestInstallClaudeExact pins what install writes, byte for byte: the
// user's keys in their order and formatting, our groups appended with the
// absolute command, a timeout and onFailure "block".
func TestInstallClaudeExact(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".claude", "settings.json")
	orig := `{
    "permissions": {"allow": ["Bash(npm test)"]},
    "model": "opus",
    "futureKey": {"n": 1.50, "z": 1, "a": 2},
    "hooks": {
        "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "./lint.sh", "timeout": 5}]}],
        "Stop": [{"hooks": [{"type": "command", "command": "say done"}]}]
    }
}
`
	writeFile(t, path, orig, 0o600)
	cmd := "/usr/local/bin/leakguard agent-hook claude-code"
	if changed, err := Install(path, ClaudeCode, cmd); err != nil || !changed {
		t.Fatalf("Install: %v, %v", changed, err)
	}
	want := `{
    "permissions": {"allow": ["Bash(npm test)"]},
    "model": "opus",
    "futureKey": {"n": 1.50, "z": 1, "a": 2},
    "hooks": {
        "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "./lint.sh", "timeout": 5}]}, {"matcher": "*", "hooks": [{"type": "command", "command": "/usr/local/bin/leakguard agent-hook claude-code", "timeout": 10, "onFailure": "block"}]}],
        "Stop": [{"hooks": [{"type": "command", "command": "say done"}]}],
        "UserPromptSubmit": [
            {
                "hooks": [
                    {
                        "type": "command",
                        "command": "/usr/local/bin/leakguard agent-hook claude-code",
                        "timeout": 10,
                        "onFailure": "block"
                    }
                ]
            }
        ],
        "PostToolUse": [
            {
                "matcher": "*",
                "hooks": [
                    {
                        "type": "command",
                        "command": "/usr/local/bin/leakguard agent-hook claude-code",
                        "timeout": 10,
                        "onFailure": "block"
                    }
                ]
            }
        ]
    }
}
`
	if got := readFile(t, path); got != want {
		t.Errorf("after install\n got:\n%s\nwant:\n%s", got, want)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600 kept", fi.Mode().Perm())
	}
	if changed, err := Install(path, ClaudeCode, cmd); err != nil || changed {
		t.Errorf("second Install: changed %v, %v", changed, err)
	}
	// A new binary path updates our entries in place.
	if changed, err := Install(path, ClaudeCode, "/opt/bin/leakguard agent-hook claude-code"); err != nil || !changed {
		t.Errorf("Install with a new command: changed %v, %v", changed, err)
	}
	if got := readFile(t, path); strings.Contains(got, "/usr/local/bin") || strings.Count(got, "/opt/bin/leakguard") != 3 {
		t.Errorf("the command was not updated in place:\n%s", got)
	}
	if changed, err := Uninstall(path, ClaudeCode); err != nil || !changed {
		t.Fatalf("Uninstall: %v, %v", changed, err)
	}
	if got := readFile(t, path); got != orig {
		t.Errorf("uninstall did not restore the file\n got:\n%s\nwant:\n%s", got, orig)
	}
	if changed, err := Uninstall(path, ClaudeCode); err != nil || changed {
		t.Errorf("second Uninstall: changed %v, %v", changed, err)
	}
}

// TestInstallRoundTrip installs into every agent's settings from several
// starting files and checks that uninstall gives back the file byte for
// byte, and that what install wrote is what each agent reads.
func TestInstallRoundTrip(t *testing.T) {
	starts := map[string]string{
		"absent":     "",
		"empty":      "{}\n",
		"tabs":       "{\n\t\"a\": [1, 2],\n\t\"b\": {\"c\": \"d\"}\n}\n",
		"compact":    `{"model":"x","hooks":{"Stop":[{"hooks":[{"type":"command","command":"say"}]}]}}`,
		"other hook": "{\n  \"hooks\": {\n    \"Stop\": [\n      {\"hooks\": [{\"type\": \"command\", \"command\": \"say hi\"}]}\n    ]\n  }\n}\n",
	}
	for _, a := range Agents {
		if specs[a].format == scripts {
			continue
		}
		for name, start := range starts {
			t.Run(string(a)+"/"+name, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "settings.json")
				if name != "absent" {
					writeFile(t, path, start, 0o644)
				}
				cmd := "/bin/leakguard agent-hook " + string(a)
				if _, err := Install(path, a, cmd); err != nil {
					t.Fatal(err)
				}
				got := readFile(t, path)
				var v struct {
					Hooks map[string][]map[string]any `json:"hooks"`
				}
				if err := json.Unmarshal([]byte(got), &v); err != nil {
					t.Fatalf("not JSON: %v\n%s", err, got)
				}
				for _, ev := range specs[a].events {
					if !strings.Contains(string(mustJSON(t, v.Hooks[ev.name])), "leakguard agent-hook") {
						t.Errorf("event %s has no leakguard entry:\n%s", ev.name, got)
					}
				}
				if changed, err := Install(path, a, cmd); err != nil || changed {
					t.Errorf("second Install: changed %v, %v", changed, err)
				}
				if _, err := Uninstall(path, a); err != nil {
					t.Fatal(err)
				}
				b, err := os.ReadFile(path)
				switch {
				case name == "absent" || name == "empty":
					// A file left with nothing in it is removed.
					if !errors.Is(err, os.ErrNotExist) {
						t.Errorf("uninstall left a file with nothing in it: %s", b)
					}
				case string(b) != start:
					t.Errorf("uninstall did not restore the file\n got: %q\nwant: %q", b, start)
				}
			})
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestInstallShapes(t *testing.T) {
	cmd := "/bin/leakguard agent-hook X"
	tests := []struct {
		a    Agent
		want string // a substring of the file
	}{
		{ClaudeCode, `"onFailure": "block"`},
		{Codex, `"timeout": 10`},
		{Gemini, `"timeout": 10000`},
		{Cursor, `"version": 1`},
		{Windsurf, `"show_output": true`},
		{Kiro, `"timeout_ms": 10000`},
		{Copilot, `"bash": "/bin/leakguard agent-hook X --event preToolUse"`},
		{Junie, `"PreToolUse"`},
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), "s.json")
		if _, err := Install(path, tt.a, cmd); err != nil {
			t.Fatal(err)
		}
		if got := readFile(t, path); !strings.Contains(got, tt.want) {
			t.Errorf("%s: no %s in\n%s", tt.a, tt.want, got)
		}
	}
}

func TestInstallClineScripts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".clinerules", "hooks")
	cmd := "/bin/leakguard agent-hook cline"
	if changed, err := Install(dir, Cline, cmd); err != nil || !changed {
		t.Fatalf("Install: %v %v", changed, err)
	}
	for _, ev := range []string{"PreToolUse", "PostToolUse", "UserPromptSubmit"} {
		p := filepath.Join(dir, ev)
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm()&0o100 == 0 || !strings.Contains(readFile(t, p), "exec "+cmd) {
			t.Errorf("%s: %v %v", ev, fi, err)
		}
	}
	writeFile(t, filepath.Join(dir, "TaskStart"), "#!/bin/sh\necho mine\n", 0o755)
	if _, err := Uninstall(dir, Cline); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "TaskStart" {
		t.Errorf("uninstall left %v, want only the user's TaskStart", entries)
	}
	writeFile(t, filepath.Join(dir, "PreToolUse"), "#!/bin/sh\necho mine\n", 0o755)
	if _, err := Install(dir, Cline, cmd); err == nil {
		t.Error("install overwrote the user's own PreToolUse hook")
	}
}

func TestInstallRefusesBrokenSettings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "settings.json")
	for _, content := range []string{`{"hooks": [1]}`, `[]`, `{"a":`, `{"hooks": {"PreToolUse": {}}}`} {
		writeFile(t, path, content, 0o644)
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
		{Gemini, ScopeUser, "/h/.gemini/settings.json"},
		{Copilot, ScopeProject, "/p/.github/hooks/leakguard.json"},
		{Windsurf, ScopeUser, "/h/.codeium/windsurf/hooks.json"},
		{Cline, ScopeProject, "/p/.clinerules/hooks"},
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
