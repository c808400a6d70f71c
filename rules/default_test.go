package rules

import (
	"testing"
)

func TestDefaultCompiles(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Rules) < 200 {
		t.Fatalf("got %d default rules, want at least 200", len(s.Rules))
	}
	for _, r := range s.Rules {
		if err := r.compile(); err != nil {
			t.Error(err)
		}
	}
}

func BenchmarkLoadDefault(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := buildDefault(); err != nil {
			b.Fatal(err)
		}
	}
}
