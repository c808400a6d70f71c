package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// benchEvent is a 10 KB Write event, with extra text in the middle.
func benchEvent(b *testing.B, extra string) string {
	prose := strings.Repeat("lorem ipsum dolor sit amet, consectetur adipiscing elit\n", 90)
	ev, err := json.Marshal(map[string]any{"session_id": "bench", "cwd": b.TempDir(), "hook_event_name": "PreToolUse", "tool_name": "Write",
		"tool_input": map[string]string{"file_path": "/tmp/x.py", "content": prose + extra + prose}})
	if err != nil {
		b.Fatal(err)
	}
	return string(ev)
}

// BenchmarkAgentHookCLI is the whole command in process (rules loaded and
// the detector compiled on every run, as a hook process does), clean and
// denying: what agent-hook itself costs beyond process start.
func BenchmarkAgentHookCLI(b *testing.B) {
	b.Setenv("XDG_STATE_HOME", b.TempDir())
	bearer := "Bearer " + "7Lq2Vz9Kx4" + "Wp8Rt3Yn6Bm1Hc5Jq"
	for _, c := range []struct{ name, extra, want string }{
		{"clean", "", "{}"},
		{"deny-bearer", `headers = {"Authorization": "` + bearer + `"}` + "\n", `"deny"`},
		{"deny-aws", "aws_access_key_id = " + agentFakeAWS(5) + "\n", `"deny"`},
	} {
		ev := benchEvent(b, c.extra)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				var out, errb bytes.Buffer
				env := &Env{In: strings.NewReader(ev), Out: &out, Err: &errb, Getenv: func(string) string { return "" }, Version: "bench"}
				if code := Run(context.Background(), env, []string{"agent-hook", "claude-code"}); code != 0 || !strings.Contains(out.String(), c.want) {
					b.Fatalf("exit %d: %s %s", code, out.String(), errb.String())
				}
			}
		})
	}
}
