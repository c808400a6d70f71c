package hooks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ErrConflict is returned when a hook cannot be installed or removed without
// losing someone's hook; the error text says which files are in the way.
var ErrConflict = errors.New("hooks: conflicting hook files")

// InstallOptions says where and how to install, remove or inspect hooks.
type InstallOptions struct {
	RepoDir string   // a directory inside the repository; "" is the current directory
	Global  bool     // install for every repository through global core.hooksPath
	Dir     string   // with Global: the hooks directory; "" is DefaultGlobalDir()
	Force   bool     // replace a foreign hook (kept as <hook>.leakguard-backup) instead of chaining it
	Hooks   []string // hook names; empty means DefaultHooks
	Binary  string   // leakguard to call: a path, or a name looked up on PATH; "" means "leakguard"
	Git     string   // git executable; "" looks up git on PATH (files are read when there is none)
}

// Op is what Install or Uninstall did to one hook.
type Op string

// Operations reported in Action.Op.
const (
	OpInstalled Op = "installed" // no hook was there; ours written
	OpUpdated   Op = "updated"   // ours was there, older or with another binary; rewritten
	OpUnchanged Op = "unchanged" // ours was there, identical
	OpChained   Op = "chained"   // a foreign hook was moved to <hook>.leakguard-chained; ours runs it first
	OpReplaced  Op = "replaced"  // Force: a foreign hook was moved to <hook>.leakguard-backup
	OpRemoved   Op = "removed"   // ours removed, nothing to restore
	OpRestored  Op = "restored"  // ours removed, the chained or backed-up hook put back
	OpAbsent    Op = "absent"    // nothing of ours to remove
	OpForeign   Op = "foreign"   // uninstall left a hook that is not ours alone
)

// Action reports what happened to one hook file.
type Action struct {
	Hook  string
	Path  string
	Op    Op
	Moved string // the chained, backup or restored file involved, if any
}

// Result reports an Install or Uninstall.
type Result struct {
	HooksDir string
	Global   bool
	Actions  []Action
	// PreviousHooksPath is the global core.hooksPath that a global install replaced
	// (and that a global uninstall restored); empty when there was none.
	PreviousHooksPath string
	// HooksPathScope is the config scope of the core.hooksPath that chose HooksDir
	// for a repository install ("local", "global", "system", "command"); empty
	// when git's default hooks directory is used. "global" or "system" means other
	// repositories run the hooks in HooksDir too.
	HooksPathScope string
}

func (o InstallOptions) hooks() ([]string, error) {
	hs := o.Hooks
	if len(hs) == 0 {
		hs = DefaultHooks
	}
	for _, h := range hs {
		if !hookNameRE().MatchString(h) {
			return nil, fmt.Errorf("hooks: invalid hook name %q", h)
		}
	}
	return hs, nil
}

// resolveBinary turns opts.Binary into the absolute path written into the scripts;
// "" when it cannot be resolved now (the script then looks on PATH at run time).
func resolveBinary(bin string) string {
	if bin == "" {
		bin = "leakguard"
	}
	if strings.ContainsRune(bin, filepath.Separator) {
		// An explicit path is kept even when it does not exist yet; the script
		// checks it at run time and falls back to PATH.
		if abs, err := filepath.Abs(bin); err == nil {
			return abs
		}
		return bin
	}
	p, err := exec.LookPath(bin)
	if err != nil {
		return ""
	}
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// Install writes leakguard's hooks into the repository's hooks directory (or, with
// Global, into the global hooks directory and points global core.hooksPath at it).
// It is idempotent: running it again changes nothing unless the script or binary
// changed. A hook that is not ours is kept: chained (run first, and its failure
// stops the commit) or, with Force, backed up and replaced.
func Install(opts InstallOptions) (Result, error) {
	hooks, err := opts.hooks()
	if err != nil {
		return Result{}, err
	}
	git := lookGit(opts.Git)
	spec := scriptSpec{Binary: resolveBinary(opts.Binary)}
	res := Result{Global: opts.Global}
	ctx := context.Background()
	if opts.Global {
		prev, dir, err := prepareGlobal(ctx, git, opts.Dir)
		if err != nil {
			return Result{}, err
		}
		res.HooksDir, res.PreviousHooksPath = dir, prev
		spec.RunLocal = true
	} else {
		loc, err := locate(ctx, git, opts.RepoDir)
		if err != nil {
			return Result{}, err
		}
		res.HooksDir = loc.HooksDir
		if res.HooksPathScope, err = hooksPathScope(ctx, git, loc); err != nil {
			return Result{}, err
		}
		if _, global, err := readState(loc.HooksDir); err != nil {
			return Result{}, err
		} else if global {
			// git already runs our global hooks here: keep them as a global install wrote them.
			spec.RunLocal = true
		}
	}
	if err := os.MkdirAll(res.HooksDir, 0o755); err != nil {
		return Result{}, fmt.Errorf("create hooks directory %s: %w", res.HooksDir, err)
	}
	var errs []error
	for _, h := range hooks {
		spec.Hook = h
		a, err := installOne(res.HooksDir, renderScript(spec), h, opts.Force)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		res.Actions = append(res.Actions, a)
	}
	if opts.Global && len(errs) == 0 {
		if err := finishGlobal(ctx, git, res.HooksDir, res.PreviousHooksPath, hooks); err != nil {
			errs = append(errs, err)
		}
	}
	return res, errors.Join(errs...)
}

// hooksPathScope returns the scope of the core.hooksPath in effect, or "".
func hooksPathScope(ctx context.Context, git string, loc Location) (string, error) {
	dir := loc.WorkTree
	if dir == "" {
		dir = loc.GitDir
	}
	vals, err := configValues(ctx, git, loc, dir, "core", "hooksPath")
	if err != nil || len(vals) == 0 {
		return "", err
	}
	return vals[len(vals)-1].Scope, nil
}

func installOne(dir, script, hook string, force bool) (Action, error) {
	path := filepath.Join(dir, hook)
	a := Action{Hook: hook, Path: path}
	data, err := os.ReadFile(path)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		if _, lerr := os.Lstat(path); lerr != nil {
			return a, fmt.Errorf("read hook %s: %w", path, err)
		}
		exists = true // a dangling symlink: someone's hook, moved aside like any other
	}
	switch {
	case !exists:
		a.Op = OpInstalled
	case parseScript(data).Ours:
		if bytes.Equal(data, []byte(script)) {
			a.Op = OpUnchanged
			return a, ensureExecutable(path)
		}
		a.Op = OpUpdated
	default:
		suffix, op := ChainedSuffix, OpChained
		if force {
			suffix, op = BackupSuffix, OpReplaced
		}
		moved := path + suffix
		if _, err := os.Lstat(moved); err == nil {
			return a, fmt.Errorf("%w: %s is not leakguard's and %s already exists; move one of them away and install again",
				ErrConflict, path, moved)
		}
		if err := os.Rename(path, moved); err != nil {
			return a, fmt.Errorf("move hook %s aside: %w", path, err)
		}
		a.Op, a.Moved = op, moved
	}
	if err := writeFileAtomic(path, []byte(script), 0o755); err != nil {
		return a, err
	}
	return a, nil
}

func ensureExecutable(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("stat hook %s: %w", path, err)
	}
	if fi.Mode().Perm()&0o111 == 0o111 {
		return nil
	}
	if err := os.Chmod(path, fi.Mode().Perm()|0o755); err != nil {
		return fmt.Errorf("make hook %s executable: %w", path, err)
	}
	return nil
}

// writeFileAtomic writes data to a temporary file beside path and renames it over
// path, so git never runs a half-written hook.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr, os.Chmod(tmp, perm)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// Uninstall removes leakguard's hooks and puts back the hooks they replaced. A hook
// file that is not ours is never removed. With Global it also restores the global
// core.hooksPath that Install replaced, when it still points at our directory.
func Uninstall(opts InstallOptions) (Result, error) {
	hooks, err := opts.hooks()
	if err != nil {
		return Result{}, err
	}
	git := lookGit(opts.Git)
	ctx := context.Background()
	res := Result{Global: opts.Global}
	if opts.Global {
		dir, err := globalDir(opts.Dir)
		if err != nil {
			return Result{}, err
		}
		res.HooksDir = dir
		if err := dropGlobalLinks(dir); err != nil {
			return Result{}, err
		}
	} else {
		loc, err := locate(ctx, git, opts.RepoDir)
		if err != nil {
			return Result{}, err
		}
		res.HooksDir = loc.HooksDir
	}
	var errs []error
	for _, h := range hooks {
		a, err := uninstallOne(res.HooksDir, h)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		res.Actions = append(res.Actions, a)
	}
	if opts.Global {
		prev, err := restoreGlobal(ctx, git, res.HooksDir)
		res.PreviousHooksPath = prev
		errs = append(errs, err)
	}
	return res, errors.Join(errs...)
}

func uninstallOne(dir, hook string) (Action, error) {
	path := filepath.Join(dir, hook)
	a := Action{Hook: hook, Path: path, Op: OpAbsent}
	data, err := os.ReadFile(path)
	switch {
	case err == nil && !parseScript(data).Ours:
		a.Op = OpForeign
		return a, nil
	case err == nil:
		if err := os.Remove(path); err != nil {
			return a, fmt.Errorf("remove hook %s: %w", path, err)
		}
		a.Op = OpRemoved
	case errors.Is(err, fs.ErrNotExist):
		if _, lerr := os.Lstat(path); lerr == nil {
			a.Op = OpForeign // dangling symlink: not ours
			return a, nil
		}
	default:
		return a, fmt.Errorf("read hook %s: %w", path, err)
	}
	for _, suffix := range []string{ChainedSuffix, BackupSuffix} {
		moved := path + suffix
		if _, err := os.Lstat(moved); err != nil {
			continue
		}
		if err := os.Rename(moved, path); err != nil {
			return a, fmt.Errorf("restore hook %s: %w", moved, err)
		}
		a.Op, a.Moved = OpRestored, moved
		break
	}
	return a, nil
}
