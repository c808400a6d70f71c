package hooks

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDefaultPolicy(t *testing.T) {
	if got, want := DefaultPolicy(true), (Policy{Mode: ModeBlock, HonourAllowMarkers: false, FailClosed: true, DenyBypass: true}); got != want {
		t.Errorf("agent: got %+v, want %+v", got, want)
	}
	if got, want := DefaultPolicy(false), (Policy{Mode: ModeBlock, HonourAllowMarkers: true, FailClosed: true}); got != want {
		t.Errorf("human: got %+v, want %+v", got, want)
	}
}

func TestParsePolicyConfig(t *testing.T) {
	tests := []struct {
		name      string
		toml      string
		wantHuman Policy
		wantAgent Policy
		wantAuth  []string
		wantErr   string
	}{
		{name: "empty", toml: "", wantHuman: DefaultPolicy(false), wantAgent: DefaultPolicy(true)},
		{name: "other tables ignored", toml: "title = 'x'\n[[rules]]\nid = 'a'\n",
			wantHuman: DefaultPolicy(false), wantAgent: DefaultPolicy(true)},
		{name: "overrides", toml: `
[hooks]
human = { mode = "warn" }
agent = { allowMarkers = true, failClosed = false, denyBypass = false }
agentAuthors = ['^ci-bot <', '@bots\.example\.com>$']
audit = { path = "/var/log/lg.jsonl", enabled = true }
`,
			wantHuman: Policy{Mode: ModeWarn, HonourAllowMarkers: true, FailClosed: true},
			wantAgent: Policy{Mode: ModeBlock, HonourAllowMarkers: true},
			wantAuth:  []string{`^ci-bot <`, `@bots\.example\.com>$`}},
		{name: "table form", toml: "[hooks.agent]\nmode = 'warn'\n",
			wantHuman: DefaultPolicy(false), wantAgent: Policy{Mode: ModeWarn, FailClosed: true, DenyBypass: true}},
		{name: "deny bypass is for agents only", toml: "[hooks]\nhuman = { denyBypass = true }\n",
			wantHuman: DefaultPolicy(false), wantAgent: DefaultPolicy(true)},
		{name: "bad mode", toml: "[hooks]\nagent = { mode = 'ignore' }\n", wantErr: `hooks.agent.mode = "ignore"`},
		{name: "bad regex", toml: "[hooks]\nagentAuthors = ['(']\n", wantErr: "hooks.agentAuthors[0]"},
		{name: "unknown key", toml: "[hooks]\nhuman = { mod = 'warn' }\n", wantErr: "unknown keys hooks.human.mod"},
		{name: "bad toml", toml: "[hooks\n", wantErr: "invalid [hooks] config"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParsePolicyConfig([]byte(tc.toml))
			if tc.wantErr != "" {
				if err == nil || !errors.Is(err, ErrPolicyConfig) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.wantHuman, c.Policy(false)); d != "" {
				t.Errorf("human (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.wantAgent, c.Policy(true)); d != "" {
				t.Errorf("agent (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.wantAuth, c.AgentAuthors); d != "" {
				t.Errorf("agentAuthors (-want +got):\n%s", d)
			}
		})
	}
}

func TestAgentAuthorsFeedDetection(t *testing.T) {
	c, err := ParsePolicyConfig([]byte("[hooks]\nagentAuthors = ['@bots\\.example\\.com>$']\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := DetectAgent(AgentSignals{AuthorName: "Deploy", AuthorEmail: "deploy@bots.example.com", Patterns: c.AgentAuthors})
	if !got.IsAgent || got.Signal != "author-pattern" {
		t.Errorf("got %+v, want an agent by author-pattern", got)
	}
}
