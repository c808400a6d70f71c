package e2e

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// proxyProcess runs the leakguard binary's proxy in front of upstream and
// returns its URL.
func proxyProcess(t *testing.T, upstream string, extra ...string) (string, *exec.Cmd) {
	t.Helper()
	home := t.TempDir()
	args := append([]string{"proxy", "--listen", "127.0.0.1:0", "--upstream", upstream, "--insecure-upstream",
		"--audit-log", filepath.Join(home, "audit.jsonl")}, extra...)
	cmd := exec.Command(leakguardBin(t), args...)
	cmd.Env = baseEnv(home)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if _, rest, ok := strings.Cut(sc.Text(), "listening on "); ok {
			go io.Copy(io.Discard, stderr)
			return strings.Fields(rest)[0], cmd
		}
	}
	t.Fatal("the proxy never said where it listens")
	return "", nil
}

// TestHostileTraffic: whatever the agent or the upstream does, the proxy
// process lives on, forwards nothing it could not scan, and never keeps
// the agent past its own timeout.
func TestHostileTraffic(t *testing.T) {
	key := fakeAWS(301)
	var mu sync.Mutex
	var bodies []string
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		switch r.Header.Get("X-Test") {
		case "slow":
			select {
			case <-r.Context().Done():
			case <-time.After(time.Minute):
			}
			return
		case "drop":
			w.Header().Set("Content-Type", "text/event-stream")
			io.WriteString(w, "event: message_start\ndata: {\"type\":\"message_start\"}\n\nevent: content_block_delta\ndata: {\"type\":")
			w.(http.Flusher).Flush()
			if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
				c.Close()
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"type":"message","content":[]}`)
	}))
	defer up.Close()
	url, proc := proxyProcess(t, up.URL)
	seen := func() int { mu.Lock(); defer mu.Unlock(); return len(bodies) }
	sawKey := func() bool {
		mu.Lock()
		defer mu.Unlock()
		for _, b := range bodies {
			if strings.Contains(b, key) {
				return true
			}
		}
		return false
	}
	send := func(timeout time.Duration, body, test string) (int, string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "POST", url+"/v1/messages", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Test", test)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), err
	}
	alive := func(after string) {
		t.Helper()
		if proc.ProcessState != nil {
			t.Fatalf("the proxy exited after %s", after)
		}
		if st, _, err := send(10*time.Second, `{"messages":[]}`, ""); err != nil || st != 200 {
			t.Fatalf("the proxy does not serve after %s: %d %v", after, st, err)
		}
	}

	t.Run("50 MB body", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(`{"model":"m","messages":[{"role":"user","content":"`)
		line := strings.Repeat("lorem ipsum dolor sit amet ", 3) + `\n`
		for b.Len() < 50<<20 {
			b.WriteString(line)
		}
		b.WriteString(`AWS_ACCESS_KEY_ID=` + key + `"}]}`)
		start := time.Now()
		st, body, err := send(2*time.Minute, b.String(), "")
		if err != nil || st != 200 {
			t.Fatalf("50 MB request: %d %v %.200s", st, err, body)
		}
		t.Logf("50 MB body scanned and forwarded in %v", time.Since(start))
		if sawKey() {
			t.Error("the key in the 50 MB body reached the upstream")
		}
		alive("a 50 MB body")
	})
	t.Run("malformed JSON", func(t *testing.T) {
		n := seen()
		st, body, _ := send(10*time.Second, `{"messages":[{"content":"`+key+`"}`, "")
		if st != 400 || !strings.Contains(body, "not valid JSON") || seen() != n {
			t.Errorf("got %d %s (upstream requests +%d), want 400 and nothing forwarded", st, body, seen()-n)
		}
		alive("malformed JSON")
	})
	t.Run("non-JSON body", func(t *testing.T) {
		n := seen()
		st, body, _ := send(10*time.Second, "\x00\x01binary "+key, "")
		if st != 400 || seen() != n {
			t.Errorf("got %d %s, want 400 and nothing forwarded", st, body)
		}
		alive("a non-JSON body")
	})
	t.Run("slow upstream", func(t *testing.T) {
		start := time.Now()
		_, _, err := send(500*time.Millisecond, `{"messages":[]}`, "slow")
		if err == nil {
			t.Error("a request to a slow upstream did not time out")
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("the agent waited %v past its 500ms timeout", d)
		}
		alive("a slow upstream")
	})
	t.Run("upstream drops mid-stream", func(t *testing.T) {
		start := time.Now()
		_, _, err := send(30*time.Second, `{"messages":[],"stream":true}`, "drop")
		if err == nil {
			t.Error("a stream cut upstream ended cleanly at the agent")
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("the agent hung %v on a dropped stream", d)
		}
		alive("a dropped stream")
	})
	if sawKey() {
		t.Error("the key reached the upstream")
	}
}
