package proxy

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/internal/standin"
)

// goSource is real text nobody here wrote: the Go toolchain's net/http
// server, the kind of file an agent reads.
func goSource(tb testing.TB, n int) string {
	tb.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		tb.Skip("no go env GOROOT")
	}
	var b strings.Builder
	files := []string{"src/net/http/server.go", "src/net/http/transport.go", "src/net/http/request.go"}
	for i := 0; b.Len() < n; i++ {
		data, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), files[i%len(files)]))
		if err != nil {
			tb.Skip(err)
		}
		b.Write(data)
	}
	return b.String()[:n]
}

// messagesRequest is an Anthropic Messages request of about size bytes:
// a system prompt, a conversation, and a Read tool result of Go source.
func messagesRequest(tb testing.TB, size int, stream bool) []byte {
	body, _ := json.Marshal(map[string]any{
		"model": "claude-sonnet-4-5", "max_tokens": 1024, "stream": stream,
		"system": []any{map[string]any{"type": "text", "text": "You are a coding agent."}},
		"tools":  []any{map[string]any{"name": "Read", "description": "read a file", "input_schema": map[string]any{"type": "object"}}},
		"messages": []any{
			map[string]any{"role": "user", "content": "look at server.go"},
			map[string]any{"role": "assistant", "content": []any{map[string]any{"type": "tool_use", "id": "t1", "name": "Read", "input": map[string]any{"file_path": "server.go"}}}},
			map[string]any{"role": "user", "content": []any{map[string]any{"type": "tool_result", "tool_use_id": "t1", "content": goSource(tb, size)}}},
		}})
	return body
}

// benchTargets starts the stand-in and a proxy in front of it.
func benchTargets(b *testing.B) (direct, proxied string) {
	b.Helper()
	s, err := standin.Start(standin.Sequence(nil))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	u, _ := url.Parse(s.URL)
	srv := httptest.NewServer(New(testRedactor(b), Options{Upstream: u}))
	b.Cleanup(srv.Close)
	return s.URL, srv.URL
}

// timed sends body and returns the time to the first byte of the answer
// and to its end.
func timed(b *testing.B, c *http.Client, base string, body []byte) (first, all time.Duration) {
	start := time.Now()
	resp, err := c.Post(base+"/v1/messages", "application/json", bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	br := bufio.NewReader(resp.Body)
	if _, err := br.ReadByte(); err != nil {
		b.Fatal(err)
	}
	first = time.Since(start)
	io.Copy(io.Discard, br)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		b.Fatalf("status %d", resp.StatusCode)
	}
	return first, time.Since(start)
}

// BenchmarkAddedLatency sends the same request straight to the stand-in
// and through the proxy, alternately in one run, and reports both and the
// difference: added-ms is what the proxy costs a request of that size
// (reading, scanning, redacting, relaying); ttft-added-ms is the same for
// the first byte of a streamed answer.
func BenchmarkAddedLatency(b *testing.B) {
	for _, size := range []int{10 << 10, 100 << 10, 1 << 20} {
		for _, stream := range []bool{false, true} {
			name := map[bool]string{false: "json", true: "sse"}[stream]
			b.Run(byteSize(size)+"/"+name, func(b *testing.B) {
				direct, proxied := benchTargets(b)
				body := messagesRequest(b, size, stream)
				c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
				for range 3 { // warm connections and caches
					timed(b, c, direct, body)
					timed(b, c, proxied, body)
				}
				var dFirst, dAll, pFirst, pAll time.Duration
				b.SetBytes(int64(len(body)))
				b.ResetTimer()
				for range b.N {
					f, a := timed(b, c, direct, body)
					dFirst, dAll = dFirst+f, dAll+a
					f, a = timed(b, c, proxied, body)
					pFirst, pAll = pFirst+f, pAll+a
				}
				n := float64(b.N)
				ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / n }
				b.ReportMetric(ms(dAll), "direct-ms")
				b.ReportMetric(ms(pAll), "proxy-ms")
				b.ReportMetric(ms(pAll-dAll), "added-ms")
				if stream {
					b.ReportMetric(ms(pFirst-dFirst), "ttft-added-ms")
				}
			})
		}
	}
}

func byteSize(n int) string {
	if n >= 1<<20 {
		return strconv.Itoa(n>>20) + "MB"
	}
	return strconv.Itoa(n>>10) + "KB"
}

// BenchmarkScanRequest is the proxy's own work on a request body, without
// the network: session lookup, the pipeline's JSON redaction.
func BenchmarkScanRequest(b *testing.B) {
	for _, size := range []int{10 << 10, 100 << 10, 1 << 20} {
		b.Run(byteSize(size), func(b *testing.B) {
			px := New(testRedactor(b), Options{})
			body := messagesRequest(b, size, true)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for range b.N {
				r := httptest.NewRequest("POST", "/v1/messages", bytes.NewReader(body))
				if _, _, err := px.scanRequest(r, &call{path: "/v1/messages"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
