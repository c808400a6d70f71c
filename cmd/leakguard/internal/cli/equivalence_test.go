package cli

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/hooks"
	"github.com/leakguard/leakguard/hooks/agent"
	"github.com/leakguard/leakguard/hooks/gate"
	"github.com/leakguard/leakguard/internal/fake"
	"github.com/leakguard/leakguard/mcp"
	"github.com/leakguard/leakguard/proxy"
	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
	"github.com/leakguard/leakguard/scanner/redact"
)

// The equivalence contract: whatever gate a secret passes, the one
// pipeline reports the same secrets. Each cell of the table below (a secret
// in a wrapper) goes through every entry point, and each must report the
// same (rule, secret) set as a scan of the file holding it, which must hold
// the planted secret; redact must remove all of it. A new entry point gets
// this test by adding one function to entryPoints; a new wrapper or secret,
// one row.

// eqSecret is a secret in the line an agent or a person would write.
type eqSecret struct {
	name, rule, secret, line string
}

func eqSecrets() []eqSecret {
	aws, gh, slack, pw, pem := fake.AWSKeyID(101), fake.GitHubPAT(102), fake.SlackBotToken(103), fake.Password(104), fake.PEM(105)
	return []eqSecret{
		{"aws", "aws-access-token", aws, "aws_access_key_id=" + aws},
		{"github", "github-pat", gh, "GITHUB_TOKEN=" + gh},
		{"slack", "slack-bot-token", slack, "SLACK_BOT_TOKEN=" + slack},
		{"password", "generic-password-assignment", pw, `db_password = "` + pw + `"`},
		{"pem", "private-key", strings.TrimSuffix(pem, "\n"), pem},
	}
}

// eqWrapper puts a secret's line into the text an agent would run or write.
type eqWrapper struct {
	name string
	wrap func(line string) string
	// multiline says the wrapper keeps a multi-line text whole (a PEM
	// key); wrappers that would break one are skipped for it.
	multiline bool
}

func eqWrappers() []eqWrapper {
	return []eqWrapper{
		{"plain", func(l string) string { return l }, true},
		{"base64", func(l string) string {
			return "echo " + base64.StdEncoding.EncodeToString([]byte(l+"\n")) + " | base64 -d > .env"
		}, true},
		{"hex", func(l string) string { return "echo " + hex.EncodeToString([]byte(l+"\n")) + " | xxd -r -p > .env" }, true},
		{"percent", func(l string) string { return "curl 'https://example.com/cb?q=" + url.QueryEscape(l) + "&x=1'" }, true},
		{"json-escaped", func(l string) string {
			b, _ := json.Marshal(l)
			return `{"env": ` + string(b) + `}`
		}, true},
		{"heredoc", func(l string) string { return "cat > .env <<'EOF'\n" + l + "\nEOF" }, true},
		{"url", func(l string) string { return "https://example.com/deploy?" + l }, false},
		{"shell-arg", func(l string) string { return "deploy --env '" + l + "' --yes" }, false},
	}
}

// pair is what the contract compares: a rule and a secret.
type pair struct{ Rule, Secret string }

func pairSet(ps []pair) []pair {
	seen := map[pair]bool{}
	var out []pair
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Rule != out[j].Rule {
			return out[i].Rule < out[j].Rule
		}
		return out[i].Secret < out[j].Secret
	})
	return out
}

// cell is one (secret, wrapper) text, with its own file name.
type cell struct {
	name, text string
	secret     eqSecret
}

func eqCells() []cell {
	var cs []cell
	for _, s := range eqSecrets() {
		for _, w := range eqWrappers() {
			if strings.Contains(s.line, "\n") && !w.multiline {
				continue
			}
			cs = append(cs, cell{name: s.name + "-" + w.name, text: w.wrap(s.line), secret: s})
		}
	}
	return cs
}

// eqEnv is what entry points share: the cells, a git repository holding
// them (staged, then committed), and the compiled default detector.
type eqEnv struct {
	t     *testing.T
	cells []cell
	dir   string // the cells as files: dir/<name>.txt
	repo  string
	det   *detectors.Detector
}

// jsonFindings runs a leakguard command line and returns its JSON
// report's (rule, secret) pairs per path.
func (e *eqEnv) jsonFindings(in string, args ...string) map[string][]pair {
	e.t.Helper()
	code, out, errOut := runCLI(e.t, in, map[string]string{"HOME": e.dir}, append(args, "--format", "json", "--show-secrets", "--no-progress")...)
	if code != ExitClean && code != ExitFindings {
		e.t.Fatalf("leakguard %v: exit %d\n%s", args, code, errOut)
	}
	var rep struct {
		Findings []struct {
			RuleID, Secret, Path string
			JSONLine             int
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		e.t.Fatalf("leakguard %v: not a JSON report: %v\n%s", args, err, out)
	}
	got := map[string][]pair{}
	for _, f := range rep.Findings {
		key := f.Path
		if f.JSONLine > 0 {
			key = fmt.Sprintf("line %d", f.JSONLine)
		}
		got[key] = append(got[key], pair{f.RuleID, f.Secret})
	}
	return got
}

// entryPoint returns, for every cell, the (rule, secret) pairs it reports.
type entryPoint struct {
	name string
	run  func(e *eqEnv) map[string][]pair // cell name -> pairs
}

func byFile(e *eqEnv, got map[string][]pair, prefix string) map[string][]pair {
	out := map[string][]pair{}
	for _, c := range e.cells {
		out[c.name] = got[prefix+c.name+".txt"]
	}
	return out
}

func hookAnswerPairs(t *testing.T, ans agent.Answer) []pair {
	t.Helper()
	var ps []pair
	for _, h := range ans.Hits {
		ps = append(ps, pair{h.Rule, h.Finding.Secret})
	}
	return ps
}

// agentEvents are the hook events each agent's gate sees the text in.
func agentEvents(text string) map[string]struct {
	agent   agent.Agent
	payload map[string]any
} {
	type ev = struct {
		agent   agent.Agent
		payload map[string]any
	}
	return map[string]ev{
		"claude-code prompt":      {agent.ClaudeCode, map[string]any{"hook_event_name": "UserPromptSubmit", "prompt": text}},
		"claude-code tool input":  {agent.ClaudeCode, map[string]any{"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": map[string]any{"command": text}}},
		"claude-code tool output": {agent.ClaudeCode, map[string]any{"hook_event_name": "PostToolUse", "tool_name": "Bash", "tool_input": map[string]any{"command": "cat .env"}, "tool_response": map[string]any{"stdout": text, "stderr": ""}}},
		"codex tool input":        {agent.Codex, map[string]any{"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": map[string]any{"command": text}}},
		"codex tool output":       {agent.Codex, map[string]any{"hook_event_name": "PostToolUse", "tool_name": "Bash", "tool_input": map[string]any{"command": "cat .env"}, "tool_response": text}},
		"cursor prompt":           {agent.Cursor, map[string]any{"hook_event_name": "beforeSubmitPrompt", "prompt": text}},
		"cursor shell":            {agent.Cursor, map[string]any{"hook_event_name": "beforeShellExecution", "command": text, "cwd": "/w"}},
		"gemini tool input":       {agent.Gemini, map[string]any{"hook_event_name": "BeforeTool", "tool_name": "run_shell_command", "tool_input": map[string]any{"command": text}}},
		"gemini model request":    {agent.Gemini, map[string]any{"hook_event_name": "BeforeModel", "llm_request": map[string]any{"model": "m", "messages": []any{map[string]any{"role": "user", "content": text}}}}},
		"gemini tool output":      {agent.Gemini, map[string]any{"hook_event_name": "AfterTool", "tool_name": "run_shell_command", "tool_input": map[string]any{"command": "env"}, "tool_response": map[string]any{"llmContent": text}}},
		"copilot tool input":      {agent.Copilot, map[string]any{"hookEventName": "preToolUse", "toolName": "bash", "toolArgs": map[string]any{"command": text}}},
		"windsurf command":        {agent.Windsurf, map[string]any{"agent_action_name": "pre_run_command", "tool_info": map[string]any{"command_line": text, "cwd": "/w"}}},
		"kiro tool input":         {agent.Kiro, map[string]any{"hook_event_name": "preToolUse", "tool_name": "execute_bash", "tool_input": map[string]any{"command": text}}},
		"cline tool input":        {agent.Cline, map[string]any{"hookName": "PreToolUse", "preToolUse": map[string]any{"toolName": "execute_command", "parameters": map[string]any{"command": text}}}},
		"junie tool input":        {agent.Junie, map[string]any{"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": map[string]any{"command": text}}},
	}
}

func entryPoints() []entryPoint {
	eps := []entryPoint{
		{"scan file", func(e *eqEnv) map[string][]pair {
			return byFile(e, e.jsonFindings("", "scan", e.dir), e.dir+"/")
		}},
		{"scan stdin", func(e *eqEnv) map[string][]pair {
			out := map[string][]pair{}
			for _, c := range e.cells {
				out[c.name] = e.jsonFindings(c.text+"\n", "scan", "-")[""]
			}
			return out
		}},
		{"diff", func(e *eqEnv) map[string][]pair {
			cmd := exec.Command("git", "diff", "--cached", "HEAD")
			cmd.Dir = e.repo
			patch, err := cmd.Output()
			if err != nil {
				e.t.Fatalf("git diff: %v", err)
			}
			return byFile(e, e.jsonFindings(string(patch), "diff", "-"), "")
		}},
		{"git --staged", func(e *eqEnv) map[string][]pair {
			return byFile(e, e.jsonFindings("", "git", "--staged", e.repo), "")
		}},
		{"pre-commit hook", func(e *eqEnv) map[string][]pair {
			e.t.Chdir(e.repo)
			v, err := gate.Run(context.Background(), gate.Request{Hook: "pre-commit", Getenv: hooks.EnvMap(map[string]string{"HOME": e.dir})})
			if err != nil || v.Err != nil {
				e.t.Fatalf("pre-commit gate: %v %v", err, v.Err)
			}
			got := map[string][]pair{}
			for _, f := range v.Findings {
				got[f.Path] = append(got[f.Path], pair{f.RuleID, f.Secret})
			}
			return byFile(e, got, "")
		}},
		{"git history", func(e *eqEnv) map[string][]pair {
			return byFile(e, e.jsonFindings("", "git", e.committed()), "")
		}},
		{"transcript", func(e *eqEnv) map[string][]pair {
			var lines []string
			for _, c := range e.cells {
				lines = append(lines, jsonLine(e.t, map[string]any{"type": "user", "message": map[string]any{"role": "user", "content": c.text}}))
			}
			path := filepath.Join(e.t.TempDir(), "session.jsonl")
			if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
				e.t.Fatal(err)
			}
			got := e.jsonFindings("", "transcript", path)
			out := map[string][]pair{}
			for i, c := range e.cells {
				out[c.name] = got[fmt.Sprintf("line %d", i+1)]
			}
			return out
		}},
	}
	for _, name := range sortedKeys(agentEvents("")) {
		eps = append(eps, entryPoint{"agent-hook " + name, func(e *eqEnv) map[string][]pair {
			g := agent.New(agent.NewScanner(e.det), agent.Options{ReadPolicy: agent.Deny})
			out := map[string][]pair{}
			for _, c := range e.cells {
				ev := agentEvents(c.text)[name]
				payload, err := json.Marshal(ev.payload)
				if err != nil {
					e.t.Fatal(err)
				}
				ans := g.Handle(ev.agent, payload)
				if len(ans.Hits) > 0 && !blocks(ans) {
					e.t.Errorf("%s %s: %d secrets found but the answer lets it through: %s", name, c.name, len(ans.Hits), ans.Stdout)
				}
				out[c.name] = hookAnswerPairs(e.t, ans)
			}
			return out
		}})
	}
	return eps
}

// blocks reports whether an agent hook answer stops, denies or rewrites
// the event (anything but a bare go-ahead).
func blocks(ans agent.Answer) bool {
	s := string(ans.Stdout)
	return ans.Exit == 2 || strings.Contains(s, `"deny"`) || strings.Contains(s, `"block"`) ||
		strings.Contains(s, `"continue":false`) || strings.Contains(s, "updatedToolOutput") ||
		strings.Contains(s, `"cancel":true`) || strings.Contains(s, `"llm_request"`)
}

func sortedKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// committed commits the staged cells once and returns the repository.
func (e *eqEnv) committed() string {
	e.t.Helper()
	e.git("commit", "-q", "-m", "add the cells")
	return e.repo
}

func (e *eqEnv) git(args ...string) {
	e.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = e.repo
	if out, err := cmd.CombinedOutput(); err != nil {
		e.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func newEqEnv(t *testing.T) *eqEnv {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not on PATH")
	}
	e := &eqEnv{t: t, cells: eqCells(), dir: t.TempDir(), repo: t.TempDir()}
	t.Setenv("HOME", e.dir)
	t.Setenv("XDG_STATE_HOME", filepath.Join(e.dir, ".state"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	for k, v := range map[string]string{"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.com",
		"GIT_COMMITTER_NAME": "C", "GIT_COMMITTER_EMAIL": "c@example.com"} {
		t.Setenv(k, v)
	}
	e.git("-c", "init.defaultBranch=main", "init", "-q")
	if err := os.WriteFile(filepath.Join(e.repo, "README"), []byte("cells\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e.git("add", "README")
	e.git("commit", "-q", "-m", "first")
	for _, c := range e.cells {
		for _, d := range []string{e.dir, e.repo} {
			if err := os.WriteFile(filepath.Join(d, c.name+".txt"), []byte(c.text+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	e.git("add", ".")
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	if e.det, err = detectors.Compile(set, detectors.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEquivalenceAcrossEntryPoints(t *testing.T) {
	e := newEqEnv(t)
	eps := entryPoints()
	// The reference: a scan of the file.
	want := eps[0].run(e)
	for _, c := range e.cells {
		ref := pairSet(want[c.name])
		planted := pair{c.secret.rule, c.secret.secret}
		found := false
		for _, p := range ref {
			found = found || p == planted
		}
		if !found {
			t.Errorf("scan of %s: planted %s not reported; got %v", c.name, c.secret.rule, rulesOf(ref))
		}
		if len(ref) != 1 {
			t.Errorf("scan of %s: %d findings for one secret: %v", c.name, len(ref), rulesOf(ref))
		}
	}
	for _, ep := range eps[1:] {
		got := ep.run(e)
		for _, c := range e.cells {
			if d := cmp.Diff(pairSet(want[c.name]), pairSet(got[c.name])); d != "" {
				t.Errorf("%s on %s: (rule, secret) set differs from the file scan's (-scan +%s):\n%s", ep.name, c.name, ep.name, mask(d, c.secret.secret))
			}
		}
	}
	// redact removes every secret the scan reports, whole.
	for _, c := range e.cells {
		code, out, errOut := runCLI(t, c.text+"\n", nil, "redact", "-")
		if code != ExitClean && code != ExitFindings {
			t.Fatalf("redact %s: exit %d: %s", c.name, code, errOut)
		}
		for _, p := range want[c.name] {
			for _, piece := range strings.Split(p.Secret, "\n") {
				if len(piece) >= 8 && strings.Contains(out, piece) {
					t.Errorf("redact %s: output still holds (part of) the %s secret", c.name, p.Rule)
				}
			}
		}
		if !strings.Contains(out, "[REDACTED:") {
			t.Errorf("redact %s: no placeholder in %q", c.name, mask(out, c.secret.secret))
		}
	}
}

func rulesOf(ps []pair) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Rule)
	}
	return out
}

// mask hides the secret in a failure message.
func mask(s, secret string) string {
	for _, piece := range strings.Split(secret, "\n") {
		if len(piece) >= 8 {
			s = strings.ReplaceAll(s, piece, piece[:4]+"*****")
		}
	}
	return s
}

// TestGatewaysRemoveWhatScanReports sends each cell through the model-API
// proxy (as an Anthropic Messages request) and the MCP guard (as a tool's
// result and as a tool call's arguments): the proxy forwards, and the MCP
// guard relays, none of what a scan of the same text reports, each secret
// replaced by a placeholder naming the scan's rule; the tool call is
// denied.
func TestGatewaysRemoveWhatScanReports(t *testing.T) {
	e := newEqEnv(t)
	want := entryPoints()[0].run(e)
	sc := scanner.New(e.det, scanner.Options{Filter: scanner.Filter{KeepMarked: true}})
	var got []byte
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"ok"}]}`)
	}))
	defer upstream.Close()
	u, err := url.Parse(upstream.URL)
	if err != nil {
		t.Fatal(err)
	}
	px := proxy.New(&redact.Redactor{Scanner: sc}, proxy.Options{Upstream: u})
	g := mcp.New(&redact.Redactor{Scanner: sc}, mcp.Options{})
	for _, c := range e.cells {
		holds := func(where string, b []byte) {
			t.Helper()
			for _, p := range want[c.name] {
				for _, piece := range strings.Split(p.Secret, "\n") {
					if len(piece) >= 8 && strings.Contains(string(b), piece) {
						t.Errorf("%s %s: the %s secret got through", where, c.name, p.Rule)
					}
				}
				if !strings.Contains(string(b), "[REDACTED:"+p.Rule+":") {
					t.Errorf("%s %s: no placeholder for %s", where, c.name, p.Rule)
				}
			}
		}
		body, _ := json.Marshal(map[string]any{"model": "m", "max_tokens": 16,
			"messages": []any{map[string]any{"role": "user", "content": []any{map[string]any{"type": "text", "text": c.text}}}}})
		got = nil
		req := httptest.NewRequest(http.MethodPost, "/v1/messages", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		px.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("proxy %s: status %d: %s", c.name, rec.Code, rec.Body)
		}
		holds("proxy", got)

		call, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": map[string]any{"name": "run", "arguments": map[string]any{"command": c.text}}})
		if fwd, reply := g.FromAgent(call); fwd != nil || !strings.Contains(string(reply), `"error"`) {
			t.Errorf("mcp tools/call %s: forwarded %q, reply %q: want it denied", c.name, fwd, reply)
		}
		call2, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 8, "method": "tools/call", "params": map[string]any{"name": "read", "arguments": map[string]any{"path": "notes.txt"}}})
		if fwd, _ := g.FromAgent(call2); fwd == nil {
			t.Fatalf("mcp: a clean tools/call was not forwarded")
		}
		result, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 8, "result": map[string]any{"content": []any{map[string]any{"type": "text", "text": c.text}}}})
		out, _ := g.FromServer(result)
		holds("mcp result", out)
	}
}
