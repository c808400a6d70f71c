package cli

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestGitFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want GitOptions
	}{
		{"defaults", nil, GitOptions{Repo: ".", Engine: "auto"}},
		{"repo and range", []string{"--range", "a..b", "r"}, GitOptions{Repo: "r", Range: "a..b", Engine: "auto"}},
		{"staged", []string{"--staged", "--engine", "blob"}, GitOptions{Repo: ".", Staged: true, Engine: "blob"}},
		{"history limits", []string{"--all", "--since", "2024-01-01", "--until", "2024-02-01", "--no-messages", "--max-file-size", "1MB"},
			GitOptions{Repo: ".", All: true, Since: "2024-01-01", Until: "2024-02-01", NoMessages: true, MaxFileSize: "1MB", Engine: "auto"}},
		{"hooks", []string{"--pre-push"}, GitOptions{Repo: ".", PrePush: true, Engine: "auto"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *GitOptions
			env := &Env{Out: &bytes.Buffer{}, Err: &bytes.Buffer{}, Getenv: func(string) string { return "" }}
			cmd := newGitCmd(env, func(_ context.Context, o *GitOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			if err := cmd.Execute(); err != nil {
				t.Fatal(err)
			}
			got.ReportOptions = ReportOptions{}
			if diff := cmp.Diff(tt.want, *got, cmpopts.IgnoreUnexported(GitOptions{}, ReportOptions{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestGitFlagConflicts runs each conflicting flag set against a real
// repository (so nothing else can fail) and checks the usage error names
// the conflict.
func TestGitFlagConflicts(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not on PATH")
	}
	repo := t.TempDir()
	if out, err := exec.Command("git", "init", "-q", repo).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--staged", "--range", "a..b"}, "exclude each other"},
		{[]string{"--pre-push", "--pre-receive"}, "exclude each other"},
		{[]string{"--branch", "x", "--all"}, "--branch cannot be combined"},
		{[]string{"--all", "--staged"}, "--all cannot be combined"},
		{[]string{"--staged", "--since", "2024-01-01"}, "do not apply to --staged"},
		{[]string{"--engine", "fast"}, "unknown --engine"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			env := &Env{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: func(string) string { return "" }}
			code := Run(context.Background(), env, append([]string{"git", "--no-progress"}, append(tt.args, repo)...))
			if code != ExitError || !strings.Contains(errb.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errb.String(), ExitError, tt.want)
			}
		})
	}
	// The same repository with no conflicting flags scans cleanly.
	var errb bytes.Buffer
	env := &Env{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &errb, Getenv: func(string) string { return "" }}
	if code := Run(context.Background(), env, []string{"git", "--no-progress", repo}); code != ExitClean {
		t.Errorf("plain sweep: exit %d, stderr %q", code, errb.String())
	}
}

func TestDiffFlags(t *testing.T) {
	var got *DiffOptions
	env := &Env{Out: &bytes.Buffer{}, Err: &bytes.Buffer{}, Getenv: func(string) string { return "" }}
	cmd := newDiffCmd(env, func(_ context.Context, o *DiffOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--no-messages", "x.patch"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Patch != "x.patch" || !got.NoMessages {
		t.Errorf("got %+v", got)
	}
	cmd = newDiffCmd(env, func(_ context.Context, o *DiffOptions) error { got = o; return nil })
	cmd.SetArgs(nil)
	if err := cmd.Execute(); err != nil || got.Patch != "-" {
		t.Errorf("default patch %q, %v", got.Patch, err)
	}
}
