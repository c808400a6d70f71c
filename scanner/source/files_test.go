package source

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
)

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func fakeKey(suffix string) string { return "AK" + "IA" + suffix }

// TestFilesBadInput puts every kind of awkward file in one tree, with a
// secret in each readable text file, and checks that none is lost and the
// awkward ones are reported.
func TestFilesBadInput(t *testing.T) {
	dir := t.TempDir()
	k1, k2, k3, k4 := fakeKey("Z3MSJV4WWNKWW5FG"), fakeKey("QWERTYUIOPASDFGH"), fakeKey("MNBVCXZLKJHGFDSA"), fakeKey("POIUYTREWQLKJHGF")
	write(t, filepath.Join(dir, "plain.txt"), []byte("id="+k1+"\n"))
	write(t, filepath.Join(dir, "bin.dat"), append([]byte{0, 1, 2, 0}, []byte("id="+k2)...))
	write(t, filepath.Join(dir, "utf8.txt"), append([]byte{0xff, 0xfe, 0xc3, '\n'}, []byte("id="+k2+"\n")...))
	long := bytes.Repeat([]byte("a,"), 5<<20) // a 10 MB line with no newline
	long = append(long, []byte(" id="+k3)...)
	write(t, filepath.Join(dir, "min.js"), long)
	write(t, filepath.Join(dir, "sub", "deep.txt"), []byte("x\n\nid="+k4+"\n"))
	if err := os.Symlink(dir, filepath.Join(dir, "sub", "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "dangling")); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, ".git", "config"), []byte("id="+k1+"\n"))

	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	det, err := detectors.Compile(set, detectors.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, follow := range []bool{false, true} {
		var skips, errs []string
		src := &Files{
			Paths: []string{dir}, FollowSymlinks: follow,
			Skip:  func(p, r string) { skips = append(skips, filepath.Base(p)+": "+r) },
			Error: func(p string, err error) { errs = append(errs, filepath.Base(p)) },
		}
		fs, _, err := scanner.New(det, scanner.Options{}).Scan(context.Background(), src)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range fs {
			got = append(got, strings.TrimPrefix(f.Path, filepath.ToSlash(dir)+"/")+":"+f.RuleID)
		}
		sort.Strings(got)
		want := []string{"min.js:aws-access-token", "plain.txt:aws-access-token", "sub/deep.txt:aws-access-token", "utf8.txt:aws-access-token"}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("follow=%v: got %v, want %v", follow, got, want)
		}
		sort.Strings(skips)
		joined := strings.Join(skips, "; ")
		if !strings.Contains(joined, "bin.dat: binary") {
			t.Errorf("follow=%v: binary file not reported as skipped: %v", follow, skips)
		}
		if follow && !strings.Contains(joined, "loop: symlink loop") {
			t.Errorf("symlink loop not reported: %v", skips)
		}
		if !follow && !strings.Contains(joined, "loop: symlink") {
			t.Errorf("symlink not reported as skipped: %v", skips)
		}
		if follow && len(errs) != 1 {
			t.Errorf("dangling symlink: got errors %v, want one", errs)
		}
	}
}

func TestFilesMissingPath(t *testing.T) {
	var errs []string
	src := &Files{Paths: []string{filepath.Join(t.TempDir(), "missing")}, Error: func(p string, err error) { errs = append(errs, p) }}
	err := src.Fragments(context.Background(), func(scanner.Fragment) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) != 1 {
		t.Errorf("got errors %v, want one", errs)
	}
}

func TestFilesMaxSize(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "big.txt"), bytes.Repeat([]byte("x"), 2000))
	write(t, filepath.Join(dir, "small.txt"), []byte("x"))
	var skips []string
	src := &Files{Paths: []string{dir}, MaxFileSize: 1000, Skip: func(p, r string) { skips = append(skips, filepath.Base(p)) }}
	n := 0
	if err := src.Fragments(context.Background(), func(f scanner.Fragment) error { n += len(f.Data); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(skips) != 1 || skips[0] != "big.txt" || n != 1 {
		t.Errorf("skips %v, bytes read %d; want big.txt skipped and 1 byte read", skips, n)
	}
}

// A file listed and then deleted before it is read is skipped and named,
// not an input that could not be read (which makes the scan exit 2).
func TestFilesDeletedBeforeRead(t *testing.T) {
	fsrc := &Files{}
	r := fsrc.read(fileJob{path: filepath.Join(t.TempDir(), "gone.txt"), name: "gone.txt", size: 10})
	if r.err != nil || r.skip != "deleted during the scan" || len(r.frags) != 0 {
		t.Fatalf("read of a deleted file: err %v, skip %q, %d fragments", r.err, r.skip, len(r.frags))
	}
}
