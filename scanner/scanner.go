package scanner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/leakguard/leakguard/detectors"
)

// Progress receives the size of each fragment once it has been scanned.
// Implementations must be safe for concurrent use.
type Progress interface {
	Scanned(bytes int)
}

// Options tune a Scanner.
type Options struct {
	// Workers is the number of detection goroutines; 0 means one per CPU.
	Workers int
	// Filter is the stage after detection: allow markers, ignore file,
	// baseline.
	Filter Filter
	// Unfiltered leaves every finding in, those on allow-marked lines
	// included, and folds nothing across fragments: for a caller that
	// applies Filter.Finish itself once it knows more (git history gives
	// findings their commit only after the scan).
	Unfiltered bool
	// Root is the scan root: fingerprints carry paths relative to it, so
	// that `scan .`, `scan dir` and `scan /abs/dir` agree.
	Root string
	// Progress, if set, is told about every scanned fragment.
	Progress Progress
	// ChunkSize is the largest fragment detected in one piece; larger ones
	// are split with an overlap of Overlap bytes. 0 means DefaultChunkSize.
	ChunkSize int
}

// Chunking defaults. The overlap is longer than any match a rule can make
// within its windows, so a secret across a chunk boundary is found whole.
const (
	DefaultChunkSize = 1 << 20
	Overlap          = 160 << 10
)

// Scanner runs a Detector over Sources. A Scanner is safe for concurrent
// use; each Scan call runs its own workers.
type Scanner struct {
	det  *detectors.Detector
	opts Options
}

// New returns a Scanner using det.
func New(det *detectors.Detector, opts Options) *Scanner {
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.ChunkSize <= 0 {
		opts.ChunkSize = DefaultChunkSize
	}
	return &Scanner{det: det, opts: opts}
}

// Unfiltered returns a scanner like s whose findings are not filtered nor
// folded across fragments (see Options.Unfiltered).
func (s *Scanner) Unfiltered() *Scanner {
	o := s.opts
	o.Unfiltered = true
	o.Filter = Filter{}
	return &Scanner{det: s.det, opts: o}
}

// Detector returns the scanner's detector.
func (s *Scanner) Detector() *detectors.Detector { return s.det }

// Scan reads every fragment of src, detects secrets in parallel and returns
// the findings that pass the filters, sorted by path, line, column and
// rule. The error is src's error, or ctx's.
func (s *Scanner) Scan(ctx context.Context, src Source) ([]Finding, Summary, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	frags := make(chan Fragment, s.opts.Workers*2)
	var (
		mu       sync.Mutex
		findings []Finding
		sum      Summary
		nfrag    atomic.Int64
		nbytes   atomic.Int64
		wg       sync.WaitGroup
	)
	for i := 0; i < s.opts.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local []Finding
			for f := range frags {
				local = s.detectFragment(f, local)
				nfrag.Add(1)
				nbytes.Add(int64(len(f.Data)))
				if s.opts.Progress != nil {
					s.opts.Progress.Scanned(len(f.Data))
				}
				if f.Release != nil {
					f.Release()
				}
			}
			mu.Lock()
			findings = append(findings, local...)
			mu.Unlock()
		}()
	}
	err := src.Fragments(ctx, func(f Fragment) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		s.split(f, func(c Fragment) {
			select {
			case frags <- c:
			case <-ctx.Done():
			}
		})
		return ctx.Err()
	})
	close(frags)
	wg.Wait()
	sum.Fragments, sum.Bytes = nfrag.Load(), nbytes.Load()
	findings = s.finish(findings)
	if err != nil && errors.Is(err, context.Canceled) && ctx.Err() == nil {
		err = nil
	}
	return findings, sum, err
}

// ScanBytes scans one in-memory input.
func (s *Scanner) ScanBytes(ctx context.Context, data []byte, origin Origin) ([]Finding, error) {
	return s.Findings(ctx, Fragment{Data: data, Origin: origin})
}

// Findings scans in-memory fragments in the calling goroutine, through
// the same stages as Scan, and returns the findings sorted. Gates that
// judge one small event (an agent's hook, a model request) use it: it
// starts no goroutines.
func (s *Scanner) Findings(ctx context.Context, frags ...Fragment) ([]Finding, error) {
	var out []Finding
	for _, f := range frags {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s.split(f, func(c Fragment) {
			out = s.detectFragment(c, out)
			if c.Release != nil {
				c.Release()
			}
		})
	}
	return s.finish(out), nil
}

// finish is the stage after detection: the filter (unless Unfiltered),
// one finding per secret per place, and the sort.
func (s *Scanner) finish(fs []Finding) []Finding {
	if s.opts.Unfiltered {
		Sort(fs)
		return fs
	}
	return s.opts.Filter.Finish(fs)
}

type sliceSource []Fragment

func (ss sliceSource) Fragments(ctx context.Context, yield func(Fragment) error) error {
	for _, f := range ss {
		if err := yield(f); err != nil {
			return err
		}
	}
	return nil
}

// SliceSource returns a Source that yields the given fragments.
func SliceSource(frags ...Fragment) Source { return sliceSource(frags) }

// split hands f to emit whole, or in chunks of ChunkSize with Overlap
// bytes of overlap. Chunks start at line starts where one is near, and
// each chunk owns the matches that start before the next chunk does.
func (s *Scanner) split(f Fragment, emit func(Fragment)) {
	if f.Own == 0 && f.Origin.Charset == "" && f.Offset == 0 {
		f = transcode(f)
	}
	if f.Own > 0 || len(f.Data) <= s.opts.ChunkSize+Overlap {
		emit(f)
		return
	}
	starts := chunkStarts(f.Data, s.opts.ChunkSize)
	line := f.Origin.StartLine
	if line == 0 {
		line = 1
	}
	col := max(f.Origin.StartColumn, 1) // column of f.Data[prev]
	prev := 0
	for i, st := range starts {
		line += countNewlines(f.Data[prev:st])
		col = nextColumn(f.Data[prev:st], col)
		prev = st
		end := len(f.Data)
		own := 0
		if i+1 < len(starts) {
			own = starts[i+1] - st
			if end = starts[i+1] + Overlap; end < len(f.Data) {
				end = alignInRun(f.Data, end, starts[i+1])
			} else {
				end = len(f.Data)
			}
		}
		c := Fragment{Data: f.Data[st:end], Origin: f.Origin, Own: own, Offset: f.Offset + st, utf16: f.utf16}
		c.Origin.StartLine = line
		c.Origin.StartColumn = col
		if f.Origin.LineMap != nil {
			c.Origin.LineMap = f.Origin.LineMap[min(line-f.Origin.StartLineOr1(), len(f.Origin.LineMap)):]
		}
		emit(c)
	}
	if f.Release != nil {
		f.Release()
	}
}

// nextColumn returns the column of the byte after b, col being the column
// of b's first byte.
func nextColumn(b []byte, col int) int {
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		return len(b) - i
	}
	return col + len(b)
}

// StartLineOr1 returns StartLine, or 1 when it is unset.
func (o Origin) StartLineOr1() int {
	if o.StartLine == 0 {
		return 1
	}
	return o.StartLine
}

func chunkStarts(data []byte, size int) []int {
	starts := []int{0}
	for next := size; next < len(data); next += size {
		st := next
		// Prefer the start of a line within 4 KiB.
		for i := next; i < len(data) && i < next+4096; i++ {
			if data[i-1] == '\n' {
				st = i
				break
			}
		}
		if st >= len(data) {
			break
		}
		st = alignInRun(data, st, starts[len(starts)-1])
		if st > starts[len(starts)-1] {
			starts = append(starts, st)
		}
	}
	return starts
}

// alignInRun moves a cut at p inside a run of the base64 alphabet back to
// a multiple of 4 characters from where the run starts, so that the
// decoder reads the units of a blob cut into chunks as the whole blob's
// (a run cut elsewhere decodes to noise, or not at all). from is the
// previous cut, itself aligned: a run that reaches back past it is aligned
// from there, so that the search back costs at most one chunk. A cut at
// len(data) is taken to be followed by more of the run (a stream's buffer).
func alignInRun(data []byte, p, from int) int {
	if p <= 0 || p > len(data) || !isAlpha64(data[p-1]) || p < len(data) && !isAlpha64(data[p]) {
		return p
	}
	r := p - 1
	for r > from && isAlpha64(data[r-1]) {
		r--
	}
	if q := p - (p-r)%4; q > from {
		return q
	}
	return p
}

// isAlpha64 reports whether c is in the base64 alphabet, standard or URL.
func isAlpha64(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '-' || c == '_'
}

// Sort orders findings by repository (multi-repository sweeps), path,
// line, column, rule, commit and secret.
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		if a.Repository != b.Repository {
			return a.Repository < b.Repository
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.StartLine != b.StartLine {
			return a.StartLine < b.StartLine
		}
		if a.StartColumn != b.StartColumn {
			return a.StartColumn < b.StartColumn
		}
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		ac, bc := "", ""
		if a.Commit != nil {
			ac = a.Commit.SHA
		}
		if b.Commit != nil {
			bc = b.Commit.SHA
		}
		if ac != bc {
			return ac < bc
		}
		if a.JSONPath != b.JSONPath {
			return a.JSONPath < b.JSONPath
		}
		return a.Secret < b.Secret
	})
}

// Fingerprint returns the gitleaks-compatible fingerprint of f, with the
// path relative to the scan root.
func Fingerprint(f *Finding) string {
	return fingerprint(f, f.FingerprintPath())
}

func fingerprint(f *Finding, path string) string {
	if f.Commit != nil && f.Commit.SHA != "" {
		return fmt.Sprintf("%s:%s:%s:%d", f.Commit.SHA, path, f.RuleID, f.StartLine)
	}
	return fmt.Sprintf("%s:%s:%d", path, f.RuleID, f.StartLine)
}

// relPath returns path relative to root ("" when root is "" or path is
// not under it), slash-separated.
func relPath(root, path string) string {
	if root == "" || path == "" {
		return ""
	}
	r := filepath.ToSlash(filepath.Clean(root))
	p := filepath.ToSlash(filepath.Clean(path))
	if r == "." {
		return strings.TrimPrefix(p, "./")
	}
	if rest, ok := strings.CutPrefix(p, r+"/"); ok {
		return rest
	}
	if r == "/" {
		return strings.TrimPrefix(p, "/")
	}
	return ""
}
