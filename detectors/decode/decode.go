package decode

import (
	"slices"
	"sync"
)

// MaxSegment is the most decoded bytes one Segment holds. An encoded run
// that decodes to more is cut into several segments: base64 and hex runs
// into pieces that overlap by 192 decoded bytes (so a secret shorter than
// that is never split), percent-encoded and escaped runs into adjacent
// pieces with no overlap.
const MaxSegment = 1 << 20

// Defaults for Options.
const (
	DefaultMaxDepth = 5
	DefaultMinLen   = 16
	// maxTotalCap caps the default MaxTotal.
	maxTotalCap = 64 << 20
)

// Options bound and tune Find. The zero value selects the defaults.
type Options struct {
	// MaxDepth is how many encodings deep Find decodes: 1 decodes the
	// input once, 2 also decodes what the first pass decoded, and so on.
	// 0 means DefaultMaxDepth; a negative value disables decoding.
	MaxDepth int
	// MinLen is the shortest base64 run considered. Hex runs must be at
	// least 2*MinLen digits; percent-encoded and escaped spans must decode
	// to at least MinLen/2 bytes. 0 means DefaultMinLen.
	MinLen int
	// MaxTotal bounds the decoded bytes Find returns for one input, all
	// depths together. 0 means four times the input size, at most 64 MiB.
	MaxTotal int
}

// Segment is a decoded span of the input.
type Segment struct {
	// Start and End are byte offsets in the input given to Find. For a
	// nested segment they are the offsets of the outermost encoded span
	// that contains it.
	Start, End int
	// Data holds the decoded bytes; it is owned by the caller.
	Data []byte
	// Encoding names the encoding: "base64", "base64url", "hex",
	// "percent", "json-escape" or "unicode-escape"; nested encodings are
	// joined with "+", outermost first, e.g. "base64+percent".
	Encoding string
	// Depth is 1 for a span decoded from the input, 2 for one decoded from
	// a depth-1 segment, and so on; it equals the number of encodings in
	// Encoding.
	Depth int
}

// settings are Options with defaults applied.
type settings struct {
	maxDepth int
	minB64   int // shortest base64 run
	minHex   int // shortest hex run
	minText  int // shortest decoded percent or escape segment
	maxTotal int
}

func resolve(o Options, n int) settings {
	s := settings{maxDepth: o.MaxDepth, minB64: o.MinLen, maxTotal: o.MaxTotal}
	if s.maxDepth == 0 {
		s.maxDepth = DefaultMaxDepth
	}
	if s.minB64 <= 0 {
		s.minB64 = DefaultMinLen
	}
	if s.minB64 < 4 {
		s.minB64 = 4
	}
	s.minHex = 2 * s.minB64
	s.minText = max(s.minB64/2, 2)
	if s.maxTotal <= 0 {
		s.maxTotal = min(4*n, maxTotalCap)
	}
	return s
}

// Find returns the decoded segments of data, nested ones included (a
// decoded segment is searched again, up to MaxDepth levels), ordered by
// Start, then Depth.
//
// The spans of one depth are disjoint or nested. A span inside another one
// that was decoded is not reported on its own, since it is found again in
// the outer span's decoding (a base64 run inside a JSON string is reported
// as "json-escape+base64"), except at the last depth, where both are
// reported. The pieces of a run longer than MaxSegment overlap.
//
// Find never returns more than MaxTotal decoded bytes in all, and its
// running time is linear in len(data) plus the bytes it decodes. It is safe
// for concurrent use.
func Find(data []byte, opts Options) []Segment {
	s := resolve(opts, len(data))
	if s.maxDepth < 0 || len(data) == 0 {
		return nil
	}
	f := finders.Get().(*finder)
	defer f.release()
	f.s = s
	f.budget = s.maxTotal
	out := f.level(data, parent{}, nil)
	// Breadth first: out grows while it is walked, and each appended
	// segment is searched in turn, so no recursion is needed.
	for i := 0; i < len(out) && f.budget > 0; i++ {
		seg := out[i]
		if seg.Depth >= s.maxDepth {
			continue
		}
		out = f.level(seg.Data, parent{seg.Start, seg.End, seg.Encoding, seg.Depth}, out)
	}
	slices.SortStableFunc(out, func(a, b Segment) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return a.Depth - b.Depth
	})
	return out
}

// parent describes the segment a level searches; the zero value is the
// top-level input.
type parent struct {
	start, end int
	encoding   string
	depth      int
}

// finder holds one call's state and reusable buffers.
type finder struct {
	s       settings
	budget  int
	cands   []cand // alphabet runs
	texts   []cand // percent-encoded and escaped spans
	scratch []byte
	flat    []byte // a wrapped block without its line breaks
	lines   []int  // where each line of that block starts
	url     bool   // the last base64 text decoded used the URL-safe alphabet
}

var finders = sync.Pool{New: func() any { return new(finder) }}

func (f *finder) release() {
	if cap(f.scratch) > 64<<10 {
		f.scratch = nil
	}
	if cap(f.flat) > 64<<10 {
		f.flat, f.lines = nil, nil
	}
	if cap(f.cands) > 4096 {
		f.cands = nil
	}
	if cap(f.texts) > 4096 {
		f.texts = nil
	}
	finders.Put(f)
}

// kind is the kind of a candidate span.
type kind uint8

const (
	kindEscape  kind = iota // a double-quoted string with escapes
	kindUnicode             // an unquoted run with \u or \x escapes
	kindPercent             // a run with %XX escapes
	kindAlpha               // a run of the base64 alphabet (base64 or hex)
	kindWrapped             // lines of base64 wrapped at one width
)

// cand is a candidate span [start, end) found by the first pass.
type cand struct {
	start, end int
	kind       kind
}

// level finds and decodes the segments of one input (the top-level data or
// a decoded segment) and appends them to out.
func (f *finder) level(data []byte, p parent, out []Segment) []Segment {
	as := joinWrapped(data, alphaRuns(data, f.s.minB64, f.cands[:0]))
	ts := escapeRuns(data, f.s.minText, f.texts[:0])
	m := len(ts)
	ts = percentRuns(data, f.s.minText, ts)
	if m > 0 && len(ts) > m {
		slices.SortFunc(ts, compareCands)
	}
	f.cands, f.texts = as, ts
	// A candidate inside a span already decoded at this level is skipped
	// when that span's decoding will itself be searched: it is found there,
	// with both encodings named.
	nest := p.depth+1 < f.s.maxDepth
	cover := -1
	for i, j := 0, 0; (i < len(as) || j < len(ts)) && f.budget > 0; {
		var c cand
		if j == len(ts) || i < len(as) && compareCands(as[i], ts[j]) < 0 {
			c, i = as[i], i+1
		} else {
			c, j = ts[j], j+1
		}
		if nest && c.end <= cover {
			continue
		}
		n := len(out)
		out = f.decode(data, c, p, out)
		if len(out) > n && c.end > cover {
			cover = c.end
		}
	}
	return out
}

// compareCands orders candidates by start, containers first.
func compareCands(a, b cand) int {
	if a.start != b.start {
		return a.start - b.start
	}
	return b.end - a.end
}

// emit appends a segment holding a copy of dec, if the budget allows.
func (f *finder) emit(out []Segment, p parent, start, end int, dec []byte, enc string) []Segment {
	if len(dec) > f.budget {
		return out
	}
	f.budget -= len(dec)
	seg := Segment{Start: start, End: end, Data: slices.Clone(dec), Encoding: enc, Depth: p.depth + 1}
	if p.depth > 0 {
		seg.Start, seg.End = p.start, p.end
		seg.Encoding = p.encoding + "+" + enc
	}
	return append(out, seg)
}

// decode decodes candidate c of data and appends the resulting segments.
func (f *finder) decode(data []byte, c cand, p parent, out []Segment) []Segment {
	switch c.kind {
	case kindAlpha:
		return f.decodeAlpha(data, c, p, out)
	case kindWrapped:
		return f.decodeWrapped(data, c, p, out)
	case kindPercent:
		return f.decodeText(data, c, p, out, "percent", unpercent)
	case kindEscape:
		return f.decodeText(data, c, p, out, "json-escape", unescape)
	default:
		return f.decodeText(data, c, p, out, "unicode-escape", unescape)
	}
}

// grow returns f.scratch with room for n bytes, emptied.
func (f *finder) grow(n int) []byte {
	if cap(f.scratch) < n {
		f.scratch = make([]byte, 0, max(n, 2*cap(f.scratch)))
	}
	return f.scratch[:0]
}
