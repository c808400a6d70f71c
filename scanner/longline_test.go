package scanner

import (
	"bytes"
	"context"
	"testing"

	"github.com/leakguard/leakguard/internal/fake"
)

// TestColumnOnLongLine: on a line longer than a chunk, a secret's column
// counts from the line's start, not from the chunk's.
func TestColumnOnLongLine(t *testing.T) {
	const chunk = 64 << 10
	s := testScanner(t, Options{ChunkSize: chunk, Workers: 2})
	line := bytes.Repeat([]byte("a, "), (5*chunk)/3)
	var offs []int
	var keys []string
	for i, off := range []int{100, chunk + 7, 3*chunk + 1001, len(line) - 200} {
		key := fake.AWSKeyID(int64(40 + i))
		copy(line[off:], " "+key+" ")
		offs = append(offs, off+1)
		keys = append(keys, key)
	}
	data := append([]byte("first line\n"), line...)
	data = append(data, "\nlast\n"...)
	check := func(t *testing.T, fs []Finding) {
		t.Helper()
		col := map[string]int{}
		for _, f := range fs {
			if f.StartLine != 2 {
				t.Errorf("secret on line %d, want 2", f.StartLine)
			}
			col[f.Secret] = f.StartColumn
		}
		for i, k := range keys {
			if col[k] != offs[i]+1 {
				t.Errorf("secret at byte %d of the line reported at column %d, want %d", offs[i], col[k], offs[i]+1)
			}
		}
	}
	t.Run("split", func(t *testing.T) {
		fs, err := s.ScanBytes(context.Background(), data, Origin{Kind: KindFile, Path: "long.txt"})
		if err != nil {
			t.Fatal(err)
		}
		check(t, fs)
	})
	t.Run("stream", func(t *testing.T) {
		big := append([]byte("first line\n"), bytes.Repeat([]byte("a, "), (3*StreamChunk)/3)...)
		off := 2*StreamChunk + 12345
		key := fake.AWSKeyID(77)
		copy(big[off:], " "+key+" ")
		big = append(big, '\n')
		src := SourceFunc(func(ctx context.Context, yield func(Fragment) error) error {
			return ReadChunks(ctx, bytes.NewReader(big), Origin{Kind: KindStdin}, yield)
		})
		fs, _, err := s.Scan(context.Background(), src)
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != 1 || fs[0].StartLine != 2 || fs[0].StartColumn != off+1-len("first line\n")+1 {
			for _, f := range fs {
				t.Logf("line %d column %d", f.StartLine, f.StartColumn)
			}
			t.Errorf("got %d findings, want 1 at line 2 column %d", len(fs), off+1-len("first line\n")+1)
		}
	})
}
