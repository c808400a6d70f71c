package git

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// ErrOptionRev means a revision argument starts with '-': git would read
// it as an option (--output=FILE truncates FILE), so it is refused.
var ErrOptionRev = errors.New("git: a revision cannot start with '-'")

// CheckRev refuses a revision argument that git would take for an option.
// Every revision a user types (a range, a branch) goes through it before
// it reaches a git command line.
func CheckRev(rev string) error {
	if strings.HasPrefix(rev, "-") {
		return fmt.Errorf("%w: %q", ErrOptionRev, rev)
	}
	for _, side := range strings.Split(rev, "..") {
		if strings.HasPrefix(strings.TrimPrefix(side, "."), "-") {
			return fmt.Errorf("%w: %q", ErrOptionRev, rev)
		}
	}
	return nil
}

// RangeBase resolves the base of a range "A..B" or "A...B" (the merge base
// of A and B) to a commit id; an empty side means HEAD, as in git. ok is
// false when rng is not a range (a single revision has no base).
func (r *Repo) RangeBase(ctx context.Context, rng string) (base string, ok bool, err error) {
	if err := CheckRev(rng); err != nil {
		return "", false, err
	}
	from, to, found := strings.Cut(rng, "..")
	if !found {
		return "", false, nil
	}
	symmetric := strings.HasPrefix(to, ".")
	to = strings.TrimPrefix(to, ".")
	from, to = orHead(from), orHead(to)
	if !symmetric {
		id, err := r.ResolveCommit(ctx, from)
		return id, err == nil, err
	}
	if r.bin == "" {
		return "", false, fmt.Errorf("go-git: %q: symmetric ranges need the git binary", rng)
	}
	out, err := r.output(ctx, nil, "merge-base", from, to)
	if err != nil {
		return "", false, fmt.Errorf("merge base of %s: %w", rng, err)
	}
	return strings.TrimSpace(string(out)), true, nil
}

// ResolveCommit returns the id of the commit rev names.
func (r *Repo) ResolveCommit(ctx context.Context, rev string) (string, error) {
	if err := CheckRev(rev); err != nil {
		return "", err
	}
	if r.bin == "" {
		h, err := r.gg.ResolveRevision(plumbing.Revision(rev))
		if err != nil {
			return "", fmt.Errorf("bad revision %q: %w", rev, err)
		}
		c, err := peel(r.gg, *h)
		if err != nil {
			return "", fmt.Errorf("bad revision %q: %w", rev, err)
		}
		return c.String(), nil
	}
	out, err := r.output(ctx, nil, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil {
		return "", fmt.Errorf("bad revision %q: not a commit", rev)
	}
	return strings.TrimSpace(string(out)), nil
}

// FileAt returns the content of path (slash-separated, relative to the
// repository root) in commit, and whether the commit has it.
func (r *Repo) FileAt(ctx context.Context, commit, path string) ([]byte, bool, error) {
	if r.bin == "" {
		c, err := r.gg.CommitObject(plumbing.NewHash(commit))
		if err != nil {
			return nil, false, fmt.Errorf("read %s:%s: %w", short(commit), path, err)
		}
		f, err := c.File(path)
		if errors.Is(err, object.ErrFileNotFound) {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, fmt.Errorf("read %s:%s: %w", short(commit), path, err)
		}
		s, err := f.Contents()
		if err != nil {
			return nil, false, fmt.Errorf("read %s:%s: %w", short(commit), path, err)
		}
		return []byte(s), true, nil
	}
	// ls-tree prints nothing for a path the commit lacks and fails on a
	// tree it cannot read (which must not pass for "no config").
	out, err := r.output(ctx, nil, "ls-tree", "-z", "--full-tree", commit, "--", path)
	if err != nil {
		return nil, false, fmt.Errorf("read %s:%s: %w", short(commit), path, err)
	}
	meta, _, found := strings.Cut(string(out), "\t")
	f := strings.Fields(meta)
	if !found || len(f) != 3 {
		return nil, false, nil
	}
	if f[1] != "blob" {
		return nil, false, fmt.Errorf("read %s:%s: a %s, not a file", short(commit), path, f[1])
	}
	id := []byte(f[2])
	data, err := r.output(ctx, nil, "cat-file", "blob", strings.TrimSpace(string(id)))
	if err != nil {
		return nil, false, fmt.Errorf("read %s:%s: %w", short(commit), path, err)
	}
	return data, true, nil
}

// short abbreviates a commit id for messages.
func short(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
