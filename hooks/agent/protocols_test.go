package agent

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Events below follow each agent's documented hook input (Gemini CLI
// hooks reference, Copilot CLI hooks reference, Windsurf Cascade hooks,
// Kiro CLI hooks, Cline hooks), with the fields leakguard reads.

func jsonOf(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// stops reports whether an answer stops the action in the agent's terms:
// exit status 2, or a deny / block / cancel / ask in the JSON.
func stops(ans Answer) bool {
	if ans.Exit == 2 {
		return true
	}
	var v struct {
		Decision           string `json:"decision"`
		Continue           *bool  `json:"continue"`
		Permission         string `json:"permission"`
		PermissionDecision string `json:"permissionDecision"`
		Cancel             bool   `json:"cancel"`
		Specific           struct {
			PermissionDecision string `json:"permissionDecision"`
		} `json:"hookSpecificOutput"`
	}
	if json.Unmarshal(ans.Stdout, &v) != nil {
		return false
	}
	for _, d := range []string{v.Decision, v.Permission, v.PermissionDecision, v.Specific.PermissionDecision} {
		if d == "deny" || d == "block" || d == "ask" {
			return true
		}
	}
	return v.Cancel || (v.Continue != nil && !*v.Continue)
}

// preToolEvent builds each agent's pre-tool event running a shell command.
func preToolEvent(t testing.TB, a Agent, cmd, cwd string) []byte {
	t.Helper()
	switch a {
	case ClaudeCode, Codex, Junie:
		return jsonOf(t, map[string]any{"session_id": "s1", "cwd": cwd, "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": map[string]any{"command": cmd}})
	case Gemini:
		return jsonOf(t, map[string]any{"session_id": "s1", "cwd": cwd, "hook_event_name": "BeforeTool", "tool_name": "run_shell_command", "tool_input": map[string]any{"command": cmd}})
	case Cursor:
		return jsonOf(t, map[string]any{"conversation_id": "c1", "hook_event_name": "beforeShellExecution", "command": cmd, "cwd": cwd})
	case Copilot:
		args := string(jsonOf(t, map[string]any{"command": cmd, "description": "x"}))
		return jsonOf(t, map[string]any{"timestamp": 1704614600000, "cwd": cwd, "toolName": "bash", "toolArgs": args})
	case Windsurf:
		return jsonOf(t, map[string]any{"agent_action_name": "pre_run_command", "trajectory_id": "t1", "tool_info": map[string]any{"command_line": cmd, "cwd": cwd}})
	case Kiro:
		return jsonOf(t, map[string]any{"hook_event_name": "preToolUse", "cwd": cwd, "tool_name": "execute_bash", "tool_input": map[string]any{"command": cmd}})
	case Cline:
		return jsonOf(t, map[string]any{"clineVersion": "3.36.0", "hookName": "PreToolUse", "taskId": "k1", "workspaceRoots": []string{cwd},
			"preToolUse": map[string]any{"toolName": "execute_command", "parameters": map[string]any{"command": cmd, "requires_approval": "false"}}})
	}
	t.Fatalf("no pre-tool event for %s", a)
	return nil
}

// TestEveryAgentStopsEveryKindOfCall is the invariant: for every agent, a
// shell command carrying a key, one reading a file with a key, one reading
// a known secret store, and one switching the gate off are stopped in that
// agent's own terms, and a clean one is not.
func TestEveryAgentStopsEveryKindOfCall(t *testing.T) {
	dir := t.TempDir()
	aws := fakeAWS(31)
	writeFile(t, filepath.Join(dir, "conf.ini"), "aws_access_key_id = "+aws+"\n", 0o600)
	writeFile(t, filepath.Join(dir, ".env"), "TOKEN=nothing-recognised\n", 0o600)
	writeFile(t, filepath.Join(dir, "clean.txt"), "hello\n", 0o600)
	cases := []struct {
		name, cmd string
		stop      bool
	}{
		{"key in command", "aws configure set aws_access_key_id " + aws, true},
		{"reads a file with a key", "head -n 3 conf.ini | sort", true},
		{"reads a secret store", "source .env && env", true},
		{"no-verify", "git commit --no-verify -m wip", true},
		{"hooksPath", "git -c core.hooksPath=/dev/null commit -m wip", true},
		{"uninstall", "leakguard hook uninstall", true},
		{"clean", "cat clean.txt && ls", false},
	}
	for _, a := range Agents {
		g := New(testScanner(t), Options{DenyBypass: true, Event: "preToolUse"})
		for _, c := range cases {
			ans := g.Handle(a, preToolEvent(t, a, c.cmd, dir))
			if got := stops(ans); got != c.stop {
				t.Errorf("%s / %s: stops = %v, want %v (exit %d, %s, %q)", a, c.name, got, c.stop, ans.Exit, ans.Stdout, ans.Stderr)
			}
			if strings.Contains(string(ans.Stdout)+ans.Stderr, aws) {
				t.Errorf("%s / %s: the key is printed in full", a, c.name)
			}
			if c.stop && ans.Decision == "" {
				t.Errorf("%s / %s: no audit decision", a, c.name)
			}
			// Codex reads "ask" as unsupported and runs the call.
			if a == Codex && strings.Contains(string(ans.Stdout), `"ask"`) {
				t.Errorf("codex / %s: answered ask, which Codex runs", c.name)
			}
		}
	}
}

func TestDenyBypassIsThePolicy(t *testing.T) {
	ev := preToolEvent(t, ClaudeCode, "git commit --no-verify -m x", t.TempDir())
	if ans := New(testScanner(t), Options{DenyBypass: false}).Handle(ClaudeCode, ev); stops(ans) {
		t.Errorf("denied with DenyBypass off: %s", ans.Stdout)
	}
	for _, p := range []string{".git/hooks/pre-commit", ".claude/settings.json", ".github/hooks/x.json", ".clinerules/hooks/PreToolUse"} {
		w := jsonOf(t, map[string]any{"hook_event_name": "PreToolUse", "cwd": "/w", "tool_name": "Write", "tool_input": map[string]any{"file_path": "/w/" + p, "content": "{}"}})
		if ans := New(testScanner(t), Options{DenyBypass: true}).Handle(ClaudeCode, w); !stops(ans) {
			t.Errorf("write to %s allowed: %s", p, ans.Stdout)
		}
	}
}

func TestSecretStores(t *testing.T) {
	yes := []string{"/p/.env", "/p/.env.local", "/h/.aws/credentials", "/h/.ssh/id_ed25519", "/h/.netrc", "/h/.docker/config.json", "/h/.kube/config", "/p/kubeconfig", "/h/.git-credentials"}
	no := []string{"/p/.env.example", "/h/.ssh/id_ed25519.pub", "/p/config.json", "/p/credentials.md", "/p/environment.go"}
	for _, p := range yes {
		if !isSecretStore(p, "/h") {
			t.Errorf("%s: not a secret store", p)
		}
	}
	for _, p := range no {
		if isSecretStore(p, "/h") {
			t.Errorf("%s: taken for a secret store", p)
		}
	}
}

func TestGeminiRedactsTheOutgoingRequest(t *testing.T) {
	aws := fakeAWS(32)
	g := New(testScanner(t), Options{})
	ev := jsonOf(t, map[string]any{"session_id": "s", "hook_event_name": "BeforeModel", "llm_request": map[string]any{
		"model": "gemini-2.5-flash", "messages": []any{map[string]any{"role": "user", "content": "deploy with " + aws}, map[string]any{"role": "model", "content": "ok"}},
	}})
	ans := g.Handle(Gemini, ev)
	var out struct {
		Specific struct {
			LLMRequest struct {
				Messages []struct{ Role, Content string } `json:"messages"`
			} `json:"llm_request"`
		} `json:"hookSpecificOutput"`
	}
	if err := json.Unmarshal(ans.Stdout, &out); err != nil || ans.Decision != Redacted {
		t.Fatalf("answer %s (%v), decision %q", ans.Stdout, err, ans.Decision)
	}
	m := out.Specific.LLMRequest.Messages
	if len(m) != 2 || strings.Contains(m[0].Content, aws) || !strings.Contains(m[0].Content, "deploy with [REDACTED:") || m[1].Content != "ok" {
		t.Errorf("messages %+v: want the same messages, the key replaced", m)
	}
	// The prompt itself is let through (BeforeModel redacts it).
	p := g.Handle(Gemini, jsonOf(t, map[string]any{"hook_event_name": "BeforeAgent", "prompt": "deploy with " + aws}))
	if stops(p) || p.Decision != Allowed {
		t.Errorf("BeforeAgent: %s %q", p.Stdout, p.Decision)
	}
	// AfterTool replaces the output with its redacted text.
	a := g.Handle(Gemini, jsonOf(t, map[string]any{"hook_event_name": "AfterTool", "tool_name": "run_shell_command",
		"tool_input": map[string]any{"command": "env"}, "tool_response": map[string]any{"llmContent": "AWS=" + aws + "\nX=1", "returnDisplay": "..."}}))
	var r struct{ Decision, Reason string }
	_ = json.Unmarshal(a.Stdout, &r)
	if r.Decision != "deny" || strings.Contains(r.Reason, aws) || !strings.Contains(r.Reason, "AWS=[REDACTED:") || !strings.Contains(r.Reason, "X=1") {
		t.Errorf("AfterTool: %s", a.Stdout)
	}
}

func TestClaudeRedactsBashOutputInItsShape(t *testing.T) {
	aws := fakeAWS(33)
	ev := jsonOf(t, map[string]any{"hook_event_name": "PostToolUse", "tool_name": "Bash", "tool_input": map[string]any{"command": "env"},
		"tool_response": map[string]any{"stdout": "AWS=" + aws, "stderr": "", "interrupted": false, "isImage": false}})
	ans := New(testScanner(t), Options{}).Handle(ClaudeCode, ev)
	var out struct {
		Specific struct {
			Updated json.RawMessage `json:"updatedToolOutput"`
		} `json:"hookSpecificOutput"`
	}
	_ = json.Unmarshal(ans.Stdout, &out)
	var shape struct {
		Stdout      *string `json:"stdout"`
		Stderr      *string `json:"stderr"`
		Interrupted *bool   `json:"interrupted"`
	}
	if err := json.Unmarshal(out.Specific.Updated, &shape); err != nil || shape.Stdout == nil || shape.Stderr == nil || shape.Interrupted == nil {
		t.Fatalf("updatedToolOutput %s is not Bash's output shape (%v)", out.Specific.Updated, err)
	}
	if strings.Contains(*shape.Stdout, aws) || !strings.HasPrefix(*shape.Stdout, "AWS=[REDACTED:") {
		t.Errorf("stdout %q", *shape.Stdout)
	}
}

func TestFailuresBlockInEachAgentsTerms(t *testing.T) {
	for _, a := range Agents {
		for _, payload := range []string{"", `{"hook_event_name":`, `[1]`, `{"hook_event_name":"NoSuchEvent","agent_action_name":"no_such","hookName":"NoSuch"}`} {
			ans := New(testScanner(t), Options{}).Handle(a, []byte(payload))
			if !stops(ans) || ans.Decision != Failed || ans.Stderr == "" {
				t.Errorf("%s %q: exit %d %s %q: want a block with a reason", a, payload, ans.Exit, ans.Stdout, ans.Stderr)
			}
			if strings.Contains(ans.Stderr, "NoSuchEvent") && a != Copilot && a != Windsurf && a != Cline {
				// the unknown name is quoted (cut short), never more
				if strings.Count(ans.Stderr, "NoSuchEvent") > 1 {
					t.Errorf("%s: event name echoed more than once: %q", a, ans.Stderr)
				}
			}
		}
	}
}

func TestUnknownEventNameIsCutShort(t *testing.T) {
	long := strings.Repeat("x", 5000)
	ans := New(testScanner(t), Options{}).Handle(ClaudeCode, jsonOf(t, map[string]any{"hook_event_name": long}))
	if len(ans.Stderr) > 300 {
		t.Errorf("the unknown event name is echoed in full (%d bytes)", len(ans.Stderr))
	}
}

func TestCopilotAndExitCodeAgents(t *testing.T) {
	aws := fakeAWS(34)
	g := New(testScanner(t), Options{})
	// Copilot's prompt hook output is ignored: report only.
	ans := New(testScanner(t), Options{Event: "userPromptSubmitted"}).Handle(Copilot, jsonOf(t, map[string]any{"timestamp": 1, "cwd": "/", "prompt": "key " + aws}))
	if string(ans.Stdout) != "{}\n" || ans.Decision != Allowed || !strings.Contains(ans.Stderr, "cannot block") {
		t.Errorf("copilot prompt: %s %q %q", ans.Stdout, ans.Decision, ans.Stderr)
	}
	// Windsurf blocks a prompt by exit status.
	ans = g.Handle(Windsurf, jsonOf(t, map[string]any{"agent_action_name": "pre_user_prompt", "tool_info": map[string]any{"user_prompt": "key " + aws}}))
	if ans.Exit != 2 || !strings.Contains(ans.Stderr, "prompt") {
		t.Errorf("windsurf prompt: exit %d %q", ans.Exit, ans.Stderr)
	}
	// Windsurf reads a file: exit 2 (it cannot ask).
	dir := t.TempDir()
	f := filepath.Join(dir, "k.ini")
	writeFile(t, f, "aws_access_key_id = "+aws+"\n", 0o600)
	ans = g.Handle(Windsurf, jsonOf(t, map[string]any{"agent_action_name": "pre_read_code", "tool_info": map[string]any{"file_path": f}}))
	if ans.Exit != 2 {
		t.Errorf("windsurf read: exit %d %q", ans.Exit, ans.Stderr)
	}
	// Cline cancels a prompt.
	ans = g.Handle(Cline, jsonOf(t, map[string]any{"hookName": "UserPromptSubmit", "userPromptSubmit": map[string]any{"prompt": "key " + aws}}))
	if !stops(ans) {
		t.Errorf("cline prompt: %s", ans.Stdout)
	}
}

func TestReadOfStoreFollowsPolicy(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, ".env"), "X=1\n", 0o600)
	ev := jsonOf(t, map[string]any{"hook_event_name": "PreToolUse", "cwd": dir, "tool_name": "Read", "tool_input": map[string]any{"file_path": filepath.Join(dir, ".env")}})
	for _, tt := range []struct {
		p    Decision
		want string
	}{{Ask, Asked}, {Deny, Blocked}, {Allow, Allowed}} {
		if ans := New(testScanner(t), Options{ReadPolicy: tt.p}).Handle(ClaudeCode, ev); ans.Decision != tt.want {
			t.Errorf("policy %s: decision %q, want %q (%s)", tt.p, ans.Decision, tt.want, ans.Stdout)
		}
	}
	if err := os.Remove(filepath.Join(dir, ".env")); err != nil {
		t.Fatal(err)
	}
	if ans := New(testScanner(t), Options{}).Handle(ClaudeCode, ev); ans.Decision != "" {
		t.Errorf("a missing store: decision %q, want none", ans.Decision)
	}
}

// TestClineCLIEvents reads the Cline CLI's (3.0.65) hook payload: hookName
// "tool_call" with the extension's preToolUse fields beside tool_call.
func TestClineCLIEvents(t *testing.T) {
	aws := fakeAWS(35)
	ev := jsonOf(t, map[string]any{"hookName": "tool_call", "taskId": "k", "iteration": 1, "workspaceRoots": []string{"/w"},
		"tool_call":  map[string]any{"id": "c1", "name": "run_commands", "input": map[string]any{"commands": []string{"echo " + aws}}},
		"preToolUse": map[string]any{"toolName": "run_commands", "parameters": map[string]any{"commands": []string{"echo " + aws}}}})
	if ans := New(testScanner(t), Options{}).Handle(Cline, ev); !stops(ans) || ans.Decision != Blocked {
		t.Errorf("tool_call with a key: %s %q", ans.Stdout, ans.Decision)
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, ".env"), "X=1\n", 0o600)
	read := jsonOf(t, map[string]any{"hookName": "tool_call", "taskId": "k", "workspaceRoots": []string{dir},
		"preToolUse": map[string]any{"toolName": "run_commands", "parameters": map[string]any{"commands": []string{"ls", "cat .env"}}}})
	if ans := New(testScanner(t), Options{}).Handle(Cline, read); !stops(ans) {
		t.Errorf("run_commands reading .env: %s", ans.Stdout)
	}
	clean := jsonOf(t, map[string]any{"hookName": "agent_start", "taskId": "k", "taskStart": map[string]any{"taskMetadata": map[string]any{}}})
	if ans := New(testScanner(t), Options{}).Handle(Cline, clean); stops(ans) {
		t.Errorf("agent_start blocked: %s %q", ans.Stdout, ans.Stderr)
	}
}
