package git

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakguard/leakguard/scanner"
)

func (r *testRepo) staged() []brief {
	r.t.Helper()
	fs, _, err := newScanner(r.t).Scan(context.Background(), &Staged{Repo: r.open()})
	if err != nil {
		r.t.Fatalf("staged scan: %v", err)
	}
	return briefs(fs)
}

func TestStagedFirstCommit(t *testing.T) {
	r := newTestRepo(t)
	key := fakeAWS(20)
	r.write("a/b.txt", "one\ntwo\nk = "+key+"\n")
	r.git("add", "a/b.txt")
	want := []brief{{Rule: awsRule, Path: "a/b.txt", Line: 3, Secret: key}}
	if diff := cmp.Diff(want, r.staged()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestStagedOnlyAddedLines(t *testing.T) {
	r := newTestRepo(t)
	old := fakeAWS(21)
	r.write("f.txt", "1\n2\nold = "+old+"\n4\n")
	r.commit("base")
	key := fakeAWS(22)
	r.write("f.txt", "1\nnew = "+key+"\n2\nold = "+old+"\n4\n")
	r.git("add", "f.txt")
	want := []brief{{Rule: awsRule, Path: "f.txt", Line: 2, Secret: key}}
	if diff := cmp.Diff(want, r.staged()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Nothing staged: nothing found, whatever the work tree holds.
	r.git("reset", "-q")
	if got := r.staged(); len(got) != 0 {
		t.Errorf("nothing staged: got %+v", got)
	}
}

func TestStagedPartialStaging(t *testing.T) {
	r := newTestRepo(t)
	lines := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}
	r.write("p.txt", strings.Join(lines, "\n")+"\n")
	r.commit("base")
	staged, unstaged := fakeAWS(23), fakeAWS(24)
	// The work tree gets two secrets; only the first hunk is staged.
	work := append([]string{"s = " + staged}, lines...)
	work = append(work, "u = "+unstaged)
	r.write("p.txt", strings.Join(work, "\n")+"\n")
	patch := "diff --git a/p.txt b/p.txt\n--- a/p.txt\n+++ b/p.txt\n@@ -0,0 +1 @@\n+s = " + staged + "\n"
	r.gitIn(patch, "apply", "--cached", "--unidiff-zero", "-")
	want := []brief{{Rule: awsRule, Path: "p.txt", Line: 1, Secret: staged}}
	if diff := cmp.Diff(want, r.staged()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// And the index, not the work tree, decides: stage a secret, then
	// remove it from the work tree only.
	r.git("reset", "-q")
	r.write("q.txt", "k = "+fakeAWS(25)+"\n")
	r.git("add", "q.txt")
	r.write("q.txt", "clean\n")
	if got := r.staged(); len(got) != 1 || got[0].Path != "q.txt" {
		t.Errorf("index blob: got %+v", got)
	}
}

func TestStagedRename(t *testing.T) {
	r := newTestRepo(t)
	key := fakeAWS(26)
	r.write("old.txt", "1\n2\n3\nk = "+key+"\n5\n6\n")
	r.commit("base")
	r.git("mv", "old.txt", "new.txt")
	if got := r.staged(); len(got) != 0 {
		t.Errorf("pure rename: got %+v", got)
	}
	key2 := fakeAWS(27)
	r.write("new.txt", "1\n2\n3\nk = "+key+"\n5\n6\nk2 = "+key2+"\n")
	r.git("add", "new.txt")
	want := []brief{{Rule: awsRule, Path: "new.txt", Line: 7, Secret: key2}}
	if diff := cmp.Diff(want, r.staged()); diff != "" {
		t.Errorf("rename with edit (-want +got):\n%s", diff)
	}
}

func TestPrePushRevs(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "a\n")
	base := r.commit("base")
	r.git("update-ref", "refs/remotes/origin/main", base)
	r.write("b.txt", "k = "+fakeAWS(28)+"\n")
	head := r.commit("pushed")
	zero := strings.Repeat("0", 40)
	repo := r.open()
	tests := []struct {
		name  string
		in    string
		want  []string
		finds int
	}{
		{"existing branch", "refs/heads/main " + head + " refs/heads/main " + base + "\n", []string{head, "--not", "--remotes", base}, 1},
		{"new branch", "refs/heads/topic " + head + " refs/heads/topic " + zero + "\n", []string{head, "--not", "--remotes"}, 1},
		{"delete", "(delete) " + zero + " refs/heads/old " + base + "\n", nil, 0},
		{"nothing new", "refs/heads/main " + base + " refs/heads/main " + base + "\n", []string{base, "--not", "--remotes", base}, 0},
		{"remote tip unknown here (force push)", "refs/heads/main " + head + " refs/heads/main " + strings.Repeat("e", 40) + "\n", []string{head, "--not", "--remotes"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			revs, err := PrePushRevs(context.Background(), repo, strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, revs); diff != "" {
				t.Errorf("revs (-want +got):\n%s", diff)
			}
			if revs == nil {
				return
			}
			fs, _, _ := r.history(&History{Repo: repo, Revs: revs})
			if len(fs) != tt.finds {
				t.Errorf("got %d findings, want %d", len(fs), tt.finds)
			}
		})
	}
	if _, err := PrePushRevs(context.Background(), repo, strings.NewReader("garbage\n")); err == nil {
		t.Error("malformed input accepted")
	}
}

func TestPreReceiveRevs(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "a\n")
	base := r.commit("base")
	r.write("b.txt", "k = "+fakeAWS(29)+"\n")
	head := r.commit("new")
	r.git("update-ref", "refs/heads/main", base)
	zero := strings.Repeat("0", 40)
	repo := r.open()
	revs, err := PreReceiveRevs(context.Background(), repo, strings.NewReader(base+" "+head+" refs/heads/main\n"+base+" "+zero+" refs/heads/gone\n"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{head, "--not", "--all", base}, revs); diff != "" {
		t.Errorf("revs (-want +got):\n%s", diff)
	}
	fs, _, _ := r.history(&History{Repo: repo, Revs: revs})
	if got := briefs(fs); len(got) != 1 || got[0].Commit != head {
		t.Errorf("got %+v", got)
	}
}

// BenchmarkStagedTenFiles measures the staged fast path (git diff
// --cached and the diff parser) for ten staged files of real Go text.
func BenchmarkStagedTenFiles(b *testing.B) {
	dir := b.TempDir()
	gitEnvB(b)
	run := func(args ...string) {
		cmd := execGit(dir, args...)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("-c", "init.defaultBranch=main", "init", "-q")
	src, err := os.ReadFile(filepath.Join(goroot(), "src", "go", "ast", "ast.go"))
	if err != nil {
		b.Skip("no Go source to copy")
	}
	for i := 0; i < 10; i++ {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.go", i)), src, 0o644)
	}
	run("add", "-A")
	run("commit", "-q", "-m", "base")
	for i := 0; i < 10; i++ {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.go", i)), append(append([]byte{}, src...), "// more\n"...), 0o644)
	}
	run("add", "-A")
	repo, err := Open(context.Background(), dir, false)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		err := (&Staged{Repo: repo}).Fragments(context.Background(), func(scanner.Fragment) error { n++; return nil })
		if err != nil || n != 10 {
			b.Fatalf("got %d fragments, %v", n, err)
		}
	}
}

func gitEnvB(b *testing.B) {
	home := b.TempDir()
	for k, v := range map[string]string{
		"HOME": home, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": filepath.Join(home, "gitconfig"),
		"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.com", "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.com",
	} {
		b.Setenv(k, v)
	}
}

// TestHookRefLinesCannotPassOptions: a ref line whose "sha" is an option
// (--output=FILE truncates FILE when git log reads it) is refused before
// any git command runs.
func TestHookRefLinesCannotPassOptions(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "a\n")
	base := r.commit("base")
	repo := r.open()
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	zero := strings.Repeat("0", 40)
	for _, in := range []string{
		"refs/heads/main --output=" + victim + " refs/heads/main " + zero + "\n",
		"refs/heads/main " + base + " refs/heads/main --output=" + victim + "\n",
		"refs/heads/main " + base[:12] + " refs/heads/main " + zero + "\n",
	} {
		if _, err := PrePushRevs(context.Background(), repo, strings.NewReader(in)); err == nil {
			t.Errorf("pre-push line %q accepted", in)
		}
	}
	for _, in := range []string{
		zero + " --output=" + victim + " refs/heads/main\n",
		"--output=" + victim + " " + base + " refs/heads/main\n",
	} {
		if _, err := PreReceiveRevs(context.Background(), repo, strings.NewReader(in)); err == nil {
			t.Errorf("pre-receive line %q accepted", in)
		}
	}
	if got, _ := os.ReadFile(victim); string(got) != "keep" {
		t.Errorf("victim file now %q", got)
	}
}
