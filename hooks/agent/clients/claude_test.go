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
	t.Parallel()
	for _, sc := range commonScenarios() {
		t.Run(sc.name, func(t *testing.T) {
			if testing.Short() && slowClients[agent] && !coreCases[sc.name] {
				t.Skip("-short: the slow clients run the core cases only; LEAKGUARD_AGENT_E2E=full .ci/agent-clients.sh runs them all")
			}
			t.Parallel()
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
			if marker, ok := refuses[agent][sc.name]; ok {
				// The client refuses this call by itself, before any hook:
				// the case proves the client's own guard, not leakguard's.
				if !sawText(s, marker) {
					t.Errorf("%s no longer refuses %s by itself (%q): drop it from the refuses table, the hook is now asked", agent, sc.name, marker)
				}
				sc.check(t, w, s, out)
				t.Logf("the client refuses this by itself (%s); leakguard's hook is not asked", marker)
				return
			}
			rejected(t, s)
			if why, ok := limits[agent][sc.name]; ok && os.Getenv("LEAKGUARD_E2E_NO_HOOKS") == "" {
				// The agent's protocol cannot stop this: the hook must have
				// seen and recorded it, and the leak must still happen (the
				// day the agent can stop it, this says so).
				limited(t, w, agent, sc, s, out, why)
				return
			}
			sc.check(t, w, s, out)
			if redacts[agent][sc.name] && os.Getenv("LEAKGUARD_E2E_NO_HOOKS") == "" && !s.Saw("[REDACTED:") {
				t.Errorf("the model got no [REDACTED:...] placeholder: this agent's protocol redacts %s", sc.name)
			}
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
		for _, m := range []string{"unsupported call: ", "<tool_use_error>InputValidationError", "<tool_use_error>Error: No such tool", "not found in registry", "Path not in workspace"} {
			if strings.Contains(string(r.Body), m) {
				t.Errorf("the client rejected a scripted call by itself (%q): the scenario proves nothing", m)
				return
			}
		}
	}
}

// limits are the cases an agent's hook protocol cannot stop, with why.
var limits = map[string]map[string]string{
	"copilot": {
		"prompt":                "Copilot CLI ignores the output of userPromptSubmitted hooks: the prompt cannot be blocked or changed",
		"shell output redacted": "Copilot CLI ignores the output of postToolUse hooks: a tool's output cannot be replaced or hidden",
		"mcp result":            "Copilot CLI ignores the output of postToolUse hooks: a tool's output cannot be replaced or hidden",
	},
}

func limited(t *testing.T, w *world, agent string, sc scenario, s *standin.Server, out, why string) {
	t.Helper()
	log := w.read(filepath.Join(w.home, ".state", "leakguard", "audit.jsonl"))
	if !strings.Contains(log, `"agentName":"`+agent+`"`) {
		t.Errorf("%s: the hook did not record the secret it cannot stop (audit log: %q)", sc.name, log)
	}
	p := &probe{}
	sc.check(p, w, s, out)
	if !p.failed {
		t.Errorf("%s: %s, yet the secret was stopped: update the limits table and the README", sc.name, why)
	}
	t.Logf("known limit: %s", why)
}

// slowClients start slowly (Gemini CLI: ~10 s a run here); under -short
// they run coreCases only.
var slowClients = map[string]bool{"gemini": true, "copilot": true}

var coreCases = map[string]bool{"prompt": true, "clean command runs": true, "shell plain": true, "cat secret file": true,
	"read .env": true, "write key": true, "mcp result": true, "git commit --no-verify": true}

// redacts are the cases where the agent's protocol lets leakguard replace
// the secret (rather than block): the model must see the placeholder.
var redacts = map[string]map[string]bool{
	"claude-code": {"shell output redacted": true, "mcp result": true, "cat secret file": false},
	"gemini":      {"prompt": true, "shell output redacted": true, "mcp result": true},
}

// refuses are the cases a client refuses by itself, with the text of its
// refusal: Gemini CLI's read_file will not read .env or a file outside the
// workspace (~/.aws/credentials).
var refuses = map[string]map[string]string{
	"gemini": {"read .env": "Path not in workspace", "read aws credentials": "Path not in workspace"},
}

// sawText reports whether any request body holds text as it is.
func sawText(s *standin.Server, text string) bool {
	for _, r := range s.Requests() {
		if strings.Contains(string(r.Body), text) {
			return true
		}
	}
	return false
}
