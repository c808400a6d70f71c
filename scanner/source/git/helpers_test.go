package git

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
)

// fakeAWS builds a fake AWS access key id from a seed, at run time, so
// that no line of this file holds one.
func fakeAWS(seed int64) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	rng := rand.New(rand.NewSource(seed))
	var b strings.Builder
	b.WriteString("AK" + "IA")
	for i := 0; i < 16; i++ {
		b.WriteByte(alphabet[rng.Intn(len(alphabet))])
	}
	return b.String()
}

// testRepo is a repository made with the git binary in a temp dir.
type testRepo struct {
	t    *testing.T
	dir  string
	time int64 // the next commit's date
}

func gitEnv(t *testing.T) {
	t.Helper()
	home := t.TempDir()
	for k, v := range map[string]string{
		"HOME": home, "XDG_CONFIG_HOME": home, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": filepath.Join(home, "gitconfig"),
		"GIT_AUTHOR_NAME": "Ada Author", "GIT_AUTHOR_EMAIL": "ada@example.com",
		"GIT_COMMITTER_NAME": "Cy Committer", "GIT_COMMITTER_EMAIL": "cy@example.com",
	} {
		t.Setenv(k, v)
	}
}

func newTestRepo(t *testing.T) *testRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git binary")
	}
	gitEnv(t)
	r := &testRepo{t: t, dir: t.TempDir(), time: 1700000000}
	r.git("-c", "init.defaultBranch=main", "init", "-q")
	return r
}

func (r *testRepo) git(args ...string) string {
	r.t.Helper()
	return r.gitIn("", args...)
}

func (r *testRepo) gitIn(stdin string, args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	date := fmt.Sprintf("@%d +0000", r.time)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func (r *testRepo) write(path, content string) {
	r.t.Helper()
	p := filepath.Join(r.dir, path)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// commit stages everything and commits; it returns the new sha. Each
// commit is dated one hour after the previous one.
func (r *testRepo) commit(msg string) string {
	r.t.Helper()
	r.git("add", "-A")
	r.git("commit", "-q", "--allow-empty", "-m", msg)
	r.time += 3600
	return r.git("rev-parse", "HEAD")
}

func (r *testRepo) open() *Repo {
	r.t.Helper()
	repo, err := Open(context.Background(), r.dir, false)
	if err != nil {
		r.t.Fatal(err)
	}
	return repo
}

func newScanner(t *testing.T) *scanner.Scanner {
	t.Helper()
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	det, err := detectors.Compile(set, detectors.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return scanner.New(det, scanner.Options{Workers: 2})
}

// brief is what tests compare of a finding.
type brief struct {
	Rule, Path string
	Line       int
	Commit     string
	Secret     string
}

func briefs(fs []scanner.Finding) []brief {
	var out []brief
	for _, f := range fs {
		b := brief{Rule: f.RuleID, Path: f.Path, Line: f.StartLine, Secret: f.Secret}
		if f.Commit != nil {
			b.Commit = f.Commit.SHA
		}
		out = append(out, b)
	}
	return out
}

func (r *testRepo) history(h *History) ([]scanner.Finding, scanner.Summary, Stats) {
	r.t.Helper()
	if h.Repo == nil {
		h.Repo = r.open()
	}
	fs, sum, st, err := h.Scan(context.Background(), newScanner(r.t))
	if err != nil {
		r.t.Fatalf("history scan: %v", err)
	}
	return fs, sum, st
}

func execGit(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	return cmd
}
