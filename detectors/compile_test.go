package detectors

import (
	"testing"

	"github.com/leakguard/leakguard/rules"
)

// BenchmarkCompileDefault measures building a Detector from the default
// rules, the fixed cost of every leakguard process.
func BenchmarkCompileDefault(b *testing.B) {
	set, err := rules.Default()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Compile(set, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
