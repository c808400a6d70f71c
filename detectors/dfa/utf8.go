package dfa

import "unicode/utf8"

// byteRange is an inclusive range of byte values.
type byteRange struct{ lo, hi byte }

// seq is the UTF-8 encoding of a range of runes as one byte range per
// position: every rune in the range encodes as a string whose i-th byte
// lies in seq[i], and every such string of valid UTF-8 is one of them.
type seq []byteRange

// utf8Seqs appends to dst the byte sequences that encode exactly the runes
// in [lo, hi], surrogates excluded (they never decode from valid UTF-8).
func utf8Seqs(dst []seq, lo, hi rune) []seq {
	if lo > hi || lo > utf8.MaxRune {
		return dst
	}
	if hi > utf8.MaxRune {
		hi = utf8.MaxRune
	}
	const surLo, surHi = 0xD800, 0xDFFF
	if lo <= surHi && hi >= surLo {
		dst = utf8Seqs(dst, lo, surLo-1)
		return utf8Seqs(dst, surHi+1, hi)
	}
	// Split where the encoded length changes.
	for _, m := range [...]rune{0x7F, 0x7FF, 0xFFFF} {
		if lo <= m && hi > m {
			dst = utf8Seqs(dst, lo, m)
			return utf8Seqs(dst, m+1, hi)
		}
	}
	if hi <= 0x7F {
		return append(dst, seq{{byte(lo), byte(hi)}})
	}
	// Split until lo and hi differ only in positions where every value
	// between them is allowed: for each count of trailing continuation
	// bytes, lo must start and hi end a full block of that size.
	n := utf8.RuneLen(lo)
	for i := 1; i < n; i++ {
		m := rune(1)<<(6*i) - 1
		if lo&^m != hi&^m {
			if lo&m != 0 {
				dst = utf8Seqs(dst, lo, lo|m)
				return utf8Seqs(dst, (lo|m)+1, hi)
			}
			if hi&m != m {
				dst = utf8Seqs(dst, lo, hi&^m-1)
				return utf8Seqs(dst, hi&^m, hi)
			}
		}
	}
	var a, b [utf8.UTFMax]byte
	utf8.EncodeRune(a[:], lo)
	utf8.EncodeRune(b[:], hi)
	s := make(seq, n)
	for i := range n {
		s[i] = byteRange{a[i], b[i]}
	}
	return append(dst, s)
}
