package git

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestIncrementalSweepMatchesFullSweep: a sweep from a saved state
// reports, for the commits the state's tips lack, exactly what a full
// sweep reports for them; a third sweep with nothing new reads no commit.
// The history is a generated one (renames, merges with their own
// resolutions, re-added secrets), swept first with its refs wound back,
// then with more commits on top: new secrets, an old secret brought back
// to its old path and to a new one, a merge that brings a secret itself.
func TestIncrementalSweepMatchesFullSweep(t *testing.T) {
	seeds := []int64{11, 12, 13}
	steps := 120
	if testing.Short() {
		seeds, steps = seeds[:1], 80
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := trickyHistory(t, seed, steps)
			statePath := filepath.Join(t.TempDir(), "state.json")
			// Wind every ref back to an older commit of main's.
			refs := strings.Fields(r.git("for-each-ref", "--format=%(refname) %(objectname)"))
			n := strings.Count(r.git("rev-list", "--first-parent", "HEAD"), "\n")
			old := r.git("rev-parse", fmt.Sprintf("HEAD~%d", n/2))
			for i := 0; i+1 < len(refs); i += 2 {
				if refs[i] != "refs/heads/main" {
					r.git("update-ref", "-d", refs[i])
				}
			}
			r.git("update-ref", "refs/heads/main", old)
			sweep := func(stateful bool) ([]brief, Stats) {
				t.Helper()
				h := &History{}
				if stateful {
					st, err := LoadState(statePath)
					if err != nil {
						t.Fatal(err)
					}
					h.State = st
				}
				fs, _, stats := r.history(h)
				if stateful {
					if err := h.State.Save(statePath); err != nil {
						t.Fatal(err)
					}
				}
				return briefs(fs), stats
			}
			first, _ := sweep(true)
			if len(first) == 0 {
				t.Fatal("the first sweep found nothing")
			}
			if fi, err := os.Stat(statePath); err != nil || fi.Mode().Perm() != 0o600 {
				t.Fatalf("state file: %v %v", fi.Mode(), err)
			}
			// Back to the whole history, then more on top.
			for i := 0; i+1 < len(refs); i += 2 {
				r.git("update-ref", refs[i], refs[i+1])
			}
			var oldSecret brief
			for _, b := range first {
				if b.Path != "" && !strings.Contains(b.Secret, "\n") {
					oldSecret = b
				}
			}
			if oldSecret.Path == "" {
				t.Fatal("no one-line file finding in the first sweep")
			}
			r.write(oldSecret.Path, "again "+oldSecret.Secret+"\n")
			r.write("moved/"+filepath.Base(oldSecret.Path), "copied "+oldSecret.Secret+"\n")
			r.write("new.txt", "aws_key = "+fakeAWS(seed*7)+"\n")
			r.commit("old secret back, a new one")
			r.git("checkout", "-q", "-b", "late-side")
			r.write("side.txt", "side\n")
			r.commit("side")
			r.git("checkout", "-q", "main")
			r.write("main.txt", "main\n")
			r.commit("main")
			r.git("merge", "-q", "--no-commit", "late-side")
			r.write("merge.txt", "token: "+fakeAWS(seed*9)+"\n")
			r.git("add", "-A")
			r.commit("merge with a secret of its own")

			full, _, _ := r.history(&History{})
			known := map[string]bool{}
			for _, c := range strings.Fields(r.git("rev-list", old)) {
				known[c] = true
			}
			var want []brief
			for _, b := range briefs(full) {
				if !known[b.Commit] {
					want = append(want, b)
				}
			}
			got, stats := sweep(true)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("incremental vs full sweep's new commits (-full +incremental):\n%s", diff)
			}
			if total := strings.Count(r.git("rev-list", "--all"), "\n"); stats.Commits >= total {
				t.Errorf("the incremental sweep read %d commits of %d", stats.Commits, total)
			}
			again, stats := sweep(true)
			if len(again) != 0 || stats.Commits != 0 {
				t.Errorf("nothing new: %d findings, %d commits read", len(again), stats.Commits)
			}
		})
	}
}

// TestSweepStateKeepsOneSecretOnTwoLines: a sweep from an empty state
// reports what a full sweep reports, a secret on two lines of one file
// (one commit) included; the state drops only what an earlier sweep saw.
func TestSweepStateKeepsOneSecretOnTwoLines(t *testing.T) {
	r := newTestRepo(t)
	key := fakeAWS(41)
	r.write("a.txt", "aws_key = "+key+"\nother\naws_key = "+key+"\n")
	r.commit("twice")
	full, _, _ := r.history(&History{})
	if len(full) != 2 {
		t.Fatalf("full sweep: %d findings, want 2: %v", len(full), briefs(full))
	}
	st, err := LoadState(filepath.Join(t.TempDir(), "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	got, _, _ := r.history(&History{State: st})
	if diff := cmp.Diff(briefs(full), briefs(got)); diff != "" {
		t.Errorf("sweep from an empty state vs full sweep (-full +state):\n%s", diff)
	}
}
