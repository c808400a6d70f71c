package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"

	"github.com/leakguard/leakguard/scanner"
	"github.com/leakguard/leakguard/scanner/source/diff"
)

// defaultHookGit wires `hook run` to the git sources.
func defaultHookGit() hookGit {
	return hookGit{
		staged: func(ctx context.Context, root string) (scanner.Source, error) {
			return &gitDiffSource{dir: root, args: []string{"diff", "--cached", "--no-color", "--no-ext-diff",
				"--no-textconv", "--find-renames", "--unified=0", "--diff-filter=d", "--src-prefix=a/", "--dst-prefix=b/", "--no-relative"}}, nil
		},
		pushed: func(ctx context.Context, root, remote string, refs io.Reader, sc *scanner.Scanner, ignore *scanner.IgnoreList) ([]scanner.Finding, error) {
			return nil, errors.New("push scanning is not available yet")
		},
	}
}

// gitDiffSource streams a git diff command's output through the diff source.
type gitDiffSource struct {
	dir  string
	args []string
}

func (s *gitDiffSource) Fragments(ctx context.Context, yield func(scanner.Fragment) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", s.args...)
	cmd.Dir = s.dir
	var errb strings.Builder
	cmd.Stderr = &errb
	out, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("git %s: %w", s.args[0], err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git %s: %w", s.args[0], err)
	}
	perr := (&diff.Source{R: out}).Fragments(ctx, yield)
	if perr != nil {
		cancel()
		io.Copy(io.Discard, out)
	}
	werr := cmd.Wait()
	if perr != nil {
		return perr
	}
	if werr != nil {
		return fmt.Errorf("git %s: %w: %s", strings.Join(s.args, " "), werr, strings.TrimSpace(errb.String()))
	}
	return nil
}
