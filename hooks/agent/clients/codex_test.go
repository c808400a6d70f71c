package clients

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/standin"
)

// codexCall maps an action to a Codex tool call, by the tools the request
// declares (exec_command / shell_command / shell; apply_patch).
func codexCall(w *world, r *standin.Request, a Action) standin.Call {
	switch {
	case a.Shell != "":
		switch {
		case r.HasTool("exec_command"):
			return standin.Call{Name: "exec_command", Args: map[string]any{"cmd": a.Shell, "workdir": w.project}}
		case r.HasTool("shell_command"):
			return standin.Call{Name: "shell_command", Args: map[string]any{"command": a.Shell, "workdir": w.project}}
		default:
			return standin.Call{Name: "shell", Args: map[string]any{"command": []string{"bash", "-lc", a.Shell}, "workdir": w.project}}
		}
	case a.Read != "":
		// Codex has no read tool: it reads with the shell.
		return codexCall(w, r, Action{Shell: "cat " + shellArg(w.path(a.Read))})
	case a.Write[0] != "":
		patch := "*** Begin Patch\n*** Add File: " + w.path(a.Write[0]) + "\n"
		for _, l := range strings.SplitAfter(strings.TrimSuffix(a.Write[1], "\n"), "\n") {
			patch += "+" + strings.TrimSuffix(l, "\n") + "\n"
		}
		return applyPatch(w, r, patch+"*** End Patch\n")
	case a.Edit[0] != "":
		patch := "*** Begin Patch\n*** Update File: " + w.path(a.Edit[0]) + "\n@@\n-" + a.Edit[1] + "\n+" + a.Edit[2] + "\n*** End Patch\n"
		return applyPatch(w, r, patch)
	case a.MCP != "":
		for _, name := range r.Tools {
			if ns, tool, ok := strings.Cut(name, "/"); ok && tool == a.MCP && strings.HasPrefix(ns, "mcp__") {
				return standin.Call{Namespace: ns, Name: tool, Args: a.MCPArgs}
			}
			if strings.HasPrefix(name, "mcp__") && strings.HasSuffix(name, "__"+a.MCP) {
				return standin.Call{Name: name, Args: a.MCPArgs}
			}
		}
		return standin.Call{Name: "mcp__fake__" + a.MCP, Args: a.MCPArgs}
	}
	return standin.Call{}
}

func applyPatch(w *world, r *standin.Request, patch string) standin.Call {
	if r.HasTool("apply_patch") {
		// The free-form (custom) tool unless the request declares it as a function.
		var b struct {
			Tools []struct {
				Type string `json:"type"`
				Name string `json:"name"`
			} `json:"tools"`
		}
		_ = json.Unmarshal(r.Body, &b)
		for _, t := range b.Tools {
			if t.Name == "apply_patch" && t.Type == "function" {
				return standin.Call{Name: "apply_patch", Args: map[string]string{"input": patch}}
			}
		}
		return standin.Call{Name: "apply_patch", Raw: patch, Custom: true}
	}
	// No apply_patch tool: Codex takes apply_patch run through the shell.
	return codexCall(w, r, Action{Shell: "apply_patch <<'PATCH'\n" + patch + "PATCH"})
}

func shellArg(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// script plays the actions in order, mapping each with call once the
// request that asks for it is known.
func script(actions []Action, call func(*standin.Request, Action) standin.Call) standin.Script {
	next := 0
	return func(r *standin.Request) standin.Turn {
		if len(r.Tools) == 0 {
			return standin.Turn{Text: "ok"}
		}
		if next >= len(actions) {
			return standin.Turn{Text: "all done"}
		}
		a := actions[next]
		next++
		if a.Text != "" {
			return standin.Turn{Text: a.Text}
		}
		return standin.Turn{Calls: []standin.Call{call(r, a)}}
	}
}

func runCodex(t *testing.T, w *world, sc scenario) (*standin.Server, string) {
	t.Helper()
	s, err := standin.Start(script(sc.do, func(r *standin.Request, a Action) standin.Call { return codexCall(w, r, a) }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	codexHome := filepath.Join(w.home, ".codex")
	var mcpEnv []string
	for k, v := range w.mcpEnv() {
		mcpEnv = append(mcpEnv, fmt.Sprintf("%s = %q", k, v))
	}
	cfg := fmt.Sprintf(`model = "gpt-5-codex"
model_provider = "standin"
approval_policy = "never"
sandbox_mode = "danger-full-access"

[model_providers.standin]
name = "standin"
base_url = "%s/v1"
wire_api = "responses"
env_key = "STANDIN_API_KEY"
request_max_retries = 0
stream_max_retries = 0

[features]
hooks = true

[projects.%q]
trust_level = "trusted"

[mcp_servers.fake]
command = %q
env = { %s }
`, s.URL, w.project, mcpServer(t), strings.Join(mcpEnv, ", "))
	if err := os.MkdirAll(codexHome, 0o700); err != nil {
		t.Fatal(err)
	}
	// Append so that the hooks install wrote (user scope) stay.
	f, err := os.OpenFile(filepath.Join(codexHome, "config.toml"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(f, cfg)
	f.Close()
	env := []string{"CODEX_HOME=" + codexHome, "STANDIN_API_KEY=standin-not-a-key", "RUST_LOG=" + firstNonEmpty(os.Getenv("LEAKGUARD_E2E_RUST_LOG"), "error")}
	// Codex runs hooks only once the user trusts them (/hooks); this test
	// vets them itself.
	args := []string{"exec", "--skip-git-repo-check", "--json", "--dangerously-bypass-hook-trust", "-C", w.project, sc.prompt}
	out, errOut, err := w.client(3*time.Minute, env, filepath.Join(binDir(t), "codex"), args...)
	if err != nil {
		t.Logf("codex: %v", err)
	}
	if os.Getenv("LEAKGUARD_E2E_RUST_LOG") != "" {
		_ = os.WriteFile(filepath.Join(os.TempDir(), "codex-e2e.log"), []byte(errOut), 0o600)
	}
	if len(s.ModelRequests(standin.Responses)) == 0 && sc.name != "prompt" {
		t.Fatalf("codex never called the stand-in: %v\nstdout: %s\nstderr: %s", err, tail(out), tail(errOut))
	}
	return s, out
}

func TestCodex(t *testing.T) { runClient(t, "codex", runCodex) }

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
