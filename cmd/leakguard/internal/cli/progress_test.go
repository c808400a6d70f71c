package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestProgressLine(t *testing.T) {
	tests := []struct {
		name string
		s    progressState
		want string
	}{
		{"totals known", progressState{elapsed: 2 * time.Second, unit: "files", done: 1204, total: 25056, bytes: 86e6, totalBytes: 340e6, totalDone: true},
			"scanning 1,204/25,056 files  86.0 MB/340.0 MB  43.0 MB/s  ETA 6s"},
		{"totals not yet known", progressState{elapsed: time.Second, unit: "files", done: 12, bytes: 5e6},
			"scanning 12 files  5.0 MB  5.0 MB/s"},
		{"stdin or git", progressState{elapsed: 3 * time.Second, unit: "fragments", bytes: 3e9},
			"scanning 3.00 GB  1.00 GB/s"},
		{"too early for a rate", progressState{elapsed: 100 * time.Millisecond, unit: "files", done: 1, bytes: 1e9},
			"scanning 1 files  1.00 GB"},
		{"past the estimate", progressState{elapsed: 2 * time.Second, unit: "files", done: 10, total: 9, bytes: 12e6, totalBytes: 10e6, totalDone: true},
			"scanning 9/9 files  12.0 MB/10.0 MB  6.0 MB/s  ETA 1s"},
	}
	for _, tt := range tests {
		if got := tt.s.line(); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the bar's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestProgressFirstFrame: a scan that has read 1.4 GB by the time the bar
// appears shows the rate since the scan started, not a burst over the
// bar's first instant (it used to show "1.4 TB/s"), and the file totals
// from the walk.
func TestProgressFirstFrame(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 30; i++ {
		os.WriteFile(filepath.Join(dir, "f"+strconv.Itoa(i)), bytes.Repeat([]byte("x"), 1000), 0o644)
	}
	var errb syncBuffer
	env := &Env{Err: &errb, IsTerminal: true}
	p := newProgress(env, false)
	c := &countFiles{}
	p.counting(c)
	p.total(context.Background(), []string{dir}, false, 0)
	c.files.Store(10)
	p.Scanned(1400 << 20)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(errb.String(), "/30 files") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	p.Finish()
	out := errb.String()
	if !strings.Contains(out, "10/30 files") {
		t.Fatalf("no frame with the file totals:\n%q", out)
	}
	rates := regexp.MustCompile(`([0-9.]+) (B|KB|MB|GB|TB)/s`).FindAllStringSubmatch(out, -1)
	if len(rates) == 0 {
		t.Errorf("no frame shows a rate:\n%q", out)
	}
	for _, m := range rates {
		v, _ := strconv.ParseFloat(m[1], 64)
		mult := map[string]float64{"B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12}[m[2]]
		// 1.47 GB over at least progressDelay: at most ~2 GB/s.
		if rate := v * mult; rate > float64(1400<<20)/progressDelay.Seconds()*1.01 {
			t.Errorf("frame shows %s %s/s, more than the bytes over the time since the start", m[1], m[2])
		}
	}
	// Disabled off a terminal: nothing drawn.
	var quiet syncBuffer
	q := newProgress(&Env{Err: &quiet}, false)
	q.Scanned(100)
	q.Finish()
	if quiet.String() != "" {
		t.Errorf("progress drawn off a terminal: %q", quiet.String())
	}
}
