package source

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
)

// BenchmarkScanGoTree scans a directory of the Go toolchain's sources end
// to end (walk, read, detect, resolve) with the default rules.
func BenchmarkScanGoTree(b *testing.B) {
	dir := filepath.Join(goroot(), "src", "net")
	set, err := rules.Default()
	if err != nil {
		b.Fatal(err)
	}
	for _, mode := range []struct {
		name   string
		decode bool
	}{{"decode", true}, {"no-decode", false}} {
		b.Run(mode.name, func(b *testing.B) {
			det, err := detectors.Compile(set, detectors.Options{Validate: true, Decode: mode.decode})
			if err != nil {
				b.Fatal(err)
			}
			s := scanner.New(det, scanner.Options{})
			var total int64
			for i := 0; i < b.N; i++ {
				_, sum, err := s.Scan(context.Background(), &Files{Paths: []string{dir}})
				if err != nil {
					b.Fatal(err)
				}
				total = sum.Bytes
			}
			b.SetBytes(total)
		})
	}
}
