package hooks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// stateFile is kept in the global hooks directory; it remembers what a global
// install changed so that uninstall can put it back.
const stateFile = "leakguard-state.json"

type globalState struct {
	Version int `json:"version"`
	// PreviousHooksPath is the global core.hooksPath before install; HadPrevious
	// tells an empty value from an unset one.
	PreviousHooksPath string `json:"previousHooksPath,omitempty"`
	HadPrevious       bool   `json:"hadPrevious"`
	// Links are the <hook>.leakguard-chained symlinks made to the previous global
	// hooks, so that uninstall removes exactly those.
	Links []string `json:"links,omitempty"`
}

// DefaultGlobalDir is where a global install puts its hooks:
// $XDG_CONFIG_HOME/leakguard/hooks, or ~/.config/leakguard/hooks.
func DefaultGlobalDir() (string, error) {
	if x := os.Getenv("XDG_CONFIG_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "leakguard", "hooks"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find global hooks directory: %w", err)
	}
	return filepath.Join(home, ".config", "leakguard", "hooks"), nil
}

func globalDir(explicit string) (string, error) {
	if explicit == "" {
		return DefaultGlobalDir()
	}
	abs, err := filepath.Abs(explicit)
	if err != nil {
		return "", fmt.Errorf("global hooks directory %s: %w", explicit, err)
	}
	return abs, nil
}

// globalHooksPath reads global core.hooksPath: (value, set, error).
func globalHooksPath(ctx context.Context, git string) (string, bool, error) {
	out, err := runGit(ctx, git, "", "config", "--global", "--get", "core.hooksPath")
	switch {
	case err == nil:
		return out, true, nil
	case exitCode(err) == 1:
		return "", false, nil
	default:
		return "", false, fmt.Errorf("read global core.hooksPath: %w", err)
	}
}

// sameDir reports whether a configured hooksPath names dir.
func sameDir(hooksPath, dir string) bool {
	if hooksPath == "" {
		return false
	}
	p := resolveHooksPath(Location{GitDir: dir}, hooksPath)
	return filepath.Clean(p) == filepath.Clean(dir)
}

func readState(dir string) (globalState, bool, error) {
	var st globalState
	b, err := os.ReadFile(filepath.Join(dir, stateFile))
	if errors.Is(err, fs.ErrNotExist) {
		return st, false, nil
	}
	if err != nil {
		return st, false, fmt.Errorf("read %s: %w", stateFile, err)
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return st, false, fmt.Errorf("parse %s: %w", filepath.Join(dir, stateFile), err)
	}
	return st, true, nil
}

func writeState(dir string, st globalState) error {
	st.Version = 1
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", stateFile, err)
	}
	return writeFileAtomic(filepath.Join(dir, stateFile), append(b, '\n'), 0o644)
}

// prepareGlobal creates the global hooks directory and records the global
// core.hooksPath it is about to replace. It returns that previous value.
func prepareGlobal(ctx context.Context, git, explicit string) (prev, dir string, err error) {
	if git == "" {
		return "", "", fmt.Errorf("global install sets core.hooksPath with git: %w", ErrNoGit)
	}
	if dir, err = globalDir(explicit); err != nil {
		return "", "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", fmt.Errorf("create global hooks directory %s: %w", dir, err)
	}
	cur, set, err := globalHooksPath(ctx, git)
	if err != nil {
		return "", "", err
	}
	st, ok, err := readState(dir)
	if err != nil {
		return "", "", err
	}
	if ok && sameDir(cur, dir) {
		return st.PreviousHooksPath, dir, nil // reinstall: keep what we first replaced
	}
	st = globalState{}
	if set && !sameDir(cur, dir) {
		st.PreviousHooksPath, st.HadPrevious = cur, true
	}
	if err := writeState(dir, st); err != nil {
		return "", "", err
	}
	return st.PreviousHooksPath, dir, nil
}

// finishGlobal chains the previous global hooks and points global core.hooksPath
// at dir.
func finishGlobal(ctx context.Context, git, dir, prev string, hooks []string) error {
	st, _, err := readState(dir)
	if err != nil {
		return err
	}
	// A relative global core.hooksPath names a directory in each repository; there
	// is no one hook to chain then, and our scripts run .git/hooks/<hook> anyway.
	if prev != "" && (filepath.IsAbs(prev) || prev == "~" || strings.HasPrefix(prev, "~/")) {
		prevDir := resolveHooksPath(Location{GitDir: dir}, prev)
		for _, h := range hooks {
			target := filepath.Join(prevDir, h)
			data, err := os.ReadFile(target)
			if err != nil || parseScript(data).Ours {
				continue
			}
			link := filepath.Join(dir, h+ChainedSuffix)
			if _, err := os.Lstat(link); err == nil {
				continue
			}
			if err := os.Symlink(target, link); err != nil {
				return fmt.Errorf("chain previous global hook %s: %w", target, err)
			}
			st.Links = append(st.Links, link)
		}
		if err := writeState(dir, st); err != nil {
			return err
		}
	}
	if _, err := runGit(ctx, git, "", "config", "--global", "core.hooksPath", dir); err != nil {
		return fmt.Errorf("set global core.hooksPath: %w", err)
	}
	return nil
}

// dropGlobalLinks removes the chain links a global install made, so that uninstall
// does not "restore" a link to another directory's hook into our directory.
func dropGlobalLinks(dir string) error {
	st, ok, err := readState(dir)
	if err != nil || !ok {
		return err
	}
	for _, l := range st.Links {
		if fi, err := os.Lstat(l); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			if err := os.Remove(l); err != nil {
				return fmt.Errorf("remove chain link %s: %w", l, err)
			}
		}
	}
	return nil
}

// restoreGlobal puts back the global core.hooksPath that a global install replaced,
// if global core.hooksPath still names dir, and removes the state file. It returns
// the restored value.
func restoreGlobal(ctx context.Context, git, dir string) (string, error) {
	if git == "" {
		return "", fmt.Errorf("global uninstall restores core.hooksPath with git: %w", ErrNoGit)
	}
	st, ok, err := readState(dir)
	if err != nil {
		return "", err
	}
	cur, _, err := globalHooksPath(ctx, git)
	if err != nil {
		return "", err
	}
	restored := ""
	if sameDir(cur, dir) {
		if ok && st.HadPrevious {
			restored = st.PreviousHooksPath
			_, err = runGit(ctx, git, "", "config", "--global", "core.hooksPath", st.PreviousHooksPath)
		} else {
			_, err = runGit(ctx, git, "", "config", "--global", "--unset", "core.hooksPath")
		}
		if err != nil {
			return "", fmt.Errorf("restore global core.hooksPath: %w", err)
		}
	}
	if ok {
		if err := os.Remove(filepath.Join(dir, stateFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("remove %s: %w", stateFile, err)
		}
	}
	os.Remove(dir) // only succeeds when empty, which is what we want
	return restored, nil
}
