package corpus

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// gorootSrc returns the Go toolchain's source tree, the corpus' real text.
func gorootSrc(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Skipf("go env GOROOT: %v", err)
	}
	src := filepath.Join(strings.TrimSpace(string(out)), "src")
	if _, err := os.Stat(src); err != nil {
		t.Skipf("no Go sources: %v", err)
	}
	return src
}

// generate builds a corpus of the Go sources into a fresh directory.
func generate(t *testing.T, opts Options) (string, *Expected) {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "tree")
	exp, err := Generate(context.Background(), os.DirFS(gorootSrc(t)), dst, opts)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return dst, exp
}

// firstLinePrefix is how the first planted line of each kind starts.
var firstLinePrefix = map[string]string{
	"aws-access-token":    `aws_principal = "AKIA`,
	"github-pat":          `github_pat = "ghp_`,
	"slack-bot-token":     `slack_bot = "xoxb-`,
	"gitlab-pat":          `gitlab_pat = "glpat-`,
	"stripe-access-token": `stripe_live = "sk_live_`,
	"generic-api-key":     `api_key = "`,
	"private-key":         "-----BEGIN RSA PRIVATE ",
}

func TestGeneratePlantsWhereExpectedSays(t *testing.T) {
	const size = 3 << 20
	dst, exp := generate(t, Options{Size: size, Seed: 7, Secrets: 3 * len(Kinds())})

	if exp.Total != 21 || len(exp.Secrets) != 21 {
		t.Fatalf("got Total %d and %d secrets, want 21", exp.Total, len(exp.Secrets))
	}
	sum := 0
	for _, k := range Kinds() {
		if got := exp.Counts[k.Rule]; got != 3 {
			t.Errorf("Counts[%q] = %d, want 3", k.Rule, got)
		}
		sum += exp.Counts[k.Rule]
	}
	if sum != exp.Total || len(exp.Counts) != len(Kinds()) {
		t.Errorf("counts %v add up to %d, want %d over %d rules", exp.Counts, sum, exp.Total, len(Kinds()))
	}

	for _, p := range exp.Secrets {
		lines := readLines(t, filepath.Join(dst, filepath.FromSlash(p.File)))
		if p.Line < 1 || p.Line > len(lines) {
			t.Errorf("%s:%d: line out of range (file has %d lines)", p.File, p.Line, len(lines))
			continue
		}
		if got, want := lines[p.Line-1], firstLinePrefix[p.Rule]; !strings.HasPrefix(got, want) {
			t.Errorf("%s:%d (%s): line starts %.30q, want prefix %q", p.File, p.Line, p.Rule, got, want)
		}
		if strings.Contains("/"+p.File, "/vendor/") {
			t.Errorf("%s: planted in a vendor tree, which gitleaks skips", p.File)
		}
	}

	var files int
	var bytesOnDisk int64
	err := filepath.WalkDir(dst, func(_ string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		files++
		bytesOnDisk += info.Size()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if files != exp.Files || bytesOnDisk != exp.Bytes {
		t.Errorf("on disk: %d files, %d bytes; expected says %d files, %d bytes", files, bytesOnDisk, exp.Files, exp.Bytes)
	}
	if exp.Bytes < size {
		t.Errorf("corpus has %d bytes, want at least %d", exp.Bytes, size)
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	opts := Options{Size: 1 << 20, Seed: 42, Secrets: 7}
	dstA, a := generate(t, opts)
	dstB, b := generate(t, opts)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("same seed, different expected (-first +second):\n%s", diff)
	}
	for _, p := range a.Secrets {
		fa, _ := os.ReadFile(filepath.Join(dstA, p.File))
		fb, _ := os.ReadFile(filepath.Join(dstB, p.File))
		if !bytes.Equal(fa, fb) {
			t.Errorf("%s differs between runs with the same seed", p.File)
		}
	}
	opts.Seed = 43
	_, c := generate(t, opts)
	if cmp.Equal(a.Secrets, c.Secrets) {
		t.Errorf("seeds 42 and 43 planted at the same places: %v", a.Secrets)
	}
}

func TestGenerateRepeatsSmallSourceWithSuffixes(t *testing.T) {
	src := fstest.MapFS{
		"a/x.go":    {Data: []byte(strings.Repeat("package a\n", 10))}, // 100 bytes
		"b.txt":     {Data: []byte(strings.Repeat("some text\n", 10))},
		"image.png": {Data: []byte("\x89PNG not text")},
	}
	dst := filepath.Join(t.TempDir(), "out")
	exp, err := Generate(context.Background(), src, dst, Options{Size: 450, Seed: 1, Secrets: 2})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	var got []string
	err = filepath.WalkDir(dst, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dst, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a/x.go", "a/x.r1.go", "a/x.r2.go", "b.r1.txt", "b.txt"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if exp.Files != 5 || exp.Total != 2 {
		t.Errorf("got %d files, %d secrets; want 5 files, 2 secrets", exp.Files, exp.Total)
	}
}

func TestGenerateErrors(t *testing.T) {
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "f"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		src  fstest.MapFS
		dst  string
		want error
	}{
		{"destination not empty", fstest.MapFS{"a.go": {Data: []byte("x\n")}}, full, ErrDstNotEmpty},
		{"no text files", fstest.MapFS{"a.png": {Data: []byte("x")}}, filepath.Join(t.TempDir(), "d"), ErrNoSource},
		{"only vendor files", fstest.MapFS{"vendor/a.go": {Data: []byte("x\n")}}, filepath.Join(t.TempDir(), "d"), ErrNoPlaces},
		{"only PEM files", fstest.MapFS{"k.txt": {Data: []byte("-----BEGIN X\n")}}, filepath.Join(t.TempDir(), "d"), ErrNoPlaces},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Generate(context.Background(), tt.src, tt.dst, Options{Size: 10, Secrets: 1})
			if !errors.Is(err, tt.want) {
				t.Errorf("got error %v, want %v", err, tt.want)
			}
		})
	}
}

func TestInsert(t *testing.T) {
	p := func(pos, order int, lines ...string) plant {
		return plant{pos: pos, order: order, rule: "r", lines: lines}
	}
	tests := []struct {
		name      string
		data      string
		plants    []plant
		want      string
		wantLines []int
	}{
		{"at start", "a\nb\n", []plant{p(0, 0, "S")}, "S\na\nb\n", []int{1}},
		{"in the middle", "a\nb\nc\n", []plant{p(2, 0, "S1", "S2")}, "a\nb\nS1\nS2\nc\n", []int{3}},
		{"at end", "a\nb\n", []plant{p(2, 0, "S")}, "a\nb\nS\n", []int{3}},
		{"at end without final newline", "a\nb", []plant{p(2, 0, "S")}, "a\nb\nS\n", []int{3}},
		{"empty file", "", []plant{p(0, 0, "S")}, "S\n", []int{1}},
		{"two plants shift later lines", "a\nb\nc\n", []plant{p(1, 0, "X", "Y"), p(2, 1, "Z")},
			"a\nX\nY\nb\nZ\nc\n", []int{2, 5}},
		{"same place keeps order", "a\n", []plant{p(1, 0, "X"), p(1, 1, "Y")}, "a\nX\nY\n", []int{2, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, planted := insert([]byte(tt.data), tt.plants)
			if string(got) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			var lines []int
			for _, pl := range planted {
				lines = append(lines, pl.Line)
			}
			if diff := cmp.Diff(tt.wantLines, lines); diff != "" {
				t.Errorf("planted lines (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"1000", 1000, false},
		{"256MB", 256 << 20, false},
		{"2GB", 2 << 30, false},
		{"512KiB", 512 << 10, false},
		{" 3 m ", 3 << 20, false},
		{"12B", 12, false},
		{"", 0, true},
		{"MB", 0, true},
		{"-1MB", 0, true},
		{"1.5GB", 0, true},
		{"99999999999GB", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSize(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ParseSize(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func readLines(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}
