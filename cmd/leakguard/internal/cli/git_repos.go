package cli

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/leakguard/leakguard/scanner"
)

// shardSpec is --shard I/N.
type shardSpec struct{ i, n int }

func parseShard(s string) (shardSpec, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return shardSpec{}, fmt.Errorf("want I/N with 0 <= I < N, got %q", s)
	}
	return shardSpec{i, n}, nil
}

// owns reports whether the shard sweeps repo: a hash of the line as the
// list names it, so that a repository stays in its shard when the list
// is reordered or grows.
func (s shardSpec) owns(repo string) bool {
	if s.n <= 1 {
		return true
	}
	h := sha256.Sum256([]byte(repo))
	return binary.BigEndian.Uint64(h[:8])%uint64(s.n) == uint64(s.i)
}

// readRepoList reads --repos: one local path or clone URL a line; blank
// lines and lines starting with # are skipped; a repository listed twice
// is swept once.
func readRepoList(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") || seen[line] {
			continue
		}
		if strings.HasPrefix(line, "-") {
			return nil, fmt.Errorf("%s: %q: a repository cannot start with '-'", path, line)
		}
		seen[line] = true
		out = append(out, line)
	}
	return out, sc.Err()
}

// scpLike is git's user@host:path form of a remote.
var scpLike = regexp.MustCompile(`^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:`)

func isCloneURL(s string) bool {
	return strings.Contains(s, "://") || scpLike.MatchString(s)
}

// runRepos sweeps every repository of --repos that the shard owns, one
// after another, into one report. A repository that cannot be cloned,
// opened or read costs itself only: the others are swept, the report is
// written, marked partial, naming each one that failed, and the exit
// status is 2.
func runRepos(ctx context.Context, env *Env, o *GitOptions, maxSize int64, prog *progress) error {
	list, err := readRepoList(o.Repos)
	if err != nil {
		return withCode(ExitError, fmt.Errorf("--repos: %w", err))
	}
	if o.SinceState != "" {
		if err := os.MkdirAll(o.SinceState, 0o700); err != nil {
			return withCode(ExitError, fmt.Errorf("--since-state: %w", err))
		}
	}
	var (
		all     []scanner.Finding
		total   scanner.Summary
		failed  []string
		lastRun scanRun
	)
	for _, repo := range list {
		if !o.shard.owns(repo) {
			continue
		}
		if ctx.Err() != nil {
			break
		}
		run, err := sweepListed(ctx, env, o, repo, maxSize, prog)
		if err == nil {
			err = run.err
		}
		for i := range run.findings {
			run.findings[i].Repository = repo
		}
		all = append(all, run.findings...)
		addSummary(&total, run.sum)
		if run.set != nil {
			lastRun.set = run.set
		}
		if err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", repo, err))
			fmt.Fprintf(env.Err, "leakguard: %s: %v\n", repo, err)
		} else if run.sum.Partial != "" {
			failed = append(failed, fmt.Sprintf("%s: %s", repo, run.sum.Partial))
		}
	}
	prog.Finish()
	scanner.Sort(all)
	if o.shard.n > 1 {
		// report merge checks that every shard of the list reported.
		total.Notices = append(total.Notices, fmt.Sprintf("shard %d/%d of %s", o.shard.i, o.shard.n, filepath.Base(o.Repos)))
	}
	lastRun.findings, lastRun.sum = all, total
	if len(failed) > 0 {
		lastRun.sum.Errors += int64(len(failed))
		lastRun.sum.Partial = fmt.Sprintf("%d of the repositories could not be swept in full: %s", len(failed), strings.Join(failed, "; "))
	}
	if err := ctx.Err(); err != nil {
		lastRun.err = err
	}
	return finish(ctx, env, &o.ReportOptions, lastRun)
}

// sweepListed sweeps one listed repository: a local path as it is, a
// clone URL through a bare clone in a temporary directory, removed after.
func sweepListed(ctx context.Context, env *Env, o *GitOptions, repo string, maxSize int64, prog scanner.Progress) (scanRun, error) {
	statePath := ""
	if o.SinceState != "" {
		h := sha256.Sum256([]byte(repo))
		statePath = filepath.Join(o.SinceState, hex.EncodeToString(h[:12])+".json")
	}
	path := repo
	if isCloneURL(repo) {
		dir, err := os.MkdirTemp("", "leakguard-clone-*")
		if err != nil {
			return scanRun{}, err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "repo.git")
		cmd := exec.CommandContext(ctx, "git", "clone", "--bare", "--quiet", "--", repo, path)
		cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			return scanRun{}, fmt.Errorf("git clone: %v: %s", err, strings.TrimSpace(string(out)))
		}
	}
	o.debugf(env, "sweeping %s", repo)
	return sweepOne(ctx, env, o, path, statePath, maxSize, prog)
}

// addSummary adds what one repository's sweep covered to the total.
func addSummary(t *scanner.Summary, s scanner.Summary) {
	t.Fragments += s.Fragments
	t.Bytes += s.Bytes
	t.Skipped += s.Skipped
	t.Errors += s.Errors
	t.Files += s.Files
	t.Commits += s.Commits
	t.Objects += s.Objects
	t.Notices = append(t.Notices, s.Notices...)
}
