package gate

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/hooks"
	"github.com/leakguard/leakguard/internal/fake"
	"github.com/leakguard/leakguard/scanner"
	gitsrc "github.com/leakguard/leakguard/scanner/source/git"
)

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
			if got := string(CommitMessageText([]byte(tt.in), tt.comment)); got != tt.want {
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

// testRepo makes a git repository with one commit in a temporary directory,
// makes it the working directory, isolates git and the audit log from the
// user's configuration, and returns a function running git in it.
func testRepo(t *testing.T) (home string, git func(args ...string) string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not on PATH")
	}
	home = t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, ".state"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	for k, v := range map[string]string{"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.com",
		"GIT_COMMITTER_NAME": "C", "GIT_COMMITTER_EMAIL": "c@example.com"} {
		t.Setenv(k, v)
	}
	repo := filepath.Join(home, "repo")
	git = func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if err := os.MkdirAll(repo, 0o755); err != nil {
		t.Fatal(err)
	}
	git("-c", "init.defaultBranch=main", "init", "-q")
	write(t, filepath.Join(repo, "README"), "hello\n")
	git("add", "README")
	git("commit", "-q", "-m", "first")
	t.Chdir(repo)
	return home, git
}

func write(t *testing.T, name, data string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// stagedData is a Git whose staged source yields data as the added lines
// of path.
func stagedData(path, data string) Git {
	return Git{Staged: func(context.Context, *gitsrc.Repo) (scanner.Source, error) {
		return scanner.SliceSource(scanner.Fragment{Data: []byte(data), Origin: scanner.Origin{Kind: scanner.KindDiff, Path: path}}), nil
	}}
}

func auditLog(t *testing.T, home string) string {
	t.Helper()
	log, err := os.ReadFile(filepath.Join(home, ".state", "leakguard", "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	return string(log)
}

func TestRunPolicy(t *testing.T) {
	key := fake.AWSKeyID(1)
	secretLine := "key = " + key + " # gitleaks:allow\n"
	broken := Git{Staged: func(context.Context, *gitsrc.Repo) (scanner.Source, error) {
		return nil, errors.New("index unreadable")
	}}
	panicky := Git{Staged: func(context.Context, *gitsrc.Repo) (scanner.Source, error) { panic("boom") }}
	tests := []struct {
		name     string
		env      map[string]string
		config   string // .leakguard.toml, if any
		git      Git
		block    bool
		findings int
		err      string
		decision hooks.Decision
	}{
		{"person, marker honoured", nil, "", stagedData("a.ini", secretLine), false, 0, "", hooks.DecisionAllowed},
		{"agent, marker ignored", map[string]string{"CLAUDECODE": "1"}, "", stagedData("a.ini", secretLine), true, 1, "", hooks.DecisionBlocked},
		{"person, error fails closed by default", nil, "", broken, true, 0, "index unreadable", hooks.DecisionError},
		{"person who chose fail open", nil, "[extend]\nuseDefault = true\n[hooks]\nhuman = { failClosed = false }\n", broken, false, 0, "index unreadable", hooks.DecisionError},
		{"agent, error fails closed", map[string]string{"CURSOR_AGENT": "1"}, "", broken, true, 0, "index unreadable", hooks.DecisionError},
		{"person, panic blocks", nil, "", panicky, true, 0, "internal error", hooks.DecisionError},
		{"agent, panic blocks", map[string]string{"CLAUDECODE": "1"}, "", panicky, true, 0, "internal error", hooks.DecisionError},
		{"person, malformed config blocks", nil, "[hooks\n", stagedData("a.ini", "key = "+key+"\n"), true, 0, "config", hooks.DecisionError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home, _ := testRepo(t)
			if tt.config != "" {
				write(t, ".leakguard.toml", tt.config)
			}
			v, err := Run(context.Background(), Request{Hook: "pre-commit", Getenv: hooks.EnvMap(tt.env), Git: tt.git})
			if err != nil {
				t.Fatal(err)
			}
			if v.Block != tt.block || len(v.Findings) != tt.findings {
				t.Errorf("block %v with %d findings (err %v), want block %v with %d", v.Block, len(v.Findings), v.Err, tt.block, tt.findings)
			}
			if tt.err == "" && v.Err != nil || tt.err != "" && (v.Err == nil || !strings.Contains(v.Err.Error(), tt.err)) {
				t.Errorf("error %v, want one containing %q", v.Err, tt.err)
			}
			log := auditLog(t, home)
			if want := `"decision":"` + string(tt.decision) + `"`; !strings.Contains(log, want) {
				t.Errorf("audit log %s lacks %s", log, want)
			}
			if strings.Contains(log, key) {
				t.Errorf("audit log holds the secret: %s", log)
			}
		})
	}
}

// TestUnwritableAuditBlocksAgents: an audit log that cannot be written is a
// failure of the gate: agents are blocked, people warned (when their policy
// fails open).
func TestUnwritableAuditBlocksAgents(t *testing.T) {
	for _, tt := range []struct {
		name  string
		env   map[string]string
		block bool
	}{
		{"agent", map[string]string{"CLAUDECODE": "1"}, true},
		{"person failing open", nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			home, git := testRepo(t)
			dir := filepath.Join(home, "ro")
			if err := os.Mkdir(dir, 0o500); err != nil {
				t.Fatal(err)
			}
			if os.Getuid() == 0 {
				// root writes anywhere: point the log below a file instead.
				write(t, filepath.Join(home, "file"), "")
				dir = filepath.Join(home, "file")
			}
			cfg := "[extend]\nuseDefault = true\n[hooks]\nhuman = { failClosed = false }\naudit = { path = '" + filepath.Join(dir, "sub", "audit.jsonl") + "' }\n"
			write(t, ".leakguard.toml", cfg)
			git("add", ".leakguard.toml") // agents get the committed config
			git("commit", "-q", "-m", "config")
			v, err := Run(context.Background(), Request{Hook: "pre-commit", Getenv: hooks.EnvMap(tt.env), Git: stagedData("a.txt", "nothing here\n")})
			if err != nil {
				t.Fatal(err)
			}
			if v.Block != tt.block {
				t.Errorf("block %v, want %v (err %v, notes %q)", v.Block, tt.block, v.Err, v.Notes)
			}
			if len(v.Notes) == 0 {
				t.Errorf("no note about the audit log")
			}
		})
	}
}

// TestAgentConfigFromHead checks that an agent's commit is judged by the
// committed config and ignore file, not by working copies it could edit.
func TestAgentConfigFromHead(t *testing.T) {
	testRepo(t)
	secret := "key = " + fake.AWSKeyID(2) + "\n"
	// Working copies that would let everything through.
	write(t, ".leakguard.toml", "[extend]\nuseDefault = true\n[hooks]\nagent = { mode = \"warn\" }\nhuman = { mode = \"warn\" }\n")
	write(t, ".gitleaksignore", "a.ini:aws-access-token:1\n")
	for _, tt := range []struct {
		name  string
		env   map[string]string
		block bool
	}{
		{"person uses the working copies", nil, false},
		{"agent uses HEAD", map[string]string{"GEMINI_CLI": "1"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Run(context.Background(), Request{Hook: "pre-commit", Getenv: hooks.EnvMap(tt.env), Git: stagedData("a.ini", secret)})
			if err != nil {
				t.Fatal(err)
			}
			if v.Block != tt.block {
				t.Errorf("block %v, want %v (findings %d, err %v)", v.Block, tt.block, len(v.Findings), v.Err)
			}
		})
	}
}

// TestPushJudgesEachCommit pushes two commits with an allow-marked secret
// each, one by a person and one by an agent (Co-Authored-By trailer),
// through the real pre-push path: the person's marker counts, the agent's
// does not, and the agent's commit puts the push under the agent policy.
func TestPushJudgesEachCommit(t *testing.T) {
	_, git := testRepo(t)
	write(t, "a.ini", "key = "+fake.AWSKeyID(3)+" # gitleaks:allow\n")
	git("add", "a.ini")
	git("commit", "-q", "-m", "person's change")
	write(t, "b.ini", "key = "+fake.AWSKeyID(4)+" # gitleaks:allow\n")
	git("add", "b.ini")
	git("commit", "-q", "-m", "agent's change\n\nCo-Authored-By: Claude <noreply@anthropic.com>")
	head := git("rev-parse", "HEAD")
	refs := "refs/heads/main " + head + " refs/heads/main " + strings.Repeat("0", 40) + "\n"
	v, err := Run(context.Background(), Request{Hook: "pre-push", Args: []string{"origin", "url"}, Stdin: strings.NewReader(refs), Getenv: hooks.EnvMap(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if v.Err != nil || !v.Block || len(v.Findings) != 1 || v.Findings[0].Path != "b.ini" {
		t.Fatalf("block %v, err %v, findings %+v: want only b.ini's, blocking", v.Block, v.Err, v.Findings)
	}
	if !v.Agent.IsAgent || !strings.Contains(v.Agent.Signal, "trailer") {
		t.Errorf("agent %+v, want the agent commit's trailer", v.Agent)
	}
}

// TestPushUnreadableRangeBlocks: a push whose commits cannot be read is
// blocked for a person too (it used to go ahead with a warning).
func TestPushUnreadableRangeBlocks(t *testing.T) {
	testRepo(t)
	refs := "refs/heads/main " + strings.Repeat("1", 40) + " refs/heads/main " + strings.Repeat("0", 40) + "\n"
	v, err := Run(context.Background(), Request{Hook: "pre-push", Args: []string{"origin", "url"}, Stdin: strings.NewReader(refs), Getenv: hooks.EnvMap(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if v.Err == nil || !v.Block {
		t.Errorf("block %v, err %v: want blocked with an error", v.Block, v.Err)
	}
}

func TestUnknownHook(t *testing.T) {
	if _, err := Run(context.Background(), Request{Hook: "post-merge"}); !errors.Is(err, ErrUnknownHook) {
		t.Errorf("got %v, want ErrUnknownHook", err)
	}
}

// TestCommitAgents: one function decides, with the config's agentAuthors.
func TestCommitAgents(t *testing.T) {
	of := CommitAgents([]string{`@bots\.example\.com>$`})
	for _, tt := range []struct {
		c    *scanner.CommitInfo
		want bool
	}{
		{&scanner.CommitInfo{SHA: "1", Author: "B", Email: "b@bots.example.com", Message: "x"}, true},
		{&scanner.CommitInfo{SHA: "2", Author: "P", Email: "p@example.com", Message: "x\n\nCo-Authored-By: Claude <noreply@anthropic.com>"}, true},
		{&scanner.CommitInfo{SHA: "3", Author: "P", Email: "p@example.com", Message: "x"}, false},
		{nil, false},
	} {
		if got := of(tt.c).IsAgent; got != tt.want {
			t.Errorf("%+v: agent %v, want %v", tt.c, got, tt.want)
		}
	}
}
