package git

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakguard/leakguard/scanner"
	"github.com/leakguard/leakguard/scanner/source/git/pack"
)

const awsRule = "aws-access-token"

func TestHistoryAttributesIntroducingCommit(t *testing.T) {
	r := newTestRepo(t)
	key := fakeAWS(1)
	r.write("conf/app.ini", "[app]\nname = demo\n")
	r.commit("initial")
	r.write("conf/app.ini", "[app]\nname = demo\naws_key = "+key+"\n")
	intro := r.commit("add key")
	r.write("conf/app.ini", "[app]\nname = demo2\naws_key = "+key+"\n")
	r.commit("rename app")
	r.write("conf/app.ini", "[app]\nname = demo2\n")
	r.commit("remove key")

	for _, engine := range []string{EngineDiff, EngineBlob, EnginePack} {
		t.Run(engine, func(t *testing.T) {
			fs, _, stats := r.history(&History{Engine: engine})
			want := []brief{{Rule: awsRule, Path: "conf/app.ini", Line: 3, Commit: intro, Secret: key}}
			if diff := cmp.Diff(want, briefs(fs)); diff != "" {
				t.Fatalf("findings (-want +got):\n%s", diff)
			}
			c := fs[0].Commit
			if c.Author != "Ada Author" || c.Email != "ada@example.com" || c.Message != "add key" || c.Date != "2023-11-14T23:13:20Z" {
				t.Errorf("commit info = %+v", c)
			}
			if fs[0].Kind != scanner.KindBlob || fs[0].Fingerprint != intro+":conf/app.ini:"+awsRule+":3" {
				t.Errorf("kind %q fingerprint %q", fs[0].Kind, fs[0].Fingerprint)
			}
			wantBlobs := 4
			if engine == EngineDiff {
				wantBlobs = 0 // it reads diffs, not blobs
			}
			if stats.Commits != 4 || stats.Blobs != wantBlobs {
				t.Errorf("stats = %+v, want 4 commits, %d blobs", stats, wantBlobs)
			}
		})
	}
}

func TestHistoryScansSharedBlobOnce(t *testing.T) {
	r := newTestRepo(t)
	key := fakeAWS(2)
	withKey := "a\nk = " + key + "\n"
	first := ""
	for i := 0; i < 10; i++ {
		if i%2 == 0 {
			r.write("f.txt", withKey)
		} else {
			r.write("f.txt", "a\n")
		}
		r.write(fmt.Sprintf("n%d.txt", i), "same text\n")
		sha := r.commit(fmt.Sprintf("c%d", i))
		if i == 0 {
			first = sha
		}
	}
	fs, sum, stats := r.history(&History{NoMessages: true, Engine: EngineBlob})
	// Two versions of f.txt, and one blob under ten names.
	if stats.Blobs != 12 || sum.Fragments != 12 {
		t.Errorf("scanned %d units in %d fragments, want 12 and 12", stats.Blobs, sum.Fragments)
	}
	want := []brief{{Rule: awsRule, Path: "f.txt", Line: 2, Commit: first, Secret: key}}
	if diff := cmp.Diff(want, briefs(fs)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestHistoryMergeOnlyContent(t *testing.T) {
	r := newTestRepo(t)
	r.write("f.txt", "base\n")
	r.commit("base")
	r.git("checkout", "-q", "-b", "side")
	branchKey := fakeAWS(3)
	r.write("f.txt", "side\n")
	r.write("side.txt", "key = "+branchKey+"\n")
	sideCommit := r.commit("side work")
	r.git("checkout", "-q", "main")
	r.write("f.txt", "main\n")
	r.commit("main work")
	// The merge conflicts on f.txt; the resolution brings a new secret.
	_ = execGit(r.dir, "merge", "-q", "side").Run() // conflicts
	evilKey := fakeAWS(4)
	r.write("f.txt", "resolved\nkey = "+evilKey+"\n")
	merge := r.commit("merge side")

	for _, engine := range []string{EngineDiff, EngineBlob, EnginePack} {
		fs, _, _ := r.history(&History{NoMessages: true, Engine: engine})
		want := []brief{
			{Rule: awsRule, Path: "f.txt", Line: 2, Commit: merge, Secret: evilKey},
			{Rule: awsRule, Path: "side.txt", Line: 1, Commit: sideCommit, Secret: branchKey},
		}
		if diff := cmp.Diff(want, briefs(fs)); diff != "" {
			t.Errorf("%s: findings (-want +got):\n%s", engine, diff)
		}
	}
}

func TestHistoryRangeReportsOnlyTheRange(t *testing.T) {
	r := newTestRepo(t)
	old, new := fakeAWS(5), fakeAWS(6)
	r.write("a.txt", "x = "+old+"\n")
	base := r.commit("old secret")
	r.write("a.txt", "x = "+old+"\ny = "+new+"\n")
	r.write("b.txt", "plain\n")
	head := r.commit("new secret")
	r.write("c.txt", "later = "+fakeAWS(7)+"\n")
	r.commit("after the range")

	for _, engine := range []string{EngineDiff, EngineBlob, EnginePack} {
		fs, _, stats := r.history(&History{Revs: []string{base + ".." + head}, Engine: engine})
		want := []brief{{Rule: awsRule, Path: "a.txt", Line: 2, Commit: head, Secret: new}}
		if diff := cmp.Diff(want, briefs(fs)); diff != "" {
			t.Errorf("%s: findings (-want +got):\n%s", engine, diff)
		}
		if stats.Commits != 1 {
			t.Errorf("%s: walked %d commits, want 1", engine, stats.Commits)
		}
	}
}

func TestHistoryRenameKeepsIntroducer(t *testing.T) {
	r := newTestRepo(t)
	key := fakeAWS(8)
	r.write("old/name.cfg", "one\ntwo\nk = "+key+"\nthree\nfour\nfive\n")
	intro := r.commit("add")
	r.write("new/.keep", "")
	r.git("mv", "old/name.cfg", "new/name.cfg")
	r.commit("move")
	fs, _, _ := r.history(&History{})
	want := []brief{{Rule: awsRule, Path: "old/name.cfg", Line: 3, Commit: intro, Secret: key}}
	if diff := cmp.Diff(want, briefs(fs)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestHistoryCommitMessage(t *testing.T) {
	r := newTestRepo(t)
	key := fakeAWS(9)
	sha := r.commit("deploy\n\nused key " + key + " for the test")
	fs, _, _ := r.history(&History{})
	want := []brief{{Rule: awsRule, Path: "", Line: 3, Commit: sha, Secret: key}}
	if diff := cmp.Diff(want, briefs(fs)); diff != "" {
		t.Fatalf("findings (-want +got):\n%s", diff)
	}
	if fs[0].Kind != scanner.KindCommitMessage {
		t.Errorf("kind = %q", fs[0].Kind)
	}
	fs, _, _ = r.history(&History{NoMessages: true})
	if len(fs) != 0 {
		t.Errorf("NoMessages: got %d findings", len(fs))
	}
}

func TestHistoryAllAndBranch(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "a\n")
	r.commit("a")
	r.git("checkout", "-q", "-b", "feature")
	r.write("f.txt", "k = "+fakeAWS(10)+"\n")
	feature := r.commit("feature")
	r.git("checkout", "-q", "main")
	r.write("s.txt", "k = "+fakeAWS(11)+"\n")
	r.git("add", "s.txt")
	r.git("stash", "-q")

	fs, _, _ := r.history(&History{})
	if got := briefs(fs); len(got) != 1 || got[0].Commit != feature {
		t.Errorf("default refs: got %+v, want the feature commit only", got)
	}
	fs, _, _ = r.history(&History{All: true})
	if len(fs) != 2 {
		t.Errorf("--all: got %d findings, want 2 (branch and stash)", len(fs))
	}
	fs, _, _ = r.history(&History{Revs: []string{"main"}})
	if len(fs) != 0 {
		t.Errorf("branch main: got %+v", briefs(fs))
	}
}

func TestHistorySinceUntil(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "k = "+fakeAWS(12)+"\n") // 1700000000
	r.commit("first")
	r.write("b.txt", "k = "+fakeAWS(13)+"\n") // +1h
	second := r.commit("second")
	fs, _, _ := r.history(&History{Since: "@1700001800"})
	if got := briefs(fs); len(got) != 1 || got[0].Commit != second {
		t.Errorf("since: got %+v", got)
	}
	fs, _, _ = r.history(&History{Until: "@1700001800"})
	if got := briefs(fs); len(got) != 1 || got[0].Path != "a.txt" {
		t.Errorf("until: got %+v", got)
	}
}

func TestHistoryIgnoreAndBaseline(t *testing.T) {
	r := newTestRepo(t)
	key := fakeAWS(14)
	r.write("a.txt", "k = "+key+"\n")
	sha := r.commit("a")
	ign, _, err := scanner.ParseIgnore(strings.NewReader(sha + ":a.txt:" + awsRule + ":1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if fs, _, _ := r.history(&History{Filter: scanner.Filter{Ignore: ign}}); len(fs) != 0 {
		t.Errorf("ignored fingerprint still reported: %+v", briefs(fs))
	}
}

func TestHistoryBadInput(t *testing.T) {
	gitEnv(t)
	if _, err := Open(context.Background(), t.TempDir(), false); !errors.Is(err, ErrNotRepository) {
		t.Errorf("plain dir: got %v, want ErrNotRepository", err)
	}
	r := newTestRepo(t)
	if fs, _, stats := r.history(&History{}); len(fs) != 0 || stats.Commits != 0 {
		t.Errorf("empty repo: %d findings, %d commits", len(fs), stats.Commits)
	}
	r.write("a.txt", "hello\n")
	r.commit("a")
	blob := r.git("rev-parse", "HEAD:a.txt")
	if err := os.Remove(filepath.Join(r.dir, ".git", "objects", blob[:2], blob[2:])); err != nil {
		t.Fatal(err)
	}
	// A missing blob costs that blob only: it is named (commit and path)
	// in Stats.Unreadable, by every engine, and the sweep finishes.
	for _, engine := range []string{EnginePack, EngineDiff, EngineBlob} {
		_, _, stats, err := (&History{Repo: r.open(), Engine: engine}).Scan(context.Background(), newScanner(t))
		if err != nil {
			t.Errorf("%s: missing blob: %v", engine, err)
			continue
		}
		head := r.git("rev-parse", "HEAD")
		if len(stats.Unreadable) != 1 || stats.Unreadable[0].Commit != head || stats.Unreadable[0].Path != "a.txt" ||
			!errors.Is(stats.Unreadable[0].Err, ErrMissingObject) {
			t.Errorf("%s: unreadable %v, want a.txt at %s", engine, stats.Unreadable, head)
		}
	}
}

func TestHistorySkipsSubmodulesAndBinary(t *testing.T) {
	r := newTestRepo(t)
	r.write("bin.dat", "k = "+fakeAWS(15)+"\x00\x01\x00\x02\x00\n") // NULs among control bytes: binary (scanner.Sniff)
	r.git("add", "bin.dat")
	r.git("update-index", "--add", "--cacheinfo", "160000,"+strings.Repeat("ab", 20)+",sub")
	r.git("commit", "-q", "-m", "with submodule")
	for engine, reason := range map[string]string{EngineBlob: "binary", EngineDiff: "binary patch", EnginePack: "binary"} {
		var skipped []string
		fs, _, _ := r.history(&History{Engine: engine, Skip: func(p, why string) { skipped = append(skipped, p+": "+why) }})
		if len(fs) != 0 {
			t.Errorf("%s: got %d findings, want 0", engine, len(fs))
		}
		if diff := cmp.Diff([]string{"bin.dat: " + reason}, skipped); diff != "" {
			t.Errorf("%s: skipped (-want +got):\n%s", engine, diff)
		}
	}
}

// TestPackEngineCorruptPackEntry: a pack entry neither the pack reader
// nor git can inflate costs that file version only. git cat-file dies on
// it ("packed object ... is corrupt"); the pack engine names the version
// (commit, path) in Stats.Unreadable, starts another cat-file and keeps
// every other finding.
func TestPackEngineCorruptPackEntry(t *testing.T) {
	r := newTestRepo(t)
	r.write("bad.txt", "aws_key = "+fakeAWS(51)+"\n")
	r.write("good.txt", "aws_key = "+fakeAWS(52)+"\n")
	r.commit("two keys")
	r.write("later.txt", "aws_key = "+fakeAWS(53)+"\n")
	r.commit("a third")
	r.git("repack", "-a", "-d", "-q")
	r.git("prune-packed")
	bad := r.git("rev-parse", "HEAD~:bad.txt")
	packs, err := filepath.Glob(filepath.Join(r.dir, ".git", "objects", "pack", "*.pack"))
	if err != nil || len(packs) != 1 {
		t.Fatalf("packs: %v %v", packs, err)
	}
	p, err := pack.Open(packs[0])
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := hex.DecodeString(bad)
	e, ok := p.Find(raw)
	if !ok || p.StoredType(e) != pack.Blob {
		t.Fatalf("bad.txt's blob: entry %d found %v type %v", e, ok, p.StoredType(e))
	}
	at := p.Offset(e)
	p.Close()
	f, err := os.OpenFile(packs[0], os.O_RDWR, 0)
	if err != nil {
		if err := os.Chmod(packs[0], 0o644); err != nil {
			t.Fatal(err)
		}
		if f, err = os.OpenFile(packs[0], os.O_RDWR, 0); err != nil {
			t.Fatal(err)
		}
	}
	// Past the entry header and the zlib header: the deflate data.
	if _, err := f.WriteAt([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, at+4); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := execGit(r.dir, "cat-file", "-p", bad).CombinedOutput(); err == nil {
		t.Fatal("git reads the damaged entry: the test damages nothing")
	}
	fs, _, stats, err := (&History{Repo: r.open(), Engine: EnginePack}).Scan(context.Background(), newScanner(t))
	if err != nil {
		t.Fatalf("corrupt entry: %v", err)
	}
	var paths []string
	for _, b := range briefs(fs) {
		paths = append(paths, b.Path)
	}
	sort.Strings(paths)
	if want := []string{"good.txt", "later.txt"}; !slices.Equal(paths, want) {
		t.Errorf("findings on %v, want %v", paths, want)
	}
	first := r.git("rev-parse", "HEAD~")
	if len(stats.Unreadable) != 1 || stats.Unreadable[0].Path != "bad.txt" || stats.Unreadable[0].Commit != first ||
		!errors.Is(stats.Unreadable[0].Err, ErrMissingObject) {
		t.Errorf("unreadable %v, want bad.txt at %s", stats.Unreadable, first)
	}
}
