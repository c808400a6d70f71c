package hooks

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	gitconfig "github.com/go-git/go-git/v5/plumbing/format/config"
)

// Config scopes, named as `git config --show-scope` names them.
const (
	ScopeSystem   = "system"
	ScopeGlobal   = "global"
	ScopeLocal    = "local"
	ScopeWorktree = "worktree"
	ScopeCommand  = "command" // git -c, GIT_CONFIG_COUNT/KEY/VALUE, GIT_CONFIG_PARAMETERS
)

// scopedValue is one value of a config key and the scope that set it.
type scopedValue struct {
	Scope, Value string
}

// configValues returns every value of section.key visible from dir, lowest
// precedence first (the last one wins), with its scope.
func configValues(ctx context.Context, git string, loc Location, dir, section, key string) ([]scopedValue, error) {
	if git != "" {
		out, err := runGit(ctx, git, dir, "config", "--show-scope", "--get-all", section+"."+key)
		switch {
		case err == nil:
			var vals []scopedValue
			for _, line := range strings.Split(out, "\n") {
				scope, val, ok := strings.Cut(line, "\t")
				if !ok {
					return nil, fmt.Errorf("read %s.%s: unexpected git config output %q", section, key, line)
				}
				vals = append(vals, scopedValue{Scope: scope, Value: val})
			}
			return vals, nil
		case exitCode(err) == 1:
			return nil, nil
		case !strings.Contains(err.Error(), "show-scope"):
			return nil, fmt.Errorf("read %s.%s: %w", section, key, err)
		}
		// git before 2.26 has no --show-scope: read the files.
	}
	return configFromFiles(loc, section, key)
}

// configFromFiles reads section.key from the files git would read, in git's order.
func configFromFiles(loc Location, section, key string) ([]scopedValue, error) {
	var vals []scopedValue
	add := func(scope, path string) error {
		cfg, err := readConfigFile(path)
		if err != nil || cfg == nil {
			return err
		}
		if !cfg.HasSection(section) {
			return nil
		}
		for _, v := range cfg.Section(section).OptionAll(key) {
			vals = append(vals, scopedValue{Scope: scope, Value: v})
		}
		return nil
	}
	for _, p := range systemConfigFiles() {
		if err := add(ScopeSystem, p); err != nil {
			return nil, err
		}
	}
	for _, p := range globalConfigFiles() {
		if err := add(ScopeGlobal, p); err != nil {
			return nil, err
		}
	}
	local := filepath.Join(loc.CommonDir, "config")
	if err := add(ScopeLocal, local); err != nil {
		return nil, err
	}
	if cfg, err := readConfigFile(local); err == nil && cfg != nil &&
		cfg.HasSection("extensions") && cfg.Section("extensions").Option("worktreeConfig") == "true" {
		if err := add(ScopeWorktree, filepath.Join(loc.GitDir, "config.worktree")); err != nil {
			return nil, err
		}
	}
	vals = append(vals, envConfig(section+"."+key)...)
	return vals, nil
}

// readConfigFile parses a git config file; a missing file is (nil, nil).
func readConfigFile(path string) (*gitconfig.Config, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read git config %s: %w", path, err)
	}
	defer f.Close()
	cfg := gitconfig.New()
	if err := gitconfig.NewDecoder(f).Decode(cfg); err != nil {
		return nil, fmt.Errorf("parse git config %s: %w", path, err)
	}
	return cfg, nil
}

func systemConfigFiles() []string {
	if v := os.Getenv("GIT_CONFIG_NOSYSTEM"); v != "" && v != "0" && v != "false" {
		return nil
	}
	if p := os.Getenv("GIT_CONFIG_SYSTEM"); p != "" {
		return []string{p}
	}
	return []string{"/etc/gitconfig"}
}

// globalConfigFiles lists the global config files in git's reading order.
func globalConfigFiles() []string {
	if p := os.Getenv("GIT_CONFIG_GLOBAL"); p != "" {
		return []string{p}
	}
	var files []string
	if x := os.Getenv("XDG_CONFIG_HOME"); x != "" {
		files = append(files, filepath.Join(x, "git", "config"))
	} else if home, err := os.UserHomeDir(); err == nil {
		files = append(files, filepath.Join(home, ".config", "git", "config"))
	}
	if home, err := os.UserHomeDir(); err == nil {
		files = append(files, filepath.Join(home, ".gitconfig"))
	}
	return files
}

// envConfig returns values of name injected through GIT_CONFIG_COUNT/KEY_n/VALUE_n,
// as some agents do to point core.hooksPath at their own hooks. Keys compare
// case-insensitively in section and name, as git compares them.
func envConfig(name string) []scopedValue {
	n, err := strconv.Atoi(os.Getenv("GIT_CONFIG_COUNT"))
	if err != nil || n <= 0 {
		return nil
	}
	var vals []scopedValue
	for i := range n {
		k := os.Getenv("GIT_CONFIG_KEY_" + strconv.Itoa(i))
		if strings.EqualFold(k, name) {
			vals = append(vals, scopedValue{Scope: ScopeCommand, Value: os.Getenv("GIT_CONFIG_VALUE_" + strconv.Itoa(i))})
		}
	}
	return vals
}
