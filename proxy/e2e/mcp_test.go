package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/standin"
)

// mcpClient speaks newline-delimited JSON-RPC to a server process.
type mcpClient struct {
	t   *testing.T
	in  io.WriteCloser
	out *bufio.Reader
	cmd *exec.Cmd
	id  int
}

func startMCP(t *testing.T, name string, args ...string) *mcpClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = baseEnv(t.TempDir())
	cmd.Stderr = io.Discard
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &mcpClient{t: t, in: in, out: bufio.NewReaderSize(out, 1<<20), cmd: cmd}
	t.Cleanup(func() { in.Close(); cmd.Wait() })
	c.call("initialize", map[string]any{"protocolVersion": "2025-06-18", "capabilities": map[string]any{},
		"clientInfo": map[string]any{"name": "leakguard-e2e", "version": "1"}})
	c.send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	return c
}

func (c *mcpClient) send(line string) {
	c.t.Helper()
	if _, err := io.WriteString(c.in, line+"\n"); err != nil {
		c.t.Fatal(err)
	}
}

// call sends a request and returns the raw line of its response (skipping
// notifications).
func (c *mcpClient) call(method string, params any) string {
	c.t.Helper()
	c.id++
	b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": c.id, "method": method, "params": params})
	c.send(string(b))
	for {
		line, err := c.out.ReadString('\n')
		if err != nil {
			c.t.Fatalf("%s: no answer: %v", method, err)
		}
		var m struct {
			ID     *int
			Method string
		}
		json.Unmarshal([]byte(line), &m)
		if m.ID != nil && *m.ID == c.id && m.Method == "" {
			return strings.TrimSuffix(line, "\n")
		}
	}
}

// TestFilesystemMCPServer: the official filesystem MCP server wrapped by
// leakguard mcp, asked by a scripted client: a file with a key reads back
// redacted, a write carrying a key is denied and never happens, clean
// traffic is byte for byte what the bare server says.
func TestFilesystemMCPServer(t *testing.T) {
	server := clientBin(t, "mcp-server-filesystem")
	lg := leakguardBin(t)
	dir := t.TempDir()
	dir, _ = filepath.EvalSymlinks(dir)
	key := fakeAWS(201)
	os.WriteFile(filepath.Join(dir, "app.env"), []byte("fs-marker\nAWS_ACCESS_KEY_ID="+key+"\n"), 0o644)

	bare := startMCP(t, server, dir)
	guarded := startMCP(t, lg, "mcp", "--audit-log", filepath.Join(dir, "..", "audit.jsonl"), "--", server, dir)

	// Clean traffic is untouched.
	want := bare.call("tools/list", map[string]any{})
	got := guarded.call("tools/list", map[string]any{})
	if got != want {
		t.Errorf("tools/list changed by the guard:\n got %.300s\nwant %.300s", got, want)
	}
	read := "read_text_file"
	if !strings.Contains(want, `"`+read+`"`) {
		read = "read_file"
	}
	args := map[string]any{"name": read, "arguments": map[string]any{"path": filepath.Join(dir, "app.env")}}
	if raw := bare.call("tools/call", args); !strings.Contains(raw, key) {
		t.Fatalf("the bare server did not return the key (%s): the test reads the wrong tool", raw)
	}
	res := guarded.call("tools/call", args)
	if strings.Contains(res, key) || !strings.Contains(res, "[REDACTED:aws-access-token:") || !strings.Contains(res, "fs-marker") {
		t.Errorf("read through the guard = %s", res)
	}
	var parsed struct {
		ID     int
		Result struct {
			Content []struct{ Type, Text string }
		}
	}
	if err := json.Unmarshal([]byte(res), &parsed); err != nil || parsed.ID != guarded.id || len(parsed.Result.Content) == 0 {
		t.Errorf("redacted result lost its shape: %s (%v)", res, err)
	}

	// A write that carries a key is denied and never happens.
	deny := guarded.call("tools/call", map[string]any{"name": "write_file", "arguments": map[string]any{
		"path": filepath.Join(dir, "leak.txt"), "content": "key=" + key}})
	if !strings.Contains(deny, `"code":-32602`) || strings.Contains(deny, key) {
		t.Errorf("write with a key: %s", deny)
	}
	if _, err := os.Stat(filepath.Join(dir, "leak.txt")); err == nil {
		t.Errorf("the denied write happened")
	}
	// A clean write goes through.
	guarded.call("tools/call", map[string]any{"name": "write_file", "arguments": map[string]any{
		"path": filepath.Join(dir, "ok.txt"), "content": "fine"}})
	if b, _ := os.ReadFile(filepath.Join(dir, "ok.txt")); string(b) != "fine" {
		t.Errorf("a clean write did not go through: %q", b)
	}
}

// TestClaudeCodeWithGuardedMCPServer: the real agent calls the wrapped
// filesystem server's read tool; the key never reaches the model (no proxy
// involved: the guard alone).
func TestClaudeCodeWithGuardedMCPServer(t *testing.T) {
	claude := clientBin(t, "claude")
	server := clientBin(t, "mcp-server-filesystem")
	lg := leakguardBin(t)
	root := t.TempDir()
	project, home := filepath.Join(root, "project"), filepath.Join(root, "home")
	os.MkdirAll(project, 0o755)
	os.MkdirAll(home, 0o755)
	key := fakeAWS(202)
	os.WriteFile(filepath.Join(project, "prod.env"), []byte("mcp-marker\nAWS_ACCESS_KEY_ID="+key+"\n"), 0o644)
	cfg := filepath.Join(root, "mcp.json")
	b, _ := json.Marshal(map[string]any{"mcpServers": map[string]any{"fs": map[string]any{
		"command": lg, "args": []string{"mcp", "--audit-log", filepath.Join(home, "audit.jsonl"), "--", server, project}}}})
	os.WriteFile(cfg, b, 0o644)
	s, err := standin.Start(standin.Sequence(nil,
		standin.Turn{Calls: []standin.Call{{Name: "mcp__fs__read_text_file", Args: map[string]string{"path": filepath.Join(project, "prod.env")}}}},
		standin.Turn{Text: "read it"},
	))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	env := append(baseEnv(home), "ANTHROPIC_BASE_URL="+s.URL, "ANTHROPIC_API_KEY=standin-not-a-key",
		"DISABLE_TELEMETRY=1", "DISABLE_AUTOUPDATER=1", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1", "DISABLE_ERROR_REPORTING=1")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, errOut, err := run(ctx, project, env, claude, "-p", "read prod.env", "--output-format", "json", "--model", "claude-sonnet-4-5",
		"--allowedTools", "mcp__fs__read_text_file", "--mcp-config", cfg, "--strict-mcp-config")
	if err != nil {
		t.Logf("claude: %v\nstderr: %s", err, tail(errOut))
	}
	if s.Saw(key) {
		t.Errorf("the key reached the model through the MCP server")
	}
	if !s.Saw("mcp-marker") || !s.Saw("[REDACTED:aws-access-token:") {
		t.Errorf("the MCP tool's output never reached the model redacted: stdout %s", tail(out))
		for i, r := range s.Requests() {
			t.Logf("request %d %s tools=%v", i, r.Path, r.Tools)
		}
	}
	_ = fmt.Sprint
}
