package cli

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress draws a byte-counting progress bar on stderr for scans that
// take more than a moment, and only when stderr is a terminal.
type progress struct {
	env     *Env
	enabled bool
	start   time.Time
	bytes   atomic.Int64
	mu      sync.Mutex
	bar     *progressbar.ProgressBar
}

// progressDelay is how long a scan runs before a bar appears.
const progressDelay = 750 * time.Millisecond

func newProgress(env *Env, off bool) *progress {
	return &progress{env: env, enabled: env.IsTerminal && !off, start: time.Now()}
}

// Scanned implements scanner.Progress.
func (p *progress) Scanned(n int) {
	if !p.enabled {
		return
	}
	p.bytes.Add(int64(n))
	if time.Since(p.start) < progressDelay {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar == nil {
		p.bar = progressbar.NewOptions64(-1,
			progressbar.OptionSetWriter(p.env.Err),
			progressbar.OptionSetDescription("scanning"),
			progressbar.OptionShowBytes(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSpinnerType(14),
			progressbar.OptionClearOnFinish(),
		)
		_ = p.bar.Add64(p.bytes.Load())
		return
	}
	_ = p.bar.Add(n)
}

// Finish clears the bar, if one was drawn.
func (p *progress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
