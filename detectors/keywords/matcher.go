package keywords

import "math"

// Matcher finds keywords in data, ASCII case-insensitively, without copying
// or lowercasing the input. It is immutable and safe for concurrent use by
// multiple goroutines.
//
// Invariant: AppendHits reports every occurrence of every non-empty pattern,
// overlapping occurrences included; a prefilter built on it never drops a
// rule whose keyword occurs in the input.
type Matcher struct {
	// cls maps an input byte to its column in trans. Bytes that occur in no
	// pattern share column 0; an ASCII upper-case letter shares the column
	// of its lower-case form.
	cls [256]uint8
	// trans is the full transition table, one row of stride entries per
	// state. A state id is the offset of its row (pre-multiplied by
	// stride), so a step is one load. The root is state 0. States with
	// output come last, so "has output" is id >= outBase. Column nclass of
	// an output state's row holds its index into outOff.
	trans   []uint32
	nclass  uint32
	outBase uint32
	// The patterns reported at output state k are
	// outPats[outOff[k]:outOff[k+1]], its own patterns first, then those of
	// its dictionary suffixes, longest first.
	outOff  []uint32
	outPats []int32
	// runUp is the length of the longest pattern: how far before a
	// segment an interleaved lane starts (see lanes.go).
	runUp int

	npatterns int
}

// Hit is one occurrence of a pattern. Pattern is the index into the slice
// given to New; End is the byte offset just past the occurrence, so it
// starts at End-len(pattern).
type Hit struct {
	Pattern int32
	End     int32
}

// Len returns the number of patterns given to New, empty and duplicate ones
// included.
func (m *Matcher) Len() int { return m.npatterns }

// AppendHits appends to dst every occurrence of every pattern in data,
// overlapping ones included, in order of End; hits with the same End come
// in a fixed order (longer patterns first, duplicates by index). Empty
// patterns never match. data must be shorter than 2 GiB; AppendHits panics
// otherwise.
func (m *Matcher) AppendHits(dst []Hit, data []byte) []Hit {
	if len(data) > math.MaxInt32 {
		panic("keywords: AppendHits: input of 2 GiB or more")
	}
	if m.useLanes(len(data)) {
		return m.appendLanes(dst, data)
	}
	return m.appendPlain(dst, data)
}

// appendPlain steps the DFA once per byte.
func (m *Matcher) appendPlain(dst []Hit, data []byte) []Hit {
	trans := m.trans
	cls := &m.cls
	outBase := m.outBase
	s := uint32(0)
	for i, b := range data {
		s = trans[s+uint32(cls[b])]
		if s >= outBase {
			dst = m.appendOutputs(dst, s, i+1)
		}
	}
	return dst
}

// appendOutputs appends the hits of output state s ending at end. It is kept
// out of the scanning loops so that they stay small.
func (m *Matcher) appendOutputs(dst []Hit, s uint32, end int) []Hit {
	k := m.trans[s+m.nclass]
	for _, p := range m.outPats[m.outOff[k]:m.outOff[k+1]] {
		dst = append(dst, Hit{Pattern: p, End: int32(end)})
	}
	return dst
}
