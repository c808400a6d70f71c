package hooks

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fakeLeakguard is a stand-in for the leakguard binary: it appends its arguments
// to $LG_LOG, saves its standard input for pre-push, and exits with $LG_EXIT.
const fakeLeakguard = `#!/bin/sh
echo "$*" >>"$LG_LOG"
if [ "$3" = pre-push ]; then cat >"$LG_LOG.stdin"; fi
if [ -n "${LG_SLEEP:-}" ]; then sleep "$LG_SLEEP"; fi
if [ -n "${LG_SIGNAL:-}" ]; then kill -"$LG_SIGNAL" $$; fi
exit "${LG_EXIT:-0}"
`

// recordingHook is a foreign hook that records that it ran (and its stdin for
// pre-push) and exits with $OTHER_EXIT.
const recordingHook = `#!/bin/sh
echo "other $*" >>"$LG_LOG"
case "$0" in *pre-push*) cat >"$LG_LOG.other-stdin";; esac
exit "${OTHER_EXIT:-0}"
`

type e2e struct {
	t    *testing.T
	repo string
	log  string
}

// newE2E makes a repository and a fake leakguard on PATH.
func newE2E(t *testing.T) *e2e {
	t.Helper()
	isolateGit(t)
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("sh not on PATH")
	}
	bin := t.TempDir()
	writeFile(t, filepath.Join(bin, "leakguard"), fakeLeakguard, 0o755)
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return &e2e{t: t, repo: newRepo(t), log: filepath.Join(t.TempDir(), "calls.log")}
}

func (e *e2e) commits() int {
	e.t.Helper()
	return len(strings.Split(runGitT(e.t, e.repo, "rev-list", "HEAD"), "\n"))
}

// commit stages a new file and commits; it returns git's output and whether the
// commit was made.
func (e *e2e) commit(env ...string) (string, bool) {
	e.t.Helper()
	before := e.commits()
	name := filepath.Join(e.repo, "f"+strings.Repeat("x", before))
	writeFile(e.t, name, "content\n", 0o644)
	runGitT(e.t, e.repo, "add", ".")
	out, err := gitOut(e.repo, append([]string{"LG_LOG=" + e.log}, env...), "commit", "-m", "change")
	made := e.commits() == before+1
	if made != (err == nil) {
		e.t.Fatalf("git commit err=%v but commit made=%v\n%s", err, made, out)
	}
	return out, made
}

func (e *e2e) calls() []string {
	e.t.Helper()
	b, err := os.ReadFile(e.log)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		e.t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		lines = append(lines, strings.TrimSpace(l))
	}
	return lines
}

func TestHookScriptsGateCommits(t *testing.T) {
	tests := []struct {
		name      string
		foreign   bool // a pre-commit hook was there before install
		env       []string
		wantMade  bool
		wantCalls []string // argument lines, "other ..." for the foreign hook
		wantOut   string
	}{
		{name: "leakguard allows", env: []string{"LG_EXIT=0"}, wantMade: true,
			wantCalls: []string{"hook run pre-commit", "hook run commit-msg .git/COMMIT_EDITMSG"}},
		{name: "leakguard blocks", env: []string{"LG_EXIT=1"}, wantMade: false,
			wantCalls: []string{"hook run pre-commit"}},
		{name: "chained hook runs first", foreign: true, wantMade: true,
			wantCalls: []string{"other", "hook run pre-commit", "hook run commit-msg .git/COMMIT_EDITMSG"}},
		{name: "chained hook failure blocks", foreign: true, env: []string{"OTHER_EXIT=3"}, wantMade: false,
			wantCalls: []string{"other"}, wantOut: "failed (exit 3)"},
		{name: "chained passes, leakguard blocks", foreign: true, env: []string{"LG_EXIT=1"}, wantMade: false,
			wantCalls: []string{"other", "hook run pre-commit"}},
		{name: "LEAKGUARD_BIN as a command name", env: []string{"LEAKGUARD_BIN=leakguard", "LG_EXIT=1"}, wantMade: false,
			wantCalls: []string{"hook run pre-commit"}},
		{name: "missing binary fails closed", env: []string{"LEAKGUARD_BIN=/nonexistent/leakguard"}, wantMade: false,
			wantOut: "fail closed"},
		{name: "usage error blocks with a message", env: []string{"LG_EXIT=2"}, wantMade: false,
			wantCalls: []string{"hook run pre-commit"}, wantOut: "exited with status 2"},
		{name: "crash blocks with a message", env: []string{"LG_SIGNAL=SEGV"}, wantMade: false,
			wantCalls: []string{"hook run pre-commit"}, wantOut: "killed by signal 11"},
		{name: "hung binary times out and blocks", env: []string{"LG_SLEEP=30", "LEAKGUARD_HOOK_TIMEOUT=1"}, wantMade: false,
			wantCalls: []string{"hook run pre-commit"}, wantOut: "did not finish within 1s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newE2E(t)
			if tc.foreign {
				writeFile(t, filepath.Join(e.repo, ".git", "hooks", "pre-commit"), recordingHook, 0o755)
			}
			if _, err := Install(InstallOptions{RepoDir: e.repo}); err != nil {
				t.Fatal(err)
			}
			out, made := e.commit(tc.env...)
			if made != tc.wantMade {
				t.Errorf("commit made = %v, want %v\n%s", made, tc.wantMade, out)
			}
			if got := e.calls(); strings.Join(got, "|") != strings.Join(tc.wantCalls, "|") {
				t.Errorf("calls = %q, want %q", got, tc.wantCalls)
			}
			if !strings.Contains(out, tc.wantOut) {
				t.Errorf("output %q does not contain %q", out, tc.wantOut)
			}
		})
	}
}

func TestHookScriptPrefersInstallTimeBinary(t *testing.T) {
	e := newE2E(t)
	other := filepath.Join(t.TempDir(), "lg-installed")
	writeFile(t, other, "#!/bin/sh\necho \"installed $*\" >>\"$LG_LOG\"\nexit 1\n", 0o755)
	if _, err := Install(InstallOptions{RepoDir: e.repo, Binary: other, Hooks: []string{"pre-commit"}}); err != nil {
		t.Fatal(err)
	}
	if _, made := e.commit(); made {
		t.Errorf("commit made, want blocked by the install-time binary")
	}
	if got, want := e.calls(), []string{"installed hook run pre-commit"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("calls = %q, want %q", got, want)
	}
	// LEAKGUARD_BIN wins over the install-time path.
	lgBin, _ := exec.LookPath("leakguard")
	if _, made := e.commit("LEAKGUARD_BIN=" + lgBin); !made {
		t.Errorf("commit blocked, want LEAKGUARD_BIN's fake to allow it")
	}
}

func TestPrePushStdinReachesBothHooks(t *testing.T) {
	for _, lgExit := range []string{"0", "1"} {
		t.Run("leakguard exit "+lgExit, func(t *testing.T) {
			e := newE2E(t)
			remote := filepath.Join(t.TempDir(), "remote.git")
			runGitT(t, "", "init", "-q", "--bare", remote)
			runGitT(t, e.repo, "remote", "add", "origin", remote)
			writeFile(t, filepath.Join(e.repo, ".git", "hooks", "pre-push"), recordingHook, 0o755)
			if _, err := Install(InstallOptions{RepoDir: e.repo}); err != nil {
				t.Fatal(err)
			}
			out, err := gitOut(e.repo, []string{"LG_LOG=" + e.log, "LG_EXIT=" + lgExit}, "push", "-q", "origin", "main")
			if (err == nil) != (lgExit == "0") {
				t.Errorf("push err = %v with leakguard exit %s\n%s", err, lgExit, out)
			}
			head := runGitT(t, e.repo, "rev-parse", "HEAD")
			wantStdin := "refs/heads/main " + head + " refs/heads/main " + strings.Repeat("0", len(head)) + "\n"
			for _, f := range []string{e.log + ".stdin", e.log + ".other-stdin"} {
				if got := readFile(t, f); got != wantStdin {
					t.Errorf("%s = %q, want %q", filepath.Base(f), got, wantStdin)
				}
			}
			wantCalls := []string{"other origin " + remote, "hook run pre-push origin " + remote}
			if got := e.calls(); strings.Join(got, "|") != strings.Join(wantCalls, "|") {
				t.Errorf("calls = %q, want %q", got, wantCalls)
			}
			pushed, _ := gitOut(remote, nil, "rev-parse", "refs/heads/main")
			if (strings.TrimSpace(pushed) == head) != (lgExit == "0") {
				t.Errorf("remote main = %q, head %q, leakguard exit %s", strings.TrimSpace(pushed), head, lgExit)
			}
		})
	}
}

func TestWorktreeCommitRunsHooks(t *testing.T) {
	e := newE2E(t)
	wt := filepath.Join(filepath.Dir(e.repo), "wt")
	runGitT(t, e.repo, "worktree", "add", "-q", "-b", "side", wt)
	if _, err := Install(InstallOptions{RepoDir: wt, Hooks: []string{"pre-commit"}}); err != nil {
		t.Fatal(err)
	}
	e.repo = wt
	if _, made := e.commit("LG_EXIT=1"); made {
		t.Errorf("commit in worktree made, want blocked")
	}
}

func TestGlobalHooksRunRepositoryHooksToo(t *testing.T) {
	e := newE2E(t)
	writeFile(t, filepath.Join(e.repo, ".git", "hooks", "pre-commit"), recordingHook, 0o755)
	if _, err := Install(InstallOptions{Global: true, Hooks: []string{"pre-commit"}}); err != nil {
		t.Fatal(err)
	}
	if _, made := e.commit(); !made {
		t.Fatalf("commit blocked")
	}
	if got, want := e.calls(), []string{"other", "hook run pre-commit"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("calls = %q, want %q", got, want)
	}
}

func TestScriptQuoting(t *testing.T) {
	s := renderScript(scriptSpec{Hook: "pre-commit", Binary: "/opt/it's here/leakguard"})
	if got := parseScript([]byte(s)).Binary; got != "/opt/it's here/leakguard" {
		t.Errorf("binary round trip = %q", got)
	}
	if _, err := exec.LookPath("sh"); err == nil {
		cmd := exec.Command("sh", "-n")
		cmd.Stdin = strings.NewReader(s)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("sh -n: %v\n%s", err, out)
		}
	}
}

// The scripts are POSIX sh: sh -n parses them, and shellcheck (when installed)
// finds nothing in any variant.
func TestScriptsArePOSIX(t *testing.T) {
	sc, _ := exec.LookPath("shellcheck")
	for _, hook := range []string{"pre-commit", "commit-msg", "pre-push"} {
		for _, runLocal := range []bool{false, true} {
			s := renderScript(scriptSpec{Hook: hook, Binary: "/usr/local/bin/leakguard", RunLocal: runLocal})
			for _, argv := range [][]string{{"sh", "-n"}, {sc, "-s", "sh", "-"}} {
				if argv[0] == "" {
					continue
				}
				cmd := exec.Command(argv[0], argv[1:]...)
				cmd.Stdin = strings.NewReader(s)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("%s (runLocal=%v): %s: %v\n%s", hook, runLocal, argv[0], err, out)
				}
			}
		}
	}
}
