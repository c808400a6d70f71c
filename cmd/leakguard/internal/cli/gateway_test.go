package cli

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
)

func TestProxyFlags(t *testing.T) {
	tests := []struct {
		args    []string
		command []string
		listen  string
		err     string
	}{
		{args: []string{"--exec", "claude", "-p", "fix it", "--model", "x"}, command: []string{"claude", "-p", "fix it", "--model", "x"}, listen: "127.0.0.1:0"},
		{args: []string{"--listen", "127.0.0.1:9000", "--upstream", "http://127.0.0.1:1", "--insecure-upstream"}, listen: "127.0.0.1:9000"},
		{args: nil, listen: defaultProxyListen},
		{args: []string{"claude"}, err: "use --exec"},
		{args: []string{"--exec"}, err: "needs a COMMAND"},
		{args: []string{"--on-error", "maybe"}, err: "want block or allow"},
	}
	for _, tt := range tests {
		var got *ProxyOptions
		env := &Env{Out: &bytes.Buffer{}, Err: &bytes.Buffer{}}
		cmd := newProxyCmd(env, func(_ context.Context, o *ProxyOptions) error { got = o; return nil })
		cmd.SetArgs(tt.args)
		err := cmd.Execute()
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: err = %v, want %q", tt.args, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.args, err)
			continue
		}
		if strings.Join(got.Command, " ") != strings.Join(tt.command, " ") || got.Listen != tt.listen {
			t.Errorf("%q: command %q listen %q, want %q %q", tt.args, got.Command, got.Listen, tt.command, tt.listen)
		}
	}
}

func TestMCPFlags(t *testing.T) {
	var got *MCPOptions
	cmd := newMCPCmd(&Env{}, func(_ context.Context, o *MCPOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--quiet", "--", "npx", "-y", "server", "--flag"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"npx", "-y", "server", "--flag"}; !reflect.DeepEqual(got.Command, want) || !got.Quiet {
		t.Errorf("command %q quiet %v, want %q true", got.Command, got.Quiet, want)
	}
	for _, args := range [][]string{nil, {"--http", "https://x/mcp", "--", "cmd"}} {
		cmd := newMCPCmd(&Env{}, func(context.Context, *MCPOptions) error { return nil })
		cmd.SetArgs(args)
		if err := cmd.Execute(); err == nil {
			t.Errorf("%q accepted: want either a command or --http", args)
		}
	}
}

func TestAgentBaseURLs(t *testing.T) {
	base := "http://127.0.0.1:5"
	tests := map[string][]string{
		"/usr/bin/claude": {"ANTHROPIC_BASE_URL=" + base},
		"codex":           {"OPENAI_BASE_URL=" + base + "/v1"},
		"gemini":          {"GOOGLE_GEMINI_BASE_URL=" + base},
		"my-agent":        {"ANTHROPIC_BASE_URL=" + base, "OPENAI_BASE_URL=" + base + "/v1", "GOOGLE_GEMINI_BASE_URL=" + base},
	}
	for cmd, want := range tests {
		if got := agentBaseURLs(cmd, base); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %q, want %q", cmd, got, want)
		}
	}
}
