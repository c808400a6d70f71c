package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/leakguard/leakguard/scanner"
)

// Files reads files and directory trees. Directories are walked in
// parallel; .git directories are skipped; binary files (see
// scanner.Sniff: NUL bytes in their first 8000 bytes, as git decides,
// unless the file is UTF-16 or text with a stray NUL) are not read past
// that sniff but still yield an empty fragment, so that path rules see
// them.
//
// Only regular files are read: FIFOs, sockets and devices in a tree (or
// behind a followed symlink) are skipped and named, never read. A path
// given on the command line that is a symlink to a directory is walked as
// the directory.
type Files struct {
	Paths []string
	// MaxFileSize skips files larger than this many bytes; 0: no limit.
	MaxFileSize int64
	// FollowSymlinks follows symbolic links to files and directories;
	// loops are detected and reported.
	FollowSymlinks bool
	// Workers read files in parallel; 0 means one per CPU.
	Workers int
	// Skip is told about every input skipped on purpose (binary, too
	// large, a symlink not followed); Error about every input that could
	// not be read. Both may be nil, and are called from one goroutine.
	Skip  func(path, reason string)
	Error func(path string, err error)
	// PathAllowed, if set, says a path need not be read at all (the
	// global allowlist's paths); such files still yield an empty fragment.
	PathAllowed func(path string) bool
}

// ErrNoInput means no path was given.
var ErrNoInput = errors.New("source: no input")

type fileJob struct {
	path, name string // path on disk, path reported
	size       int64
}

type fileResult struct {
	frags []scanner.Fragment
	big   *fileJob // a file to stream from the yielding goroutine
	skip  string
	err   error
	name  string
}

// Fragments walks the paths and yields one fragment per file (several,
// overlapping, for files larger than scanner.StreamChunk).
func (fsrc *Files) Fragments(ctx context.Context, yield func(scanner.Fragment) error) error {
	if len(fsrc.Paths) == 0 {
		return ErrNoInput
	}
	workers := fsrc.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	jobs := make(chan fileJob, 256)
	results := make(chan fileResult, workers*2)
	var walkErrs []fileResult
	var walkMu sync.Mutex
	go func() {
		defer close(jobs)
		for _, p := range fsrc.Paths {
			fsrc.walk(ctx, p, jobs, func(r fileResult) {
				walkMu.Lock()
				walkErrs = append(walkErrs, r)
				walkMu.Unlock()
			})
		}
	}()
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if ctx.Err() != nil {
					continue
				}
				results <- fsrc.read(j)
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	var yerr error
	for r := range results {
		if yerr != nil {
			continue // drain
		}
		yerr = fsrc.deliver(ctx, r, yield)
	}
	if yerr != nil {
		return yerr
	}
	for _, r := range walkErrs {
		fsrc.report(r)
	}
	return ctx.Err()
}

func (fsrc *Files) report(r fileResult) {
	if r.err != nil && fsrc.Error != nil {
		fsrc.Error(r.name, r.err)
	}
	if r.skip != "" && fsrc.Skip != nil {
		fsrc.Skip(r.name, r.skip)
	}
}

func (fsrc *Files) deliver(ctx context.Context, r fileResult, yield func(scanner.Fragment) error) error {
	fsrc.report(r)
	for _, f := range r.frags {
		if err := yield(f); err != nil {
			return err
		}
	}
	if r.big != nil {
		f, err := os.Open(r.big.path)
		if err != nil {
			fsrc.report(fileResult{name: r.big.name, err: err})
			return nil
		}
		defer f.Close()
		origin := scanner.Origin{Kind: scanner.KindFile, Path: r.big.name}
		if err := scanner.ReadChunks(ctx, f, origin, yield); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			var perr *os.PathError
			if errors.As(err, &perr) {
				fsrc.report(fileResult{name: r.big.name, err: err})
				return nil
			}
			return err
		}
	}
	return nil
}

// sniffLen is how much of a file decides whether it is binary.
const sniffLen = scanner.SniffLen

func (fsrc *Files) read(j fileJob) fileResult {
	origin := scanner.Origin{Kind: scanner.KindFile, Path: j.name}
	empty := []scanner.Fragment{{Origin: origin}}
	if fsrc.PathAllowed != nil && fsrc.PathAllowed(j.name) {
		return fileResult{name: j.name, frags: empty}
	}
	if fsrc.MaxFileSize > 0 && j.size > fsrc.MaxFileSize {
		return fileResult{name: j.name, skip: fmt.Sprintf("larger than --max-file-size (%d bytes)", j.size), frags: empty}
	}
	f, err := os.Open(j.path)
	if errors.Is(err, fs.ErrNotExist) {
		// Listed, then deleted before it was read: nothing is left to
		// hold a secret, and the scan is not incomplete for it.
		return fileResult{name: j.name, skip: "deleted during the scan"}
	}
	if err != nil {
		return fileResult{name: j.name, err: err}
	}
	defer f.Close()
	if j.size <= scanner.StreamChunk {
		return fsrc.readSmall(f, j, origin, empty)
	}
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(f, head)
	head = head[:n]
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fileResult{name: j.name, err: err}
	}
	if scanner.IsBinary(head) {
		return fileResult{name: j.name, skip: "binary", frags: empty}
	}
	if n < sniffLen {
		return fileResult{name: j.name, frags: []scanner.Fragment{{Data: head, Origin: origin}}}
	}
	if j.size > scanner.StreamChunk {
		return fileResult{name: j.name, big: &j}
	}
	rest, err := io.ReadAll(f)
	if err != nil {
		return fileResult{name: j.name, err: err}
	}
	data := append(head, rest...)
	return fileResult{name: j.name, frags: []scanner.Fragment{{Data: data, Origin: origin}}}
}

// readSmall reads a file that fits one fragment with one buffer sized from
// its length (one read, no reallocation); a file that grew since it was
// listed is read to its end all the same.
func (fsrc *Files) readSmall(f *os.File, j fileJob, origin scanner.Origin, empty []scanner.Fragment) fileResult {
	buf := make([]byte, j.size+1)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fileResult{name: j.name, err: err}
	}
	data := buf[:n]
	if scanner.IsBinary(data) {
		return fileResult{name: j.name, skip: "binary", frags: empty}
	}
	if n == len(buf) {
		rest, err := io.ReadAll(f)
		if err != nil {
			return fileResult{name: j.name, err: err}
		}
		data = append(data, rest...)
	}
	return fileResult{name: j.name, frags: []scanner.Fragment{{Data: data, Origin: origin}}}
}

// walk sends the files under root to jobs.
func (fsrc *Files) walk(ctx context.Context, root string, jobs chan<- fileJob, fail func(fileResult)) {
	info, err := os.Stat(root)
	if err != nil {
		if _, lerr := os.Lstat(root); lerr == nil && errors.Is(err, fs.ErrNotExist) {
			fail(fileResult{name: root, skip: "broken symlink"})
			return
		}
		fail(fileResult{name: root, err: err})
		return
	}
	if !info.IsDir() {
		name := filepath.ToSlash(filepath.Clean(root))
		if skip := irregular(info.Mode()); skip != "" && info.Mode()&fs.ModeNamedPipe == 0 {
			// A FIFO named on the command line is read (<(cmd) is one);
			// a device or socket never is.
			fail(fileResult{name: name, skip: skip})
			return
		}
		jobs <- fileJob{path: root, name: name, size: info.Size()}
		return
	}
	if li, err := os.Lstat(root); err == nil && li.Mode()&fs.ModeSymlink != 0 {
		// A symlink to a directory, named on the command line: walk the
		// directory (as LINK/ would), reporting paths under LINK.
		root = strings.TrimSuffix(root, string(filepath.Separator)) + string(filepath.Separator)
	}
	visited := map[string]bool{}
	if real, err := filepath.EvalSymlinks(root); err == nil {
		visited[real] = true
	}
	fsrc.walkDir(ctx, root, root, jobs, fail, visited)
}

func (fsrc *Files) walkDir(ctx context.Context, dir, root string, jobs chan<- fileJob, fail func(fileResult), visited map[string]bool) {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		name := displayPath(root, dir, p)
		if err != nil {
			fail(fileResult{name: name, err: err})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if d.Name() == ".git" && p != dir {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if !fsrc.FollowSymlinks {
				fail(fileResult{name: name, skip: "symlink (use --follow-symlinks)"})
				return nil
			}
			target, err := os.Stat(p)
			if err != nil {
				fail(fileResult{name: name, err: err})
				return nil
			}
			if target.IsDir() {
				real, err := filepath.EvalSymlinks(p)
				if err != nil {
					fail(fileResult{name: name, err: err})
					return nil
				}
				if visited[real] || isWithin(real, visited) {
					fail(fileResult{name: name, skip: "symlink loop"})
					return nil
				}
				visited[real] = true
				fsrc.walkDir(ctx, p, root, jobs, fail, visited)
				return nil
			}
			if skip := irregular(target.Mode()); skip != "" {
				fail(fileResult{name: name, skip: skip})
				return nil
			}
			jobs <- fileJob{path: p, name: name, size: target.Size()}
			return nil
		}
		if !d.Type().IsRegular() {
			fail(fileResult{name: name, skip: irregular(d.Type())})
			return nil
		}
		info, err := d.Info()
		if err != nil {
			fail(fileResult{name: name, err: err})
			return nil
		}
		jobs <- fileJob{path: p, name: name, size: info.Size()}
		return nil
	})
}

// irregular says why a file of this mode is not read ("" for a regular
// file): reading a FIFO or a device such as /dev/urandom never ends.
func irregular(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return ""
	case m&fs.ModeNamedPipe != 0:
		return "not a regular file (FIFO)"
	case m&fs.ModeSocket != 0:
		return "not a regular file (socket)"
	case m&fs.ModeDevice != 0:
		return "not a regular file (device)"
	}
	return "not a regular file"
}

// isWithin reports whether real lies inside a directory already walked
// (a symlink to an ancestor would loop).
func isWithin(real string, visited map[string]bool) bool {
	for v := range visited {
		if strings.HasPrefix(real+string(filepath.Separator), v+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// displayPath is the path reported for p found under dir while walking
// root: relative to root when root is ".", else joined as given.
func displayPath(root, dir, p string) string {
	return filepath.ToSlash(filepath.Clean(p))
}

// Reader yields one stream (stdin) in bounded, overlapping fragments.
type Reader struct {
	R      io.Reader
	Origin scanner.Origin
}

// Fragments reads the whole stream.
func (r *Reader) Fragments(ctx context.Context, yield func(scanner.Fragment) error) error {
	return scanner.ReadChunks(ctx, r.R, r.Origin, yield)
}
