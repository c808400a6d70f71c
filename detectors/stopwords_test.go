package detectors

import (
	"math/rand"
	"testing"

	"github.com/leakguard/leakguard/detectors/keywords"
	"github.com/leakguard/leakguard/rules"
)

// BenchmarkStopWordMatcher builds the keyword automaton of the default
// rules' largest stop-word list (what the first generic match of a process
// pays).
func BenchmarkStopWordMatcher(b *testing.B) {
	set, err := rules.Default()
	if err != nil {
		b.Fatal(err)
	}
	var words []string
	for _, r := range set.Rules {
		for _, a := range r.Allowlists {
			if len(a.StopWords) > len(words) {
				words = a.StopWords
			}
		}
	}
	b.Logf("%d stop words", len(words))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		keywords.New(words)
	}
}

// TestStopWordSetAgreesWithAutomaton: the hash set that answers an
// allowlist's first stop-word checks and the automaton that answers the
// rest agree, on secrets made of stop words, their pieces and other text
// in mixed case.
func TestStopWordSetAgreesWithAutomaton(t *testing.T) {
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	var al *rules.Allowlist
	for _, r := range set.Rules {
		for _, a := range r.Allowlists {
			if al == nil || len(a.StopWords) > len(al.StopWords) {
				al = a
			}
		}
	}
	m := keywords.New(al.StopWords)
	rng := rand.New(rand.NewSource(9))
	n := 4000
	if testing.Short() {
		n = 500
	}
	hits := 0
	var fresh *allowlist
	for i := 0; i < n; i++ {
		if i%stopAutomatonAfter == 0 {
			fresh = newAllowlist(al) // below the threshold: the hash set
		}
		var b []byte
		for len(b) < 40 {
			switch rng.Intn(3) {
			case 0:
				w := al.StopWords[rng.Intn(len(al.StopWords))]
				b = append(b, w[:1+rng.Intn(len(w))]...)
			case 1:
				b = append(b, "Zq9X_-é"[rng.Intn(7)])
			default:
				b = append(b, al.StopWords[rng.Intn(len(al.StopWords))]...)
			}
		}
		for j := range b {
			if rng.Intn(3) == 0 && 'a' <= b[j] && b[j] <= 'z' {
				b[j] -= 'a' - 'A'
			}
		}
		b = b[:rng.Intn(len(b)+1)]
		got := fresh.containsStopWord(b)
		want := len(b) > 0 && len(m.AppendHits(nil, b)) > 0
		if got != want {
			t.Fatalf("on %q: hash set says %v, automaton %v", b, got, want)
		}
		if got {
			hits++
		}
	}
	if hits == 0 || hits == n {
		t.Fatalf("%d of %d inputs hold a stop word: the test proves nothing", hits, n)
	}
}
