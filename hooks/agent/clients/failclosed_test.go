package clients

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/standin"
)

// installedCommands returns the hook commands install wrote for an agent.
func installedCommands(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cmds []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if s, ok := e.(string); ok && (k == "command" || k == "bash") && strings.Contains(s, "agent-hook") {
					cmds = append(cmds, s)
				}
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	walk(v)
	return cmds
}

// TestInstalledCommandWithoutPATH runs the command install wrote, as the
// agent would (sh -c), with a PATH that lacks leakguard: it must still
// answer, and deny a call carrying a key. (A bare "leakguard" would exit
// 127, which Claude Code reads as a non-blocking error: the call would run.)
func TestInstalledCommandWithoutPATH(t *testing.T) {
	skipIfNotLinux(t)
	settings := map[string]string{"claude-code": ".claude/settings.json", "codex": ".codex/hooks.json", "gemini": ".gemini/settings.json",
		"cursor": ".cursor/hooks.json", "copilot": ".github/hooks/leakguard.json", "windsurf": ".windsurf/hooks.json", "kiro": ".kiro/agents/default.json", "junie": ".junie/config.json"}
	key := fakeAWS(61)
	events := map[string]string{
		"claude-code": `{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"echo ` + key + `"}}`,
		"codex":       `{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"echo ` + key + `"}}`,
		"junie":       `{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"echo ` + key + `"}}`,
		"gemini":      `{"hook_event_name":"BeforeTool","tool_name":"run_shell_command","tool_input":{"command":"echo ` + key + `"}}`,
		"cursor":      `{"hook_event_name":"beforeShellExecution","command":"echo ` + key + `"}`,
		"copilot":     `{"toolName":"bash","toolArgs":"{\"command\":\"echo ` + key + `\"}"}`,
		"windsurf":    `{"agent_action_name":"pre_run_command","tool_info":{"command_line":"echo ` + key + `"}}`,
		"kiro":        `{"hook_event_name":"preToolUse","tool_name":"execute_bash","tool_input":{"command":"echo ` + key + `"}}`,
	}
	for agent, rel := range settings {
		t.Run(agent, func(t *testing.T) {
			w := newWorld(t)
			w.install(agent)
			cmds := installedCommands(t, w.path(rel))
			if len(cmds) == 0 {
				t.Fatalf("no hook command installed in %s", rel)
			}
			for _, c := range cmds {
				if strings.HasPrefix(c, "leakguard ") || !filepath.IsAbs(strings.Fields(c)[0]) {
					t.Fatalf("installed command %q does not name leakguard by absolute path", c)
				}
			}
			cmd := cmds[len(cmds)-1]
			if agent == "copilot" {
				cmd = strings.Replace(cmd, "--event userPromptSubmitted", "--event preToolUse", 1)
				cmd = strings.Replace(cmd, "--event postToolUse", "--event preToolUse", 1)
			}
			sh := exec.Command("/bin/sh", "-c", cmd)
			sh.Dir = w.project
			sh.Env = []string{"PATH=/nonexistent", "HOME=" + w.home, "XDG_STATE_HOME=" + w.home}
			sh.Stdin = strings.NewReader(events[agent])
			out, err := sh.Output()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code == 127 {
				t.Fatalf("the installed command was not found without PATH (exit 127)")
			}
			s := string(out)
			if code != 2 && !strings.Contains(s, `"deny"`) && !strings.Contains(s, `"permission":"deny"`) {
				t.Errorf("exit %d, %s: the call carrying a key was not denied", code, s)
			}
		})
	}
}

// TestClaudeCodeFailsClosed runs Claude Code with leakguard's binary gone
// after install: onFailure "block" must stop the call.
func TestClaudeCodeFailsClosed(t *testing.T) {
	skipIfNotLinux(t)
	bin := binDir(t)
	w := newWorld(t)
	// Install with a copy of the binary, then remove the copy.
	cp := filepath.Join(t.TempDir(), "leakguard")
	data, err := os.ReadFile(leakguardBin(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cp, data, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := w.run(cp, "agent-hook", "install", "claude-code"); err != nil {
		t.Fatalf("install: %v %s", err, out)
	}
	os.Remove(cp)
	s, err := standin.Start(standin.Sequence(nil, standin.Turn{Calls: []standin.Call{{Name: "Bash", Args: map[string]string{"command": "touch ran.txt", "description": "x"}}}}, standin.Turn{Text: "done"}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	env := []string{"ANTHROPIC_BASE_URL=" + s.URL, "ANTHROPIC_API_KEY=standin-not-a-key", "DISABLE_TELEMETRY=1", "DISABLE_AUTOUPDATER=1", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1"}
	out, errOut, err := w.client(3*time.Minute, env, filepath.Join(bin, "claude"), "-p", "go", "--output-format", "json", "--model", "claude-sonnet-4-5", "--allowedTools", "Bash")
	if len(s.ModelRequests(standin.Anthropic)) == 0 {
		// UserPromptSubmit itself failed closed: the prompt never went out.
		t.Logf("the prompt was blocked before any request (%v): %s %s", err, tail(out), tail(errOut))
	}
	absent(t, w, "ran.txt")
}
