package keywords

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLanesMatchSingleStream checks the interleaved scan against the
// single-stream one, hit for hit and in the same order, on inputs long
// enough for several rounds and for the partial round and tail after them.
func TestLanesMatchSingleStream(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 300
	if testing.Short() {
		n = 40
	}
	for range n {
		patterns := randomPatterns(rng)
		if rng.IntN(4) == 0 { // a long pattern makes a long run-up
			patterns = append(patterns, randomString(rng, 1+rng.IntN(maxLane/4)))
		}
		m := New(patterns)
		size := m.runUp + lanes*minLane + rng.IntN(5*lanes*maxLane)
		data := randomData(rng, patterns, size)
		checkLanes(t, m, patterns, data)
	}
}

func checkLanes(t *testing.T, m *Matcher, patterns []string, data []byte) {
	t.Helper()
	if !m.useLanes(len(data)) {
		t.Fatalf("test input of %d bytes does not use lanes (run-up %d)", len(data), m.runUp)
	}
	prefix := []Hit{{Pattern: -3, End: 1}, {Pattern: 2, End: 9}} // dst is kept as is
	want := m.appendPlain(append([]Hit(nil), prefix...), data)
	got := m.appendLanes(append([]Hit(nil), prefix...), data)
	if slices.Equal(want, got) {
		return
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("patterns %q on %d bytes: lanes differ (-single +lanes):\n%s", patterns, len(data), diff)
	}
}

func TestLanesEdgeCases(t *testing.T) {
	tests := []struct {
		name     string
		patterns []string
		data     string
	}{
		{"every byte a hit in every lane", []string{"a", "aa", "A"},
			strings.Repeat("a", 3*lanes*maxLane+17)},
		{"hits straddling lane boundaries", []string{"xy", "xyz", "yz"},
			strings.Repeat("xyz", lanes*maxLane)},
		{"smallest input with lanes", []string{"ab"},
			strings.Repeat("ab", (lanes*minLane+2)/2)},
		{"pattern as long as the run-up allows", []string{strings.Repeat("q", maxLane/4), "q"},
			strings.Repeat("q", lanes*maxLane+maxLane/2)},
		{"no hits", []string{"zz"}, strings.Repeat("abc", 5000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkLanes(t, New(tt.patterns), tt.patterns, []byte(tt.data))
			checkAgainstNaive(t, tt.patterns, []byte(tt.data))
		})
	}
}

// TestLongPatternUsesSingleStream: a pattern longer than a lane's run-up
// budget makes AppendHits fall back to one stream, and it still finds
// everything.
func TestLongPatternUsesSingleStream(t *testing.T) {
	long := strings.Repeat("k", maxLane/4+1)
	patterns := []string{long, "kk"}
	m := New(patterns)
	data := []byte(strings.Repeat("x"+long, 20))
	if m.useLanes(len(data)) {
		t.Fatalf("useLanes with a %d-byte run-up, want the single stream", m.runUp)
	}
	checkAgainstNaive(t, patterns, data)
}
