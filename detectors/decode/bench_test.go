package decode

import (
	"encoding/base64"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	srcOnce sync.Once
	srcText []byte
)

// goSource returns about 4 MB of the Go toolchain's own sources, read in
// lexical path order so every run sees the same bytes.
func goSource(tb testing.TB) []byte {
	tb.Helper()
	srcOnce.Do(func() {
		root := filepath.Join(goroot(), "src")
		_ = filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if err != nil || len(srcText) >= 4<<20 {
				return fs.SkipDir
			}
			if e.IsDir() || !strings.HasSuffix(p, ".go") {
				return nil
			}
			if data, err := os.ReadFile(p); err == nil {
				srcText = append(srcText, data...)
			}
			return nil
		})
	})
	if len(srcText) == 0 {
		tb.Skip("no Go source tree under GOROOT")
	}
	return srcText
}

// BenchmarkFind measures Find on ordinary Go source, which holds few
// encoded runs: the cost Find adds to scanning source text.
func BenchmarkFind(b *testing.B) {
	src := goSource(b)
	for _, size := range []int{4 << 10, 64 << 10, 1 << 20, len(src)} {
		data := src[:size]
		b.Run(sizeName(size), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				Find(data, Options{})
			}
		})
	}
}

// BenchmarkFindProse measures Find on English prose, text with no encoded
// run at all: the pass over text that is skipped.
func BenchmarkFindProse(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(goroot(), "src", "testdata", "Isaac.Newton-Opticks.txt"))
	if err != nil {
		b.Skip("no prose in GOROOT:", err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		Find(data, Options{})
	}
}

func sizeName(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return itoa(n>>20) + "MB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return itoa(n>>10) + "KB"
	}
	return itoa(n) + "B"
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// BenchmarkFindLongBase64 measures one long line of base64 that decodes to
// text: it is cut into MaxSegment pieces and bounded by MaxTotal.
func BenchmarkFindLongBase64(b *testing.B) {
	text := []byte(strings.Repeat("lorem ipsum dolor sit amet ", 1<<17)) // 3.5 MB
	data := []byte(base64.StdEncoding.EncodeToString(text))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		Find(data, Options{})
	}
}

// BenchmarkFindBomb measures inputs that decode again at every level; the
// bytes they produce are bounded by MaxTotal and MaxDepth
// (TestBombsBounded), and this shows they are produced quickly.
func BenchmarkFindBomb(b *testing.B) {
	for name, data := range bombs() {
		b.Run(strings.ReplaceAll(name, " ", "-"), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				Find(data, Options{MaxDepth: 20})
			}
		})
	}
}
