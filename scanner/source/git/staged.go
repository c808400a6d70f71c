package git

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"github.com/leakguard/leakguard/scanner"
	"github.com/leakguard/leakguard/scanner/source/diff"
)

// Staged yields what `git commit` would record: the lines the index adds
// relative to HEAD (to the empty tree before the first commit), one
// fragment per file, with their line numbers in the staged blob. Content
// staged in part (git add -p) is read from the index, never from the work
// tree. Renamed files yield only their changed lines; deleted files and
// submodules yield nothing; binary files are reported to Skip.
type Staged struct {
	Repo *Repo
	Skip func(path, reason string)
	// Unstaged scans the work tree's changes against the index instead
	// (git diff; gitleaks' git --pre-commit without --staged). It needs the
	// git binary.
	Unstaged bool
}

// stagedDiffArgs is the fast path: one git diff of the index against HEAD.
var stagedDiffArgs = []string{
	"diff", "--cached", "--no-color", "--no-ext-diff", "--no-textconv",
	"-U0", "--find-renames", "--ignore-submodules=all",
	"--src-prefix=a/", "--dst-prefix=b/", "--diff-filter=ACMRT",
}

// Fragments implements scanner.Source.
func (s *Staged) Fragments(ctx context.Context, yield func(scanner.Fragment) error) error {
	if s.Unstaged {
		return s.unstaged(ctx, yield)
	}
	if !s.Repo.UsesBinary() {
		return s.goGitFragments(ctx, yield)
	}
	if s.Repo.Bare {
		return fmt.Errorf("staged changes: %s is a bare repository", s.Repo.Dir)
	}
	// Before the first commit git diff --cached compares with the empty tree.
	out, err := s.Repo.output(ctx, nil, stagedDiffArgs...)
	if err != nil {
		return fmt.Errorf("staged changes: %w", err)
	}
	src := &diff.Source{R: bytes.NewReader(out), Skip: s.Skip, NoMessages: true}
	return src.Fragments(ctx, yield)
}

// unstaged scans what git diff shows: the work tree against the index.
func (s *Staged) unstaged(ctx context.Context, yield func(scanner.Fragment) error) error {
	if !s.Repo.UsesBinary() {
		return fmt.Errorf("uncommitted changes: scanning them needs the git binary")
	}
	if s.Repo.Bare {
		return fmt.Errorf("uncommitted changes: %s is a bare repository", s.Repo.Dir)
	}
	args := append([]string(nil), stagedDiffArgs...)
	args = slices.DeleteFunc(args, func(a string) bool { return a == "--cached" })
	out, err := s.Repo.output(ctx, nil, args...)
	if err != nil {
		return fmt.Errorf("uncommitted changes: %w", err)
	}
	src := &diff.Source{R: bytes.NewReader(out), Skip: s.Skip, NoMessages: true}
	return src.Fragments(ctx, yield)
}
