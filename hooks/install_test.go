package hooks

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func ops(r Result) map[string]Op {
	m := map[string]Op{}
	for _, a := range r.Actions {
		m[a.Hook] = a.Op
	}
	return m
}

func all(op Op) map[string]Op {
	return map[string]Op{"pre-commit": op, "commit-msg": op, "pre-push": op}
}

const foreignHook = "#!/bin/sh\necho someone else's hook\nexit 0\n"

func TestInstallIdempotentAndUninstall(t *testing.T) {
	isolateGit(t)
	repo := newRepo(t)
	opts := InstallOptions{RepoDir: repo, Binary: "/opt/lg/leakguard"}
	res, err := Install(opts)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(all(OpInstalled), ops(res)); d != "" {
		t.Errorf("first install (-want +got):\n%s", d)
	}
	if want := filepath.Join(realPath(t, repo), ".git", "hooks"); res.HooksDir != want {
		t.Errorf("HooksDir = %q, want %q", res.HooksDir, want)
	}
	for _, h := range DefaultHooks {
		p := filepath.Join(res.HooksDir, h)
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o111 != 0o111 {
			t.Errorf("%s mode %v, want executable", h, fi.Mode())
		}
		info := parseScript([]byte(readFile(t, p)))
		if want := (scriptInfo{Ours: true, Version: ScriptVersion, Hook: h, Binary: "/opt/lg/leakguard"}); info != want {
			t.Errorf("%s header = %+v, want %+v", h, info, want)
		}
	}
	before := readFile(t, filepath.Join(res.HooksDir, "pre-commit"))

	res, err = Install(opts)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(all(OpUnchanged), ops(res)); d != "" {
		t.Errorf("second install (-want +got):\n%s", d)
	}
	if got := readFile(t, filepath.Join(res.HooksDir, "pre-commit")); got != before {
		t.Errorf("second install changed the script")
	}

	// An older script version is upgraded.
	old := strings.Replace(before, Marker+strconv.Itoa(ScriptVersion), Marker+strconv.Itoa(ScriptVersion-1), 1)
	writeFile(t, filepath.Join(res.HooksDir, "pre-commit"), old, 0o755)
	res, err = Install(InstallOptions{RepoDir: repo, Binary: "/opt/lg/leakguard", Hooks: []string{"pre-commit"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := ops(res)["pre-commit"]; got != OpUpdated {
		t.Errorf("upgrade: op = %q, want %q", got, OpUpdated)
	}

	res, err = Uninstall(opts)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(all(OpRemoved), ops(res)); d != "" {
		t.Errorf("uninstall (-want +got):\n%s", d)
	}
	res, err = Uninstall(opts)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(all(OpAbsent), ops(res)); d != "" {
		t.Errorf("second uninstall (-want +got):\n%s", d)
	}
}

func TestInstallKeepsForeignHooks(t *testing.T) {
	tests := []struct {
		name       string
		force      bool
		wantOp     Op
		wantSuffix string
	}{
		{"chain", false, OpChained, ChainedSuffix},
		{"force", true, OpReplaced, BackupSuffix},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			isolateGit(t)
			repo := newRepo(t)
			hook := filepath.Join(repo, ".git", "hooks", "pre-commit")
			writeFile(t, hook, foreignHook, 0o755)
			opts := InstallOptions{RepoDir: repo, Force: tc.force, Hooks: []string{"pre-commit"}}
			res, err := Install(opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := ops(res)["pre-commit"]; got != tc.wantOp {
				t.Errorf("op = %q, want %q", got, tc.wantOp)
			}
			if got := readFile(t, hook+tc.wantSuffix); got != foreignHook {
				t.Errorf("moved hook = %q, want the original", got)
			}
			st, err := Status(opts)
			if err != nil {
				t.Fatal(err)
			}
			hs := st.Hooks[0]
			if !hs.Installed || hs.Foreign || (hs.Chained != "") == tc.force || (hs.Backup != "") != tc.force {
				t.Errorf("status = %+v", hs)
			}
			// Idempotent: the moved hook is not touched again.
			if res, err = Install(opts); err != nil || ops(res)["pre-commit"] != OpUnchanged {
				t.Errorf("reinstall: %v %v", ops(res), err)
			}
			res, err = Uninstall(opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := ops(res)["pre-commit"]; got != OpRestored {
				t.Errorf("uninstall op = %q, want %q", got, OpRestored)
			}
			if got := readFile(t, hook); got != foreignHook {
				t.Errorf("restored hook = %q, want the original", got)
			}
			if exists(hook + tc.wantSuffix) {
				t.Errorf("%s still exists after uninstall", hook+tc.wantSuffix)
			}
		})
	}
}

func TestInstallConflict(t *testing.T) {
	isolateGit(t)
	repo := newRepo(t)
	hook := filepath.Join(repo, ".git", "hooks", "pre-commit")
	writeFile(t, hook, foreignHook, 0o755)
	writeFile(t, hook+ChainedSuffix, "#!/bin/sh\nexit 0\n", 0o755)
	_, err := Install(InstallOptions{RepoDir: repo, Hooks: []string{"pre-commit"}})
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("got %v, want ErrConflict", err)
	}
	if got := readFile(t, hook); got != foreignHook {
		t.Errorf("conflicting install changed the foreign hook")
	}
}

func TestUninstallLeavesForeignHook(t *testing.T) {
	isolateGit(t)
	repo := newRepo(t)
	hook := filepath.Join(repo, ".git", "hooks", "pre-commit")
	writeFile(t, hook, foreignHook, 0o755)
	res, err := Uninstall(InstallOptions{RepoDir: repo, Hooks: []string{"pre-commit"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := ops(res)["pre-commit"]; got != OpForeign {
		t.Errorf("op = %q, want %q", got, OpForeign)
	}
	if got := readFile(t, hook); got != foreignHook {
		t.Errorf("uninstall changed a foreign hook")
	}
}

func TestInstallFollowsRepositoryKind(t *testing.T) {
	for _, k := range repoKinds() {
		t.Run(k.name, func(t *testing.T) {
			isolateGit(t)
			dir, want := k.build(t)
			res, err := Install(InstallOptions{RepoDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			if res.HooksDir != want.HooksDir {
				t.Errorf("HooksDir = %q, want %q", res.HooksDir, want.HooksDir)
			}
			for _, h := range DefaultHooks {
				if !parseScript([]byte(readFile(t, filepath.Join(want.HooksDir, h)))).Ours {
					t.Errorf("%s not installed in %s", h, want.HooksDir)
				}
			}
		})
	}
}

func TestInstallWithoutGitBinary(t *testing.T) {
	isolateGit(t)
	repo := newRepo(t)
	runGitT(t, repo, "config", "core.hooksPath", "tools/hooks")
	res, err := Install(InstallOptions{RepoDir: repo, Git: filepath.Join(t.TempDir(), "no-git"), Hooks: []string{"pre-commit"}})
	if err == nil {
		t.Fatalf("explicit missing git: got nil error, result %+v", res)
	}
	// Locating from files agrees with git.
	loc, err := locateFromFiles(repo)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(repo, "tools", "hooks"); loc.HooksDir != want {
		t.Errorf("HooksDir = %q, want %q", loc.HooksDir, want)
	}
}

func TestGlobalInstall(t *testing.T) {
	home := isolateGit(t)
	repo := newRepo(t)
	prevDir := filepath.Join(home, "old-hooks")
	writeFile(t, filepath.Join(prevDir, "pre-push"), foreignHook, 0o755)
	runGitT(t, "", "config", "--global", "core.hooksPath", prevDir)

	opts := InstallOptions{Global: true}
	res, err := Install(opts)
	if err != nil {
		t.Fatal(err)
	}
	wantDir := filepath.Join(home, ".config", "leakguard", "hooks")
	if res.HooksDir != wantDir || res.PreviousHooksPath != prevDir {
		t.Errorf("HooksDir, PreviousHooksPath = %q, %q; want %q, %q", res.HooksDir, res.PreviousHooksPath, wantDir, prevDir)
	}
	if got := runGitT(t, "", "config", "--global", "core.hooksPath"); got != wantDir {
		t.Errorf("global core.hooksPath = %q, want %q", got, wantDir)
	}
	if loc, err := Locate(repo); err != nil || loc.HooksDir != wantDir {
		t.Errorf("repository hooks dir = %q (%v), want %q", loc.HooksDir, err, wantDir)
	}
	link := filepath.Join(wantDir, "pre-push"+ChainedSuffix)
	if target, err := os.Readlink(link); err != nil || target != filepath.Join(prevDir, "pre-push") {
		t.Errorf("previous global pre-push not chained: %q %v", target, err)
	}
	// Reinstalling keeps the first previous value.
	if res, err = Install(opts); err != nil || res.PreviousHooksPath != prevDir {
		t.Errorf("reinstall: previous = %q, %v", res.PreviousHooksPath, err)
	}
	st, err := Status(InstallOptions{Global: true, RepoDir: repo})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Shadows) != 0 || !st.Hooks[0].Installed {
		t.Errorf("status: shadows %+v hooks %+v", st.Shadows, st.Hooks)
	}

	res, err = Uninstall(opts)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(all(OpRemoved), ops(res)); d != "" {
		t.Errorf("uninstall (-want +got):\n%s", d)
	}
	if got := runGitT(t, "", "config", "--global", "core.hooksPath"); got != prevDir {
		t.Errorf("global core.hooksPath after uninstall = %q, want %q", got, prevDir)
	}
	if got := readFile(t, filepath.Join(prevDir, "pre-push")); got != foreignHook {
		t.Errorf("previous global hook changed")
	}
	if exists(wantDir) {
		t.Errorf("%s left behind", wantDir)
	}
}

func TestGlobalUninstallUnsetsWhenNothingWasSet(t *testing.T) {
	home := isolateGit(t)
	dir := filepath.Join(home, "explicit")
	if _, err := Install(InstallOptions{Global: true, Dir: dir}); err != nil {
		t.Fatal(err)
	}
	if _, err := Uninstall(InstallOptions{Global: true, Dir: dir}); err != nil {
		t.Fatal(err)
	}
	if out, err := gitOut("", nil, "config", "--global", "core.hooksPath"); err == nil {
		t.Errorf("global core.hooksPath still set: %q", out)
	}
}

func TestInstallIntoSharedHooksDir(t *testing.T) {
	home := isolateGit(t)
	repo := newRepo(t)
	shared := filepath.Join(home, "company-hooks")
	runGitT(t, "", "config", "--global", "core.hooksPath", shared)
	res, err := Install(InstallOptions{RepoDir: repo, Hooks: []string{"pre-commit"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.HooksDir != shared || res.HooksPathScope != ScopeGlobal {
		t.Errorf("HooksDir, HooksPathScope = %q, %q; want %q, %q", res.HooksDir, res.HooksPathScope, shared, ScopeGlobal)
	}
}

func TestLocalInstallUnderGlobalInstallKeepsGlobalScripts(t *testing.T) {
	isolateGit(t)
	repo := newRepo(t)
	if _, err := Install(InstallOptions{Global: true}); err != nil {
		t.Fatal(err)
	}
	res, err := Install(InstallOptions{RepoDir: repo})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(all(OpUnchanged), ops(res)); d != "" {
		t.Errorf("local install over global (-want +got):\n%s", d)
	}
}
