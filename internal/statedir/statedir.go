// Package statedir locates leakguard's per-user state directory, where it
// keeps what must survive between runs and must not sit in a scanned
// folder: the placeholder key, redaction backups, the audit log.
//
// It is a leaf: it imports only the standard library.
package statedir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Path returns $XDG_STATE_HOME/leakguard, or ~/.local/state/leakguard when
// XDG_STATE_HOME is unset or not absolute. getenv may be nil (os.Getenv).
func Path(getenv func(string) string) (string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if x := getenv("XDG_STATE_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "leakguard"), nil
	}
	home := getenv("HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find the state directory: %w", err)
		}
		home = h
	}
	if home == "" {
		return "", errors.New("find the state directory: no home directory")
	}
	return filepath.Join(home, ".local", "state", "leakguard"), nil
}

// Ensure returns the sub-directory sub of the state directory (the state
// directory itself when sub is ""), creating it, and the directories above
// it that leakguard owns, with mode 0700.
func Ensure(getenv func(string) string, sub string) (string, error) {
	dir, err := Path(getenv)
	if err != nil {
		return "", err
	}
	if sub != "" {
		dir = filepath.Join(dir, sub)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create the state directory: %w", err)
	}
	return dir, nil
}
