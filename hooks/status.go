package hooks

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// HookStatus describes one hook file.
type HookStatus struct {
	Name       string
	Path       string
	Installed  bool   // leakguard's script is there
	Version    int    // its script version, when installed
	Outdated   bool   // installed with a version older than ScriptVersion
	Binary     string // leakguard path recorded at install time, when installed
	Executable bool   // git only runs executable hooks
	Foreign    bool   // a hook that is not leakguard's is there
	Chained    string // path of the hook ours runs first, when there is one
	Backup     string // path of the hook ours replaced with Force, when there is one
}

// Shadow kinds reported in Shadow.Kind.
const (
	ShadowHooksPath = "core.hooksPath" // git runs hooks from somewhere other than where ours are
	ShadowHusky     = "husky"
	ShadowLefthook  = "lefthook"
	ShadowPreCommit = "pre-commit" // the pre-commit framework
)

// Shadow is something that stops leakguard's hooks from running, or will replace
// them.
type Shadow struct {
	Kind   string
	Scope  string // for core.hooksPath: the config scope that set it
	Detail string // a sentence saying what happens and what to do
}

// StatusReport is what Status found.
type StatusReport struct {
	Location Location // the repository, when RepoDir is inside one (zero for Global without one)
	Global   bool
	HooksDir string // the directory inspected
	Hooks    []HookStatus
	Shadows  []Shadow
}

// Status inspects the hooks directory Install would use and reports, for each
// hook, whether leakguard's script is there, whether it chains another hook, and
// what might keep it from running (core.hooksPath from another config scope,
// Husky, lefthook, the pre-commit framework).
func Status(opts InstallOptions) (StatusReport, error) {
	hooks, err := opts.hooks()
	if err != nil {
		return StatusReport{}, err
	}
	git := lookGit(opts.Git)
	ctx := context.Background()
	rep := StatusReport{Global: opts.Global}
	loc, lerr := locate(ctx, git, opts.RepoDir)
	if lerr != nil && (!opts.Global || !errors.Is(lerr, ErrNotRepository)) {
		return StatusReport{}, lerr
	}
	inRepo := lerr == nil
	if inRepo {
		rep.Location = loc
	}
	gdir, err := globalDir(opts.Dir)
	if err != nil && opts.Global {
		return StatusReport{}, err
	}
	if opts.Global {
		rep.HooksDir = gdir
	} else {
		rep.HooksDir = loc.HooksDir
	}
	for _, h := range hooks {
		hs, err := hookStatus(rep.HooksDir, h)
		if err != nil {
			return StatusReport{}, err
		}
		rep.Hooks = append(rep.Hooks, hs)
	}
	if opts.Global && git != "" {
		cur, _, err := globalHooksPath(ctx, git)
		if err != nil {
			return StatusReport{}, err
		}
		if anyInstalled(rep.Hooks) && !sameDir(cur, gdir) {
			rep.Shadows = append(rep.Shadows, Shadow{Kind: ShadowHooksPath, Scope: ScopeGlobal,
				Detail: fmt.Sprintf("global core.hooksPath is %q, not %s: git does not run the global leakguard hooks; run `leakguard hook install --global` again",
					cur, gdir)})
		}
	}
	if inRepo {
		sh, err := repoShadows(ctx, git, loc, hooks, gdir, opts.Global)
		if err != nil {
			return StatusReport{}, err
		}
		rep.Shadows = append(rep.Shadows, sh...)
	}
	return rep, nil
}

func anyInstalled(hs []HookStatus) bool {
	for _, h := range hs {
		if h.Installed {
			return true
		}
	}
	return false
}

func hookStatus(dir, hook string) (HookStatus, error) {
	path := filepath.Join(dir, hook)
	hs := HookStatus{Name: hook, Path: path}
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		info := parseScript(data)
		hs.Installed, hs.Foreign = info.Ours, !info.Ours
		if info.Ours {
			hs.Version, hs.Binary, hs.Outdated = info.Version, info.Binary, info.Version < ScriptVersion
		}
		if fi, err := os.Stat(path); err == nil {
			hs.Executable = fi.Mode().Perm()&0o111 != 0
		}
	case errors.Is(err, fs.ErrNotExist):
		if _, lerr := os.Lstat(path); lerr == nil {
			hs.Foreign = true // dangling symlink
		}
	default:
		return hs, fmt.Errorf("read hook %s: %w", path, err)
	}
	if _, err := os.Lstat(path + ChainedSuffix); err == nil {
		hs.Chained = path + ChainedSuffix
	}
	if _, err := os.Lstat(path + BackupSuffix); err == nil {
		hs.Backup = path + BackupSuffix
	}
	return hs, nil
}

// installedIn reports whether any of hooks is leakguard's script in dir.
func installedIn(dir string, hooks []string) bool {
	for _, h := range hooks {
		if data, err := os.ReadFile(filepath.Join(dir, h)); err == nil && parseScript(data).Ours {
			return true
		}
	}
	return false
}

func repoShadows(ctx context.Context, git string, loc Location, hooks []string, gdir string, global bool) ([]Shadow, error) {
	var out []Shadow
	dir := loc.WorkTree
	if dir == "" {
		dir = loc.GitDir
	}
	vals, err := configValues(ctx, git, loc, dir, "core", "hooksPath")
	if err != nil {
		return nil, err
	}
	effective := loc.HooksDir
	var eff scopedValue
	if len(vals) > 0 {
		eff = vals[len(vals)-1]
	}
	// Where are our hooks? The default directory, the global directory, or the
	// effective one. Installed anywhere but the effective directory means shadowed.
	for _, cand := range []struct{ dir, what string }{
		{loc.DefaultHooksDir(), "the repository's hooks directory"},
		{gdir, "the global leakguard hooks directory"},
	} {
		if installedIn(effective, hooks) {
			break
		}
		if cand.dir == "" || filepath.Clean(cand.dir) == filepath.Clean(effective) || !installedIn(cand.dir, hooks) {
			continue
		}
		if global && cand.dir != gdir {
			continue
		}
		scope := eff.Scope
		detail := fmt.Sprintf("leakguard's hooks are in %s (%s) but git runs hooks from %s", cand.dir, cand.what, effective)
		if eff.Value != "" {
			detail += fmt.Sprintf(" (core.hooksPath=%q in %s config)", eff.Value, scope)
		}
		detail += "; unset that core.hooksPath or run `leakguard hook install` again to install where git looks"
		out = append(out, Shadow{Kind: ShadowHooksPath, Scope: scope, Detail: detail})
	}
	if eff.Scope == ScopeCommand {
		out = append(out, Shadow{Kind: ShadowHooksPath, Scope: ScopeCommand,
			Detail: fmt.Sprintf("core.hooksPath=%q is injected through the environment (GIT_CONFIG_* or git -c), as some agents do; git runs hooks from %s for this process",
				eff.Value, effective)})
	}
	if loc.WorkTree == "" {
		return out, nil
	}
	husky := exists(filepath.Join(loc.WorkTree, ".husky"))
	if husky || strings.Contains(eff.Value, ".husky") {
		out = append(out, Shadow{Kind: ShadowHusky,
			Detail: "Husky manages this repository's hooks (.husky/, core.hooksPath); `husky` rewrites core.hooksPath on install: " +
				"call `leakguard hook run <hook>` from the .husky/<hook> files instead of relying on installed hooks"})
	}
	for _, name := range []string{"lefthook.yml", ".lefthook.yml", "lefthook.yaml", ".lefthook.yaml", "lefthook.toml", "lefthook.json"} {
		if exists(filepath.Join(loc.WorkTree, name)) {
			out = append(out, Shadow{Kind: ShadowLefthook,
				Detail: name + " is present: `lefthook install` overwrites the hooks in the hooks directory; add `leakguard hook run {hook}` as a lefthook command instead"})
			break
		}
	}
	if exists(filepath.Join(loc.WorkTree, ".pre-commit-config.yaml")) {
		out = append(out, Shadow{Kind: ShadowPreCommit,
			Detail: ".pre-commit-config.yaml is present: `pre-commit install` replaces the pre-commit hook (keeping the old one as pre-commit.legacy); " +
				"add the leakguard hook from leakguard's .pre-commit-hooks.yaml to that config instead"})
	}
	return out, nil
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}
