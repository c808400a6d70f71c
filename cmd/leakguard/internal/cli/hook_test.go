package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakguard/leakguard/hooks"
	"github.com/leakguard/leakguard/hooks/gate"
	"github.com/leakguard/leakguard/internal/fake"
	"github.com/leakguard/leakguard/scanner"
	gitsrc "github.com/leakguard/leakguard/scanner/source/git"
)

func TestHookRunFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want HookRunOptions
	}{
		{"pre-commit", []string{"pre-commit"}, HookRunOptions{Hook: "pre-commit", Args: []string{}}},
		{"commit-msg file", []string{"commit-msg", ".git/COMMIT_EDITMSG"}, HookRunOptions{Hook: "commit-msg", Args: []string{".git/COMMIT_EDITMSG"}}},
		{"framework ignores names later", []string{"pre-commit", "--framework", "a.go", "b.go"},
			HookRunOptions{Hook: "pre-commit", Args: []string{"a.go", "b.go"}, Framework: true}},
		{"pre-push remote url", []string{"pre-push", "origin", "git@example.com:x.git", "-c", "cfg.toml"},
			HookRunOptions{Hook: "pre-push", Args: []string{"origin", "git@example.com:x.git"}, Config: "cfg.toml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *HookRunOptions
			cmd := newHookRunCmd(&Env{}, func(_ context.Context, o *HookRunOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(io.Discard)
			if err := cmd.Execute(); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHookManageFlags(t *testing.T) {
	var got *HookOptions
	var gotAction hookAction
	cmd := newHookManageCmd(&Env{}, hookInstall, func(_ context.Context, a hookAction, o *HookOptions) error {
		got, gotAction = o, a
		return nil
	})
	cmd.SetArgs([]string{"--global", "--force", "--hooks", "pre-commit,pre-push"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	want := &HookOptions{Global: true, Force: true, Hooks: []string{"pre-commit", "pre-push"}}
	if diff := cmp.Diff(want, got); diff != "" || gotAction != hookInstall {
		t.Errorf("action %q, options (-want +got):\n%s", gotAction, diff)
	}
}

// TestHookRunReports checks what `hook run` prints and returns for each
// kind of verdict (the decisions themselves are hooks/gate's tests).
func TestHookRunReports(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not on PATH")
	}
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, ".state"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	for k, v := range map[string]string{"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.com",
		"GIT_COMMITTER_NAME": "C", "GIT_COMMITTER_EMAIL": "c@example.com"} {
		t.Setenv(k, v)
	}
	if out, err := exec.Command("git", "-c", "init.defaultBranch=main", "init", "-q", dir).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	t.Chdir(dir)
	key := fake.AWSKeyID(5)
	staged := func(data string) gate.Git {
		return gate.Git{Staged: func(context.Context, *gitsrc.Repo) (scanner.Source, error) {
			return scanner.SliceSource(scanner.Fragment{Data: []byte(data), Origin: scanner.Origin{Kind: scanner.KindDiff, Path: "a.ini"}}), nil
		}}
	}
	broken := gate.Git{Staged: func(context.Context, *gitsrc.Repo) (scanner.Source, error) {
		return nil, errors.New("index unreadable")
	}}
	for _, tt := range []struct {
		name string
		git  gate.Git
		env  map[string]string
		code int
		want []string
	}{
		{"clean", staged("nothing\n"), nil, ExitClean, nil},
		{"secret", staged("key = " + key + "\n"), nil, ExitFindings, []string{"commit blocked: 1 secret in the staged changes", "a.ini:1", "aws-access-token", "AKIA*****", ".gitleaksignore"}},
		{"agent secret", staged("key = " + key + " # gitleaks:allow\n"), map[string]string{"CLAUDECODE": "1"}, ExitFindings, []string{"agents cannot suppress findings"}},
		{"error", broken, nil, ExitFindings, []string{"index unreadable", "fails closed", "--no-verify"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			env := &Env{In: strings.NewReader(""), Out: io.Discard, Err: &stderr, Getenv: hooks.EnvMap(tt.env)}
			code := exitCode(env, runHook(context.Background(), env, &HookRunOptions{Hook: "pre-commit"}, tt.git))
			if code != tt.code {
				t.Errorf("exit status %d, want %d; stderr:\n%s", code, tt.code, stderr.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr.String())
				}
			}
			if strings.Contains(stderr.String(), key) {
				t.Errorf("stderr shows the secret:\n%s", stderr.String())
			}
		})
	}
}
