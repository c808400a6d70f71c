package clients

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/standin"
)

// geminiCall maps an action to a Gemini CLI tool call.
func geminiCall(w *world, r *standin.Request, a Action) standin.Call {
	switch {
	case a.Shell != "":
		return standin.Call{Name: "run_shell_command", Args: map[string]string{"command": a.Shell, "description": "run it"}}
	case a.Read != "":
		return standin.Call{Name: "read_file", Args: map[string]string{"file_path": w.path(a.Read)}}
	case a.Write[0] != "":
		return standin.Call{Name: "write_file", Args: map[string]string{"file_path": w.path(a.Write[0]), "content": a.Write[1]}}
	case a.Edit[0] != "":
		return standin.Call{Name: "replace", Args: map[string]string{"file_path": w.path(a.Edit[0]), "old_string": a.Edit[1], "new_string": a.Edit[2], "instruction": "set the key"}}
	case a.MCP != "":
		for _, name := range r.Tools {
			if strings.HasSuffix(name, a.MCP) {
				return standin.Call{Name: name, Args: a.MCPArgs}
			}
		}
		return standin.Call{Name: "mcp_fake_" + a.MCP, Args: a.MCPArgs}
	}
	return standin.Call{}
}

func runGemini(t *testing.T, w *world, sc scenario) (*standin.Server, string) {
	t.Helper()
	s, err := standin.Start(script(sc.do, func(r *standin.Request, a Action) standin.Call { return geminiCall(w, r, a) }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	user := map[string]any{
		"security":   map[string]any{"auth": map[string]any{"selectedType": "gemini-api-key"}},
		"general":    map[string]any{"disableAutoUpdate": true},
		"privacy":    map[string]any{"usageStatisticsEnabled": false},
		"telemetry":  map[string]any{"enabled": false},
		"mcpServers": map[string]any{"fake": map[string]any{"command": mcpServer(t), "env": w.mcpEnv(), "trust": true}},
	}
	b, _ := json.MarshalIndent(user, "", "  ")
	dir := filepath.Join(w.home, ".gemini")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "settings.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"GEMINI_API_KEY=standin-not-a-key", "GOOGLE_GEMINI_BASE_URL=" + s.URL, "GEMINI_CLI_TRUST_WORKSPACE=true"}
	args := []string{"-p", sc.prompt, "--approval-mode", "yolo", "--output-format", "json", "-m", "gemini-2.5-flash"}
	out, errOut, err := w.client(3*time.Minute, env, filepath.Join(binDir(t), "gemini"), args...)
	if err != nil {
		t.Logf("gemini: %v\nstderr: %s", err, tail(errOut))
	}
	if len(s.ModelRequests(standin.Gemini)) == 0 && sc.name != "prompt" {
		t.Fatalf("gemini never called the stand-in: %v\nstdout: %s\nstderr: %s", err, tail(out), tail(errOut))
	}
	return s, out
}

func TestGemini(t *testing.T) { runClient(t, "gemini", runGemini) }
