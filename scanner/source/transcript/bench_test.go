package transcript

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/scanner"
	"github.com/leakguard/leakguard/scanner/source"
)

// sessionLog builds about size bytes of a Claude-Code-shaped session log:
// prose, tool calls with shell commands and tool results with code.
func sessionLog(tb testing.TB, size int) []byte {
	tb.Helper()
	code := strings.Repeat("func handler(w http.ResponseWriter, r *http.Request) {\n\tlog.Printf(\"request %s\", r.URL.Path)\n}\n", 20)
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		id := fmt.Sprintf("toolu_%06d", i)
		b.WriteString(mustJSON(tb, map[string]any{"parentUuid": fmt.Sprintf("u-%d", i), "sessionId": "bench", "type": "assistant",
			"message": map[string]any{"role": "assistant", "content": []any{
				map[string]any{"type": "text", "text": "Let me look at the handler and run the tests again to see what fails."},
				map[string]any{"type": "tool_use", "id": id, "name": "Bash", "input": map[string]any{"command": "go test ./... -run TestHandler -v", "description": "run tests"}},
			}}}))
		b.WriteByte('\n')
		b.WriteString(mustJSON(tb, map[string]any{"parentUuid": fmt.Sprintf("a-%d", i), "sessionId": "bench", "type": "user",
			"message": map[string]any{"role": "user", "content": []any{
				map[string]any{"type": "tool_result", "tool_use_id": id, "content": code},
			}}, "toolUseResult": map[string]any{"stdout": code, "stderr": "", "interrupted": false}}))
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// BenchmarkTranscriptVsScan compares `leakguard transcript` with
// `leakguard scan` on the same bytes.
func BenchmarkTranscriptVsScan(b *testing.B) {
	data := sessionLog(b, 8<<20)
	path := filepath.Join(b.TempDir(), "session.jsonl")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
	sc := testScanner(b)
	// What `leakguard transcript` does: one file at a time, the path
	// checked against the global allowlists once per file.
	sc2 := sc
	for _, bc := range []struct {
		name string
		sc   *scanner.Scanner
		src  func() scanner.Source
	}{
		{"scan", sc, func() scanner.Source { return &source.Files{Paths: []string{path}} }},
		{"transcript", sc2, func() scanner.Source {
			return &Source{Paths: []string{path}, PathAllowed: det.PathAllowed, OmitPath: true}
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, _, err := bc.sc.Scan(context.Background(), bc.src()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
