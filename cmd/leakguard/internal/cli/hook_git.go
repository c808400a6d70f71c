package cli

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

// hookGit is what `hook run` asks of git. The scanning sources are the git
// source package's (the same code as `leakguard git --staged` and
// `--pre-push`); the fields let tests substitute them.
type hookGit struct {
	// open opens the repository containing the working directory.
	open func(ctx context.Context) (*gitsrc.Repo, error)
	// staged yields the lines the index adds against HEAD.
	staged func(ctx context.Context, repo *gitsrc.Repo) (scanner.Source, error)
	// pushed scans what a push sends, each finding attributed to the commit
	// that introduced it: the pre-push hook's standard input lists the refs,
	// remote names the remote. sc is Unfiltered; filter is applied to the
	// attributed findings.
	pushed func(ctx context.Context, repo *gitsrc.Repo, remote string, refs io.Reader, sc *scanner.Scanner, filter scanner.Filter) ([]scanner.Finding, error)
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

// toplevel returns the top of the work tree holding the working directory.
func (hookGit) toplevel(ctx context.Context) (string, error) {
	out, err := runGit(ctx, ".", "rev-parse", "--show-toplevel")
	if err != nil {
		return "", fmt.Errorf("find the work tree: %w", err)
	}
	return filepath.Clean(strings.TrimSpace(string(out))), nil
}

// headFile returns the content of path (slash-separated, relative to the
// repository root) at HEAD, and whether it exists there. HEAD must exist.
func (hookGit) headFile(ctx context.Context, root, path string) ([]byte, bool, error) {
	data, err := runGit(ctx, root, "cat-file", "blob", "HEAD:"+path)
	if err != nil {
		if gitStatus(err) == 128 { // no such path at HEAD
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("read HEAD:%s: %w", path, err)
	}
	return data, true, nil
}

// writeTree returns the id of the tree the index holds, for the audit log;
// "" when git cannot write it (an unmerged index).
func (hookGit) writeTree(ctx context.Context, root string) string {
	out, err := runGit(ctx, root, "write-tree")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
