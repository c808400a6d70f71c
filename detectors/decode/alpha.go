package decode

// Cutting long base64 and hex runs into pieces of at most MaxSegment
// decoded bytes, overlapping by pieceOverlap decoded bytes.
const (
	pieceOverlap = 192
	// probeLen is how many decoded bytes of a long run are checked for
	// printable text before the rest is decoded, so that a large binary
	// blob costs little.
	probeLen = 3 << 10
)

// codec is a fixed-width encoding of the base64 alphabet.
type codec uint8

const (
	codecHex codec = iota
	codecBase64
)

// b64 maps a base64 character of either alphabet to its value, with flag
// bits telling which alphabet it belongs to only.
var b64val = func() (t [256]uint8) {
	for i := range t {
		t[i] = 0xff
	}
	const std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	for i := 0; i < len(std); i++ {
		t[std[i]] = uint8(i)
	}
	t['+'], t['/'] = 62|b64Std, 63|b64Std
	t['-'], t['_'] = 62|b64URL, 63|b64URL
	return t
}()

const (
	b64Std = 0x40 // '+' or '/'
	b64URL = 0x80 // '-' or '_'
)

// decodeAlpha decodes a run of the base64 alphabet as hex when it is all
// hex digits (optionally after "0x") and decodes to text, else as base64
// when its length and alphabet allow.
func (f *finder) decodeAlpha(data []byte, c cand, p parent, out []Segment) []Segment {
	s, e := c.start, c.end
	pad := 0
	for pad < 2 && e-pad > s && data[e-pad-1] == '=' {
		pad++
	}
	if pad == 0 {
		hs := s
		if e-s > 2 && data[s] == '0' && (data[s+1] == 'x' || data[s+1] == 'X') {
			hs = s + 2
		}
		if (e-hs)%2 == 0 && e-hs >= f.s.minHex && hexAll(data[hs:e]) {
			n := len(out)
			out = f.pieces(data, hs, e, e, p, out, codecHex)
			if len(out) > n || hs > s {
				return out
			}
		}
	}
	body := e - pad - s
	if body%4 == 1 {
		return out
	}
	// The padding is not decoded but belongs to the segment's span, unless
	// it cannot be padding (as in "key=<base64>=&"): then it is a separator.
	spanEnd := e
	if (body+pad)%4 != 0 {
		spanEnd = e - pad
	}
	return f.pieces(data, s, e-pad, spanEnd, p, out, codecBase64)
}

func hexAll(b []byte) bool {
	for _, c := range b {
		if class[c]&cHex == 0 {
			return false
		}
	}
	return true
}

// pieces decodes data[s:e] in pieces of at most MaxSegment decoded bytes
// and emits each piece that decodes to printable text. spanEnd (>= e) is
// where the span of a piece that reaches e ends.
func (f *finder) pieces(data []byte, s, e, spanEnd int, p parent, out []Segment, cd codec) []Segment {
	return f.piecesAt(data, s, e, spanEnd, p, out, cd, nil)
}

// piecesAt is pieces over a copy of the encoded text: at, if set, maps an
// offset of data to the offset in the input where that byte stands.
func (f *finder) piecesAt(data []byte, s, e, spanEnd int, p parent, out []Segment, cd codec, at func(int) int) []Segment {
	unit, perUnit := 2, 1 // encoded bytes per unit, decoded bytes per unit
	if cd == codecBase64 {
		unit, perUnit = 4, 3
	}
	step := MaxSegment / perUnit * unit      // encoded bytes per piece
	overlap := pieceOverlap / perUnit * unit // encoded bytes of overlap
	probe := probeLen / perUnit * unit
	for pos := s; pos < e && f.budget > 0; {
		end := min(pos+step, e)
		src := data[pos:end]
		buf := f.grow(len(src))
		// A long piece is first checked on a prefix: a binary blob stops
		// there.
		if len(src) <= 2*probe || f.text(buf, src[:probe], cd) != nil {
			if d := f.text(buf, src, cd); d != nil {
				name := "hex"
				if cd == codecBase64 {
					name = "base64"
					if f.url {
						name = "base64url"
					}
				}
				se := end
				if end == e {
					se = spanEnd
				}
				if at != nil {
					out = f.emit(out, p, at(pos), at(se-1)+1, d, name)
				} else {
					out = f.emit(out, p, pos, se, d, name)
				}
			}
		}
		if end == e {
			break
		}
		pos = end - overlap
	}
	return out
}

// text decodes src and returns the decoded bytes when they are printable
// text (see printable), or nil. For base64 it sets f.url when src uses the
// URL-safe alphabet, and rejects src when it mixes both alphabets.
func (f *finder) text(dst, src []byte, cd codec) []byte {
	var chk checker
	if cd == codecHex {
		chk.total = len(src) / 2
		for i := 0; i+1 < len(src); i += 2 {
			dst = append(dst, unhex(src[i])<<4|unhex(src[i+1]))
			if len(dst)%64 == 0 && !chk.feed(dst[len(dst)-64:]) {
				return nil
			}
		}
		if !chk.feed(dst[len(dst)/64*64:]) {
			return nil
		}
		return chk.verdict(dst)
	}
	chk.total = len(src) * 3 / 4
	var mix uint8
	i := 0
	for ; i+4 <= len(src); i += 4 {
		a, b, c, d := b64val[src[i]], b64val[src[i+1]], b64val[src[i+2]], b64val[src[i+3]]
		mix |= a | b | c | d
		v := uint32(a&0x3f)<<18 | uint32(b&0x3f)<<12 | uint32(c&0x3f)<<6 | uint32(d&0x3f)
		dst = append(dst, byte(v>>16), byte(v>>8), byte(v))
		if len(dst)%48 == 0 && !chk.feed(dst[len(dst)-48:]) {
			return nil
		}
	}
	fed := len(dst) / 48 * 48
	switch len(src) - i {
	case 2:
		a, b := b64val[src[i]], b64val[src[i+1]]
		mix |= a | b
		dst = append(dst, (a&0x3f)<<2|(b&0x3f)>>4)
	case 3:
		a, b, c := b64val[src[i]], b64val[src[i+1]], b64val[src[i+2]]
		mix |= a | b | c
		v := uint32(a&0x3f)<<18 | uint32(b&0x3f)<<12 | uint32(c&0x3f)<<6
		dst = append(dst, byte(v>>16), byte(v>>8))
	case 1:
		return nil
	}
	if mix&(b64Std|b64URL) == b64Std|b64URL || !chk.feed(dst[fed:]) {
		return nil
	}
	f.url = mix&b64URL != 0
	return chk.verdict(dst)
}
