package diff

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/scanner"
)

// realGitOutputs returns the seed corpus: what git really printed
// (testdata/realgit, made by gen.sh from a clone of git/git and a small
// repository), by file name.
func realGitOutputs(t testing.TB) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "realgit", "*.diff"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no seed corpus in testdata/realgit (%v)", err)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = b
	}
	return out
}

// numstatPath is the path a --numstat line names after the change
// ("old => new" and "dir/{old => new}/f" for renames).
func numstatPath(s string) string {
	if i := strings.Index(s, "{"); i >= 0 {
		if j := strings.Index(s[i:], "}"); j >= 0 {
			inner := s[i+1 : i+j]
			if k := strings.Index(inner, " => "); k >= 0 {
				p := s[:i] + inner[k+4:] + s[i+j+1:]
				return strings.ReplaceAll(p, "//", "/")
			}
		}
	}
	if k := strings.Index(s, " => "); k >= 0 {
		return s[k+4:]
	}
	return s
}

// TestParseRealGitOutput: everything git printed parses without a
// malformed part, and for the commits that are not merges the lines read
// as added are, file by file, the lines git's --numstat counts as added
// (binary files: none, and marked binary).
func TestParseRealGitOutput(t *testing.T) {
	for name, data := range realGitOutputs(t) {
		t.Run(name, func(t *testing.T) {
			added := map[string]int{}
			var malformed []error
			err := Parse(bytes.NewReader(data), Handler{
				File: func(f *File) error {
					added[f.Path()] += len(f.Lines)
					return nil
				},
				Malformed: func(_ *scanner.CommitInfo, err error) error {
					malformed = append(malformed, err)
					return nil
				},
			})
			if err != nil || len(malformed) > 0 {
				t.Fatalf("Parse: %v; malformed: %v", err, malformed)
			}
			ns, err := os.ReadFile(filepath.Join("testdata", "realgit", strings.TrimSuffix(name, ".diff")+".numstat"))
			if err != nil {
				return // a merge or a git show form: no oracle
			}
			want := map[string]int{}
			for _, line := range strings.Split(strings.TrimSpace(string(ns)), "\n") {
				f := strings.SplitN(line, "\t", 3)
				if len(f) != 3 {
					continue
				}
				p := numstatPath(f[2])
				if f[0] == "-" {
					// Binary for git: no line of it is text.
					want[p] += 0
					continue
				}
				n, _ := strconv.Atoi(f[0])
				want[p] += n
			}
			for p, n := range want {
				if added[p] != n {
					t.Errorf("%s: %d lines added, git counts %d", p, added[p], n)
				}
			}
			for p, n := range added {
				if _, ok := want[p]; !ok && n > 0 {
					t.Errorf("%s: %d lines added, git names no such file", p, n)
				}
			}
		})
	}
}

// FuzzParse: on any input (seeded with real git output), Parse never
// panics; without a Malformed handler it fails only with ErrMalformed;
// with one it never fails; every file's added lines are lines of the
// input, numbered, one number per line.
func FuzzParse(f *testing.F) {
	for _, data := range realGitOutputs(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		stop := time.AfterFunc(5*time.Second, func() { panic(fmt.Sprintf("Parse runs over 5 s on %d bytes", len(in))) })
		defer stop.Stop()
		check := func(fl *File) error {
			if n := bytes.Count(fl.Data, []byte{'\n'}); n != len(fl.Lines) {
				t.Fatalf("%s: %d lines of data, %d line numbers", fl.Path(), n, len(fl.Lines))
			}
			if len(fl.Data) > 0 && fl.Data[len(fl.Data)-1] != '\n' {
				t.Fatalf("%s: data does not end with a newline", fl.Path())
			}
			for _, l := range bytes.SplitAfter(fl.Data, []byte{'\n'}) {
				l = bytes.TrimSuffix(l, []byte{'\n'})
				if len(l) > 0 && !bytes.Contains(in, l) {
					t.Fatalf("%s: added line %q is not in the input", fl.Path(), l)
				}
			}
			return nil
		}
		err := Parse(bytes.NewReader(in), Handler{File: check})
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("error not wrapping ErrMalformed: %v", err)
		}
		err = Parse(bytes.NewReader(in), Handler{File: check, MergeAddedOnly: true,
			Malformed: func(*scanner.CommitInfo, error) error { return nil }})
		if err != nil {
			t.Fatalf("with a Malformed handler: %v", err)
		}
	})
}
