package source

import (
	"context"
	"os"
	"testing"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
)

func BenchmarkScanBigFile(b *testing.B) {
	path := os.Getenv("LEAKGUARD_BIGFILE")
	if path == "" {
		b.Skip("LEAKGUARD_BIGFILE not set")
	}
	set, _ := rules.Default()
	det, _ := detectors.Compile(set, detectors.Options{Validate: true})
	s := scanner.New(det, scanner.Options{})
	var total int64
	for i := 0; i < b.N; i++ {
		_, sum, err := s.Scan(context.Background(), &Files{Paths: []string{path}})
		if err != nil {
			b.Fatal(err)
		}
		total = sum.Bytes
	}
	b.SetBytes(total)
}
