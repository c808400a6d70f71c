package decode

// Base64 wrapped over lines: base64(1) breaks its output at 76 columns,
// PEM and MIME at 64 and 76, YAML block scalars indent each line. Each
// line is a run of its own to alphaRuns; joinWrapped joins the lines of
// one such block into one candidate, so that a secret whose encoding
// crosses a line break decodes whole.

// minWrapWidth is the narrowest line width taken for wrapped base64.
// Narrower lines of the alphabet of equal width (a column of identifiers)
// are left as lines.
const minWrapWidth = 40

// joinWrapped replaces, in the runs as (ordered by start), each block of
// at least two consecutive lines that are wrapped base64 by one candidate
// of kind kindWrapped spanning the block. A block's lines each hold
// nothing but one run (after the same indentation of blanks); all but the
// last have the same width, a multiple of 4, and no padding; the last is
// not wider.
func joinWrapped(data []byte, as []cand) []cand {
	out := as[:0]
	for i := 0; i < len(as); {
		a := as[i]
		ind, ok := wholeLine(data, a)
		w := a.end - a.start
		j := i
		if ok && w >= minWrapWidth && w%4 == 0 && data[a.end-1] != '=' {
			for j+1 < len(as) {
				b := as[j+1]
				bind, ok := wholeLine(data, b)
				if !ok || bind != ind || b.end-b.start > w || lineAfter(data, as[j].end) != b.start-ind {
					break
				}
				j++
				if b.end-b.start < w || data[b.end-1] == '=' {
					break
				}
			}
		}
		if j == i {
			out = append(out, a)
			i++
			continue
		}
		out = append(out, cand{a.start, as[j].end, kindWrapped})
		i = j + 1
	}
	return out
}

// wholeLine reports whether run c is all of its line but for leading
// blanks, and returns how many blanks precede it.
func wholeLine(data []byte, c cand) (indent int, ok bool) {
	s := c.start
	for s > 0 && (data[s-1] == ' ' || data[s-1] == '\t') {
		s--
	}
	if s > 0 && data[s-1] != '\n' {
		return 0, false
	}
	e := c.end
	if e < len(data) && data[e] == '\r' {
		e++
	}
	if e < len(data) && data[e] != '\n' {
		return 0, false
	}
	return c.start - s, true
}

// lineAfter returns the start of the line after the one ending at e (the
// offset of its '\r' or '\n'), or -1.
func lineAfter(data []byte, e int) int {
	if e < len(data) && data[e] == '\r' {
		e++
	}
	if e < len(data) && data[e] == '\n' {
		return e + 1
	}
	return -1
}

// decodeWrapped decodes a block of wrapped base64: the alphabet bytes are
// copied out without the line breaks and indentation, decoded in pieces as
// one run, and each piece's span is mapped back to the block.
func (f *finder) decodeWrapped(data []byte, c cand, p parent, out []Segment) []Segment {
	flat := f.flat[:0]
	starts := f.lines[:0] // offset in data of each line's run
	w := 0
	for k := c.start; k < c.end; {
		for data[k] == ' ' || data[k] == '\t' {
			k++
		}
		e := k
		for e < c.end && data[e] != '\r' && data[e] != '\n' {
			e++
		}
		if w == 0 {
			w = e - k
		}
		starts = append(starts, k)
		flat = append(flat, data[k:e]...)
		k = lineAfter(data, e)
		if k < 0 {
			break
		}
	}
	f.flat, f.lines = flat, starts
	pad := 0
	for pad < 2 && len(flat)-pad > 0 && flat[len(flat)-pad-1] == '=' {
		pad++
	}
	body := len(flat) - pad
	if body%4 == 1 {
		return out
	}
	spanEnd := len(flat)
	if (body+pad)%4 != 0 {
		spanEnd = body
	}
	at := func(k int) int { // the offset in data of flat[k], or of its end
		if k >= len(flat) {
			return c.end
		}
		return starts[k/w] + k%w
	}
	return f.piecesAt(flat, 0, body, spanEnd, p, out, codecBase64, at)
}
