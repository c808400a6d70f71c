package decode

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// InputSpan maps the span [ds, de) of s.Data back to the input s was
// found in (the input given to Find), so that two secrets decoded from one
// long encoded run are reported at their own places, not both at the whole
// run. For base64 and hex the span grows to whole encoding units (4
// characters for 3 bytes, 2 for 1); for escapes and percent-encoding it is
// exact; for a nested segment the offsets are scaled over the outer span.
// The result always lies within [s.Start, s.End] and is never empty when
// [ds, de) is not.
func (s Segment) InputSpan(input []byte, ds, de int) (start, end int) {
	n := len(s.Data)
	ds, de = min(max(ds, 0), n), min(max(de, 0), n)
	if de < ds {
		ds, de = de, ds
	}
	enc := s.Encoding
	if s.Depth > 1 || strings.Contains(enc, "+") || s.End > len(input) || n == 0 {
		return s.scaled(ds, de)
	}
	run := input[s.Start:s.End]
	var a, b int
	switch enc {
	case "base64", "base64url":
		a, b = alphabetSpan(run, 4*(ds/3), 4*((de+2)/3), isB64Char)
	case "hex":
		a, b = alphabetSpan(run, 2*ds, 2*de, isHex)
	case "percent":
		a, b = textSpan(run, ds, de, percentUnit)
	case "json-escape", "unicode-escape":
		a, b = textSpan(run, ds, de, escapeUnit)
	default:
		return s.scaled(ds, de)
	}
	if de > ds && b <= a {
		b = min(a+1, len(run))
	}
	return s.Start + a, s.Start + b
}

// scaled maps decoded offsets proportionally over the encoded span.
func (s Segment) scaled(ds, de int) (int, int) {
	n, w := len(s.Data), s.End-s.Start
	if n == 0 {
		return s.Start, s.End
	}
	a := s.Start + ds*w/n
	b := s.Start + (de*w+n-1)/n
	if de > ds && b <= a {
		b = min(a+1, s.End)
	}
	return a, min(b, s.End)
}

func isB64Char(c byte) bool { return b64val[c] != 0xff || c == '=' }

// alphabetSpan returns the offsets in run of the i-th and j-th characters
// of the alphabet (other bytes, such as the line breaks of wrapped base64,
// are skipped), the end offset being just past the j-1-th.
func alphabetSpan(run []byte, i, j int, in func(byte) bool) (int, int) {
	a, b, k := len(run), len(run), 0
	for p, c := range run {
		if !in(c) {
			continue
		}
		if k == i {
			a = p
		}
		k++
		if k == j {
			b = p + 1
			break
		}
	}
	if a > b {
		a = b
	}
	return a, b
}

// textSpan walks run unit by unit (unit returns the encoded and decoded
// length of the unit at p) and returns where decoded offsets ds and de
// fall: a unit holding ds starts the span, a unit holding de-1 ends it.
func textSpan(run []byte, ds, de int, unit func([]byte, int) (int, int)) (int, int) {
	a, b := len(run), len(run)
	d := 0
	for p := 0; p < len(run); {
		el, dl := unit(run, p)
		if a == len(run) && d+dl > ds {
			a = p
		}
		d += dl
		p += el
		if d >= de {
			b = p
			break
		}
	}
	if a > b {
		a = b
	}
	return a, b
}

// percentUnit is one unit of percent-encoding: %XX is one byte, anything
// else stands for itself.
func percentUnit(run []byte, p int) (int, int) {
	if run[p] == '%' && p+2 < len(run) && isHex(run[p+1]) && isHex(run[p+2]) {
		return 3, 1
	}
	return 1, 1
}

// escapeUnit is one unit of backslash escapes, as unescape reads them.
func escapeUnit(run []byte, p int) (int, int) {
	if run[p] != '\\' || p+1 >= len(run) {
		return 1, 1
	}
	switch c := run[p+1]; c {
	case '"', '\\', '/', '\'', 'b', 'f', 'n', 'r', 't':
		return 2, 1
	case 'u':
		if v, ok := hexValue(run, p+2, 4); ok {
			if utf16.IsSurrogate(v) {
				if v < 0xdc00 && p+7 < len(run) && run[p+6] == '\\' && run[p+7] == 'u' {
					if lo, ok := hexValue(run, p+8, 4); ok && lo >= 0xdc00 && lo < 0xe000 {
						return 12, utf8.RuneLen(utf16.DecodeRune(v, lo))
					}
				}
				return 6, utf8.RuneLen(utf8.RuneError)
			}
			return 6, utf8.RuneLen(v)
		}
	case 'U':
		if v, ok := hexValue(run, p+2, 8); ok {
			if !utf8.ValidRune(v) {
				v = utf8.RuneError
			}
			return 10, utf8.RuneLen(v)
		}
	case 'x':
		if _, ok := hexValue(run, p+2, 2); ok {
			return 4, 1
		}
	}
	return 1, 1
}
