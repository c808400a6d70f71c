package keywords

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAppendHits(t *testing.T) {
	tests := []struct {
		name     string
		patterns []string
		data     string
		want     []Hit
	}{
		{"none", []string{"key"}, "nothing here", nil},
		{"empty input", []string{"key"}, "", nil},
		{"no patterns", nil, "key", nil},
		{"one", []string{"key"}, "a key", []Hit{{0, 5}}},
		{"case folded input", []string{"token"}, "ToKeN", []Hit{{0, 5}}},
		{"case folded pattern", []string{"ToKeN"}, "TOKEN token", []Hit{{0, 5}, {0, 11}}},
		{"overlapping self", []string{"aa"}, "aaaa", []Hit{{0, 2}, {0, 3}, {0, 4}}},
		{"suffix outputs", []string{"she", "he", "hers", "his"}, "ushers",
			[]Hit{{0, 4}, {1, 4}, {2, 6}}},
		{"prefix of another", []string{"sk", "sk_live"}, "sk_live", []Hit{{0, 2}, {1, 7}}},
		{"duplicates", []string{"api", "API", "api"}, "Api", []Hit{{0, 3}, {1, 3}, {2, 3}}},
		{"empty pattern never matches", []string{"", "x"}, "ax", []Hit{{1, 2}}},
		{"non-ASCII exact", []string{"ÄPI"}, "äpi ÄPI Äpi", []Hit{{0, 9}, {0, 14}}},
		{"bytes beyond ASCII are not folded", []string{"\xc0"}, "\xe0\xc0", []Hit{{0, 2}}},
		{"binary", []string{"\x00\xff"}, "\x00\x00\xff\xff", []Hit{{0, 3}}},
		{"punctuation", []string{"s.", "-----begin"}, "x.s.-----BEGIN", []Hit{{0, 4}, {1, 14}}},
		{"failure to deeper state", []string{"abcd", "bce"}, "abce", []Hit{{1, 4}}},
		{"keyword at end", []string{"pass"}, "xxpass", []Hit{{0, 6}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New(tt.patterns)
			got := m.AppendHits(nil, []byte(tt.data))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("AppendHits(%q) on %q (-want +got):\n%s", tt.patterns, tt.data, diff)
			}
			if m.Len() != len(tt.patterns) {
				t.Errorf("Len() = %d, want %d", m.Len(), len(tt.patterns))
			}
		})
	}
}

func TestAppendHitsAppends(t *testing.T) {
	m := New([]string{"ab"})
	dst := []Hit{{Pattern: 7, End: 9}}
	got := m.AppendHits(dst, []byte("abab"))
	want := []Hit{{7, 9}, {0, 2}, {0, 4}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("AppendHits kept dst wrongly (-want +got):\n%s", diff)
	}
}

// TestMatchesNaive is the property test: on random pattern sets (sharing
// prefixes and suffixes, mixed case, non-ASCII bytes, duplicates, empty
// patterns) and random inputs seeded with those patterns, the Matcher finds
// exactly what bytes.Index over lowercased copies finds.
func TestMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 7))
	n := 2000
	if testing.Short() {
		n = 200
	}
	for i := range n {
		patterns := randomPatterns(rng)
		data := randomData(rng, patterns, 1+rng.IntN(400))
		checkAgainstNaive(t, patterns, data)
		if t.Failed() {
			t.Fatalf("stopped after case %d", i)
		}
	}
}

func checkAgainstNaive(t *testing.T, patterns []string, data []byte) {
	t.Helper()
	m := New(patterns)
	got, ordered := checkedHits(m, data)
	if !ordered {
		t.Errorf("patterns %q data %q: hits not in order of End", patterns, data)
	}
	want := naiveHits(patterns, data)
	if slices.Equal(want, got) {
		return
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("patterns %q data %q (-naive +matcher):\n%s", patterns, data, diff)
	}
}

// alphabet is small so that random patterns overlap and share prefixes and
// suffixes; it mixes cases, punctuation and non-ASCII bytes.
const alphabet = "aAbBcC_.-\x00\xc3\xa4\xff"

func randomPatterns(rng *rand.Rand) []string {
	n := rng.IntN(12)
	ps := make([]string, 0, n)
	for range n {
		switch rng.IntN(8) {
		case 0:
			ps = append(ps, "") // tolerated, never matches
		case 1:
			if len(ps) > 0 { // duplicate, maybe in another case
				ps = append(ps, strings.ToUpper(ps[rng.IntN(len(ps))]))
				continue
			}
			fallthrough
		case 2:
			if len(ps) > 0 { // a prefix or suffix of an earlier pattern
				p := ps[rng.IntN(len(ps))]
				if k := rng.IntN(len(p) + 1); rng.IntN(2) == 0 {
					ps = append(ps, p[:k])
				} else {
					ps = append(ps, p[k:])
				}
				continue
			}
			fallthrough
		default:
			ps = append(ps, randomString(rng, 1+rng.IntN(6)))
		}
	}
	return ps
}

func randomString(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(b)
}

// randomData builds about n bytes of random alphabet text with the patterns
// planted in it, in random case.
func randomData(rng *rand.Rand, patterns []string, n int) []byte {
	var b []byte
	for len(b) < n {
		if len(patterns) > 0 && rng.IntN(4) == 0 {
			p := []byte(patterns[rng.IntN(len(patterns))])
			for i, c := range p {
				if rng.IntN(2) == 0 {
					p[i] = lower(c)
				} else if 'a' <= c && c <= 'z' {
					p[i] = c - 'a' + 'A'
				}
			}
			b = append(b, p...)
			continue
		}
		if rng.IntN(10) == 0 {
			b = append(b, byte(rng.IntN(256)))
			continue
		}
		b = append(b, alphabet[rng.IntN(len(alphabet))])
	}
	return b
}

// TestDefaultKeywordsOnGoSource runs the real keyword list over a slice of
// real source text and compares with the reference.
func TestDefaultKeywordsOnGoSource(t *testing.T) {
	n := 1 << 20
	if testing.Short() {
		n = 64 << 10
	}
	data, err := readGoSource(n)
	if err != nil {
		t.Fatalf("read Go source: %v", err)
	}
	if len(data) == 0 {
		t.Skip("no Go source found under GOROOT")
	}
	checkAgainstNaive(t, gitleaksKeywords(t), data)
}
