package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakguard/leakguard/hooks"
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

func TestCommitMessageText(t *testing.T) {
	tests := []struct{ name, comment, in, want string }{
		{"plain", "#", "subject\n\nbody\n", "subject\n\nbody\n"},
		{"comments blanked, lines kept", "#", "subject\n# Please enter\nbody\n", "subject\n\nbody\n"},
		{"scissors cuts the diff", "#", "subject\n# ------------------------ >8 ------------------------\ndiff --git a/x b/x\n+key\n", "subject\n"},
		{"no final newline", "#", "subject\n# comment", "subject\n"},
		{"hash inside a line stays", "#", "fix #12 and issue #13\n", "fix #12 and issue #13\n"},
		{"core.commentChar", ";", "subject\n; note\n# kept\n; ------------------------ >8 ------------------------\n+x\n", "subject\n\n# kept\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(commitMessageText([]byte(tt.in), tt.comment)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRelInside(t *testing.T) {
	root := t.TempDir()
	tests := []struct{ name, path, want string }{
		{"top", filepath.Join(root, ".leakguard.toml"), ".leakguard.toml"},
		{"nested", filepath.Join(root, "cfg", "x.toml"), "cfg/x.toml"},
		{"outside", filepath.Join(filepath.Dir(root), "other.toml"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := relInside(root, tt.path); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// fakeSecretAWS builds an AWS access key id at run time.
func fakeSecretAWS() string { return "AK" + "IA" + "QYLP" + "MN5H" + "HHFP" + "ZAM2" }

// hookRepo makes a git repository with one commit in a temporary directory,
// makes it the working directory, and isolates git and the audit log from
// the user's configuration.
func hookRepo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not on PATH")
	}
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, ".config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, ".state"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	for k, v := range map[string]string{"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.com",
		"GIT_COMMITTER_NAME": "C", "GIT_COMMITTER_EMAIL": "c@example.com"} {
		t.Setenv(k, v)
	}
	repo := filepath.Join(dir, "repo")
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	if err := os.MkdirAll(repo, 0o755); err != nil {
		t.Fatal(err)
	}
	git("-c", "init.defaultBranch=main", "init", "-q")
	if err := os.WriteFile(filepath.Join(repo, "README"), []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git("add", "README")
	git("commit", "-q", "-m", "first")
	t.Chdir(repo)
	return dir
}

// stagedData is a hookGit whose staged source yields data as the added
// lines of path.
func stagedData(path, data string) hookGit {
	g := defaultHookGit()
	g.staged = func(context.Context, *gitsrc.Repo) (scanner.Source, error) {
		return scanner.SliceSource(scanner.Fragment{Data: []byte(data), Origin: scanner.Origin{Kind: scanner.KindDiff, Path: path}}), nil
	}
	return g
}

func TestHookRunPolicy(t *testing.T) {
	secretLine := "key = " + fakeSecretAWS() + " # gitleaks:allow\n"
	broken := defaultHookGit()
	broken.staged = func(context.Context, *gitsrc.Repo) (scanner.Source, error) {
		return nil, errors.New("index unreadable")
	}
	panicky := defaultHookGit()
	panicky.staged = func(context.Context, *gitsrc.Repo) (scanner.Source, error) { panic("boom") }
	tests := []struct {
		name     string
		env      map[string]string
		git      hookGit
		wantCode int
		wantErr  string // in stderr
		decision hooks.Decision
	}{
		{"person, marker honoured", nil, stagedData("a.ini", secretLine), ExitClean, "", hooks.DecisionAllowed},
		{"agent, marker ignored", map[string]string{"CLAUDECODE": "1"}, stagedData("a.ini", secretLine), ExitFindings, "a.ini:1", hooks.DecisionBlocked},
		{"person, error fails open", nil, broken, ExitClean, "policy: fail open", hooks.DecisionError},
		{"agent, error fails closed", map[string]string{"CURSOR_AGENT": "1"}, broken, ExitFindings, "fails closed", hooks.DecisionError},
		{"person, panic blocks", nil, panicky, ExitFindings, "internal error", hooks.DecisionError},
		{"agent, panic blocks", map[string]string{"CLAUDECODE": "1"}, panicky, ExitFindings, "internal error", hooks.DecisionError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := hookRepo(t)
			var stderr bytes.Buffer
			env := &Env{In: strings.NewReader(""), Out: io.Discard, Err: &stderr, Getenv: hooks.EnvMap(tt.env)}
			err := runHook(context.Background(), env, &HookRunOptions{Hook: "pre-commit"}, tt.git)
			if got := exitCode(env, err); got != tt.wantCode {
				t.Errorf("exit status %d, want %d; stderr:\n%s", got, tt.wantCode, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.wantErr) {
				t.Errorf("stderr %q does not contain %q", stderr.String(), tt.wantErr)
			}
			if strings.Contains(stderr.String(), fakeSecretAWS()) {
				t.Errorf("stderr shows the secret: %q", stderr.String())
			}
			log, err := os.ReadFile(filepath.Join(home, ".state", "leakguard", "audit.jsonl"))
			if err != nil {
				t.Fatal(err)
			}
			if want := `"decision":"` + string(tt.decision) + `"`; !bytes.Contains(log, []byte(want)) {
				t.Errorf("audit log %s lacks %s", log, want)
			}
		})
	}
}

// TestAgentConfigFromHead checks that an agent's commit is judged by the
// committed config and ignore file, not by working copies it could edit.
func TestAgentConfigFromHead(t *testing.T) {
	hookRepo(t)
	secret := "key = " + fakeSecretAWS() + "\n"
	// Working copies that would let everything through.
	write := func(name, data string) {
		t.Helper()
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".leakguard.toml", "[extend]\nuseDefault = true\n[hooks]\nagent = { mode = \"warn\" }\nhuman = { mode = \"warn\" }\n")
	write(".gitleaksignore", "a.ini:aws-access-token:1\n")
	for _, tt := range []struct {
		name     string
		env      map[string]string
		wantCode int
	}{
		{"person uses the working copies", nil, ExitClean},
		{"agent uses HEAD", map[string]string{"GEMINI_CLI": "1"}, ExitFindings},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			env := &Env{In: strings.NewReader(""), Out: io.Discard, Err: &stderr, Getenv: hooks.EnvMap(tt.env)}
			err := runHook(context.Background(), env, &HookRunOptions{Hook: "pre-commit"}, stagedData("a.ini", secret))
			if got := exitCode(env, err); got != tt.wantCode {
				t.Errorf("exit status %d, want %d; stderr:\n%s", got, tt.wantCode, stderr.String())
			}
		})
	}
}

// TestPushJudgesEachCommit checks that a person's push honours allow markers
// in the person's commits but not in an agent's.
func TestPushJudgesEachCommit(t *testing.T) {
	marked := "key = " + fakeSecretAWS() + " # gitleaks:allow"
	finding := func(sha, msg string) scanner.Finding {
		return scanner.Finding{RuleID: "aws-access-token", Path: "a.ini", StartLine: 1, Secret: fakeSecretAWS(), Line: marked, Marked: true,
			Fingerprint: sha + ":a.ini:aws-access-token:1",
			Commit:      &scanner.CommitInfo{SHA: sha, Author: "A", Email: "a@example.com", Message: msg}}
	}
	person := finding(strings.Repeat("1", 40), "change")
	agent := finding(strings.Repeat("2", 40), "change\n\nCo-Authored-By: Claude <noreply@anthropic.com>")
	tests := []struct {
		name     string
		found    []scanner.Finding
		wantCode int
		want     string
	}{
		{"person's marked line passes", []scanner.Finding{person}, ExitClean, ""},
		{"agent's marked line blocks", []scanner.Finding{person, agent}, ExitFindings, "agent commit (claude-code, detected by commit 222222222222 trailer:Co-Authored-By)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hookRepo(t)
			g := defaultHookGit()
			g.pushed = func(_ context.Context, _ *gitsrc.Repo, _ string, _ io.Reader, _ *scanner.Scanner, filter scanner.Filter) ([]scanner.Finding, error) {
				return filter.Finish(append([]scanner.Finding(nil), tt.found...)), nil
			}
			var stderr bytes.Buffer
			env := &Env{In: strings.NewReader(""), Out: io.Discard, Err: &stderr, Getenv: hooks.EnvMap(nil)}
			err := runHook(context.Background(), env, &HookRunOptions{Hook: "pre-push", Args: []string{"origin", "url"}}, g)
			if got := exitCode(env, err); got != tt.wantCode {
				t.Errorf("exit status %d, want %d; stderr:\n%s", got, tt.wantCode, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr %q does not contain %q", stderr.String(), tt.want)
			}
			if tt.wantCode == ExitFindings && strings.Count(stderr.String(), "a.ini:1") != 1 {
				t.Errorf("want only the agent commit's finding reported; stderr:\n%s", stderr.String())
			}
		})
	}
}
