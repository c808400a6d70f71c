//go:build unix

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/leakguard/leakguard/hooks"
	"github.com/leakguard/leakguard/internal/fake"
)

// leakguardEnv is an environment in which "leakguard" on PATH is this test
// binary (see TestMain), with its own home, state (the audit log) and git
// identity.
func leakguardEnv(t *testing.T) (env []string, home string) {
	t.Helper()
	bin, home := t.TempDir(), t.TempDir()
	if err := os.Symlink(os.Args[0], filepath.Join(bin, "leakguard")); err != nil {
		t.Fatal(err)
	}
	env = append(os.Environ(), "LEAKGUARD_TEST_MAIN=1", "PATH="+bin+":"+os.Getenv("PATH"), "HOME="+home,
		"XDG_CONFIG_HOME="+home+"/.config", "XDG_STATE_HOME="+home+"/.state", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Test Author", "GIT_AUTHOR_EMAIL=author@example.com",
		"GIT_COMMITTER_NAME=Test Committer", "GIT_COMMITTER_EMAIL=committer@example.com")
	return env, home
}

func runIn(t *testing.T, env []string, dir string, stdin string, name string, args ...string) (string, error) {
	t.Helper()
	c := exec.Command(name, args...)
	c.Env, c.Dir = env, dir
	c.Stdin = strings.NewReader(stdin)
	var out bytes.Buffer
	c.Stdout, c.Stderr = &out, &out
	err := c.Run()
	return out.String(), err
}

func must(t *testing.T, env []string, dir string, name string, args ...string) string {
	t.Helper()
	out, err := runIn(t, env, dir, "", name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// auditLines reads every line of the audit log, each of which must be one
// whole record.
func auditLines(t *testing.T, path string) []hooks.AuditEvent {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var evs []hooks.AuditEvent
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		ev, err := hooks.ParseAuditLine(sc.Bytes())
		if err != nil {
			t.Fatalf("audit line %d is not one whole record (%v): %.200q", n, err, sc.Text())
		}
		evs = append(evs, ev)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return evs
}

// TestConcurrentCommitsInTwoWorktrees commits at the same moment in two
// worktrees of one repository, through leakguard's installed hooks, round
// after round: in each round one worktree stages a secret and the other a
// clean file (they swap every round). Each hook judges its own worktree's
// index: the secret's commit is blocked naming its own file, the clean
// one goes ahead, and the one audit log both write holds whole lines, a
// block and an allow per round.
func TestConcurrentCommitsInTwoWorktrees(t *testing.T) {
	env, home := leakguardEnv(t)
	root := t.TempDir()
	repo, other := filepath.Join(root, "one"), filepath.Join(root, "two")
	must(t, env, root, "git", "-c", "init.defaultBranch=main", "init", "-q", repo)
	must(t, env, repo, "leakguard", "hook", "install")
	if err := os.WriteFile(filepath.Join(repo, "README"), []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	must(t, env, repo, "git", "add", "README")
	must(t, env, repo, "git", "commit", "-q", "-m", "first")
	must(t, env, repo, "git", "worktree", "add", "-q", "-b", "two", other)
	dirs := []string{repo, other}
	const rounds = 8
	for r := 0; r < rounds; r++ {
		bad := r % 2 // the worktree that stages a secret this round
		for i, d := range dirs {
			name := fmt.Sprintf("w%d-r%d.txt", i, r)
			body := "nothing secret here\n"
			if i == bad {
				body = "aws_access_key_id = " + fake.AWSKeyID(int64(100+r)) + "\n"
			}
			if err := os.WriteFile(filepath.Join(d, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			must(t, env, d, "git", "add", name)
		}
		outs, errs := make([]string, 2), make([]error, 2)
		var start, done sync.WaitGroup
		start.Add(1)
		for i, d := range dirs {
			done.Add(1)
			go func() {
				defer done.Done()
				start.Wait()
				outs[i], errs[i] = runIn(t, env, d, "", "git", "commit", "-q", "-m", fmt.Sprintf("round %d", r))
			}()
		}
		start.Done()
		done.Wait()
		for i := range dirs {
			own := fmt.Sprintf("w%d-r%d.txt", i, r)
			theirs := fmt.Sprintf("w%d-r%d.txt", 1-i, r)
			if i == bad {
				if errs[i] == nil {
					t.Fatalf("round %d: the commit with a secret in worktree %d went ahead:\n%s", r, i, outs[i])
				}
				if !strings.Contains(outs[i], own) || strings.Contains(outs[i], theirs) {
					t.Errorf("round %d: worktree %d's block does not name its own file only:\n%s", r, i, outs[i])
				}
				must(t, env, dirs[i], "git", "rm", "-q", "--cached", own)
			} else if errs[i] != nil {
				t.Fatalf("round %d: the clean commit in worktree %d was refused: %v\n%s", r, i, errs[i], outs[i])
			}
		}
	}
	for i, d := range dirs {
		if got := strings.TrimSpace(must(t, env, d, "git", "rev-list", "--count", "HEAD")); got != fmt.Sprint(1+rounds/2) {
			t.Errorf("worktree %d: %s commits, want %d", i, got, 1+rounds/2)
		}
	}
	evs := auditLines(t, filepath.Join(home, ".state", "leakguard", "audit.jsonl"))
	decisions := map[hooks.Decision]int{}
	for _, ev := range evs {
		if ev.Hook == "pre-commit" {
			decisions[ev.Decision]++
		}
	}
	if decisions[hooks.DecisionBlocked] != rounds {
		t.Errorf("audit: %d pre-commit blocks, want %d (%v)", decisions[hooks.DecisionBlocked], rounds, decisions)
	}
}

// TestConcurrentAgentHooksOneAuditLog runs many agent hooks at once, two
// agents' protocols (Claude Code and Cursor) alternating, each blocking a
// prompt that carries a key, all writing one audit log, with session ids
// long enough (8 KiB) that a line is larger than the pipe buffer's atomic
// write: every hook answers a block, and the log holds exactly one whole
// line per hook, with its own session.
func TestConcurrentAgentHooksOneAuditLog(t *testing.T) {
	env, home := leakguardEnv(t)
	const hooksAtOnce = 32
	key := fake.AWSKeyID(200)
	var wg sync.WaitGroup
	outs, errs := make([]string, hooksAtOnce), make([]error, hooksAtOnce)
	sessions := map[string]bool{}
	for i := 0; i < hooksAtOnce; i++ {
		session := fmt.Sprintf("s%02d-%s", i, strings.Repeat("x", 8<<10))
		sessions[session] = true
		a, ev := "claude-code", map[string]any{"session_id": session, "hook_event_name": "UserPromptSubmit", "prompt": "use " + key}
		if i%2 == 1 {
			a, ev = "cursor", map[string]any{"conversation_id": session, "hook_event_name": "beforeSubmitPrompt", "prompt": "use " + key}
		}
		payload, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i], errs[i] = runIn(t, env, home, string(payload), "leakguard", "agent-hook", a)
		}()
	}
	wg.Wait()
	for i := range outs {
		if errs[i] != nil || !(strings.Contains(outs[i], `"decision":"block"`) || strings.Contains(outs[i], `"continue":false`)) {
			t.Errorf("hook %d: %v, answered %.300s", i, errs[i], outs[i])
		}
		if strings.Contains(outs[i], key) {
			t.Errorf("hook %d printed the key", i)
		}
	}
	evs := auditLines(t, filepath.Join(home, ".state", "leakguard", "audit.jsonl"))
	if len(evs) != hooksAtOnce {
		t.Fatalf("%d audit lines, want %d", len(evs), hooksAtOnce)
	}
	for _, ev := range evs {
		if !sessions[ev.Session] || ev.Decision != hooks.DecisionBlocked {
			t.Errorf("audit line for session %.8q: decision %q", ev.Session, ev.Decision)
		}
		delete(sessions, ev.Session)
	}
	if len(sessions) != 0 {
		t.Errorf("%d hooks have no audit line", len(sessions))
	}
}
