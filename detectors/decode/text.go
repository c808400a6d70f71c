package decode

import (
	"bytes"
	"math"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// textDecoder decodes src into dst, stopping before dst would pass limit
// bytes. It returns the decoded bytes, how many bytes of src it consumed
// and how many escapes it decoded. Invalid escapes are copied as they are.
// It never writes more bytes than it consumes. A percent decoder reads '+'
// at src[plus:] as a space.
type textDecoder func(dst, src []byte, limit, plus int) (out []byte, used, escapes int)

// noPlus tells a percent decoder to keep every '+'.
const noPlus = math.MaxInt

// decodeText decodes a percent-encoded or escaped candidate, in pieces of at
// most MaxSegment bytes, and emits each piece that holds an escape, is at
// least minText bytes long and is printable text.
func (f *finder) decodeText(data []byte, c cand, p parent, out []Segment, name string, fn textDecoder) []Segment {
	plus := noPlus
	switch c.kind {
	case kindPercent:
		plus = plusFrom(data[c.start:c.end])
	case kindEscape:
		if onlyTrailingSpaceEscapes(data[c.start:c.end]) {
			return out
		}
	}
	for pos := c.start; pos < c.end && f.budget > 0; {
		buf := f.grow(min(c.end-pos, MaxSegment))
		rel := plus
		if plus != noPlus {
			rel = plus - (pos - c.start)
		}
		d, used, esc := fn(buf, data[pos:c.end], MaxSegment, rel)
		if used == 0 {
			break
		}
		if esc > 0 && len(d) >= f.s.minText && printable(d) {
			out = f.emit(out, p, pos, pos+used, d, name)
		}
		pos += used
	}
	return out
}

// onlyTrailingSpaceEscapes reports whether the only escapes in a string are
// \n, \r and \t at its end, as in a format string ("usage: %s\n"): its
// decoding hides nothing from a detector that the string does not show, so
// it is not worth a segment.
func onlyTrailingSpaceEscapes(s []byte) bool {
	for len(s) >= 2 && s[len(s)-2] == '\\' {
		switch s[len(s)-1] {
		case 'n', 'r', 't':
			s = s[:len(s)-2]
			continue
		}
		break
	}
	return bytes.IndexByte(s, '\\') < 0
}

// plusFrom returns where '+' starts to stand for a space in a
// percent-encoded run: in the query of a URL, or in all of a run that looks
// like a form body (key=value pairs, not a URL); else noPlus.
func plusFrom(run []byte) int {
	if i := bytes.Index(run, []byte("://")); i >= 0 {
		if q := bytes.IndexByte(run[i:], '?'); q >= 0 {
			return i + q
		}
		return noPlus
	}
	if bytes.IndexByte(run, '=') >= 0 {
		return 0
	}
	return noPlus
}

// unpercent decodes %XX escapes, and '+' as a space from src[plus:].
func unpercent(dst, src []byte, limit, plus int) ([]byte, int, int) {
	esc, i := 0, 0
	for i < len(src) && len(dst) < limit {
		b := src[i]
		if b == '%' && i+2 < len(src) && isHex(src[i+1]) && isHex(src[i+2]) {
			dst = append(dst, unhex(src[i+1])<<4|unhex(src[i+2]))
			i += 3
			esc++
			continue
		}
		if b == '+' && i >= plus {
			b = ' '
		}
		dst = append(dst, b)
		i++
	}
	return dst, i, esc
}

func unhex(b byte) byte {
	switch {
	case b >= 'a':
		return b - 'a' + 10
	case b >= 'A':
		return b - 'A' + 10
	}
	return b - '0'
}

// unescape decodes backslash escapes as JSON defines them (\" \\ \/ \b \f
// \n \r \t \uXXXX, surrogate pairs joined, a lone surrogate becoming
// U+FFFD) and the common extensions \' \xXX and \UXXXXXXXX.
func unescape(dst, src []byte, limit, _ int) ([]byte, int, int) {
	esc, i := 0, 0
	for i < len(src) && len(dst)+utf8.UTFMax <= limit {
		b := src[i]
		if b != '\\' || i+1 >= len(src) {
			dst = append(dst, b)
			i++
			continue
		}
		n, r := 2, rune(-1) // escape length; the rune it stands for
		switch c := src[i+1]; c {
		case '"', '\\', '/', '\'':
			r = rune(c)
		case 'b':
			r = '\b'
		case 'f':
			r = '\f'
		case 'n':
			r = '\n'
		case 'r':
			r = '\r'
		case 't':
			r = '\t'
		case 'u':
			if v, ok := hexValue(src, i+2, 4); ok {
				r, n = v, 6
				if utf16.IsSurrogate(v) {
					r = utf8.RuneError
					if v < 0xdc00 && i+7 < len(src) && src[i+6] == '\\' && src[i+7] == 'u' {
						if lo, ok := hexValue(src, i+8, 4); ok && lo >= 0xdc00 && lo < 0xe000 {
							r, n = utf16.DecodeRune(v, lo), 12
						}
					}
				}
			}
		case 'U':
			if v, ok := hexValue(src, i+2, 8); ok {
				r, n = v, 10
				if !utf8.ValidRune(v) {
					r = utf8.RuneError
				}
			}
		case 'x':
			if v, ok := hexValue(src, i+2, 2); ok {
				// A raw byte, as in Python or YAML byte strings.
				dst = append(dst, byte(v))
				i += 4
				esc++
				continue
			}
		}
		if r < 0 {
			dst = append(dst, b) // invalid escape: keep the backslash
			i++
			continue
		}
		dst = utf8.AppendRune(dst, r)
		i += n
		esc++
	}
	return dst, i, esc
}

// checker tells printable text from binary while bytes are decoded, so that
// decoding stops early on binary. It counts a subset of the bad characters
// printable counts (ASCII control characters and malformed UTF-8 lead and
// continuation bytes) and compares them with the decoded length, which is
// at least the number of characters: when the checker rejects, printable
// would reject too. When no byte >= 0x80 was seen the count is exact.
type checker struct {
	total int  // length of the whole decoded text
	bad   int  // bad characters so far
	need  int  // UTF-8 continuation bytes still expected
	high  bool // a byte >= 0x80 was seen
	nul   bool
}

// feed checks the next decoded bytes; it returns false once the text can
// no longer pass.
func (c *checker) feed(b []byte) bool {
	limit := c.total / 10 // most bad characters allowed
	for _, x := range b {
		if x < utf8.RuneSelf {
			if c.need == 0 && (x >= ' ' && x < 0x7f || x == '\n' || x == '\t' || x == '\r') {
				continue
			}
			if c.need > 0 {
				c.bad++ // a truncated sequence: its lead is bad
				c.need = 0
			}
			if x < ' ' && x != '\n' && x != '\t' && x != '\r' || x == 0x7f {
				if x == 0 {
					c.nul = true
					return false
				}
				c.bad++
			}
		} else {
			c.high = true
			switch {
			case x < 0xc0: // a continuation byte
				if c.need > 0 {
					c.need--
				} else {
					c.bad++
				}
			case c.need > 0:
				c.bad++ // the sequence before was truncated
				c.need = 0
				fallthrough
			default:
				switch {
				case x < 0xc2 || x > 0xf4:
					c.bad++
				case x < 0xe0:
					c.need = 1
				case x < 0xf0:
					c.need = 2
				default:
					c.need = 3
				}
			}
		}
		if c.bad > limit {
			return false
		}
	}
	return true
}

// verdict returns b when it is printable text, else nil. All of b must have
// been fed.
func (c *checker) verdict(b []byte) []byte {
	if c.nul || len(b) == 0 {
		return nil
	}
	if c.high {
		if !printable(b) {
			return nil
		}
		return b
	}
	if c.bad*10 > len(b) {
		return nil
	}
	return b
}

// printable reports whether b is text: not empty, no NUL byte, and at least
// 90% of its characters printable ASCII, tab, newline, carriage return or
// printable UTF-8 (an invalid UTF-8 byte counts as one bad character).
func printable(b []byte) bool {
	bad, n := 0, 0
	for i := 0; i < len(b); {
		c := b[i]
		n++
		if c < utf8.RuneSelf {
			i++
			if c >= ' ' && c < 0x7f || c == '\n' || c == '\t' || c == '\r' {
				continue
			}
			if c == 0 {
				return false
			}
			bad++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		i += size
		if r == utf8.RuneError && size == 1 || !unicode.IsPrint(r) && !unicode.IsSpace(r) {
			bad++
		}
	}
	return n > 0 && bad*10 <= n
}

// PercentValue decodes one percent-encoded value whole: a query parameter,
// a form field or a URL's userinfo, as cut out by its syntax before
// decoding (so that an encoded %26 or %3D stays inside the value). '+'
// reads as a space when plusSpace is set (query strings and form bodies).
// It reports false when v holds no valid %XX escape or decodes to something
// that is not printable text.
func PercentValue(v []byte, plusSpace bool) ([]byte, bool) {
	plus := noPlus
	if plusSpace {
		plus = 0
	}
	dec, _, esc := unpercent(make([]byte, 0, len(v)), v, len(v), plus)
	if esc == 0 || !printable(dec) {
		return nil, false
	}
	return dec, true
}
