package git

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fakeGitHubPAT builds a fake classic GitHub token at test time.
func fakeGitHubPAT(rng *rand.Rand) string {
	const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := []byte("gh" + "p_")
	for i := 0; i < 36; i++ {
		b = append(b, alnum[rng.Intn(len(alnum))])
	}
	return string(b)
}

// fakeKeyBlock builds a PEM-armoured private key block of random base64
// body lines at test time.
func fakeKeyBlock(rng *rand.Rand) []string {
	const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	lines := []string{"-----BEGIN " + "RSA PRIVATE" + " KEY-----"}
	for i := 0; i < 6; i++ {
		var b strings.Builder
		for j := 0; j < 64; j++ {
			b.WriteByte(b64[rng.Intn(len(b64))])
		}
		lines = append(lines, b.String())
	}
	return append(lines, "-----END "+"RSA PRIVATE"+" KEY-----")
}

// trickyHistory builds a repository from seed: files edited line by
// line, secrets added, moved, removed and re-added, renames and copies,
// reverts, branches merged with conflict resolutions that bring secrets,
// binary files, multi-line key blocks rotated in place.
func trickyHistory(t *testing.T, seed int64, steps int) *testRepo {
	t.Helper()
	r := newTestRepo(t)
	rng := rand.New(rand.NewSource(seed))
	words := strings.Fields("alpha beta gamma delta config value name port host user list map int return if else for func struct static void char size buffer")
	codeLine := func() string {
		n := 3 + rng.Intn(8)
		var w []string
		for i := 0; i < n; i++ {
			w = append(w, words[rng.Intn(len(words))])
		}
		return strings.Join(w, " ") + fmt.Sprintf(" %d;", rng.Intn(1000))
	}
	files := map[string][]string{}
	var secrets []string // every secret line made so far, for re-adding
	secretLines := func() []string {
		switch rng.Intn(5) {
		case 0:
			return []string{"aws_key = " + fakeAWS(rng.Int63())}
		case 1:
			return []string{"token: " + fakeGitHubPAT(rng)}
		case 2:
			return fakeKeyBlock(rng)
		case 3:
			return []string{"export KEY=" + fakeAWS(rng.Int63()) + " # ops"}
		default:
			if len(secrets) > 0 {
				return []string{secrets[rng.Intn(len(secrets))]} // re-added
			}
			return []string{"aws_key = " + fakeAWS(rng.Int63())}
		}
	}
	pick := func() string {
		var names []string
		for n := range files {
			names = append(names, n)
		}
		if len(names) == 0 {
			return ""
		}
		// map order is random: sort for determinism
		sortStrings(names)
		return names[rng.Intn(len(names))]
	}
	flush := func() {
		for n, lines := range files {
			r.write(n, strings.Join(lines, "\n")+"\n")
		}
	}
	for _, d := range []string{"src/a.c", "src/b.c", "conf/app.ini", "docs/notes.txt"} {
		var lines []string
		for i := 0; i < 150+rng.Intn(150); i++ {
			lines = append(lines, codeLine())
		}
		files[d] = lines
	}
	flush()
	r.commit("initial")
	branchDepth := 0
	for step := 0; step < steps; step++ {
		op := rng.Intn(16)
		name := pick()
		lines := files[name]
		switch {
		case op <= 8 && len(lines) > 0: // edit lines
			for k := 0; k < 1+rng.Intn(3); k++ {
				i := rng.Intn(len(lines))
				switch rng.Intn(3) {
				case 0:
					lines[i] = codeLine()
				case 1:
					lines = append(lines[:i], append([]string{codeLine()}, lines[i:]...)...)
				default:
					if len(lines) > 5 {
						lines = append(lines[:i], lines[i+1:]...)
					}
				}
			}
			files[name] = lines
		case op == 9: // add a secret
			s := secretLines()
			secrets = append(secrets, s[0])
			i := rng.Intn(len(lines) + 1)
			files[name] = append(lines[:i], append(append([]string(nil), s...), lines[i:]...)...)
		case op == 10 && len(lines) > 0: // remove or rotate secret lines
			for i, l := range lines {
				if strings.Contains(l, "aws_key") || strings.Contains(l, "token:") {
					files[name] = append(lines[:i], lines[i+1:]...)
					break
				}
				if strings.HasPrefix(l, "-----BEGIN") && i+3 < len(lines) {
					lines[i+2] = strings.Repeat("Q", 20) + lines[i+2][20:]
					break
				}
			}
		case op == 11: // rename
			nn := fmt.Sprintf("moved/%d_%s", step, filepath.Base(name))
			flush()
			if err := os.MkdirAll(filepath.Join(r.dir, "moved"), 0o755); err != nil {
				t.Fatal(err)
			}
			r.git("mv", name, nn)
			files[nn] = files[name]
			delete(files, name)
		case op == 12: // copy to another path
			nn := fmt.Sprintf("copy/%d_%s", step, filepath.Base(name))
			files[nn] = append([]string(nil), lines...)
		case op == 13 && step > 3: // revert the last commit
			flush()
			r.commit(fmt.Sprintf("step %d", step))
			if err := execGit(r.dir, "revert", "--no-edit", "HEAD").Run(); err == nil {
				r.time += 3600
				files = readFiles(t, r.dir)
			}
			continue
		case op == 14 && branchDepth == 0: // a side branch, merged later
			flush()
			r.commit(fmt.Sprintf("step %d", step))
			branch := fmt.Sprintf("side%d", step)
			r.git("checkout", "-q", "-b", branch)
			for k := 0; k < 2; k++ {
				n := pick()
				s := secretLines()
				files[n] = append(files[n], s...)
				flush()
				r.commit(fmt.Sprintf("side %d.%d", step, k))
			}
			r.git("checkout", "-q", "main")
			files = readFiles(t, r.dir)
			n := pick()
			files[n] = append([]string{codeLine()}, files[n]...)
			flush()
			r.commit(fmt.Sprintf("main %d", step))
			if err := execGit(r.dir, "merge", "-q", "--no-edit", branch).Run(); err != nil {
				// A conflict: resolve with both sides and a new secret.
				out, _ := execGit(r.dir, "diff", "--name-only", "--diff-filter=U").Output()
				for _, f := range strings.Fields(string(out)) {
					data, _ := os.ReadFile(filepath.Join(r.dir, f))
					var kept []string
					for _, l := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
						if !strings.HasPrefix(l, "<<<<<<<") && !strings.HasPrefix(l, "=======") && !strings.HasPrefix(l, ">>>>>>>") {
							kept = append(kept, l)
						}
					}
					kept = append(kept, "merge_key = "+fakeAWS(rng.Int63()))
					r.write(f, strings.Join(kept, "\n")+"\n")
				}
			} else if rng.Intn(2) == 0 {
				// An evil merge: content no parent has.
				n := pick()
				files = readFiles(t, r.dir)
				files[n] = append(files[n], "evil = "+fakeAWS(rng.Int63()))
				flush()
				r.git("add", "-A")
				r.git("commit", "-q", "--amend", "--no-edit")
			}
			r.git("add", "-A")
			r.commit(fmt.Sprintf("merge %s", branch))
			files = readFiles(t, r.dir)
			continue
		default:
			if rng.Intn(4) == 0 {
				r.write(fmt.Sprintf("bin/%d.dat", step), "\x00\x01 aws_key = "+fakeAWS(rng.Int63())+"\n")
			}
		}
		flush()
		msg := fmt.Sprintf("step %d", step)
		if rng.Intn(10) == 0 {
			msg += "\n\nrotated the key, the old one was " + fakeAWS(rng.Int63())
		}
		r.commit(msg)
	}
	return r
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// readFiles reads the work tree's text files back (after a checkout or
// a revert).
func readFiles(t *testing.T, dir string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if fi.IsDir() {
			if fi.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if strings.HasPrefix(rel, "bin/") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out[filepath.ToSlash(rel)] = strings.Split(strings.TrimRight(string(data), "\n"), "\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPackEngineMatchesBlobEngine: on generated histories full of
// renames, merges, reverts, re-added secrets and deltas across paths,
// packed hard (deep delta chains) or left loose, the pack engine reports
// exactly what the blob engine reports.
func TestPackEngineMatchesBlobEngine(t *testing.T) {
	seeds := []int64{1, 2, 3, 4, 5, 6}
	steps := 120
	if testing.Short() {
		seeds, steps = seeds[:2], 80
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := trickyHistory(t, seed, steps)
			want, _, _ := r.history(&History{Engine: EngineBlob})
			if len(want) == 0 {
				t.Fatal("the generated history has no findings")
			}
			check := func(name string) {
				t.Helper()
				got, _, stats := r.history(&History{Engine: EnginePack})
				if diff := cmp.Diff(briefs(want), briefs(got)); diff != "" {
					t.Errorf("%s: pack engine vs blob engine (-blob +pack):\n%s", name, diff)
				}
				t.Logf("%s: %d findings, %d commits, %d candidates of %d units, %d read through git", name, len(got), stats.Commits, stats.Candidates, stats.Blobs, stats.Fallbacks)
			}
			check("loose")
			r.git("repack", "-adfq", "--window=250", "--depth=50")
			check("packed")
			// More history on top of the pack: loose objects and a pack.
			r.write("late.txt", "late = "+fakeAWS(seed*1000)+"\n")
			r.commit("late")
			r.git("repack", "-dq")
			r.write("later.txt", "later = "+fakeAWS(seed*1001)+"\n")
			r.commit("later")
			want, _, _ = r.history(&History{Engine: EngineBlob})
			check("two packs and loose objects")
		})
	}
}
