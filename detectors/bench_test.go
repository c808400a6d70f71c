package detectors

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/leakguard/leakguard/rules"
)

var (
	srcOnce sync.Once
	srcText []byte
)

// goSource returns up to 16 MB of the Go toolchain's own sources.
func goSource(b *testing.B) []byte {
	srcOnce.Do(func() {
		root := filepath.Join(goroot(), "src")
		_ = filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || len(srcText) >= 16<<20 || !strings.HasSuffix(p, ".go") {
				return nil
			}
			if data, err := os.ReadFile(p); err == nil {
				srcText = append(srcText, data...)
			}
			return nil
		})
	})
	if len(srcText) == 0 {
		b.Skip("no Go source tree")
	}
	return srcText
}

func benchDetector(b *testing.B) *Detector {
	set, err := rules.Default()
	if err != nil {
		b.Fatal(err)
	}
	d, err := Compile(set, Options{})
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// BenchmarkDetect runs the full default rule set over fragments of Go
// source of several sizes (one core).
func BenchmarkDetect(b *testing.B) {
	d := benchDetector(b)
	src := goSource(b)
	for _, size := range []int{4 << 10, 64 << 10, 1 << 20} {
		b.Run(sizeName(size), func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			off := 0
			for i := 0; i < b.N; i++ {
				if off+size > len(src) {
					off = 0
				}
				d.Detect(src[off:off+size], Target{})
				off += size
			}
		})
	}
}

func sizeName(n int) string {
	switch {
	case n >= 1<<20:
		return strings.TrimSuffix(strings.Repeat("", 0), "") + itoa(n>>20) + "MB"
	case n >= 1<<10:
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
