package decode

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// Byte classes for the first pass.
const (
	cAlpha   = 1 << iota // base64 alphabet, both variants: A-Z a-z 0-9 + / - _
	cHex                 // 0-9 a-f A-F
	cStd                 // + /
	cURL                 // - _
	cURLRun              // may appear in a percent-encoded run
	cWordRun             // may appear in an unquoted escaped run
)

var class = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		switch {
		case b >= 'A' && b <= 'Z', b >= 'a' && b <= 'z', b >= '0' && b <= '9':
			t[c] |= cAlpha
		case b == '+' || b == '/':
			t[c] |= cAlpha | cStd
		case b == '-' || b == '_':
			t[c] |= cAlpha | cURL
		}
		if b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F' {
			t[c] |= cHex
		}
		if b > ' ' && b < 0x7f {
			t[c] |= cWordRun
			switch b {
			case '"', '\'', '`':
				t[c] &^= cWordRun
			}
			t[c] |= cURLRun
			switch b {
			case '"', '\'', '`', '<', '>', '\\', '{', '}', '|', '^', '(', ')', '[', ']':
				t[c] &^= cURLRun
			}
		}
	}
	return t
}()

func isHex(b byte) bool { return class[b]&cHex != 0 }

// alphaRuns appends the maximal runs of the base64 alphabet at least
// minLen bytes long, each with up to two '=' of padding that follow it,
// except those that cannot be base64 or hex (see appendRun).
func alphaRuns(data []byte, minLen int, dst []cand) []cand {
	if minLen < 8 {
		return alphaRunsShort(data, minLen, dst)
	}
	// The input is read 8 bytes at a time, and each byte is tested at once
	// (SWAR) against a superset of the alphabet: the ASCII range '+'..'z'
	// less '.'. cur carries the length of the superset run that ends at the
	// word's end. A superset run is seen where it ends, in the first word
	// not all in the superset (runs of 8 bytes or more cannot lie within
	// one word); only superset runs of minLen bytes or more are split into
	// alphabet runs. Branches are taken only there: there is no branch per
	// word to mispredict on text where short runs and separators alternate.
	var st wordScan
	for {
		s, e, ok := st.next(data, minLen)
		if !ok {
			return dst
		}
		dst = splitRuns(data, s, e, minLen, dst)
	}
}

// wordScan is the state of alphaRuns' word loop, kept apart from the
// appends so that the loop makes no call and keeps its state in registers.
type wordScan struct {
	k    int // next word
	cur  int // length of the superset run that ends at k
	done bool
}

// next returns the next superset run [s, e) of at least minLen bytes.
func (st *wordScan) next(data []byte, minLen int) (s, e int, ok bool) {
	n := len(data)
	k, cur := st.k, st.cur
	for ; k+16 <= n; k += 16 {
		p := (*[16]byte)(data[k : k+16])
		o0 := outOfRange(binary.LittleEndian.Uint64(p[:8]))
		o1 := outOfRange(binary.LittleEndian.Uint64(p[8:]))
		if end := cur + bits.TrailingZeros64(o0)>>3; end >= minLen && o0 != 0 {
			st.k, st.cur = k+8, bits.LeadingZeros64(o0)>>3
			return k - cur, k + end - cur, true
		}
		cur = bits.LeadingZeros64(o0)>>3 + ifAllIn(o0, cur)
		if end := cur + bits.TrailingZeros64(o1)>>3; end >= minLen && o1 != 0 {
			st.k, st.cur = k+16, bits.LeadingZeros64(o1)>>3
			return k + 8 - cur, k + 8 + end - cur, true
		}
		cur = bits.LeadingZeros64(o1)>>3 + ifAllIn(o1, cur)
	}
	if st.done {
		return 0, 0, false
	}
	if k+8 <= n {
		o := outOfRange(binary.LittleEndian.Uint64(data[k:]))
		if end := cur + bits.TrailingZeros64(o)>>3; end >= minLen && o != 0 {
			st.k, st.cur = k+8, bits.LeadingZeros64(o)>>3
			return k - cur, k + end - cur, true
		}
		cur = bits.LeadingZeros64(o)>>3 + ifAllIn(o, cur)
		k += 8
	}
	for ; k < n && data[k] >= '+' && data[k] <= 'z' && data[k] != '.'; k++ {
		cur++
	}
	st.k, st.cur, st.done = k, cur, true
	if cur >= minLen {
		return k - cur, k, true
	}
	return 0, 0, false
}

// ifAllIn returns cur when o, a word's mask of bytes that end a run, has no
// bit set (the run goes on through the word), else 0; without a branch.
func ifAllIn(o uint64, cur int) int {
	return cur & int((o|-o)>>63-1)
}

// outOfRange sets the high bit of each byte of w that is outside the ASCII
// range '+'..'z' or is '.', all other bits clear. ('.' is excluded because
// it is common in text and code and cheap to test.)
func outOfRange(w uint64) uint64 {
	x := w &^ msb
	in := (x + (0x80-'+')*lsb) &^ (x + (0x7f-'z')*lsb) &^ w
	in &= x ^ '.'*lsb + 0x7f*lsb // the high bit is set unless the byte is '.'
	return ^in & msb
}

// splitRuns appends the alphabet runs of at least minLen bytes in
// data[s:e], testing 8 bytes at once as alphaRuns does.
//
//go:noinline
func splitRuns(data []byte, s, e, minLen int, dst []cand) []cand {
	cur, i := 0, s
	for ; i+8 <= e; i += 8 {
		other := ^alphaMask(binary.LittleEndian.Uint64(data[i:])) & msb
		if end := cur + bits.TrailingZeros64(other)>>3; end >= minLen && other != 0 {
			dst = appendRun(data, i+end-cur, end, dst)
		}
		cur = bits.LeadingZeros64(other)>>3 + ifAllIn(other, cur)
	}
	for ; i < e; i++ {
		if class[data[i]]&cAlpha != 0 {
			cur++
			continue
		}
		if cur >= minLen {
			dst = appendRun(data, i, cur, dst)
		}
		cur = 0
	}
	if cur >= minLen {
		dst = appendRun(data, e, cur, dst)
	}
	return dst
}

// appendRun appends the run of length l that ends at e, with its padding,
// unless l is 1 more than a multiple of 4: such a run is neither base64
// (with or without padding) nor hex (odd), so it is not a candidate.
func appendRun(data []byte, e, l int, dst []cand) []cand {
	if l%4 == 1 {
		return dst
	}
	s := e - l
	for j := 0; j < 2 && e < len(data) && data[e] == '='; j++ {
		e++
	}
	return append(dst, cand{s, e, kindAlpha})
}

// SWAR constants: every byte 0x01, every byte 0x80.
const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// alphaMask returns w with the high bit of each byte set when the byte is
// in the base64 alphabet, all other bits clear.
func alphaMask(w uint64) uint64 {
	x := w &^ msb // low 7 bits of each byte: no carry between bytes
	l := x | 0x20*lsb
	m := (l + (0x80-'a')*lsb) &^ (l + (0x7f-'z')*lsb) // letters
	m |= (x + (0x80-'+')*lsb) &^ (x + (0x7f-'9')*lsb) // + , - . / 0-9
	c := x&(0xfd*lsb) ^ ','*lsb                       // zero for ',' and '.'
	u := x ^ '_'*lsb                                  // zero for '_'
	return (m&(c+0x7f*lsb) | ^(u + 0x7f*lsb)) & msb &^ w
}

// alphaRunsShort is alphaRuns for minLen < 8. It probes the byte minLen-1
// past the first unresolved position: when that byte is outside the
// alphabet no run of minLen bytes can start before it, and the probe moves
// minLen bytes on.
func alphaRunsShort(data []byte, minLen int, dst []cand) []cand {
	n := len(data)
	// Invariant: i == 0 or data[i-1] is not in the alphabet.
	i := 0
	for {
		p := i + minLen - 1
		if p >= n {
			return dst
		}
		if class[data[p]]&cAlpha == 0 {
			i = p + 1
			continue
		}
		s := p
		for s > i && class[data[s-1]]&cAlpha != 0 {
			s--
		}
		e := p + 1
		for e < n && class[data[e]]&cAlpha != 0 {
			e++
		}
		if e-s < minLen {
			i = e + 1
			continue
		}
		dst = appendRun(data, e, e-s, dst)
		i = e
	}
}

// percentRuns appends the runs of URL characters that hold at least one
// valid %XX escape and are at least minLen bytes long.
func percentRuns(data []byte, minLen int, dst []cand) []cand {
	n := len(data)
	prevEnd := 0
	for i := 0; i < n; {
		j := bytes.IndexByte(data[i:], '%')
		if j < 0 {
			break
		}
		p := i + j
		if p+2 >= n || !isHex(data[p+1]) || !isHex(data[p+2]) {
			i = p + 1
			continue
		}
		s := p
		for s > prevEnd && class[data[s-1]]&cURLRun != 0 {
			s--
		}
		e := p + 3
		for e < n && class[data[e]]&cURLRun != 0 {
			e++
		}
		if e-s >= minLen {
			dst = append(dst, cand{s, e, kindPercent})
		}
		prevEnd, i = e, e
	}
	return dst
}

// escapeRuns appends two kinds of candidates: the contents of
// double-quoted strings (closed on the same line) that hold a backslash, and
// outside such strings, runs of non-blank bytes that hold a \uXXXX,
// \UXXXXXXXX or \xXX escape.
//
// The opening quote of a string is the last '"' before the backslash on its
// line that does not close an earlier string; it is tracked incrementally,
// so the input is read about twice at most.
func escapeRuns(data []byte, minLen int, dst []cand) []cand {
	n := len(data)
	scanned := 0 // data[:scanned] has been folded into lastQ
	lastQ := -1  // last '"' on the current line that may open a string
	noStr := -1  // backslashes before this offset are not in a string
	prevEnd := 0 // end of the previous unquoted run
	for i := 0; i < n; {
		j := bytes.IndexByte(data[i:], '\\')
		if j < 0 {
			break
		}
		p := i + j
		if p > scanned {
			seg := data[scanned:p]
			base := scanned
			if k := bytes.LastIndexByte(seg, '\n'); k >= 0 {
				lastQ = -1
				base += k + 1
				seg = seg[k+1:]
			}
			if k := bytes.LastIndexByte(seg, '"'); k >= 0 {
				lastQ = base + k
			}
			scanned = p
		}
		if lastQ >= 0 && p >= noStr {
			end, ok := stringEnd(data, lastQ+1)
			if ok {
				if end-(lastQ+1) >= minLen {
					dst = append(dst, cand{lastQ + 1, end, kindEscape})
				}
				i, scanned, lastQ = end+1, end+1, -1
				prevEnd = max(prevEnd, end+1)
				continue
			}
			noStr = end
		}
		if !unicodeEscapeAt(data, p) {
			i = p + 2 // the escaped byte is not a new escape
			continue
		}
		s := p
		for s > prevEnd && class[data[s-1]]&cWordRun != 0 {
			s--
		}
		e := p + 1
		for e < n && class[data[e]]&cWordRun != 0 {
			e++
		}
		if e-s >= minLen {
			dst = append(dst, cand{s, e, kindUnicode})
		}
		// The run holds no quote and no newline: lastQ is unchanged.
		prevEnd, i, scanned = e, e, max(scanned, e)
	}
	return dst
}

// stringEnd returns the offset of the '"' that closes a string whose
// contents start at from, and true; or, when the line or the input ends
// first, the offset where it ends and false.
func stringEnd(data []byte, from int) (int, bool) {
	for k := from; k < len(data); k++ {
		switch data[k] {
		case '\\':
			k++
		case '"':
			return k, true
		case '\n':
			return k, false
		}
	}
	return len(data), false
}

// unicodeEscapeAt reports whether a \uXXXX, \UXXXXXXXX or \xXX escape
// starts at data[p].
func unicodeEscapeAt(data []byte, p int) bool {
	if p+1 >= len(data) {
		return false
	}
	var digits int
	switch data[p+1] {
	case 'u':
		digits = 4
	case 'U':
		digits = 8
	case 'x':
		digits = 2
	default:
		return false
	}
	_, ok := hexValue(data, p+2, digits)
	return ok
}

// hexValue parses n hex digits at data[at:].
func hexValue(data []byte, at, n int) (rune, bool) {
	if at+n > len(data) {
		return 0, false
	}
	var v rune
	for _, b := range data[at : at+n] {
		switch {
		case b >= '0' && b <= '9':
			v = v<<4 | rune(b-'0')
		case b >= 'a' && b <= 'f':
			v = v<<4 | rune(b-'a'+10)
		case b >= 'A' && b <= 'F':
			v = v<<4 | rune(b-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
}
