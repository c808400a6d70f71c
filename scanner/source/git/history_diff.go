package git

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/leakguard/leakguard/scanner"
	"github.com/leakguard/leakguard/scanner/source/diff"
)

// History engines.
const (
	// EngineDiff scans the lines each commit adds (git log -p -U0, merges
	// in combined form keeping only lines no parent has). It needs the git
	// binary. It is the default: on real histories most commits change a
	// few lines of large files, and scanning added lines reads far fewer
	// bytes than scanning every version of every file.
	EngineDiff = "diff"
	// EngineBlob scans every unique (blob, path) once, whole, and then
	// attributes findings by comparing each version with its parents'.
	// It is what the go-git fallback uses.
	EngineBlob = "blob"
)

// scanDiff is the diff engine.
func (h *History) scanDiff(ctx context.Context, sc *scanner.Scanner, revs []string) ([]scanner.Finding, scanner.Summary, Stats, error) {
	order := map[*scanner.CommitInfo]int{}
	src := &diffLogSource{h: h, revs: revs, order: order, bad: map[string]error{}}
	found, sum, err := sc.Scan(ctx, src)
	stats := Stats{Commits: src.commits}
	if errors.Is(err, ErrMissingObject) && ctx.Err() == nil {
		// git log -p stops at the first object it cannot read: read the
		// whole selection again with the blob engine, which skips what is
		// missing (and names it) and scans the rest.
		one := *h
		one.Engine = EngineBlob
		fs, sum2, st2, ferr := one.Scan(ctx, sc)
		st2.Fallbacks++
		return fs, sum2, st2, ferr
	}
	if err != nil {
		return nil, sum, stats, err
	}
	// A commit whose diff git printed in a form the parser cannot read is
	// read again by the blob engine, alone; what the diff run found in it
	// is replaced by that.
	if len(src.bad) > 0 {
		bySHA := map[string]int{}
		for c, i := range order {
			bySHA[c.SHA] = i
		}
		kept := found[:0]
		for _, f := range found {
			if f.Commit == nil || src.bad[f.Commit.SHA] == nil {
				kept = append(kept, f)
			}
		}
		found = kept
		shas := make([]string, 0, len(src.bad))
		for sha := range src.bad {
			shas = append(shas, sha)
		}
		sort.Strings(shas)
		for _, sha := range shas {
			stats.Fallbacks++
			one := *h
			one.Revs, one.All, one.Since, one.Until, one.Engine = []string{sha + "^!"}, false, "", "", EngineBlob
			one.Filter, one.State = scanner.Filter{}, nil
			if !strings.HasPrefix(sha, "unknown") {
				fs, sum2, _, ferr := one.Scan(ctx, sc)
				if ferr == nil {
					sum.Fragments += sum2.Fragments
					sum.Bytes += sum2.Bytes
					for _, f := range fs {
						if f.Commit != nil {
							order[f.Commit] = bySHA[f.Commit.SHA]
						}
						found = append(found, f)
					}
					continue
				}
				stats.Unreadable = append(stats.Unreadable, Unreadable{Commit: sha, Err: fmt.Errorf("%v; read again alone: %w", src.bad[sha], ferr)})
				continue
			}
			stats.Unreadable = append(stats.Unreadable, Unreadable{Commit: sha, Err: src.bad[sha]})
		}
	}
	// Keep each (path, rule, secret) at the earliest commit that adds it.
	type key struct{ path, rule, secret string }
	best := map[key]*scanner.CommitInfo{}
	earlier := func(a, b *scanner.CommitInfo) bool {
		if a.Date != b.Date {
			return a.Date < b.Date // committer dates, RFC 3339 in UTC
		}
		return order[a] > order[b] // git log lists newer commits first
	}
	det := sc.Detector()
	allowed := make([]bool, len(found))
	for i := range found {
		f := &found[i]
		if f.Kind == scanner.KindCommitMessage || f.Commit == nil {
			continue
		}
		// The part of the allowlists that names commits applies now that
		// the finding has one.
		if det.CommitAllowed(f.RuleID, f.Commit.SHA, f.Path, []byte(f.Secret), []byte(f.Match), []byte(f.Line)) {
			allowed[i] = true
			continue
		}
		k := key{f.Path, f.RuleID, f.Secret}
		if b, ok := best[k]; !ok || earlier(f.Commit, b) {
			best[k] = f.Commit
		}
	}
	need := map[string]*scanner.CommitInfo{}
	var out []scanner.Finding
	for i, f := range found {
		if f.Commit == nil || allowed[i] {
			continue
		}
		if f.Kind != scanner.KindCommitMessage && best[key{f.Path, f.RuleID, f.Secret}] != f.Commit {
			continue
		}
		ci, ok := need[f.Commit.SHA]
		if !ok {
			ci = &scanner.CommitInfo{SHA: f.Commit.SHA}
			need[f.Commit.SHA] = ci
		}
		f.Commit = ci
		out = append(out, f)
	}
	if err := h.Repo.commitInfo(ctx, need); err != nil {
		return nil, sum, stats, err
	}
	return h.finish(out), sum, stats, nil
}

// finish sets the attributed findings' fingerprints and applies the
// filter.
func (h *History) finish(out []scanner.Finding) []scanner.Finding {
	for i := range out {
		out[i].Fingerprint = scanner.Fingerprint(&out[i])
	}
	if h.State != nil {
		out = h.State.admit(out)
	}
	return h.Filter.Finish(out)
}

// diffLogSource streams git log -p through the diff parser. Large
// histories are cut into contiguous runs of commits, each diffed by its
// own git process: git's diffing, not detection, is most of the cost.
type diffLogSource struct {
	h     *History
	revs  []string
	mu    sync.Mutex // guards order, bad and calls to h.Skip
	order map[*scanner.CommitInfo]int
	// bad holds the commits whose diff could not be parsed.
	bad map[string]error
	// commits counts the commits rev-list selected.
	commits int
}

// diffLogFormat prints what the diff parser reads as git log output: the
// commit id, the committer date (unix) and the message indented by four.
const diffLogFormat = "--format=commit %H%nDate: %ct%n%n%w(0,4,4)%B"

// minCommitsPerLog is the smallest run of commits worth its own git log.
const minCommitsPerLog = 500

func (s *diffLogSource) Fragments(ctx context.Context, yield func(scanner.Fragment) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out, err := s.h.Repo.output(ctx, nil, append(append([]string{"rev-list"}, s.revs...), "--")...)
	if err != nil {
		return fmt.Errorf("list commits: %w", err)
	}
	commits := strings.Fields(string(out))
	s.commits = len(commits)
	if len(commits) == 0 {
		return nil
	}
	n := min(runtime.GOMAXPROCS(0), (len(commits)+minCommitsPerLog-1)/minCommitsPerLog)
	frags := make(chan scanner.Fragment, 64)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for k := 0; k < n; k++ {
		lo, hi := k*len(commits)/n, (k+1)*len(commits)/n
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.logRun(ctx, commits[lo:hi], lo, func(f scanner.Fragment) error {
				select {
				case frags <- f:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
		}()
	}
	go func() { wg.Wait(); close(frags) }()
	var yerr error
	for f := range frags {
		if yerr != nil {
			continue
		}
		if yerr = yield(f); yerr != nil {
			cancel()
		}
	}
	close(errs)
	var first error
	for err := range errs {
		if err != nil && (first == nil || errors.Is(first, context.Canceled)) {
			first = err
		}
	}
	if yerr != nil {
		return yerr
	}
	return first
}

// logRun diffs one run of commits (base is the index of its first in
// git log order) and sends their fragments.
func (s *diffLogSource) logRun(ctx context.Context, commits []string, base int, send func(scanner.Fragment) error) error {
	args := []string{"log", "-p", "-U0", "--no-color", "--no-ext-diff", "--no-textconv", "-c", "-M", "--root",
		"--no-show-signature", "--no-mailmap", "--src-prefix=a/", "--dst-prefix=b/", "--submodule=short",
		"--no-walk=unsorted", "--stdin", diffLogFormat, "--"}
	cmd := s.h.Repo.command(ctx, args...)
	cmd.Stdin = strings.NewReader(strings.Join(commits, "\n") + "\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start git log: %w", err)
	}
	next := base
	src := &diff.Source{R: out, Kind: scanner.KindBlob, NoMessages: s.h.NoMessages, MergeAddedOnly: true,
		Skip: s.skip,
		Malformed: func(c *scanner.CommitInfo, err error) error {
			sha := "unknown commit"
			if c != nil {
				sha = c.SHA
			}
			s.mu.Lock()
			s.bad[sha] = err
			s.mu.Unlock()
			return nil
		},
		OnCommit: func(c *scanner.CommitInfo) {
			s.mu.Lock()
			s.order[c] = next
			s.mu.Unlock()
			next++
		},
	}
	max := s.h.MaxFileSize
	perr := src.Fragments(ctx, func(f scanner.Fragment) error {
		if max > 0 && int64(len(f.Data)) > max && f.Origin.Kind == scanner.KindBlob {
			s.skip(f.Origin.Path, fmt.Sprintf("added lines larger than --max-file-size (%d bytes)", len(f.Data)))
			f.Data, f.Origin.LineMap = nil, nil
		}
		return send(f)
	})
	if perr != nil {
		_, _ = io.Copy(io.Discard, out)
	}
	werr := cmd.Wait()
	if perr != nil {
		return perr
	}
	if werr != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		msg := stderr.String()
		if strings.Contains(msg, "unable to read") || strings.Contains(msg, "bad object") || strings.Contains(msg, "missing") {
			return fmt.Errorf("%w: %v", ErrMissingObject, gitError(args, werr, stderr.Bytes()))
		}
		return gitError(args, werr, stderr.Bytes())
	}
	return nil
}

func (s *diffLogSource) skip(path, reason string) {
	if s.h.Skip == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.h.Skip(path, reason)
}
