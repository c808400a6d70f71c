package hooks

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func shadowKinds(r StatusReport) []string {
	var ks []string
	for _, s := range r.Shadows {
		ks = append(ks, s.Kind+"/"+s.Scope)
	}
	sort.Strings(ks)
	return ks
}

func TestStatusShadows(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, repo, home string) // runs after a local install
		want  []string
	}{
		{"none", func(*testing.T, string, string) {}, nil},
		{"global core.hooksPath elsewhere", func(t *testing.T, repo, home string) {
			runGitT(t, "", "config", "--global", "core.hooksPath", filepath.Join(home, "other"))
		}, []string{"core.hooksPath/global"}},
		{"local core.hooksPath set after install", func(t *testing.T, repo, _ string) {
			runGitT(t, repo, "config", "core.hooksPath", ".hooks")
		}, []string{"core.hooksPath/local"}},
		{"husky", func(t *testing.T, repo, _ string) {
			writeFile(t, filepath.Join(repo, ".husky", "pre-commit"), "npx lint-staged\n", 0o755)
		}, []string{"husky/"}},
		{"lefthook", func(t *testing.T, repo, _ string) {
			writeFile(t, filepath.Join(repo, "lefthook.yml"), "pre-commit:\n", 0o644)
		}, []string{"lefthook/"}},
		{"pre-commit framework", func(t *testing.T, repo, _ string) {
			writeFile(t, filepath.Join(repo, ".pre-commit-config.yaml"), "repos: []\n", 0o644)
		}, []string{"pre-commit/"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			home := isolateGit(t)
			repo := newRepo(t)
			if _, err := Install(InstallOptions{RepoDir: repo}); err != nil {
				t.Fatal(err)
			}
			tc.setup(t, repo, home)
			rep, err := Status(InstallOptions{RepoDir: repo})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, shadowKinds(rep)); d != "" {
				t.Errorf("shadows (-want +got):\n%s\n%+v", d, rep.Shadows)
			}
			for _, s := range rep.Shadows {
				if s.Detail == "" {
					t.Errorf("shadow %s has no detail", s.Kind)
				}
			}
		})
	}
}

func TestStatusEnvironmentHooksPath(t *testing.T) {
	isolateGit(t)
	repo := newRepo(t)
	if _, err := Install(InstallOptions{RepoDir: repo}); err != nil {
		t.Fatal(err)
	}
	agentHooks := filepath.Join(t.TempDir(), "agent-hooks")
	t.Setenv("GIT_CONFIG_COUNT", "1")
	t.Setenv("GIT_CONFIG_KEY_0", "core.hooksPath")
	t.Setenv("GIT_CONFIG_VALUE_0", agentHooks)
	rep, err := Status(InstallOptions{RepoDir: repo})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(shadowKinds(rep), ","); got != "core.hooksPath/command,core.hooksPath/command" {
		t.Errorf("shadows = %q, want the installed-elsewhere and the injected-config shadows", got)
	}
	// Reading files sees the injected value too.
	loc, err := locateFromFiles(repo)
	if err != nil || loc.HooksDir != agentHooks {
		t.Errorf("from files: HooksDir = %q (%v), want %q", loc.HooksDir, err, agentHooks)
	}
}

func TestStatusHooks(t *testing.T) {
	isolateGit(t)
	repo := newRepo(t)
	hooksDir := filepath.Join(repo, ".git", "hooks")
	writeFile(t, filepath.Join(hooksDir, "pre-push"), foreignHook, 0o755)
	if _, err := Install(InstallOptions{RepoDir: repo, Binary: "/opt/lg/leakguard", Hooks: []string{"pre-commit"}}); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(hooksDir, "commit-msg"), foreignHook, 0o644)
	rep, err := Status(InstallOptions{RepoDir: repo})
	if err != nil {
		t.Fatal(err)
	}
	want := []HookStatus{
		{Name: "pre-commit", Path: filepath.Join(hooksDir, "pre-commit"), Installed: true, Version: ScriptVersion, Binary: "/opt/lg/leakguard", Executable: true},
		{Name: "commit-msg", Path: filepath.Join(hooksDir, "commit-msg"), Foreign: true},
		{Name: "pre-push", Path: filepath.Join(hooksDir, "pre-push"), Foreign: true, Executable: true},
	}
	if d := cmp.Diff(want, rep.Hooks); d != "" {
		t.Errorf("hooks (-want +got):\n%s", d)
	}
}
