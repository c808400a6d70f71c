package gate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/leakguard/leakguard/scanner"
	gitsrc "github.com/leakguard/leakguard/scanner/source/git"
)

// Git is what a gate asks of git. The scanning sources are the git source
// package's (the same code as `leakguard git --staged` and `--pre-push`);
// tests substitute fields. A nil field uses the default.
type Git struct {
	// Open opens the repository containing the working directory.
	Open func(ctx context.Context) (*gitsrc.Repo, error)
	// Staged yields the lines the index adds against HEAD.
	Staged func(ctx context.Context, repo *gitsrc.Repo) (scanner.Source, error)
	// Pushed scans what a push sends, each finding attributed to the commit
	// that introduced it: refs is the pre-push hook's standard input,
	// remote names the remote. filter applies to the attributed findings.
	Pushed func(ctx context.Context, repo *gitsrc.Repo, remote string, refs io.Reader, sc *scanner.Scanner, filter scanner.Filter) ([]scanner.Finding, error)
}

// withDefaults fills the nil fields with DefaultGit's.
func (g Git) withDefaults() Git {
	d := DefaultGit()
	if g.Open == nil {
		g.Open = d.Open
	}
	if g.Staged == nil {
		g.Staged = d.Staged
	}
	if g.Pushed == nil {
		g.Pushed = d.Pushed
	}
	return g
}

// DefaultGit wires a gate to the git source package, in the working
// directory.
func DefaultGit() Git {
	return Git{
		Open: func(ctx context.Context) (*gitsrc.Repo, error) {
			return gitsrc.Open(ctx, ".", false)
		},
		Staged: func(ctx context.Context, repo *gitsrc.Repo) (scanner.Source, error) {
			return &gitsrc.Staged{Repo: repo}, nil
		},
		Pushed: func(ctx context.Context, repo *gitsrc.Repo, remote string, refs io.Reader, sc *scanner.Scanner, filter scanner.Filter) ([]scanner.Finding, error) {
			revs, err := gitsrc.PrePushRevs(ctx, repo, refs)
			if err != nil || revs == nil {
				return nil, err
			}
			h := &gitsrc.History{Repo: repo, Revs: revs, Filter: filter}
			findings, _, stats, err := h.Scan(ctx, sc)
			if err == nil && len(stats.Unreadable) > 0 {
				// A commit or object of the push that could not be read
				// is a push that was not checked: the gate's error
				// policy decides (it blocks unless failClosed = false).
				err = fmt.Errorf("%d part(s) of the pushed commits could not be read (first: %s)", len(stats.Unreadable), stats.Unreadable[0])
			}
			return findings, err
		},
	}
}

// runGit runs git in dir and returns its standard output.
func runGit(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(errb.String()); msg != "" {
			return nil, fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, msg)
		}
		return nil, fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
	}
	return out.Bytes(), nil
}

// gitStatus returns the exit status of a failed git command, or -1.
func gitStatus(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return -1
}

// Toplevel returns the top of the work tree holding the working directory.
func (Git) Toplevel(ctx context.Context) (string, error) {
	out, err := runGit(ctx, ".", "rev-parse", "--show-toplevel")
	if err != nil {
		return "", fmt.Errorf("find the work tree: %w", err)
	}
	return filepath.Clean(strings.TrimSpace(string(out))), nil
}

// HeadFile returns the content of path (slash-separated, relative to the
// repository root) at HEAD, and whether it exists there. HEAD must exist.
func (Git) HeadFile(ctx context.Context, root, path string) ([]byte, bool, error) {
	data, err := runGit(ctx, root, "cat-file", "blob", "HEAD:"+path)
	if err != nil {
		if gitStatus(err) == 128 { // no such path at HEAD
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("read HEAD:%s: %w", path, err)
	}
	return data, true, nil
}

// WriteTree returns the id of the tree the index holds, for the audit log;
// "" when git cannot write it (an unmerged index).
func (Git) WriteTree(ctx context.Context, root string) string {
	out, err := runGit(ctx, root, "write-tree")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// CommentChar returns core.commentChar, or "" when it is unset.
func (Git) CommentChar(ctx context.Context) string {
	out, err := runGit(ctx, ".", "config", "--get", "core.commentChar")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
