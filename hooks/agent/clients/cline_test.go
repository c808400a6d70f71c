package clients

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/standin"
)

// clineCall maps an action to a Cline CLI tool call (run_commands,
// read_files, apply_patch).
func clineCall(w *world, r *standin.Request, a Action) standin.Call {
	switch {
	case a.Shell != "":
		return standin.Call{Name: "run_commands", Args: map[string]any{"commands": []string{a.Shell}}}
	case a.Read != "":
		return standin.Call{Name: "read_files", Args: map[string]any{"files": []map[string]any{{"path": w.path(a.Read)}}}}
	case a.Write[0] != "":
		patch := "*** Begin Patch\n*** Add File: " + w.path(a.Write[0]) + "\n"
		for _, l := range strings.SplitAfter(strings.TrimSuffix(a.Write[1], "\n"), "\n") {
			patch += "+" + strings.TrimSuffix(l, "\n") + "\n"
		}
		return standin.Call{Name: "apply_patch", Args: map[string]string{"input": patch + "*** End Patch\n"}}
	case a.Edit[0] != "":
		patch := "*** Begin Patch\n*** Update File: " + w.path(a.Edit[0]) + "\n@@\n-" + a.Edit[1] + "\n+" + a.Edit[2] + "\n*** End Patch\n"
		return standin.Call{Name: "apply_patch", Args: map[string]string{"input": patch}}
	}
	return standin.Call{}
}

func runCline(t *testing.T, w *world, sc scenario) (*standin.Server, string) {
	t.Helper()
	s, err := standin.Start(script(sc.do, func(r *standin.Request, a Action) standin.Call { return clineCall(w, r, a) }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	cline := filepath.Join(binDir(t), "cline")
	cfg := []string{"--config", filepath.Join(w.home, ".cline"), "--data-dir", filepath.Join(w.home, ".cline", "data")}
	if out, errOut, err := w.client(time.Minute, nil, cline, append([]string{"auth", "-p", "openai-compatible", "-k", "standin-not-a-key", "-m", "gpt-4.1", "-b", s.URL + "/v1"}, cfg...)...); err != nil {
		t.Fatalf("cline auth: %v %s %s", err, tail(out), tail(errOut))
	}
	args := append([]string{"-P", "openai-compatible", "-m", "gpt-4.1", "--json", "--auto-approve", "true", "-c", w.project,
		"--hooks-dir", filepath.Join(w.project, ".clinerules", "hooks")}, cfg...)
	out, errOut, err := w.client(3*time.Minute, nil, cline, append(args, sc.prompt)...)
	if err != nil {
		t.Logf("cline: %v\nstderr: %s", err, tail(errOut))
	}
	if len(s.ModelRequests("")) == 0 && sc.name != "prompt" {
		t.Fatalf("cline never called the stand-in: %v\nstdout: %s\nstderr: %s", err, tail(out), tail(errOut))
	}
	return s, out
}

// TestCline is opt-in (LEAKGUARD_E2E_CLINE=1, with the Cline CLI in
// LEAKGUARD_AGENT_CLIENTS): with Cline CLI 3.0.65 the runs reach the
// stand-in, but the hook scripts install writes (.clinerules/hooks, also
// passed as --hooks-dir) did not stop a single call in the runs so far, and
// why is not found yet (whether the CLI runs file hooks in headless runs,
// and which answer it reads). Cline's protocol is tested with recorded
// events in hooks/agent instead.
func TestCline(t *testing.T) {
	if os.Getenv("LEAKGUARD_E2E_CLINE") == "" {
		t.Skip("opt-in (LEAKGUARD_E2E_CLINE=1): the Cline CLI's file hooks did not take effect in headless runs yet; see the comment")
	}
	if _, err := os.Stat(filepath.Join(binDir(t), "cline")); err != nil {
		t.Skip("the Cline CLI is not installed in LEAKGUARD_AGENT_CLIENTS")
	}
	runClient(t, "cline", runCline)
}
