package keywords

import (
	"slices"
	"testing"

	bobu "github.com/BobuSumisu/aho-corasick"
	cloudflare "github.com/cloudflare/ahocorasick"
	coregx "github.com/coregx/ahocorasick"
	petar "github.com/petar-dambovaliev/aho-corasick"
)

// automaton is one Aho-Corasick implementation under comparison. scan runs
// it over raw (mixed-case) input, paying for whatever the library needs
// first (an ASCII-lowercased copy for those that cannot fold case), and
// returns the number of hits; for a library that reports only which
// patterns occur, it returns the number of distinct patterns found.
type automaton struct {
	name      string
	positions bool // reports every occurrence with its position
	scan      func(data []byte) int
}

// asciiLowerInto lowercases A-Z of src into buf, reusing buf's storage. It
// is the cheapest lowercasing that keeps byte offsets, so it is the least a
// case-sensitive library costs on top of its own scan.
func asciiLowerInto(buf, src []byte) []byte {
	buf = slices.Grow(buf[:0], len(src))[:len(src)]
	for i, c := range src {
		buf[i] = lower(c)
	}
	return buf
}

func automata(tb testing.TB, kws []string) []automaton {
	tb.Helper()
	ours := New(kws)
	stay := rootStays(ours)
	var hits []Hit

	cf := cloudflare.NewStringMatcher(kws)
	bt := bobu.NewTrieBuilder().AddStrings(kws).Build()
	petarBuild := func(dfa bool) petar.AhoCorasick {
		b := petar.NewAhoCorasickBuilder(petar.Opts{
			AsciiCaseInsensitive: true,
			MatchKind:            petar.StandardMatch,
			DFA:                  dfa,
		})
		return b.Build(kws)
	}
	pdfa, pnfa := petarBuild(true), petarBuild(false)
	petarCount := func(ac petar.AhoCorasick) func([]byte) int {
		return func(data []byte) int {
			n := 0
			for it := ac.IterOverlappingByte(data); it.Next() != nil; {
				n++
			}
			return n
		}
	}
	cx, err := coregx.NewBuilder().AddStrings(kws).Build()
	if err != nil {
		tb.Fatalf("build coregx automaton: %v", err)
	}
	var low []byte

	return []automaton{
		{"ours", true, func(data []byte) int {
			hits = ours.AppendHits(hits[:0], data)
			return len(hits)
		}},
		{"ours-1lane", true, func(data []byte) int {
			hits = ours.appendPlain(hits[:0], data)
			return len(hits)
		}},
		{"ours-1lane-skiploop", true, func(data []byte) int {
			hits = appendSkipLoop(ours, stay, hits[:0], data)
			return len(hits)
		}},
		{"cloudflare+lower", false, func(data []byte) int {
			low = asciiLowerInto(low, data)
			return len(cf.MatchThreadSafe(low))
		}},
		{"bobusumisu+lower", true, func(data []byte) int {
			low = asciiLowerInto(low, data)
			hits = hits[:0]
			bt.Walk(low, func(end, n, pattern int64) bool {
				hits = append(hits, Hit{Pattern: int32(pattern), End: int32(end + 1)})
				return true
			})
			return len(hits)
		}},
		{"petar-dfa", true, petarCount(pdfa)},
		{"petar-nfa", true, petarCount(pnfa)},
		{"coregx+lower", true, func(data []byte) int {
			low = asciiLowerInto(low, data)
			return len(cx.FindAllOverlapping(low))
		}},
	}
}

// BenchmarkAutomata compares our matcher with the Aho-Corasick libraries
// available to us, on gitleaks' default keywords over real Go source. Before
// timing it checks that every library reporting positions finds exactly as
// many hits as ours, and that cloudflare's set of found keywords is ours.
func BenchmarkAutomata(b *testing.B) {
	kws := gitleaksKeywords(b)
	data := goSourceCorpus(b)
	all := automata(b, kws)

	want := all[0].scan(data)
	distinct := map[int32]bool{}
	for _, h := range New(kws).AppendHits(nil, data) {
		distinct[h.Pattern] = true
	}
	for _, a := range all[1:] {
		got := a.scan(data)
		if a.positions && got != want {
			b.Fatalf("%s found %d hits, ours %d", a.name, got, want)
		}
		if !a.positions && got != len(distinct) {
			b.Fatalf("%s found %d distinct keywords, ours %d", a.name, got, len(distinct))
		}
	}
	b.Logf("%d keywords, %d bytes of Go source, %d hits of %d distinct keywords",
		len(kws), len(data), want, len(distinct))

	for _, a := range all {
		b.Run(a.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				a.scan(data)
			}
		})
	}
	// Not an automaton: the lowercased copy alone, the floor under every
	// "+lower" row above.
	b.Run("lower-only", func(b *testing.B) {
		low := make([]byte, len(data))
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			low = asciiLowerInto(low, data)
		}
	})
}

// BenchmarkAppendHits measures the matcher with gitleaks' keywords on
// prefixes of the Go source corpus, from one small file to a large blob.
func BenchmarkAppendHits(b *testing.B) {
	m := New(gitleaksKeywords(b))
	corpus := goSourceCorpus(b)
	for _, size := range []struct {
		name string
		n    int
	}{{"1KB", 1 << 10}, {"64KB", 64 << 10}, {"1MB", 1 << 20}, {"16MB", 16 << 20}} {
		data := corpus[:min(size.n, len(corpus))]
		b.Run(size.name, func(b *testing.B) {
			dst := m.AppendHits(nil, data) // steady state: dst already grown
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				dst = m.AppendHits(dst[:0], data)
			}
		})
	}
}
