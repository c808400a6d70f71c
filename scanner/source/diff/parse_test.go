package diff

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakguard/leakguard/scanner"
)

// got is what a test records of one parsed file.
type got struct {
	Old, New string
	Binary   bool
	Added    string
	Lines    []int
	SHA      string
}

func parseAll(t *testing.T, in string) ([]got, []scanner.CommitInfo) {
	t.Helper()
	var files []got
	var commits []scanner.CommitInfo
	err := Parse(strings.NewReader(in), Handler{
		File: func(f *File) error {
			g := got{Old: f.OldPath, New: f.NewPath, Binary: f.Binary, Added: string(f.Data), Lines: f.Lines}
			if f.Commit != nil {
				g.SHA = f.Commit.SHA
			}
			files = append(files, g)
			return nil
		},
		Commit: func(c *scanner.CommitInfo) error {
			commits = append(commits, *c)
			return nil
		},
	})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return files, commits
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []got
	}{
		{
			name: "git diff modify",
			in: "diff --git a/src/x.go b/src/x.go\nindex 1111111..2222222 100644\n--- a/src/x.go\n+++ b/src/x.go\n" +
				"@@ -1,3 +1,4 @@\n package x\n-var a = 1\n+var a = 2\n+var b = 3\n \n@@ -10,0 +12 @@\n+tail\n",
			want: []got{{Old: "src/x.go", New: "src/x.go", Added: "var a = 2\nvar b = 3\ntail\n", Lines: []int{2, 3, 12}}},
		},
		{
			name: "new file and deleted file",
			in: "diff --git a/new.txt b/new.txt\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,2 @@\n+one\n+two\n" +
				"diff --git a/old.txt b/old.txt\ndeleted file mode 100644\nindex 1111111..0000000\n--- a/old.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-gone\n",
			want: []got{
				{New: "new.txt", Added: "one\ntwo\n", Lines: []int{1, 2}},
				{Old: "old.txt"},
			},
		},
		{
			name: "rename with edit",
			in:   "diff --git a/a.txt b/b.txt\nsimilarity index 90%\nrename from a.txt\nrename to b.txt\nindex 1..2 100644\n--- a/a.txt\n+++ b/b.txt\n@@ -5 +5 @@\n-x\n+y\n",
			want: []got{{Old: "a.txt", New: "b.txt", Added: "y\n", Lines: []int{5}}},
		},
		{
			name: "pure rename",
			in:   "diff --git a/dir/a b.txt b/dir/c d.txt\nsimilarity index 100%\nrename from dir/a b.txt\nrename to dir/c d.txt\n",
			want: []got{{Old: "dir/a b.txt", New: "dir/c d.txt"}},
		},
		{
			name: "binary",
			in: "diff --git a/img.png b/img.png\nnew file mode 100644\nindex 0000000..1111111\nBinary files /dev/null and b/img.png differ\n" +
				"diff --git a/blob.bin b/blob.bin\nindex 1..2 100644\nGIT binary patch\nliteral 5\nMcmZQzWMO0i00031000\n\nliteral 0\nHcmV?d00001\n\n" +
				"diff --git a/t.txt b/t.txt\n--- a/t.txt\n+++ b/t.txt\n@@ -1 +1 @@\n-a\n+b\n",
			want: []got{
				{New: "img.png", Binary: true},
				{Old: "blob.bin", New: "blob.bin", Binary: true},
				{Old: "t.txt", New: "t.txt", Added: "b\n", Lines: []int{1}},
			},
		},
		{
			name: "no newline at end of file",
			in:   "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-old\n\\ No newline at end of file\n+new\n\\ No newline at end of file\n",
			want: []got{{Old: "f", New: "f", Added: "new\n", Lines: []int{1}}},
		},
		{
			name: "crlf",
			in:   "diff --git a/w.txt b/w.txt\r\n--- a/w.txt\r\n+++ b/w.txt\r\n@@ -1,2 +1,2 @@\r\n keep\r\n-x\r\n+y\r\n",
			want: []got{{Old: "w.txt", New: "w.txt", Added: "y\n", Lines: []int{2}}},
		},
		{
			name: "quoted paths",
			in:   "diff --git \"a/d\\303\\244t a.txt\" \"b/d\\303\\244t a.txt\"\nnew file mode 100644\n--- /dev/null\n+++ \"b/d\\303\\244t a.txt\"\n@@ -0,0 +1 @@\n+hi\n",
			want: []got{{New: "dät a.txt", Added: "hi\n", Lines: []int{1}}},
		},
		{
			name: "no prefix",
			in:   "diff --git a/x.go a/x.go\n--- a/x.go\n+++ a/x.go\n@@ -1 +1 @@\n-1\n+2\n" + "diff --git lib/y.go lib/y.go\n--- lib/y.go\n+++ lib/y.go\n@@ -3 +3 @@\n-1\n+2\n",
			want: []got{
				{Old: "a/x.go", New: "a/x.go", Added: "2\n", Lines: []int{1}},
				{Old: "lib/y.go", New: "lib/y.go", Added: "2\n", Lines: []int{3}},
			},
		},
		{
			name: "name with space gets a tab",
			in:   "diff --git a/my file b/my file\n--- a/my file\t\n+++ b/my file\t\n@@ -1 +1 @@\n-1\n+2\n",
			want: []got{{Old: "my file", New: "my file", Added: "2\n", Lines: []int{1}}},
		},
		{
			name: "plain diff -u",
			in: "--- old/conf.ini\t2024-01-01 10:00:00.000000000 +0000\n+++ new/conf.ini\t2024-01-02 10:00:00.000000000 +0000\n@@ -1,2 +1,3 @@\n [s]\n+k=v\n x=1\n" +
				"Only in new: extra\n--- a/p\n+++ b/p\n@@ -1 +1 @@\n-q\n+r\n",
			want: []got{
				{Old: "old/conf.ini", New: "new/conf.ini", Added: "k=v\n", Lines: []int{2}},
				{Old: "p", New: "p", Added: "r\n", Lines: []int{1}},
			},
		},
		{
			name: "removed and added lines that look like headers",
			in:   "diff --git a/m.txt b/m.txt\n--- a/m.txt\n+++ b/m.txt\n@@ -1,2 +1,2 @@\n--- not a header\n-@@ nor this\n++++ added\n+diff --git x y\n",
			want: []got{{Old: "m.txt", New: "m.txt", Added: "+++ added\ndiff --git x y\n", Lines: []int{1, 2}}},
		},
		{
			name: "combined merge diff",
			in:   "diff --cc c.txt\nindex 1,2..3\n--- a/c.txt\n+++ b/c.txt\n@@@ -1,2 -1,2 +1,3 @@@\n  same\n- from1\n +from2\n++evil\n",
			want: []got{{Old: "c.txt", New: "c.txt", Added: "from2\nevil\n", Lines: []int{2, 3}}},
		},
		{
			name: "empty context line without its space",
			in:   "diff --git a/e b/e\n--- a/e\n+++ b/e\n@@ -1,3 +1,3 @@\n a\n\n-b\n+c\n",
			want: []got{{Old: "e", New: "e", Added: "c\n", Lines: []int{3}}},
		},
		{
			name: "not a diff",
			in:   "hello\nworld\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, _ := parseAll(t, tt.in)
			if diff := cmp.Diff(tt.want, files); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseFormatPatch(t *testing.T) {
	sha1 := strings.Repeat("ab", 20)
	sha2 := strings.Repeat("cd", 20)
	in := "From " + sha1 + " Mon Sep 17 00:00:00 2001\n" +
		"From: =?UTF-8?q?J=C3=B6rg=20Dev?= <jorg@example.com>\n" +
		"Date: Tue, 3 Jan 2023 10:20:30 +0100\n" +
		"Subject: [PATCH 1/2] add config\n with a folded subject\n\n" +
		"Body line.\n---\n conf.txt | 1 +\n 1 file changed, 1 insertion(+)\n\n" +
		"diff --git a/conf.txt b/conf.txt\nnew file mode 100644\n--- /dev/null\n+++ b/conf.txt\n@@ -0,0 +1 @@\n+key=1\n" +
		"-- \n2.39.5\n\n" +
		"From " + sha2 + " Mon Sep 17 00:00:00 2001\nFrom: Ann <ann@example.com>\nDate: Wed, 4 Jan 2023 11:00:00 +0000\nSubject: [PATCH 2/2] second\n\n---\n" +
		"diff --git a/conf.txt b/conf.txt\n--- a/conf.txt\n+++ b/conf.txt\n@@ -1 +1,2 @@\n key=1\n+key=2\n-- \n2.39.5\n"
	files, commits := parseAll(t, in)
	wantCommits := []scanner.CommitInfo{
		{SHA: sha1, Author: "Jörg Dev", Email: "jorg@example.com", Date: "2023-01-03T10:20:30+01:00", Message: "add config with a folded subject\n\nBody line."},
		{SHA: sha2, Author: "Ann", Email: "ann@example.com", Date: "2023-01-04T11:00:00Z", Message: "second"},
	}
	if diff := cmp.Diff(wantCommits, commits); diff != "" {
		t.Errorf("commits (-want +got):\n%s", diff)
	}
	wantFiles := []got{
		{New: "conf.txt", Added: "key=1\n", Lines: []int{1}, SHA: sha1},
		{Old: "conf.txt", New: "conf.txt", Added: "key=2\n", Lines: []int{2}, SHA: sha2},
	}
	if diff := cmp.Diff(wantFiles, files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

func TestParseGitLog(t *testing.T) {
	sha := strings.Repeat("0f", 20)
	in := "commit " + sha + " (HEAD -> main)\nAuthor: Bo <bo@example.com>\nDate:   Mon Jan 2 15:04:05 2023 -0700\n\n    fix it\n\n    details\n\n" +
		"diff --git a/z b/z\n--- a/z\n+++ b/z\n@@ -1 +1 @@\n-a\n+b\n\ncommit " + strings.Repeat("1e", 20) + "\nAuthor: C <c@example.com>\nDate:   Mon Jan 2 15:04:05 2023 -0700\n\n    empty\n"
	files, commits := parseAll(t, in)
	if len(commits) != 2 || commits[0].Message != "fix it\n\ndetails" || commits[0].Date != "2023-01-02T15:04:05-07:00" || commits[0].Email != "bo@example.com" {
		t.Fatalf("commits = %+v", commits)
	}
	want := []got{{Old: "z", New: "z", Added: "b\n", Lines: []int{1}, SHA: sha}}
	if diff := cmp.Diff(want, files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

func TestParseMalformed(t *testing.T) {
	for name, in := range map[string]string{
		"truncated hunk": "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n",
		"bad header":     "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -x +1 @@\n",
		"bad line":       "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n*x\n",
	} {
		t.Run(name, func(t *testing.T) {
			err := Parse(strings.NewReader(in), Handler{})
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("got %v, want ErrMalformed", err)
			}
		})
	}
}

func TestSourceFragments(t *testing.T) {
	in := "From " + strings.Repeat("ab", 20) + " Mon Sep 17 00:00:00 2001\nFrom: A <a@b.c>\nSubject: [PATCH] msg\n\n---\n" +
		"diff --git a/bin b/bin\nBinary files a/bin and b/bin differ\n" +
		"diff --git a/gone b/gone\ndeleted file mode 100644\n--- a/gone\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n" +
		"diff --git a/k b/k\n--- a/k\n+++ b/k\n@@ -7,0 +8,2 @@\n+l1\n+l2\n"
	var skipped []string
	var frags []scanner.Fragment
	src := &Source{R: strings.NewReader(in), Skip: func(p, r string) { skipped = append(skipped, p+": "+r) }}
	if err := src.Fragments(context.Background(), func(f scanner.Fragment) error { frags = append(frags, f); return nil }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"bin: binary patch"}, skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	if len(frags) != 3 {
		t.Fatalf("got %d fragments, want 3 (message, binary, k)", len(frags))
	}
	if frags[0].Origin.Kind != scanner.KindCommitMessage || string(frags[0].Data) != "msg\n" {
		t.Errorf("message fragment = %+v", frags[0].Origin)
	}
	k := frags[2]
	if k.Origin.Path != "k" || string(k.Data) != "l1\nl2\n" || !cmp.Equal(k.Origin.LineMap, []int{8, 9}) || k.Origin.Commit == nil {
		t.Errorf("k fragment = %q %+v", k.Data, k.Origin)
	}
}

func TestParseMergeAddedOnly(t *testing.T) {
	in := "diff --combined c.txt\nindex 1,2..3\n--- a/c.txt\n+++ b/c.txt\n@@@ -1,2 -1,2 +1,3 @@@\n  same\n- from1\n +from2\n++evil\n"
	var got []string
	err := Parse(strings.NewReader(in), Handler{MergeAddedOnly: true, File: func(f *File) error {
		got = append(got, string(f.Data))
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"evil\n"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParseSubmodule(t *testing.T) {
	in := "diff --git a/sub b/sub\nnew file mode 160000\nindex 0000000..abcdef0\n--- /dev/null\n+++ b/sub\n@@ -0,0 +1 @@\n+Subproject commit " + strings.Repeat("ab", 20) + "\n"
	var frags int
	src := &Source{R: strings.NewReader(in)}
	if err := src.Fragments(context.Background(), func(scanner.Fragment) error { frags++; return nil }); err != nil {
		t.Fatal(err)
	}
	if frags != 0 {
		t.Errorf("submodule yielded %d fragments", frags)
	}
}

// TestParseCombinedHunkWithSizeTMinusOne: git 2.39 prints, for some
// combined -U0 hunks, a count of 18446744073709551615 (a size_t -1); on
// git/git `git log -p -U0 -c` does so for commit 3208ec9a's Makefile. The
// hunk is read by its column markers, and the next commit follows.
func TestParseCombinedHunkWithSizeTMinusOne(t *testing.T) {
	c1, c2 := strings.Repeat("3a", 20), strings.Repeat("4b", 20)
	in := "commit " + c1 + "\nDate: 1700000000\n\n    merge\n\n" +
		"diff --combined Makefile\nindex 1111111,2222222..3333333\n--- a/Makefile\n+++ b/Makefile\n" +
		"@@@ -686,1 -690,1 +693,1 @@@ dist-doc\n- \told line\n+ \tnew line\n" +
		"@@@ -730,0 -734,18446744073709551615 +737,18446744073709551615 @@@ check-docs:\n- \n" +
		"commit " + c2 + "\nDate: 1700000001\n\n    next\n\n" +
		"diff --git a/k b/k\n--- a/k\n+++ b/k\n@@ -1,0 +2 @@\n+added\n"
	files, commits := parseAll(t, in)
	if len(commits) != 2 {
		t.Fatalf("got %d commits, want 2", len(commits))
	}
	want := []got{
		{Old: "Makefile", New: "Makefile", Added: "\tnew line\n", Lines: []int{693}, SHA: c1},
		{Old: "k", New: "k", Added: "added\n", Lines: []int{2}, SHA: c2},
	}
	if diff := cmp.Diff(want, files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

// TestParseMalformedResyncsAtNextCommit: with Handler.Malformed set, a
// commit whose diff cannot be read is named, its rest dropped, and the
// commits after it are read.
func TestParseMalformedResyncsAtNextCommit(t *testing.T) {
	c1, c2 := strings.Repeat("5c", 20), strings.Repeat("6d", 20)
	secretish := "tok" + "en = abcdef"
	in := "commit " + c1 + "\nDate: 1700000000\n\n    one\n\n" +
		"diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@ " + secretish + "\n*garbage\n+after garbage\n" +
		"diff --git a/g b/g\n--- a/g\n+++ b/g\n@@ -1 +1 @@\n+dropped with its commit\n" +
		"commit " + c2 + "\nDate: 1700000001\n\n    two\n\n" +
		"diff --git a/h b/h\n--- a/h\n+++ b/h\n@@ -1,0 +1 @@\n+kept\n"
	var files []string
	var bad []string
	err := Parse(strings.NewReader(in), Handler{
		File: func(f *File) error { files = append(files, f.NewPath+":"+string(f.Data)); return nil },
		Malformed: func(c *scanner.CommitInfo, err error) error {
			if strings.Contains(err.Error(), "abcdef") {
				t.Errorf("the error quotes the input: %v", err)
			}
			bad = append(bad, c.SHA)
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{c1}, bad); diff != "" {
		t.Errorf("malformed commits (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"h:kept\n"}, files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	// Without Malformed, the error ends the parse, naming no content.
	err = Parse(strings.NewReader(in), Handler{})
	if !errors.Is(err, ErrMalformed) || strings.Contains(err.Error(), "abcdef") {
		t.Errorf("got %v, want ErrMalformed without the header's text", err)
	}
}
