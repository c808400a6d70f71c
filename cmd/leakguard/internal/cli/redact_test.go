package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/scanner/redact"
)

func TestRedactCommand(t *testing.T) {
	aws := agentFakeAWS(31)
	ph := redact.Placeholder("aws-access-token", aws)
	pretty := "{\n  \"cmd\": " + jsonLine(t, "export K="+aws) + ",\n  \"args\": " + jsonLine(t, jsonLine(t, map[string]any{"k": aws})) + "\n}\n"
	tests := []struct {
		name string
		in   string
		args []string
		code int
		want string
	}{
		{"text stdin", "a " + aws + "\nb\n", []string{"redact"}, ExitFindings, "a " + ph + "\nb\n"},
		{"clean stdin", "nothing\n", []string{"redact", "-"}, ExitClean, "nothing\n"},
		{"json stdin keeps structure", pretty, []string{"redact", "--json", "--exit-code", "0"}, ExitClean,
			"{\n  \"cmd\": \"export K=" + ph + "\",\n  \"args\": \"{\\\"k\\\":\\\"" + ph + "\\\"}\"\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.in, nil, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; %s", code, tt.code, errOut)
			}
			if out != tt.want {
				t.Errorf("stdout\n got %q\nwant %q", out, tt.want)
			}
		})
	}
	if !json.Valid([]byte(tests[2].want)) {
		t.Error("expected JSON output is not JSON")
	}
}

func TestRedactInPlace(t *testing.T) {
	aws := agentFakeAWS(32)
	dir := t.TempDir()
	path := filepath.Join(dir, "log.jsonl")
	orig := jsonLine(t, map[string]any{"m": aws}) + "\n" + `{"cut":"` + aws + "\n"
	if err := os.WriteFile(path, []byte(orig), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "", nil, "redact", "--in-place", "--no-backup", path)
	if code != ExitFindings || out != "" || !strings.Contains(errOut, "redacted 2 secret(s)") {
		t.Fatalf("exit %d, out %q, err %q", code, out, errOut)
	}
	got, _ := os.ReadFile(path)
	ph := redact.Placeholder("aws-access-token", aws)
	if want := `{"m":"` + ph + `"}` + "\n" + `{"cut":"` + ph + "\n"; string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := os.Stat(path + ".bak"); err == nil {
		t.Error("backup kept despite --no-backup")
	}
	if code, _, _ := runCLI(t, "", nil, "redact", "--in-place", "-"); code != ExitError {
		t.Errorf("--in-place on stdin: exit %d, want 2", code)
	}
}
