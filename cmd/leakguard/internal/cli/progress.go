package cli

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress draws a progress bar on stderr for scans that take more than a
// moment, and only when stderr is a terminal: files (or fragments) done and
// their total, bytes done and their total, the rate, and an ETA once the
// totals are known. The totals come from a walk of the inputs that starts
// only when the bar appears. The rate is measured from the start of the
// scan, so the first frame never shows a burst.
type progress struct {
	env     *Env
	enabled bool
	start   time.Time
	bytes   atomic.Int64
	files   *countFiles

	totalFiles, totalBytes, skippedBytes atomic.Int64
	totalKnown                           atomic.Bool

	stopOnce sync.Once
	stop     chan struct{}
	done     chan struct{}
	mu       sync.Mutex
	bar      *progressbar.ProgressBar
	walk     func(ctx context.Context)
}

// progressDelay is how long a scan runs before a bar appears;
// progressTick how often it is redrawn.
const (
	progressDelay = 750 * time.Millisecond
	progressTick  = 200 * time.Millisecond
)

func newProgress(env *Env, off bool) *progress {
	p := &progress{env: env, enabled: env.IsTerminal && !off, start: time.Now(),
		stop: make(chan struct{}), done: make(chan struct{})}
	if !p.enabled {
		close(p.done)
		return p
	}
	go p.run()
	return p
}

// counting makes the bar count the files c yields; it returns p, the
// scanner.Progress to give the scanner.
func (p *progress) counting(c *countFiles) *progress {
	p.files = c
	return p
}

// total asks for the totals of a file scan: the regular files under paths
// (not in .git, not larger than maxSize when it is set) and their bytes.
// The walk runs only if the bar appears.
func (p *progress) total(ctx context.Context, paths []string, follow bool, maxSize int64) {
	if !p.enabled {
		return
	}
	p.walk = func(ctx context.Context) {
		var n, size int64
		for _, root := range paths {
			_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					return nil
				}
				select {
				case <-p.stop:
					return filepath.SkipAll
				default:
				}
				if d.IsDir() {
					if d.Name() == ".git" && path != root {
						return filepath.SkipDir
					}
					return nil
				}
				if !d.Type().IsRegular() && !(follow && d.Type()&fs.ModeSymlink != 0) {
					return nil
				}
				fi, err := os.Stat(path)
				if err != nil || !fi.Mode().IsRegular() || (maxSize > 0 && fi.Size() > maxSize) {
					return nil
				}
				n++
				size += fi.Size()
				return nil
			})
		}
		p.totalFiles.Store(n)
		p.totalBytes.Store(size)
		p.totalKnown.Store(true)
	}
}

// skipped tells the bar a file will not be scanned, so that its bytes do
// not hold the ETA back.
func (p *progress) skipped(path string) {
	if !p.enabled || p.walk == nil {
		return
	}
	if fi, err := os.Lstat(path); err == nil && fi.Mode().IsRegular() {
		p.skippedBytes.Add(fi.Size())
	}
}

// Scanned implements scanner.Progress.
func (p *progress) Scanned(n int) {
	if p.enabled {
		p.bytes.Add(int64(n))
	}
}

func (p *progress) run() {
	defer close(p.done)
	select {
	case <-time.After(progressDelay):
	case <-p.stop:
		return
	}
	if p.walk != nil {
		go p.walk(context.Background())
	}
	t := time.NewTicker(progressTick)
	defer t.Stop()
	for {
		p.draw()
		select {
		case <-t.C:
		case <-p.stop:
			return
		}
	}
}

// draw renders one frame.
func (p *progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := progressState{
		elapsed: time.Since(p.start),
		bytes:   p.bytes.Load(),
		unit:    "fragments",
	}
	if p.files != nil {
		s.unit, s.done = "files", p.files.files.Load()
	}
	if p.totalKnown.Load() {
		s.totalDone = true
		s.total, s.totalBytes = p.totalFiles.Load(), p.totalBytes.Load()-p.skippedBytes.Load()
	}
	if p.bar == nil {
		p.bar = progressbar.NewOptions64(-1,
			progressbar.OptionSetWriter(p.env.Err),
			progressbar.OptionSpinnerType(14),
			progressbar.OptionSetElapsedTime(false),
			progressbar.OptionSetPredictTime(false),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(0),
		)
	}
	p.bar.Describe(s.line())
}

// Finish stops the bar and clears it, if one was drawn.
func (p *progress) Finish() {
	p.stopOnce.Do(func() { close(p.stop) })
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}

// progressState is one frame's numbers.
type progressState struct {
	elapsed           time.Duration
	unit              string // "files" or "fragments"
	done, total       int64
	bytes, totalBytes int64
	totalDone         bool
}

// line formats a frame: "scanning 1,204/25,056 files  86.0 MB/340 MB
// 62.1 MB/s  ETA 4s". The rate is the average since the scan started;
// before a second has passed, or before the totals are known, the parts
// that would be guesses are left out.
func (s progressState) line() string {
	var b strings.Builder
	b.WriteString("scanning ")
	if s.unit == "files" {
		if s.totalDone && s.total > 0 {
			fmt.Fprintf(&b, "%s/%s files", groupDigits(min(s.done, s.total)), groupDigits(s.total))
		} else {
			fmt.Fprintf(&b, "%s files", groupDigits(s.done))
		}
		b.WriteString("  ")
	}
	b.WriteString(humanBytes(s.bytes))
	if s.totalDone && s.totalBytes > 0 {
		b.WriteString("/" + humanBytes(s.totalBytes))
	}
	sec := s.elapsed.Seconds()
	if sec < 0.5 {
		return b.String()
	}
	rate := float64(s.bytes) / sec
	fmt.Fprintf(&b, "  %s/s", humanBytes(int64(rate)))
	if s.totalDone && s.totalBytes > 0 && rate > 0 {
		left := float64(s.totalBytes-s.bytes) / rate
		if left < 1 {
			left = 1
		}
		fmt.Fprintf(&b, "  ETA %s", time.Duration(left*float64(time.Second)).Round(time.Second))
	}
	return b.String()
}

// humanBytes formats a byte count with a decimal unit.
func humanBytes(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f KB", float64(n)/1e3)
	case n < 1000*1000*1000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	default:
		return fmt.Sprintf("%.2f GB", float64(n)/1e9)
	}
}

// groupDigits writes n with thousands separators.
func groupDigits(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
