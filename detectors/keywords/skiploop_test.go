package keywords

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// appendSkipLoop is the single-stream scan with a first-byte filter: in the
// root state, bytes no pattern starts with are passed over by a table test
// that does not depend on the previous step. It lives in a test file only
// so that BenchmarkAutomata keeps measuring it: on source text it is slower
// than the plain scan, because with gitleaks' keywords more than 50 of the
// 256 byte values (most letters) start a pattern, so the filter's exit
// branch mispredicts often.
func appendSkipLoop(m *Matcher, stay *[256]bool, dst []Hit, data []byte) []Hit {
	trans, cls, outBase := m.trans, &m.cls, m.outBase
	s := uint32(0)
	for i := 0; i < len(data); i++ {
		if s == 0 {
			for stay[data[i]] {
				i++
				if i == len(data) {
					return dst
				}
			}
		}
		s = trans[s+uint32(cls[data[i]])]
		if s >= outBase {
			dst = m.appendOutputs(dst, s, i+1)
		}
	}
	return dst
}

// rootStays marks the bytes on which the root state goes back to itself.
func rootStays(m *Matcher) *[256]bool {
	var stay [256]bool
	for b := range stay {
		stay[b] = m.trans[m.cls[b]] == 0
	}
	return &stay
}

func TestSkipLoopMatchesSingleStream(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 200 {
		patterns := randomPatterns(rng)
		m := New(patterns)
		data := randomData(rng, patterns, rng.IntN(500))
		want := m.appendPlain(nil, data)
		if got := appendSkipLoop(m, rootStays(m), nil, data); !slices.Equal(want, got) {
			t.Fatalf("patterns %q data %q: got %v, want %v", patterns, data, got, want)
		}
	}
}
