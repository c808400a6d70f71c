package scanner

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/internal/fake"
	"github.com/leakguard/leakguard/rules"
)

// testScanner returns a scanner over the default rules with decoding on
// and validation off.
func testScanner(t testing.TB, opts Options) *Scanner {
	t.Helper()
	return testScannerWith(t, detectors.Options{Decode: true}, opts)
}

func testScannerWith(t testing.TB, dopts detectors.Options, opts Options) *Scanner {
	t.Helper()
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	det, err := detectors.Compile(set, dopts)
	if err != nil {
		t.Fatal(err)
	}
	return New(det, opts)
}

// fakeAWS builds a fake AWS access key id at test time.
func fakeAWS(rng *rand.Rand) string { return fake.AWSKeyID(rng.Int63()) }

// filler returns n bytes of harmless text in lines of about 60 bytes.
func filler(n int) []byte {
	var b bytes.Buffer
	for b.Len() < n {
		b.WriteString("the quick brown fox jumps over the lazy dog, nothing here\n")
	}
	return b.Bytes()[:n]
}

// TestSecretAcrossChunkBoundary plants a secret across every chunk
// boundary of a large input (and at offsets around it) and checks each is
// found once, on the right line.
func TestSecretAcrossChunkBoundary(t *testing.T) {
	s := testScanner(t, Options{ChunkSize: 64 << 10, Workers: 2})
	rng := rand.New(rand.NewSource(3))
	for _, delta := range []int{-30, -10, -1, 0, 1, 5} {
		t.Run(fmt.Sprint(delta), func(t *testing.T) {
			data := filler(64<<10*5 + Overlap*2)
			type plant struct {
				secret string
				line   int
			}
			var plants []plant
			starts := chunkStarts(data, 64<<10)
			for _, st := range starts[1:] {
				off := st + delta
				key := fakeAWS(rng)
				ins := []byte(" k=" + key + " ")
				// Overwrite so offsets of later boundaries stay put.
				copy(data[off:], ins)
				line := bytes.Count(data[:off], []byte("\n")) + 1
				plants = append(plants, plant{key, line})
			}
			fs, err := s.ScanBytes(context.Background(), data, Origin{Kind: KindStdin})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			lines := map[string]int{}
			for _, f := range fs {
				if f.RuleID == "aws-access-token" {
					got[f.Secret]++
					lines[f.Secret] = f.StartLine
				}
			}
			for _, p := range plants {
				if got[p.secret] != 1 {
					t.Errorf("secret at line %d found %d times, want 1", p.line, got[p.secret])
				}
				if lines[p.secret] != p.line {
					t.Errorf("secret reported on line %d, want %d", lines[p.secret], p.line)
				}
			}
		})
	}
}

// TestReadChunksBoundaries does the same for the streaming reader used for
// stdin and large files.
func TestReadChunksBoundaries(t *testing.T) {
	s := testScanner(t, Options{})
	rng := rand.New(rand.NewSource(4))
	data := filler(StreamChunk*3 + 1000)
	var keys []string
	var wantLines []int
	for _, off := range []int{StreamChunk - 5, 2*StreamChunk + 4090, 3*StreamChunk - 1} {
		key := fakeAWS(rng)
		copy(data[off:], " k="+key+" ")
		keys = append(keys, key)
		wantLines = append(wantLines, bytes.Count(data[:off], []byte("\n"))+1)
	}
	src := SourceFunc(func(ctx context.Context, yield func(Fragment) error) error {
		return ReadChunks(ctx, bytes.NewReader(data), Origin{Kind: KindStdin}, yield)
	})
	fs, _, err := s.Scan(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]int{}
	for _, f := range fs {
		found[f.Secret] = f.StartLine
	}
	for i, k := range keys {
		if found[k] != wantLines[i] {
			t.Errorf("key %d: line %d, want %d", i, found[k], wantLines[i])
		}
	}
	if len(fs) != len(keys) {
		t.Errorf("got %d findings, want %d", len(fs), len(keys))
	}
}

func TestFindingPositions(t *testing.T) {
	s := testScanner(t, Options{})
	key := fakeAWS(rand.New(rand.NewSource(5)))
	tests := []struct {
		name       string
		input      string
		origin     Origin
		line, col  int
		wantFinger string
	}{
		{"first line", "id=" + key + "\n", Origin{Path: "a.txt"}, 1, 4, "a.txt:aws-access-token:1"},
		{"third line", "x\ny\n  id=" + key + "\n", Origin{Path: "a.txt"}, 3, 6, "a.txt:aws-access-token:3"},
		{"start line offset", "id=" + key, Origin{Path: "b", StartLine: 10}, 10, 4, "b:aws-access-token:10"},
		{"line map", "x\nid=" + key, Origin{Path: "c", LineMap: []int{7, 42}}, 42, 4, "c:aws-access-token:42"},
		{"commit", "id=" + key, Origin{Path: "d", Commit: &CommitInfo{SHA: "abc123"}}, 1, 4, "abc123:d:aws-access-token:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, err := s.ScanBytes(context.Background(), []byte(tt.input), tt.origin)
			if err != nil {
				t.Fatal(err)
			}
			if len(fs) != 1 {
				t.Fatalf("got %d findings, want 1", len(fs))
			}
			f := fs[0]
			if f.StartLine != tt.line || f.StartColumn != tt.col {
				t.Errorf("got %d:%d, want %d:%d", f.StartLine, f.StartColumn, tt.line, tt.col)
			}
			if f.EndColumn != tt.col+len(key)-1 {
				t.Errorf("end column %d, want %d", f.EndColumn, tt.col+len(key)-1)
			}
			if f.Fingerprint != tt.wantFinger {
				t.Errorf("fingerprint %q, want %q", f.Fingerprint, tt.wantFinger)
			}
			if f.Secret != key {
				t.Errorf("secret %q, want %q", Redact(f.Secret), Redact(key))
			}
		})
	}
}

func TestIgnoreAndBaseline(t *testing.T) {
	key := fakeAWS(rand.New(rand.NewSource(6)))
	ignore, warn, err := ParseIgnore(strings.NewReader("# comment\n\nsrc\\a.txt:aws-access-token:2\nbogus\nabc:b.txt:aws-access-token:1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(warn) != 1 {
		t.Errorf("got %d warnings, want 1", len(warn))
	}
	base, err := ParseBaseline([]byte(`[{"RuleID":"aws-access-token","File":"c.txt","StartLine":1,"Secret":"REDACTED","Commit":""}]`))
	if err != nil {
		t.Fatal(err)
	}
	s := testScanner(t, Options{Filter: Filter{Ignore: ignore, Baseline: base}})
	frags := []Fragment{
		{Data: []byte("\nid=" + key), Origin: Origin{Path: "src/a.txt"}},                            // ignored
		{Data: []byte("id=" + key), Origin: Origin{Path: "b.txt", Commit: &CommitInfo{SHA: "abc"}}}, // ignored by commit fingerprint
		{Data: []byte("id=" + key), Origin: Origin{Path: "c.txt"}},                                  // in the baseline
		{Data: []byte("id=" + key), Origin: Origin{Path: "d.txt"}},                                  // reported
	}
	fs, _, err := s.Scan(context.Background(), SliceSource(frags...))
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Path != "d.txt" {
		var paths []string
		for _, f := range fs {
			paths = append(paths, f.Path)
		}
		t.Errorf("got findings in %v, want only d.txt", paths)
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"short", "*****"},
		{"abcdefghijkl", "abcd*****"},
		{"éàüöabcdefghij", "éàüö*****"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
