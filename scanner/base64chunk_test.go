package scanner

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/internal/fake"
)

// plantedTokens returns n GitHub tokens and a text holding each on its own
// line among harmless lines (about pad bytes of them after each).
func plantedTokens(n, pad int, seed int64) ([]string, []byte) {
	var b bytes.Buffer
	toks := make([]string, n)
	for i := range toks {
		toks[i] = fake.GitHubPAT(seed + int64(i))
		fmt.Fprintf(&b, "line %d of the export, nothing to see here\ntoken %s\n", i, toks[i])
		for j := 0; j < pad; j += 60 {
			b.WriteString("the quick brown fox jumps over the lazy dog, nothing here\n")
		}
	}
	return toks, b.Bytes()
}

// wrap breaks s into lines of width characters, as base64(1) does.
func wrap(s string, width int, eol string) string {
	var b strings.Builder
	for len(s) > width {
		b.WriteString(s[:width])
		b.WriteString(eol)
		s = s[width:]
	}
	b.WriteString(s)
	b.WriteString(eol)
	return b.String()
}

// countExact counts, per planted token, the findings whose secret is the
// token, and returns how many were found exactly once, not at all, and
// the number of findings that are no planted token.
func countExact(fs []Finding, toks []string) (once, missed, other int) {
	got := map[string]int{}
	for _, f := range fs {
		got[f.Secret]++
	}
	want := map[string]bool{}
	for _, tk := range toks {
		want[tk] = true
		switch got[tk] {
		case 0:
			missed++
		case 1:
			once++
		}
	}
	for s, n := range got {
		if !want[s] {
			other += n
		}
	}
	return once, missed, other
}

// TestBase64BlobAcrossChunks: a one-line base64 blob several chunks long;
// every token is found exactly once whatever the alignment of the chunk
// boundaries to the blob's 4-character units.
func TestBase64BlobAcrossChunks(t *testing.T) {
	toks, plain := plantedTokens(750, 1000, 2000)
	enc := base64.StdEncoding.EncodeToString(plain)
	const chunk = 64 << 10
	s := testScanner(t, Options{ChunkSize: chunk, Workers: 2})
	if len(enc) < 3*(chunk+Overlap) {
		t.Fatalf("blob of %d bytes is not several chunks long", len(enc))
	}
	for lead := 0; lead < 4; lead++ {
		t.Run(fmt.Sprint(lead), func(t *testing.T) {
			data := []byte("blob: " + strings.Repeat("x", lead) + " " + enc + "\n")
			fs, err := s.ScanBytes(context.Background(), data, Origin{Kind: KindFile, Path: "blob.txt"})
			if err != nil {
				t.Fatal(err)
			}
			once, missed, other := countExact(fs, toks)
			if once != len(toks) || other != 0 {
				t.Errorf("of %d planted: %d found exactly once, %d not at all; %d other findings", len(toks), once, missed, other)
			}
		})
	}
}

// TestBase64BlobAcrossStreamChunks does the same through ReadChunks, the
// reader of stdin and large files.
func TestBase64BlobAcrossStreamChunks(t *testing.T) {
	toks, plain := plantedTokens(750, 3000, 5000)
	enc := base64.StdEncoding.EncodeToString(plain)
	if len(enc) < 2*StreamChunk+Overlap {
		t.Fatalf("blob of %d bytes is not several chunks long", len(enc))
	}
	s := testScanner(t, Options{Workers: 2})
	for _, lead := range []int{0, 1, 2, 3} {
		t.Run(fmt.Sprint(lead), func(t *testing.T) {
			data := []byte(strings.Repeat("x", lead) + " " + enc + "\n")
			src := SourceFunc(func(ctx context.Context, yield func(Fragment) error) error {
				return ReadChunks(ctx, bytes.NewReader(data), Origin{Kind: KindStdin}, yield)
			})
			fs, _, err := s.Scan(context.Background(), src)
			if err != nil {
				t.Fatal(err)
			}
			once, missed, other := countExact(fs, toks)
			if once != len(toks) || other != 0 {
				t.Errorf("of %d planted: %d found exactly once, %d not at all; %d other findings", len(toks), once, missed, other)
			}
		})
	}
}
