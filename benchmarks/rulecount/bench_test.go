package rulecount

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/detectors"
)

// goSource returns up to n bytes of the Go toolchain's .go files.
func goSource(tb testing.TB, n int) []byte {
	tb.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		tb.Skip("no go env GOROOT")
	}
	var b []byte
	root := filepath.Join(strings.TrimSpace(string(out)), "src")
	_ = filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || len(b) >= n || !strings.HasSuffix(p, ".go") {
			return nil
		}
		if data, err := os.ReadFile(p); err == nil {
			b = append(b, data...)
		}
		return nil
	})
	if len(b) == 0 {
		tb.Skip("no Go source tree")
	}
	return b[:min(len(b), n)]
}

// BenchmarkRuleCount runs the whole detector (default options) over the
// same 16 MB of Go source, in 1 MiB fragments on one goroutine, with 250,
// 500, 700 and 1,000 rules: throughput should stay flat as rules grow.
func BenchmarkRuleCount(b *testing.B) {
	src := goSource(b, 16<<20)
	for _, n := range []int{250, 500, 700, 1000} {
		set, err := Set(n, 1)
		if err != nil {
			b.Fatal(err)
		}
		d, err := detectors.Compile(set, detectors.DefaultOptions())
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for i := 0; i < b.N; i++ {
				for off := 0; off < len(src); off += 1 << 20 {
					d.Detect(src[off:min(off+1<<20, len(src))], detectors.Target{Path: "x.go"})
				}
			}
		})
	}
}

func TestSetSizes(t *testing.T) {
	for _, n := range []int{10, 250, 1000} {
		s, err := Set(n, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Rules) != n {
			t.Errorf("Set(%d): got %d rules", n, len(s.Rules))
		}
		if _, err := detectors.Compile(s, detectors.DefaultOptions()); err != nil {
			t.Errorf("Set(%d): %v", n, err)
		}
	}
}
