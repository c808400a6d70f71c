package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/standin"
)

// assign is a KEY=VALUE line.
func assign(k, v string) string { return k + "=" + v + "\n" }

// TestClaudeCodeThroughProxy: Claude Code, pointed at leakguard proxy by
// --exec, reads files holding secrets with Read, with Bash, and through a
// subagent; none of the secrets reaches the stand-in model API, while the
// rest of what the tools returned does.
func TestClaudeCodeThroughProxy(t *testing.T) {
	claude := clientBin(t, "claude")
	lg := leakguardBin(t)
	root := t.TempDir()
	project, home := filepath.Join(root, "project"), filepath.Join(root, "home")
	os.MkdirAll(project, 0o755)
	os.MkdirAll(home, 0o755)
	readSecret, bashSecret, subSecret := fakeGitHubToken(101), fakeAWS(102), fakeGitHubToken(103)
	outKey := fakeAWS(104)
	os.WriteFile(filepath.Join(project, ".env"), []byte("# read-marker-1\n"+assign("GITHUB_TOKEN", readSecret)), 0o644)
	os.WriteFile(filepath.Join(project, "creds.txt"), []byte("bash-marker-2 aws_access_key_id = "+bashSecret+"\n"), 0o644)
	os.WriteFile(filepath.Join(project, "deploy.cfg"), []byte("sub-marker-3\ntoken: "+subSecret+"\n"), 0o644)

	s, err := standin.Start(standin.Sequence(nil,
		standin.Turn{Calls: []standin.Call{{Name: "Read", Args: map[string]string{"file_path": filepath.Join(project, ".env")}}}},
		standin.Turn{Calls: []standin.Call{{Name: "Bash", Args: map[string]string{"command": "cat creds.txt", "description": "show creds"}}}},
		standin.Turn{Calls: []standin.Call{{Name: "Agent", Args: map[string]string{"description": "read the deploy config", "prompt": "Read deploy.cfg and report it", "subagent_type": "general-purpose"}}}},
		// The subagent's own loop:
		standin.Turn{Calls: []standin.Call{{Name: "Bash", Args: map[string]string{"command": "cat deploy.cfg", "description": "read it"}}}},
		standin.Turn{Text: "the subagent read it"},
		// The main loop's answer: the model itself writes a key.
		standin.Turn{Text: "found it: " + outKey},
	))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	audit := filepath.Join(home, "audit.jsonl")
	env := append(baseEnv(home), "ANTHROPIC_API_KEY=standin-not-a-key",
		"DISABLE_TELEMETRY=1", "DISABLE_AUTOUPDATER=1", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1", "DISABLE_ERROR_REPORTING=1")
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	out, errOut, err := run(ctx, project, env, lg, "proxy", "--upstream", s.URL, "--insecure-upstream", "--audit-log", audit,
		"--exec", claude, "-p", "look at the config", "--output-format", "json", "--model", "claude-sonnet-4-5",
		"--allowedTools", "Bash,Read,Task,Agent")
	if err != nil {
		t.Logf("claude: %v\nstderr: %s", err, tail(errOut))
	}
	reqs := s.ModelRequests(standin.Anthropic)
	if len(reqs) == 0 {
		t.Fatalf("claude never reached the stand-in through the proxy: %v\nstdout: %s\nstderr: %s", err, tail(out), tail(errOut))
	}
	for name, sec := range map[string]string{"Read's secret": readSecret, "Bash's secret": bashSecret, "the subagent's secret": subSecret} {
		if s.Saw(sec) {
			t.Errorf("%s reached the model API", name)
		}
	}
	// What the tools returned did arrive, redacted: the markers next to
	// the secrets are there, and so are placeholders.
	for _, m := range []string{"read-marker-1", "bash-marker-2", "sub-marker-3", "[REDACTED:github-pat:", "[REDACTED:aws-access-token:"} {
		if !s.Saw(m) {
			t.Errorf("%q never reached the model: the tool did not run, or its output was lost", m)
		}
	}
	// The subagent's secret came in the subagent's own conversation (its
	// prompt, not the user's), which no hook of the main loop sees.
	sub := false
	for _, r := range reqs {
		if standin.Contains(r.Body, "sub-marker-3") && !standin.Contains(r.Body, "look at the config") {
			sub = true
		}
	}
	// The stand-in answers turns in arrival order. When the client starts
	// the subagent in the background (its choice: stdout's subagent_stats
	// says "started_in_background"), the main loop's next request can take
	// the subagent's scripted turn, so which conversation carried the
	// output is not the script's to say; the checks above (no secret
	// reached the model, every tool's output did, redacted) still hold.
	if !sub && !strings.Contains(out, `"started_in_background":1`) {
		t.Errorf("no request of the subagent's own conversation carried its tool output")
	} else if !sub {
		t.Logf("the client ran the subagent in the background: its conversation was not told apart")
	}
	lines := auditLines(t, audit)
	redacted := 0
	for _, l := range lines {
		if l["decision"] == "redacted" {
			redacted++
			if l["agentName"] != "claude-cli" {
				t.Errorf("audit agentName = %v, want claude-cli", l["agentName"])
			}
			if l["session"] == nil {
				t.Errorf("audit line without the session: %v", l)
			}
		}
	}
	if redacted == 0 {
		t.Errorf("no redacted line in the audit log: %v", lines)
	}
	flagged := false
	for _, l := range lines {
		if l["decision"] == "flagged" && strings.HasPrefix(l["hook"].(string), "proxy-response:") {
			flagged = true
		}
	}
	if !flagged {
		t.Errorf("the key the model wrote was not flagged in the audit log: %v", lines)
	}
	raw, _ := os.ReadFile(audit)
	for _, sec := range []string{readSecret, bashSecret, subSecret, outKey} {
		if strings.Contains(string(raw), sec) {
			t.Errorf("the audit log holds a secret")
		}
	}
	if t.Failed() {
		for i, r := range s.Requests() {
			t.Logf("request %d %s %s tools=%v", i, r.API, r.Path, r.Tools)
			for _, sec := range []string{readSecret, subSecret} {
				if j := strings.Index(string(r.Body), sec[:8]); j >= 0 {
					t.Logf("  secret at %d: %q", j, string(r.Body[max(0, j-300):min(len(r.Body), j+100)]))
				}
			}
		}
		t.Logf("stdout: %s", tail(out))
	}
}
