package clients

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/standin"
)

// copilotCall maps an action to a Copilot CLI tool call (its tool names:
// bash, view, create, edit).
func copilotCall(w *world, r *standin.Request, a Action) standin.Call {
	switch {
	case a.Shell != "":
		return standin.Call{Name: "bash", Args: map[string]any{"command": a.Shell, "description": "run it", "mode": "sync", "initial_wait": 30}}
	case a.Read != "":
		return standin.Call{Name: "view", Args: map[string]string{"path": w.path(a.Read)}}
	case a.Write[0] != "":
		return standin.Call{Name: "create", Args: map[string]string{"path": w.path(a.Write[0]), "file_text": a.Write[1]}}
	case a.Edit[0] != "":
		return standin.Call{Name: "edit", Args: map[string]string{"path": w.path(a.Edit[0]), "old_str": a.Edit[1], "new_str": a.Edit[2]}}
	case a.MCP != "":
		for _, name := range r.Tools {
			if strings.HasSuffix(name, a.MCP) && name != a.MCP {
				return standin.Call{Name: name, Args: a.MCPArgs}
			}
		}
		return standin.Call{Name: "fake-" + a.MCP, Args: a.MCPArgs}
	}
	return standin.Call{}
}

func runCopilot(t *testing.T, w *world, sc scenario) (*standin.Server, string) {
	t.Helper()
	s, err := standin.Start(script(sc.do, func(r *standin.Request, a Action) standin.Call { return copilotCall(w, r, a) }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	mcp, _ := json.Marshal(map[string]any{"mcpServers": map[string]any{"fake": map[string]any{
		"type": "local", "command": mcpServer(t), "args": []string{}, "env": w.mcpEnv(), "tools": []string{"*"},
	}}})
	env := []string{"COPILOT_PROVIDER_BASE_URL=" + s.URL + "/v1", "COPILOT_PROVIDER_API_KEY=standin-not-a-key",
		"COPILOT_MODEL=gpt-4.1", "COPILOT_HOME=" + filepath.Join(w.home, ".copilot"), "COPILOT_ALLOW_ALL=true", "COPILOT_AUTO_UPDATE=false"}
	args := []string{"-p", sc.prompt, "--allow-all-tools", "--allow-all-paths", "--no-color", "--additional-mcp-config", string(mcp)}
	out, errOut, err := w.client(3*time.Minute, env, filepath.Join(binDir(t), "copilot"), args...)
	if err != nil {
		t.Logf("copilot: %v\nstderr: %s", err, tail(errOut))
	}
	if len(s.ModelRequests("")) == 0 && sc.name != "prompt" {
		t.Fatalf("copilot never called the stand-in: %v\nstdout: %s\nstderr: %s", err, tail(out), tail(errOut))
	}
	return s, out
}

func TestCopilot(t *testing.T) { runClient(t, "copilot", runCopilot) }
