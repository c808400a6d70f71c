package agent

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
	"github.com/leakguard/leakguard/scanner/redact"
)

var (
	detOnce sync.Once
	det     *detectors.Detector
	detErr  error
)

// testScanner returns the guard's scanner over the default rules, with
// the CLI's default detector settings.
func testScanner(t testing.TB) *scanner.Scanner {
	t.Helper()
	detOnce.Do(func() {
		set, err := rules.Default()
		if err != nil {
			detErr = err
			return
		}
		det, detErr = detectors.Compile(set, detectors.DefaultOptions())
	})
	if detErr != nil {
		t.Fatal(detErr)
	}
	return NewScanner(det)
}

// fakeAWS builds a fake AWS access key id at test time.
func fakeAWS(seed int64) string {
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	rng := rand.New(rand.NewSource(seed))
	b := []byte("AK" + "IA")
	for i := 0; i < 16; i++ {
		b = append(b, alpha[rng.Intn(len(alpha))])
	}
	return string(b)
}

func fakePEM(t testing.TB) string {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.New(rand.NewSource(1)))
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "EC " + "PRIVATE KEY", Bytes: der}))
}

func quote(t testing.TB, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fixture reads a payload template from testdata and fills in the secrets
// and paths.
func fixture(t testing.TB, name string, vars map[string]string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for k, v := range vars {
		s = strings.ReplaceAll(s, "{{"+k+"}}", v)
	}
	if !json.Valid([]byte(s)) {
		t.Fatalf("%s: not JSON after filling in", name)
	}
	return []byte(s)
}

func TestHandleExactAnswers(t *testing.T) {
	aws := fakeAWS(1)
	masked := aws[:4] + "*****"
	ph := redact.Placeholder("aws-access-token", aws)
	vars := map[string]string{"AWS": aws}
	tests := []struct {
		name    string
		agent   Agent
		fixture string
		want    string
		exit    int
	}{
		{"claude prompt", ClaudeCode, "claude-user-prompt-submit.json",
			`{"decision":"block","reason":"leakguard: 1 secret(s) in the prompt: aws-access-token ` + masked + ` at /prompt. The prompt was not sent. ` + advice + `"}`, 0},
		{"claude bash", ClaudeCode, "claude-pre-bash.json",
			`{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"leakguard: 1 secret(s) in the Bash call: aws-access-token ` + masked + ` at /tool_input/command. The call was denied. ` + advice + `"}}`, 0},
		{"claude post bash replaces output", ClaudeCode, "claude-post-bash.json",
			`{"decision":"block","reason":"leakguard: 1 secret(s) in the Bash output: aws-access-token ` + masked + ` at /tool_response/stdout. leakguard replaced 1 of them with [REDACTED:...] placeholders in what you see; do not try to recover them.",` +
				`"hookSpecificOutput":{"hookEventName":"PostToolUse","updatedToolOutput":{"stdout":"AWS_ACCESS_KEY_ID=` + ph + `\nREGION=eu-west-1","stderr":"","interrupted":false,"isImage":false}}}`, 0},
		{"claude post mcp replaces output", ClaudeCode, "claude-post-mcp.json",
			`{"decision":"block","reason":"leakguard: 1 secret(s) in the mcp__vault__read output: aws-access-token ` + masked + ` at /tool_response. leakguard replaced 1 of them with [REDACTED:...] placeholders in what you see; do not try to recover them.",` +
				`"hookSpecificOutput":{"hookEventName":"PostToolUse","updatedMCPToolOutput":"id=` + ph + `"}}`, 0},
		{"codex bash", Codex, "codex-pre-bash.json",
			`{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"leakguard: 1 secret(s) in the Bash call: aws-access-token ` + masked + ` at /tool_input/command. The call was denied. ` + advice + `"}}`, 0},
		{"codex post cannot replace", Codex, "codex-post-bash.json",
			`{"decision":"block","reason":"leakguard: 1 secret(s) in the Bash output: aws-access-token ` + masked + ` at /tool_response. This agent's hooks cannot replace a tool's output, so the secrets are in the conversation: rotate them, and do not repeat them. Rotate at: AWS https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console."}`, 0},
		{"cursor prompt", Cursor, "cursor-before-submit-prompt.json",
			`{"continue":false,"user_message":"leakguard: 1 secret(s) in the prompt: aws-access-token ` + masked + ` at /prompt. The prompt was not sent. ` + advice + `"}`, 0},
		{"cursor shell", Cursor, "cursor-before-shell.json",
			`{"permission":"deny","user_message":"leakguard: 1 secret(s) in the shell command: aws-access-token ` + masked + ` at /command. It was denied. ` + advice + `","agent_message":"leakguard: 1 secret(s) in the shell command: aws-access-token ` + masked + ` at /command. It was denied. ` + advice + `"}`, 0},
		{"cursor read file content", Cursor, "cursor-before-read-file.json", `{"permission":"deny"}`, 0},
		{"cursor after edit is observe-only", Cursor, "cursor-after-file-edit.json", `{}`, 0},
	}
	g := New(testScanner(t), Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ans := g.Handle(tt.agent, fixture(t, tt.fixture, vars))
			if got := strings.TrimSpace(string(ans.Stdout)); got != tt.want {
				t.Errorf("stdout\n got %s\nwant %s", got, tt.want)
			}
			if ans.Exit != tt.exit {
				t.Errorf("exit %d, want %d", ans.Exit, tt.exit)
			}
			if len(ans.Hits) == 0 || ans.Stderr == "" {
				t.Errorf("hits %d, stderr %q: want the secret reported", len(ans.Hits), ans.Stderr)
			}
			if strings.Contains(string(ans.Stdout), aws) || strings.Contains(ans.Stderr, aws) {
				t.Error("the secret is printed in full")
			}
		})
	}
}

// decisionOf pulls the decision out of any of the protocols' answers.
func decisionOf(t *testing.T, out []byte) string {
	t.Helper()
	var v struct {
		Decision   string `json:"decision"`
		Continue   *bool  `json:"continue"`
		Permission string `json:"permission"`
		Specific   struct {
			PermissionDecision string `json:"permissionDecision"`
		} `json:"hookSpecificOutput"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("answer is not JSON: %s", out)
	}
	switch {
	case v.Specific.PermissionDecision != "":
		return v.Specific.PermissionDecision
	case v.Decision != "":
		return v.Decision
	case v.Permission != "":
		return v.Permission
	case v.Continue != nil && !*v.Continue:
		return "block"
	}
	return "none"
}

func TestHandleDecisions(t *testing.T) {
	aws, key := fakeAWS(2), fakePEM(t)
	dir := t.TempDir()
	secretFile := filepath.Join(dir, "config.env")
	cleanFile := filepath.Join(dir, "README.md")
	if err := os.WriteFile(secretFile, []byte("# config\nAWS_ACCESS_KEY_ID="+aws+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cleanFile, []byte("nothing here\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"AWS": aws, "PEM_JSON": quote(t, key), "FILE_JSON": quote(t, secretFile)}
	clean := map[string]string{"AWS": "nothing", "PEM_JSON": `"plain text"`, "FILE_JSON": quote(t, cleanFile)}
	tests := []struct {
		name    string
		agent   Agent
		fixture string
		vars    map[string]string
		opts    Options
		want    string
		where   string
	}{
		{"write pem", ClaudeCode, "claude-pre-write.json", vars, Options{}, "deny", "/tool_input/content"},
		{"multiedit", ClaudeCode, "claude-pre-multiedit.json", vars, Options{}, "deny", "/tool_input/edits/1/new_string"},
		{"mcp args hold JSON", ClaudeCode, "claude-pre-mcp.json", vars, Options{}, "deny", "/tool_input/body#/note"},
		{"read default asks", ClaudeCode, "claude-pre-read.json", vars, Options{}, "ask", secretFile + ":2"},
		{"read deny", ClaudeCode, "claude-pre-read.json", vars, Options{ReadPolicy: Deny}, "deny", secretFile + ":2"},
		{"read allow", ClaudeCode, "claude-pre-read.json", vars, Options{ReadPolicy: Allow}, "none", secretFile + ":2"},
		{"read clean file", ClaudeCode, "claude-pre-read.json", clean, Options{}, "none", ""},
		{"edit removing a secret", ClaudeCode, "claude-pre-edit-remove.json", vars, Options{}, "none", ""},
		{"clean prompt", ClaudeCode, "claude-user-prompt-submit.json", clean, Options{}, "none", ""},
		{"clean bash", ClaudeCode, "claude-pre-bash.json", clean, Options{}, "none", ""},
		{"clean post", ClaudeCode, "claude-post-bash.json", clean, Options{}, "none", ""},
		{"cursor clean prompt", Cursor, "cursor-before-submit-prompt.json", clean, Options{}, "none", ""},
		{"cursor clean shell", Cursor, "cursor-before-shell.json", clean, Options{}, "allow", ""},
		{"cursor read allow policy", Cursor, "cursor-before-read-file.json", vars, Options{ReadPolicy: Allow}, "allow", "/content"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ans := New(testScanner(t), tt.opts).Handle(tt.agent, fixture(t, tt.fixture, tt.vars))
			if got := decisionOf(t, ans.Stdout); got != tt.want {
				t.Errorf("decision %q, want %q (answer %s)", got, tt.want, ans.Stdout)
			}
			where := ""
			if len(ans.Hits) > 0 {
				where = ans.Hits[0].Where
			}
			if where != tt.where {
				t.Errorf("first hit at %q, want %q", where, tt.where)
			}
		})
	}
}

func TestHandleFailures(t *testing.T) {
	tests := []struct {
		name     string
		agent    Agent
		payload  string
		failOpen bool
		want     string
		exit     int
	}{
		{"empty stdin", ClaudeCode, "  \n", false, `{"decision":"block","reason":"leakguard agent-hook: agent: empty hook input (expected the event JSON on stdin) (blocked: --on-error block)"}`, 2},
		{"malformed", ClaudeCode, `{"hook_event_name":`, false, "", 2},
		{"unknown event", ClaudeCode, `{"hook_event_name":"Teleport","extra":{"x":1}}`, false, `{"decision":"block","reason":"leakguard agent-hook: unknown claude-code hook event \"Teleport\" (blocked: --on-error block)"}`, 2},
		{"unknown event allowed", ClaudeCode, `{"hook_event_name":"Teleport"}`, true, `{}`, 0},
		{"cursor unknown", Cursor, `{"hook_event_name":"beforeTeleport"}`, false, `{"continue":false,"permission":"deny","user_message":"leakguard agent-hook: unknown cursor hook event \"beforeTeleport\" (blocked: --on-error block)","agent_message":"leakguard agent-hook: unknown cursor hook event \"beforeTeleport\" (blocked: --on-error block)"}`, 0},
		{"not an object", Codex, `[1,2]`, false, "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ans := New(testScanner(t), Options{FailOpen: tt.failOpen}).Handle(tt.agent, []byte(tt.payload))
			got := strings.TrimSpace(string(ans.Stdout))
			if !json.Valid([]byte(got)) {
				t.Fatalf("stdout is not JSON: %q", got)
			}
			if tt.want != "" && got != tt.want {
				t.Errorf("stdout\n got %s\nwant %s", got, tt.want)
			}
			if tt.want == "" && decisionOf(t, ans.Stdout) != "block" {
				t.Errorf("not blocked: %s", got)
			}
			if ans.Exit != tt.exit || ans.Stderr == "" {
				t.Errorf("exit %d stderr %q, want exit %d and a message", ans.Exit, ans.Stderr, tt.exit)
			}
		})
	}
}

// TestHandleRecoversPanics: a guard with no scanner panics on the first
// string it scans, standing in for any internal error; the event is
// blocked.
func TestHandleRecoversPanics(t *testing.T) {
	ans := New(nil, Options{}).Handle(ClaudeCode, []byte(`{"hook_event_name":"UserPromptSubmit","prompt":"hi"}`))
	if ans.Exit != 2 || decisionOf(t, ans.Stdout) != "block" || !strings.Contains(ans.Stderr, "internal error") {
		t.Errorf("got exit %d, %s, %q", ans.Exit, ans.Stdout, ans.Stderr)
	}
}

func TestParse(t *testing.T) {
	if _, err := ParseAgent("teleporter"); err == nil {
		t.Error("ParseAgent accepted an unknown agent")
	}
	if d, err := ParseDecision("ask"); err != nil || d != Ask {
		t.Errorf("ParseDecision(ask) = %q, %v", d, err)
	}
	if d := cmp.Diff([]Agent{ClaudeCode, Codex, Cursor, Gemini, Copilot, Windsurf, Kiro, Cline, Junie}, Agents); d != "" {
		t.Error(d)
	}
}

// TestMemberNamedSecretDenied: a value that only its member name marks as
// a secret ({"password": "…"} in an MCP call's arguments) is found as a
// scan of the same JSON finds it; scanning each string alone passed it.
func TestMemberNamedSecretDenied(t *testing.T) {
	pw := "Qx7kLm2Rv9Tz" + "4Wb8Np3"
	payload := `{"session_id":"s","hook_event_name":"PreToolUse","tool_name":"mcp__db__connect","tool_input":{"host":"db","password":"` + pw + `"}}`
	ans := New(testScanner(t), Options{}).Handle(ClaudeCode, []byte(payload))
	if ans.Decision != Blocked || len(ans.Hits) != 1 || ans.Hits[0].Where != "/tool_input/password" {
		t.Fatalf("decision %q, hits %+v; want one hit at /tool_input/password, blocked", ans.Decision, ans.Hits)
	}
	if strings.Contains(string(ans.Stdout), pw) || strings.Contains(ans.Stderr, pw) {
		t.Error("the answer quotes the secret")
	}
	// The member name alone is no secret: the same call without it passes.
	clean := strings.Replace(payload, pw, "db-readonly", 1)
	if ans := New(testScanner(t), Options{}).Handle(ClaudeCode, []byte(clean)); ans.Decision != "" {
		t.Errorf("clean call: decision %q, hits %+v", ans.Decision, ans.Hits)
	}
}
