package keywords

import (
	"bytes"
	"cmp"
	"slices"
)

// naiveHits is the reference: every occurrence of every non-empty pattern
// in an ASCII-lowercased copy of data, found with bytes.Index, sorted by End
// and then Pattern.
func naiveHits(patterns []string, data []byte) []Hit {
	low := asciiLower(data)
	var hits []Hit
	for pi, p := range patterns {
		if p == "" {
			continue
		}
		lp := asciiLower([]byte(p))
		for at := 0; ; {
			i := bytes.Index(low[at:], lp)
			if i < 0 {
				break
			}
			hits = append(hits, Hit{Pattern: int32(pi), End: int32(at + i + len(lp))})
			at += i + 1
		}
	}
	sortHits(hits)
	return hits
}

// asciiLower lowercases A-Z only, the way the Matcher folds case;
// bytes.ToLower would also fold non-ASCII UTF-8.
func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = lower(c)
	}
	return out
}

func sortHits(h []Hit) {
	slices.SortFunc(h, func(a, b Hit) int {
		return cmp.Or(cmp.Compare(a.End, b.End), cmp.Compare(a.Pattern, b.Pattern))
	})
}

// checkedHits runs m over data, checks that the hits come in order of End,
// and returns them sorted by (End, Pattern) for comparison with naiveHits.
func checkedHits(m *Matcher, data []byte) (hits []Hit, ordered bool) {
	hits = m.AppendHits(nil, data)
	ordered = slices.IsSortedFunc(hits, func(a, b Hit) int { return cmp.Compare(a.End, b.End) })
	sortHits(hits)
	return hits, ordered
}
