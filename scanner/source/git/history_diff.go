package git

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

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
	src := &diffLogSource{h: h, revs: revs, order: order}
	found, sum, err := sc.Scan(ctx, src)
	stats := Stats{Commits: len(order)}
	if err != nil {
		return nil, sum, stats, err
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
	for i := range found {
		f := &found[i]
		if f.Kind == scanner.KindCommitMessage || f.Commit == nil {
			continue
		}
		k := key{f.Path, f.RuleID, f.Secret}
		if b, ok := best[k]; !ok || earlier(f.Commit, b) {
			best[k] = f.Commit
		}
	}
	need := map[string]*scanner.CommitInfo{}
	var out []scanner.Finding
	for _, f := range found {
		if f.Commit == nil {
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

// finish sets fingerprints, applies the ignore list and baseline, sorts.
func (h *History) finish(out []scanner.Finding) []scanner.Finding {
	kept := out[:0]
	for _, f := range out {
		f.Fingerprint = scanner.Fingerprint(&f)
		if h.Ignore.Ignores(f) || h.Baseline.Contains(f) {
			continue
		}
		kept = append(kept, f)
	}
	scanner.Sort(kept)
	return kept
}

// diffLogSource streams git log -p through the diff parser.
type diffLogSource struct {
	h     *History
	revs  []string
	order map[*scanner.CommitInfo]int
}

// diffLogFormat prints what the diff parser reads as git log output: the
// commit id, the committer date (unix) and the message indented by four.
const diffLogFormat = "--format=commit %H%nDate: %ct%n%n%w(0,4,4)%B"

func (s *diffLogSource) Fragments(ctx context.Context, yield func(scanner.Fragment) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	args := append([]string{"log", "-p", "-U0", "--no-color", "--no-ext-diff", "--no-textconv", "-c", "-M", "--root",
		"--no-show-signature", "--no-mailmap", "--src-prefix=a/", "--dst-prefix=b/", "--submodule=short",
		diffLogFormat}, s.revs...)
	args = append(args, "--")
	cmd := s.h.Repo.command(ctx, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start git log: %w", err)
	}
	src := &diff.Source{R: out, Kind: scanner.KindBlob, NoMessages: s.h.NoMessages, MergeAddedOnly: true,
		Skip: s.h.Skip,
		OnCommit: func(c *scanner.CommitInfo) {
			s.order[c] = len(s.order)
		},
	}
	max := s.h.MaxFileSize
	perr := src.Fragments(ctx, func(f scanner.Fragment) error {
		if max > 0 && int64(len(f.Data)) > max && f.Origin.Kind == scanner.KindBlob {
			if s.h.Skip != nil {
				s.h.Skip(f.Origin.Path, fmt.Sprintf("added lines larger than --max-file-size (%d bytes)", len(f.Data)))
			}
			f.Data, f.Origin.LineMap = nil, nil
		}
		return yield(f)
	})
	if perr != nil {
		cancel()
		_, _ = io.Copy(io.Discard, out)
	}
	werr := cmd.Wait()
	if perr != nil {
		return perr
	}
	if werr != nil {
		msg := stderr.String()
		if strings.Contains(msg, "unable to read") || strings.Contains(msg, "bad object") || strings.Contains(msg, "missing") {
			return fmt.Errorf("%w: %v", ErrMissingObject, gitError(args, werr, stderr.Bytes()))
		}
		return gitError(args, werr, stderr.Bytes())
	}
	return nil
}
