package clients

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/standin"
)

// claudeCall maps an action to a Claude Code tool call.
func claudeCall(w *world, a Action) standin.Call {
	switch {
	case a.Shell != "":
		return standin.Call{Name: "Bash", Args: map[string]string{"command": a.Shell, "description": "run it"}}
	case a.Read != "":
		return standin.Call{Name: "Read", Args: map[string]string{"file_path": w.path(a.Read)}}
	case a.Write[0] != "":
		return standin.Call{Name: "Write", Args: map[string]string{"file_path": w.path(a.Write[0]), "content": a.Write[1]}}
	case a.Edit[0] != "":
		return standin.Call{Name: "Edit", Args: map[string]string{"file_path": w.path(a.Edit[0]), "old_string": a.Edit[1], "new_string": a.Edit[2]}}
	case a.MCP != "":
		return standin.Call{Name: "mcp__fake__" + a.MCP, Args: a.MCPArgs}
	}
	return standin.Call{}
}

func runClaude(t *testing.T, w *world, sc scenario) (*standin.Server, string) {
	t.Helper()
	var turns []standin.Turn
	for _, a := range sc.do {
		if a.Text != "" {
			turns = append(turns, standin.Turn{Text: a.Text})
			continue
		}
		turns = append(turns, standin.Turn{Calls: []standin.Call{claudeCall(w, a)}})
	}
	turns = append(turns, standin.Turn{Text: "all done"})
	s, err := standin.Start(standin.Sequence(nil, turns...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	mcp := w.mcpConfig()
	args := []string{"-p", sc.prompt, "--output-format", "json", "--model", "claude-sonnet-4-5",
		"--allowedTools", "Bash,Read,Write,Edit,mcp__fake__lookup",
		"--mcp-config", mcp, "--strict-mcp-config"}
	env := []string{"ANTHROPIC_BASE_URL=" + s.URL, "ANTHROPIC_API_KEY=standin-not-a-key",
		"DISABLE_TELEMETRY=1", "DISABLE_AUTOUPDATER=1", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1", "DISABLE_ERROR_REPORTING=1"}
	out, errOut, err := w.client(3*time.Minute, env, filepath.Join(binDir(t), "claude"), args...)
	if err != nil {
		t.Logf("claude: %v\nstderr: %s", err, tail(errOut))
	}
	if len(s.ModelRequests(standin.Anthropic)) == 0 && !strings.Contains(sc.name, "prompt") {
		t.Fatalf("claude never called the stand-in: %v\nstdout: %s\nstderr: %s", err, tail(out), tail(errOut))
	}
	return s, out
}

func tail(s string) string {
	if len(s) > 3000 {
		return "..." + s[len(s)-3000:]
	}
	return s
}

func TestClaudeCode(t *testing.T) { runClient(t, "claude-code", runClaude) }

// runClient runs every common scenario through one client. With
// LEAKGUARD_E2E_NO_HOOKS=1 the hooks are not installed: the scenarios that
// guard something must then fail (the control run that shows the tests
// can fail).
func runClient(t *testing.T, agent string, run func(*testing.T, *world, scenario) (*standin.Server, string)) {
	skipIfNotLinux(t)
	binDir(t)
	for _, sc := range commonScenarios() {
		t.Run(sc.name, func(t *testing.T) {
			if sc.skip != nil {
				if why := sc.skip(t, agent); why != "" {
					t.Skip(why)
				}
			}
			w := newWorld(t)
			if os.Getenv("LEAKGUARD_E2E_NO_HOOKS") == "" {
				w.install(agent, installArgs[agent]...)
			}
			if sc.setup != nil {
				sc.setup(w)
			}
			s, out := run(t, w, sc)
			rejected(t, s)
			sc.check(t, w, s, out)
			if t.Failed() {
				for i, r := range s.Requests() {
					t.Logf("request %d %s %s: %s", i, r.API, r.Path, lastMessages(r))
				}
				if reqs := s.ModelRequests(""); len(reqs) > 0 {
					t.Logf("tools declared: %v", reqs[len(reqs)-1].Tools)
				}
				t.Logf("client stdout: %s", tail(out))
			}
		})
	}
}

// installArgs are extra flags for `leakguard agent-hook install AGENT`.
var installArgs = map[string][]string{}

// rejected fails when the client refused a scripted call on its own (an
// unknown tool, bad arguments): a denial checked on the file system would
// then pass without any hook having run.
func rejected(t *testing.T, s *standin.Server) {
	t.Helper()
	for _, r := range s.ModelRequests("") {
		for _, m := range []string{"unsupported call: ", "<tool_use_error>InputValidationError", "<tool_use_error>Error: No such tool", "not found in registry"} {
			if strings.Contains(string(r.Body), m) {
				t.Errorf("the client rejected a scripted call by itself (%q): the scenario proves nothing", m)
				return
			}
		}
	}
}
