package detectors

import (
	"slices"
	"sort"

	"github.com/leakguard/leakguard/detectors/validate"
	"github.com/leakguard/leakguard/rules"
)

// The merge stage: one Match per secret per place. Several rules often
// match one secret (a GitHub token inside a curl Authorization header, a
// password that is also a generic key assignment), and the raw and the
// decoded view of one secret overlap. Matches whose secret spans overlap
// become one Match, named after the most specific rule; the others are kept
// in its Also, so that their spans still count for rewriting and their
// rules can be listed. gitleaks reports such matches separately (it drops
// only generic-api-key duplicates); the differential test reads Also.

// Specificity ranks how much a rule's match says about what the secret is.
const (
	// RankGeneric: a generic rule (its id says "generic").
	RankGeneric = iota
	// RankContext: a rule that knows a secret by the syntax around it (a
	// header, a connection string, a config file entry), not by its shape.
	RankContext
	// RankProvider: a rule for one provider's token format.
	RankProvider
)

// contextRules are gitleaks' rules that recognise a secret by its
// surroundings; leakguard's own such rules carry the tag "context".
var contextRules = map[string]bool{
	"curl-auth-header":       true,
	"curl-auth-user":         true,
	"kubernetes-secret-yaml": true,
	"jwt":                    true,
	"jwt-base64":             true,
	"nuget-config-password":  true,
	"sidekiq-sensitive-url":  true,
}

// Specificity returns r's rank: RankGeneric, RankContext or RankProvider.
func Specificity(r *rules.Rule) int {
	switch {
	case r.IsGeneric():
		return RankGeneric
	case contextRules[r.ID] || slices.Contains(r.Tags, "context"):
		return RankContext
	}
	return RankProvider
}

// span is the part of the input a match's secret occupies.
func (m *Match) span() (int, int) {
	if m.SecretEnd > m.SecretStart {
		return m.SecretStart, m.SecretEnd
	}
	return m.Start, m.End
}

// better reports whether a should stand for b when they overlap: the more
// specific rule; then a token that did not fail validation; then a
// checksum-verified one; then, of a raw and a
// decoded view, the decoded one when decoding changed the secret (the raw
// text is an encoding of it: base64 of a key, a percent-encoded password, a
// key whose newlines are JSON escapes) and the raw one when it did not (its
// place is exact); then the longer secret; then the earlier one.
func better(a, b *Match, ra, rb int) bool {
	if ra != rb {
		return ra > rb
	}
	if ia, ib := a.Verdict == validate.Invalid, b.Verdict == validate.Invalid; ia != ib {
		return ib // with --report-invalid
	}
	if va, vb := a.Verdict == validate.Valid, b.Verdict == validate.Valid; va != vb {
		return va
	}
	if (a.Encoding == "") != (b.Encoding == "") {
		dec := a
		if a.Encoding == "" {
			dec = b
		}
		return (a == dec) == dec.changed
	}
	as, ae := a.span()
	bs, be := b.span()
	if ae-as != be-bs {
		return ae-as > be-bs
	}
	return as < bs
}

// merge folds overlapping matches into the best of them and returns the
// result ordered by offset. Matches are first cut into groups whose spans
// overlap transitively (a sweep over the sorted spans); only inside a group
// does the choice need the priority order, so the cost stays O(n log n)
// for inputs with many matches.
func merge(ms []Match) []Match {
	if len(ms) < 2 {
		return ms
	}
	out := make([]Match, 0, len(ms))
	var spans []int
	for i := range ms {
		if ms[i].PathOnly {
			out = append(out, ms[i])
			continue
		}
		spans = append(spans, i)
	}
	sort.SliceStable(spans, func(x, y int) bool {
		sx, _ := ms[spans[x]].span()
		sy, _ := ms[spans[y]].span()
		return sx < sy
	})
	for lo := 0; lo < len(spans); {
		_, end := ms[spans[lo]].span()
		hi := lo + 1
		for ; hi < len(spans); hi++ {
			s, e := ms[spans[hi]].span()
			if s >= end {
				break
			}
			end = max(end, e)
		}
		if hi-lo == 1 {
			out = append(out, ms[spans[lo]])
		} else {
			out = mergeGroup(out, ms, spans[lo:hi])
		}
		lo = hi
	}
	return out
}

// mergeGroup appends to out the chosen matches of one group of overlapping
// matches (indices into ms), ordered by offset: in priority order, a match
// overlapping one already chosen joins its Also; one that does not is
// chosen too.
func mergeGroup(out []Match, ms []Match, group []int) []Match {
	if len(group) == 2 {
		// The common case: two rules on one secret.
		a, b := &ms[group[0]], &ms[group[1]]
		if better(b, a, Specificity(b.Rule), Specificity(a.Rule)) {
			a, b = b, a
		}
		w, o := *a, *b
		o.Also = nil
		w.Also = append(w.Also, o)
		w.Marked = w.Marked || o.Marked
		return append(out, w)
	}
	order := append([]int(nil), group...)
	ranks := make([]int, len(order))
	pos := make(map[int]int, len(order))
	for k, i := range order {
		pos[i] = k
		ranks[k] = Specificity(ms[i].Rule)
	}
	sort.SliceStable(order, func(x, y int) bool {
		return better(&ms[order[x]], &ms[order[y]], ranks[pos[order[x]]], ranks[pos[order[y]]])
	})
	// win holds the chosen matches' indices, their spans disjoint and
	// sorted by start (so their ends are sorted too).
	var win []int
	for _, i := range order {
		m := &ms[i]
		s, e := m.span()
		// The first chosen span ending after s is the only one that can
		// overlap [s, e).
		k := sort.Search(len(win), func(k int) bool {
			_, we := ms[win[k]].span()
			return we > s
		})
		if k < len(win) {
			if ws, _ := ms[win[k]].span(); ws < e {
				w := &ms[win[k]]
				o := *m
				o.Also = nil
				w.Also = append(w.Also, o)
				w.Marked = w.Marked || o.Marked
				continue
			}
		}
		win = slices.Insert(win, k, i)
	}
	for _, i := range win {
		out = append(out, ms[i])
	}
	return out
}

// dropInvalid removes the matches that failed validation, and with each
// the less specific matches of the same text (their spans overlap by at
// least 80% each way): a GitHub-shaped token with a wrong checksum that a
// generic rule also matched is not a secret either. A valid match is never
// dropped, and a match much shorter or longer than the invalid one (a JWT
// inside a placeholder key block that a lazy regex ran across) stays.
func dropInvalid(ms []Match) []Match {
	var bad []Match
	for _, m := range ms {
		if m.Verdict == validate.Invalid && !m.PathOnly {
			bad = append(bad, m)
		}
	}
	if len(bad) == 0 {
		return ms
	}
	sort.Slice(bad, func(i, j int) bool { return bad[i].SecretStart < bad[j].SecretStart })
	out := ms[:0]
	for _, m := range ms {
		if m.Verdict == validate.Invalid || !m.PathOnly && m.Verdict != validate.Valid && sameTextAsInvalid(&m, bad) {
			continue
		}
		out = append(out, m)
	}
	return out
}

// sameTextAsInvalid reports whether a more specific invalid match covers
// m's text (80% overlap each way).
func sameTextAsInvalid(m *Match, bad []Match) bool {
	s, e := m.span()
	n := e - s
	rank := Specificity(m.Rule)
	k := sort.Search(len(bad), func(k int) bool { return bad[k].SecretStart >= s-n/4 })
	for ; k < len(bad) && bad[k].SecretStart < e; k++ {
		b := &bad[k]
		bs, be := b.span()
		ov := min(e, be) - max(s, bs)
		if ov > 0 && 5*ov >= 4*n && 5*ov >= 4*(be-bs) && Specificity(b.Rule) > rank {
			return true
		}
	}
	return false
}
