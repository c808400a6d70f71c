package agent

import (
	"strings"
	"testing"
)

// BenchmarkHandle10KB measures the guard's own cost for a 10 KB PreToolUse
// Write event (rules loaded and compiled once, outside the loop).
func BenchmarkHandle10KB(b *testing.B) {
	body := strings.Repeat("lorem ipsum dolor sit amet, consectetur adipiscing elit\n", 180)
	payload := []byte(`{"session_id":"s","transcript_path":"/t.jsonl","cwd":"/w","hook_event_name":"PreToolUse","tool_name":"Write","tool_input":{"file_path":"/w/x.txt","content":` + quote(b, body) + `},"tool_use_id":"toolu_1"}`)
	g := New(testScanner(b), Options{})
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if ans := g.Handle(ClaudeCode, payload); ans.Exit != 0 || len(ans.Hits) != 0 {
			b.Fatalf("unexpected answer %s", ans.Stdout)
		}
	}
}
