package git

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestGoGitMatchesBinary runs the go-git fallback and the git binary over
// the same repository and wants the same findings.
func TestGoGitMatchesBinary(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "one\n")
	base := r.commit("base")
	r.write("a.txt", "one\nk = "+fakeAWS(40)+"\n")
	r.write("dir/b.cfg", "1\n2\n3\nk = "+fakeAWS(41)+"\n4\n5\n")
	r.commit("secrets")
	r.write("new/.keep", "")
	r.git("mv", "dir/b.cfg", "new/b.cfg")
	r.commit("move")
	r.git("checkout", "-q", "-b", "side")
	r.write("a.txt", "side\n")
	r.write("s.txt", "k = "+fakeAWS(42)+"\n")
	r.commit("side")
	r.git("checkout", "-q", "main")
	r.write("a.txt", "main\n")
	mid := r.commit("main")
	_ = execGit(r.dir, "merge", "-q", "side").Run()
	r.write("a.txt", "merged\nk = "+fakeAWS(43)+"\n")
	r.commit("merge")
	r.commit("message " + fakeAWS(44))

	for _, tc := range []struct {
		name string
		h    History
	}{
		{"default", History{}},
		{"range", History{Revs: []string{base + ".." + mid}}},
		{"branch", History{Revs: []string{"side"}}},
		{"no messages", History{NoMessages: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bin, ggit := tc.h, tc.h
			bin.Repo = r.open()
			gg, err := Open(context.Background(), r.dir, true)
			if err != nil {
				t.Fatal(err)
			}
			if gg.UsesBinary() {
				t.Fatal("go-git repo uses the binary")
			}
			ggit.Repo = gg
			want, _, _ := r.history(&bin)
			got, _, _ := r.history(&ggit)
			if len(want) == 0 {
				t.Fatal("no findings from the git binary")
			}
			if diff := cmp.Diff(briefs(want), briefs(got)); diff != "" {
				t.Errorf("go-git vs binary (-binary +go-git):\n%s", diff)
			}
			if got[0].Commit.Author != want[0].Commit.Author || got[0].Commit.Date != want[0].Commit.Date || got[0].Commit.Message != want[0].Commit.Message {
				t.Errorf("commit info: go-git %+v, binary %+v", got[0].Commit, want[0].Commit)
			}
		})
	}

	// Staged, partial: the index differs from both HEAD and the work tree.
	r.write("p.txt", "a\nb\nc\n")
	r.commit("p")
	staged := fakeAWS(45)
	r.write("p.txt", "a\ns = "+staged+"\nb\nc\nu = "+fakeAWS(46)+"\n")
	r.gitIn("diff --git a/p.txt b/p.txt\n--- a/p.txt\n+++ b/p.txt\n@@ -1,0 +2 @@\n+s = "+staged+"\n", "apply", "--cached", "--unidiff-zero", "-")
	gg, err := Open(context.Background(), r.dir, true)
	if err != nil {
		t.Fatal(err)
	}
	fs, _, err := newScanner(t).Scan(context.Background(), &Staged{Repo: gg})
	if err != nil {
		t.Fatal(err)
	}
	want := []brief{{Rule: awsRule, Path: "p.txt", Line: 2, Secret: staged}}
	if diff := cmp.Diff(want, briefs(fs)); diff != "" {
		t.Errorf("go-git staged (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, r.staged()); diff != "" {
		t.Errorf("binary staged (-want +got):\n%s", diff)
	}
}
