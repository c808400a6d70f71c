package hooks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Errors returned when a repository or its hooks cannot be found.
var (
	ErrNotRepository = errors.New("hooks: not a git repository")
	ErrNoGit         = errors.New("hooks: git executable not found")
)

// gitTimeout bounds each git command this package runs.
const gitTimeout = 30 * time.Second

// Location says where a repository keeps its hooks.
type Location struct {
	WorkTree  string // top of the work tree; empty for a bare repository
	GitDir    string // this work tree's git dir (.git, .git/worktrees/X, .git/modules/X)
	CommonDir string // the git dir shared by all linked worktrees
	Bare      bool
	HooksDir  string // the directory git runs hooks from, core.hooksPath applied; absolute
	HooksPath string // core.hooksPath as configured, empty when unset
	FromGit   bool   // the git binary answered; false when files were read instead
}

// DefaultHooksDir is where git looks for hooks when core.hooksPath is not set.
func (l Location) DefaultHooksDir() string { return filepath.Join(l.CommonDir, "hooks") }

// Locate finds the repository containing dir and the directory its hooks run from.
// It asks the git binary on PATH when there is one and reads the .git files and
// config files otherwise.
func Locate(dir string) (Location, error) {
	return locate(context.Background(), lookGit(""), dir)
}

// lookGit returns the git executable to use: explicit when set, else git on PATH,
// else "" (read files instead).
func lookGit(explicit string) string {
	if explicit != "" {
		return explicit
	}
	p, err := exec.LookPath("git")
	if err != nil {
		return ""
	}
	return p
}

func locate(ctx context.Context, git, dir string) (Location, error) {
	if dir == "" {
		dir = "."
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Location{}, fmt.Errorf("locate repository %s: %w", dir, err)
	}
	if git == "" {
		return locateFromFiles(abs)
	}
	return locateWithGit(ctx, git, abs)
}

// runGit runs git in dir and returns its trimmed stdout.
func runGit(ctx context.Context, git, dir string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, gitTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, git, args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			return "", fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
		}
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, msg)
	}
	return strings.TrimRight(out.String(), "\r\n"), nil
}

// exitCode returns the exit status of a failed command, or -1.
func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return -1
}

func locateWithGit(ctx context.Context, git, dir string) (Location, error) {
	args := []string{"rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir",
		"--is-bare-repository", "--git-path", "hooks"}
	out, err := runGit(ctx, git, dir, args...)
	if err != nil && strings.Contains(err.Error(), "path-format") {
		// git before 2.31: paths come back relative to dir.
		out, err = runGit(ctx, git, dir, append(args[:1:1], args[2:]...)...)
	}
	if err != nil {
		if exitCode(err) == 128 {
			return Location{}, fmt.Errorf("%w: %s: %v", ErrNotRepository, dir, err)
		}
		return Location{}, fmt.Errorf("locate repository %s: %w", dir, err)
	}
	lines := strings.Split(out, "\n")
	if len(lines) != 4 {
		return Location{}, fmt.Errorf("locate repository %s: unexpected git rev-parse output %q", dir, out)
	}
	abs := func(p string) string {
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		return filepath.Clean(p)
	}
	loc := Location{
		GitDir:    abs(lines[0]),
		CommonDir: abs(lines[1]),
		Bare:      lines[2] == "true",
		HooksDir:  abs(lines[3]),
		FromGit:   true,
	}
	if !loc.Bare {
		// Fails inside a .git directory; that is not a work tree, so leave it empty.
		if top, err := runGit(ctx, git, dir, "rev-parse", "--show-toplevel"); err == nil && top != "" {
			loc.WorkTree = filepath.Clean(top)
		}
	}
	hp, err := runGit(ctx, git, dir, "config", "--get", "core.hooksPath")
	switch {
	case err == nil:
		loc.HooksPath = hp
	case exitCode(err) == 1: // unset
	default:
		return Location{}, fmt.Errorf("read core.hooksPath in %s: %w", dir, err)
	}
	return loc, nil
}

// locateFromFiles derives the same answer as git by reading .git files and config.
// It follows .git files (worktrees, submodules), commondir files, core.hooksPath in
// system, global, local and worktree config; it does not follow include directives.
func locateFromFiles(dir string) (Location, error) {
	var loc Location
	for d := dir; ; {
		p := filepath.Join(d, ".git")
		if fi, err := os.Stat(p); err == nil {
			loc.WorkTree = d
			if fi.IsDir() {
				loc.GitDir = p
			} else {
				gd, err := readGitFile(p)
				if err != nil {
					return Location{}, err
				}
				loc.GitDir = gd
			}
			break
		}
		if looksLikeGitDir(d) {
			loc.GitDir = d
			loc.Bare = true
			break
		}
		parent := filepath.Dir(d)
		if parent == d {
			return Location{}, fmt.Errorf("%w: %s", ErrNotRepository, dir)
		}
		d = parent
	}
	loc.CommonDir = loc.GitDir
	if b, err := os.ReadFile(filepath.Join(loc.GitDir, "commondir")); err == nil {
		cd := strings.TrimSpace(string(b))
		if !filepath.IsAbs(cd) {
			cd = filepath.Join(loc.GitDir, cd)
		}
		loc.CommonDir = filepath.Clean(cd)
	}
	vals, err := configFromFiles(loc, "core", "hooksPath")
	if err != nil {
		return Location{}, err
	}
	if loc.Bare && filepath.Base(loc.GitDir) == ".git" {
		// Started inside a work tree's .git directory: not bare unless it says so.
		if bare, _ := configFromFiles(loc, "core", "bare"); len(bare) == 0 || bare[len(bare)-1].Value != "true" {
			loc.Bare = false
		}
	}
	loc.HooksDir = loc.DefaultHooksDir()
	if len(vals) > 0 {
		loc.HooksPath = vals[len(vals)-1].Value
		loc.HooksDir = resolveHooksPath(loc, loc.HooksPath)
	}
	return loc, nil
}

// resolveHooksPath applies git's rules: ~ expands to the home directory, and a
// relative path is taken from where hooks run (work tree top, or the git dir of a
// bare repository).
func resolveHooksPath(loc Location, hp string) string {
	if hp == "~" || strings.HasPrefix(hp, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			hp = filepath.Join(home, strings.TrimPrefix(hp[1:], "/"))
		}
	}
	if filepath.IsAbs(hp) {
		return filepath.Clean(hp)
	}
	base := loc.WorkTree
	if base == "" || loc.Bare {
		base = loc.GitDir
	}
	return filepath.Join(base, hp)
}

// readGitFile reads a ".git" file ("gitdir: PATH"), as used by linked worktrees and
// submodules, and returns the absolute git dir it points to.
func readGitFile(p string) (string, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", p, err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	gd, ok := strings.CutPrefix(strings.TrimSpace(line), "gitdir:")
	if !ok {
		return "", fmt.Errorf("%w: %s does not start with \"gitdir:\"", ErrNotRepository, p)
	}
	gd = strings.TrimSpace(gd)
	if !filepath.IsAbs(gd) {
		gd = filepath.Join(filepath.Dir(p), gd)
	}
	return filepath.Clean(gd), nil
}

// looksLikeGitDir reports whether d holds a repository's own files (a bare
// repository, or a .git directory entered directly).
func looksLikeGitDir(d string) bool {
	for _, name := range []string{"HEAD", "objects", "refs"} {
		if _, err := os.Stat(filepath.Join(d, name)); err != nil {
			return false
		}
	}
	return true
}
