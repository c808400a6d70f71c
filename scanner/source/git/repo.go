package git

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	gogit "github.com/go-git/go-git/v5"
)

// Errors about the repository.
var (
	ErrNotRepository = errors.New("git: not a git repository")
	ErrNoGit         = errors.New("git: no git binary on PATH")
)

// Repo is a repository opened for scanning.
type Repo struct {
	// Dir is the directory given to Open.
	Dir string
	// GitDir is the repository's git directory (absolute).
	GitDir string
	// Bare and Shallow describe the repository; a shallow clone's history
	// is partial.
	Bare, Shallow bool
	// HasHead is set when HEAD names a commit (not an unborn branch).
	HasHead bool

	bin      string            // the git binary; "" when only go-git is available
	gg       *gogit.Repository // the go-git repository when bin is ""
	workTree string            // the work tree's root ("" when bare)
}

// Open opens the repository at dir (a work tree, any directory inside
// one, or a bare repository). It uses the git binary when one is on PATH
// and noBinary is false, else go-git.
func Open(ctx context.Context, dir string, noBinary bool) (*Repo, error) {
	if dir == "" {
		dir = "."
	}
	r := &Repo{Dir: dir}
	if !noBinary {
		if bin, err := exec.LookPath("git"); err == nil {
			r.bin = bin
		}
	}
	if r.bin == "" {
		return openGoGit(r)
	}
	// One git process: the layout, the work tree and whether HEAD names
	// a commit (--verify fails, after printing the rest, on an unborn
	// branch). --show-toplevel fails in a bare repository: ask again
	// without it there.
	head := []string{"--verify", "--quiet", "HEAD^{commit}"}
	layout := []string{"rev-parse", "--absolute-git-dir", "--is-bare-repository", "--is-shallow-repository"}
	out, err := r.output(ctx, nil, append(append(layout, "--show-toplevel"), head...)...)
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	top := len(lines) >= 4
	if !top {
		out, err = r.output(ctx, nil, append(layout, head...)...)
		lines = strings.Split(strings.TrimSpace(string(out)), "\n")
	}
	if len(lines) < 3 {
		if fi, serr := os.Stat(dir); serr != nil || !fi.IsDir() {
			return nil, fmt.Errorf("%w: %s: no such directory", ErrNotRepository, dir)
		}
		return nil, fmt.Errorf("%w: %s", ErrNotRepository, dir)
	}
	r.GitDir, r.Bare, r.Shallow = lines[0], lines[1] == "true", lines[2] == "true"
	if top && !r.Bare {
		r.workTree = filepath.Clean(lines[3])
		lines = lines[1:]
	}
	r.HasHead = err == nil && len(lines) == 4
	return r, nil
}

// UsesBinary reports whether the repository is read with the git binary.
func (r *Repo) UsesBinary() bool { return r.bin != "" }

// command builds a git command in the repository. Configuration that
// would change the output formats leakguard parses is overridden.
func (r *Repo) command(ctx context.Context, args ...string) *exec.Cmd {
	full := append([]string{
		"-C", r.Dir,
		"-c", "core.quotePath=true",
		"-c", "log.showSignature=false",
		"-c", "diff.noprefix=false",
		"-c", "diff.mnemonicPrefix=false",
	}, args...)
	cmd := exec.CommandContext(ctx, r.bin, full...)
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C", "GIT_PAGER=cat")
	return cmd
}

// output runs git and returns its standard output; the error carries
// git's standard error.
func (r *Repo) output(ctx context.Context, stdin []byte, args ...string) ([]byte, error) {
	cmd := r.command(ctx, args...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, gitError(args, err, stderr.Bytes())
	}
	return out, nil
}

// gitError describes a failed git command.
func gitError(args []string, err error, stderr []byte) error {
	msg := strings.TrimSpace(string(stderr))
	if i := strings.IndexByte(msg, '\n'); i >= 0 && len(msg) > 400 {
		msg = msg[:i]
	}
	if msg == "" {
		return fmt.Errorf("git %s: %w", args[0], err)
	}
	return fmt.Errorf("git %s: %s", args[0], msg)
}

// WorkTree returns the top of the work tree ("" for a bare repository).
func (r *Repo) WorkTree() string { return r.workTree }
