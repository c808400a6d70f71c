package hooks

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// repoKind builds one kind of repository and returns (dir to start from, want).
type repoKind struct {
	name  string
	build func(t *testing.T) (string, Location)
}

func repoKinds() []repoKind {
	return []repoKind{
		{"normal", func(t *testing.T) (string, Location) {
			r := realPath(t, newRepo(t))
			return r, Location{WorkTree: r, GitDir: filepath.Join(r, ".git"), CommonDir: filepath.Join(r, ".git"),
				HooksDir: filepath.Join(r, ".git", "hooks")}
		}},
		{"subdirectory", func(t *testing.T) (string, Location) {
			r := realPath(t, newRepo(t))
			sub := filepath.Join(r, "a", "b")
			writeFile(t, filepath.Join(sub, "f"), "x", 0o644)
			return sub, Location{WorkTree: r, GitDir: filepath.Join(r, ".git"), CommonDir: filepath.Join(r, ".git"),
				HooksDir: filepath.Join(r, ".git", "hooks")}
		}},
		{"local relative core.hooksPath", func(t *testing.T) (string, Location) {
			r := realPath(t, newRepo(t))
			runGitT(t, r, "config", "core.hooksPath", ".githooks")
			sub := filepath.Join(r, "deep")
			writeFile(t, filepath.Join(sub, "f"), "x", 0o644)
			return sub, Location{WorkTree: r, GitDir: filepath.Join(r, ".git"), CommonDir: filepath.Join(r, ".git"),
				HooksDir: filepath.Join(r, ".githooks"), HooksPath: ".githooks"}
		}},
		{"global absolute core.hooksPath", func(t *testing.T) (string, Location) {
			r := realPath(t, newRepo(t))
			g := realPath(t, t.TempDir())
			runGitT(t, r, "config", "--global", "core.hooksPath", g)
			return r, Location{WorkTree: r, GitDir: filepath.Join(r, ".git"), CommonDir: filepath.Join(r, ".git"),
				HooksDir: g, HooksPath: g}
		}},
		{"linked worktree", func(t *testing.T) (string, Location) {
			r := realPath(t, newRepo(t))
			wt := filepath.Join(filepath.Dir(r), "wt")
			runGitT(t, r, "worktree", "add", "-q", wt)
			return wt, Location{WorkTree: wt, GitDir: filepath.Join(r, ".git", "worktrees", "wt"),
				CommonDir: filepath.Join(r, ".git"), HooksDir: filepath.Join(r, ".git", "hooks")}
		}},
		{"bare", func(t *testing.T) (string, Location) {
			r := newRepo(t)
			b := filepath.Join(realPath(t, t.TempDir()), "b.git")
			runGitT(t, "", "clone", "-q", "--bare", r, b)
			return b, Location{GitDir: b, CommonDir: b, Bare: true, HooksDir: filepath.Join(b, "hooks")}
		}},
		{"bare relative core.hooksPath", func(t *testing.T) (string, Location) {
			r := newRepo(t)
			b := filepath.Join(realPath(t, t.TempDir()), "b.git")
			runGitT(t, "", "clone", "-q", "--bare", r, b)
			runGitT(t, b, "config", "core.hooksPath", "myhooks")
			return b, Location{GitDir: b, CommonDir: b, Bare: true, HooksDir: filepath.Join(b, "myhooks"), HooksPath: "myhooks"}
		}},
		{"submodule", func(t *testing.T) (string, Location) {
			src := newRepo(t)
			super := realPath(t, newRepo(t))
			runGitT(t, super, "-c", "protocol.file.allow=always", "submodule", "add", "-q", src, "sub")
			mod := filepath.Join(super, ".git", "modules", "sub")
			return filepath.Join(super, "sub"), Location{WorkTree: filepath.Join(super, "sub"), GitDir: mod, CommonDir: mod,
				HooksDir: filepath.Join(mod, "hooks")}
		}},
	}
}

func TestLocate(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not on PATH")
	}
	for _, k := range repoKinds() {
		t.Run(k.name, func(t *testing.T) {
			isolateGit(t)
			dir, want := k.build(t)
			ignore := cmpopts.IgnoreFields(Location{}, "FromGit")
			got, err := locate(context.Background(), git, dir)
			if err != nil {
				t.Fatalf("with git: %v", err)
			}
			if !got.FromGit {
				t.Errorf("with git: FromGit = false")
			}
			if d := cmp.Diff(want, got, ignore); d != "" {
				t.Errorf("with git (-want +got):\n%s", d)
			}
			// Reading files must give git's answer.
			got, err = locate(context.Background(), "", dir)
			if err != nil {
				t.Fatalf("from files: %v", err)
			}
			if d := cmp.Diff(want, got, ignore); d != "" {
				t.Errorf("from files (-want +got):\n%s", d)
			}
		})
	}
}

func TestLocateNotARepository(t *testing.T) {
	isolateGit(t)
	dir := t.TempDir()
	for _, git := range []string{lookGit(""), ""} {
		if _, err := locate(context.Background(), git, dir); !errors.Is(err, ErrNotRepository) {
			t.Errorf("git=%q: got %v, want ErrNotRepository", git, err)
		}
	}
}

// Reading config files gives the scopes and values `git config --show-scope` gives.
func TestConfigValuesFromFilesMatchGit(t *testing.T) {
	home := isolateGit(t)
	repo := newRepo(t)
	runGitT(t, "", "config", "--global", "core.hooksPath", filepath.Join(home, "g"))
	runGitT(t, repo, "config", "core.hooksPath", ".githooks")
	runGitT(t, repo, "config", "extensions.worktreeConfig", "true")
	runGitT(t, repo, "config", "--worktree", "core.hooksPath", "wt-hooks")
	t.Setenv("GIT_CONFIG_COUNT", "1")
	t.Setenv("GIT_CONFIG_KEY_0", "Core.HooksPath")
	t.Setenv("GIT_CONFIG_VALUE_0", "/env/hooks")
	loc, err := locate(context.Background(), lookGit(""), repo)
	if err != nil {
		t.Fatal(err)
	}
	want, err := configValues(context.Background(), lookGit(""), loc, repo, "core", "hooksPath")
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 4 {
		t.Fatalf("git reports %d values, want 4: %+v", len(want), want)
	}
	got, err := configFromFiles(loc, "core", "hooksPath")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-git +files):\n%s", d)
	}
}
