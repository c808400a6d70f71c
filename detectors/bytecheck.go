package detectors

// The byte-level necessary conditions checked at a keyword hit before its
// suffix regex runs (see suffixBranch): cheap loops over a few bytes that
// reject most hits in ordinary text.

import (
	"regexp/syntax"
	"unicode/utf8"
)

// maxNeedBytes bounds the byte set of a need check: a broad set filters
// nothing.
const maxNeedBytes = 40

// setNeed derives the cheap checks from S's parts: skip the optional
// leading parts (all the bytes they can match), then S's first required
// part must start, with a byte in need.
func (b *suffixBranch) setNeed(parts []*syntax.Regexp) {
	dist := 0
	for i, p := range parts {
		if minLen(p) == 0 {
			m := maxLen(p)
			if m == unbounded || dist == -1 {
				dist = -1
			} else {
				dist += m
			}
			if m != 0 && !bytesOf(p, &b.skip) {
				return
			}
			continue
		}
		var set [256]bool
		if !firstBytes(p, &set) {
			return
		}
		n := 0
		for _, x := range set {
			if x {
				n++
			}
		}
		if n == 0 {
			return
		}
		if n <= maxNeedBytes || dist != 0 {
			b.need, b.needDist, b.hasNeed = set, dist, true
		}
		if i == 0 {
			b.runMin = runOf(p, &b.run)
		}
		return
	}
}

// runOf reports how many bytes of one class a match of re must begin
// with (x{n,}, x+ of a class), filling class; 0 when it is not that shape.
func runOf(re *syntax.Regexp, class *[256]bool) int {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	n := 0
	switch re.Op {
	case syntax.OpRepeat:
		n = re.Min
	case syntax.OpPlus:
		n = 1
	default:
		return 0
	}
	sub := re.Sub[0]
	if sub.Op != syntax.OpCharClass || n < 2 || !bytesOf(sub, class) {
		return 0
	}
	return n
}

// bytesOf adds to set every byte a match of re can contain; false when
// that is not known or not ASCII.
func bytesOf(re *syntax.Regexp, set *[256]bool) bool {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if r >= utf8.RuneSelf {
				return false
			}
			c := byte(r)
			set[c] = true
			if re.Flags&syntax.FoldCase != 0 {
				set[lowerByte(c)], set[upperByte(c)] = true, true
			}
		}
		return true
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			addRuneBytes(re.Rune[i], re.Rune[i+1], set, true)
		}
		return true
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	case syntax.OpCapture, syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat,
		syntax.OpConcat, syntax.OpAlternate:
		for _, s := range re.Sub {
			if !bytesOf(s, set) {
				return false
			}
		}
		return true
	}
	return false
}

// cheapCheck runs the branch's necessary conditions at ke, K's end.
func (b *suffixBranch) cheapCheck(data []byte, ke int) bool {
	if b.hasNeed {
		ok := false
		for p := ke; p < len(data) && (b.needDist < 0 || p <= ke+b.needDist); p++ {
			c := data[p]
			if b.need[c] {
				ok = true
				break
			}
			if !b.skip[c] {
				break
			}
		}
		if !ok {
			return false
		}
	}
	if b.runMin > 0 {
		if ke+b.runMin > len(data) {
			return false
		}
		for _, c := range data[ke : ke+b.runMin] {
			if !b.run[c] {
				return false
			}
		}
	}
	return true
}

// firstBytes adds to set every byte a match of re (which matches at least
// one byte) can start with; false when that is not known or not ASCII.
func firstBytes(re *syntax.Regexp, set *[256]bool) bool {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 0 || re.Rune[0] >= utf8.RuneSelf {
			return false
		}
		c := byte(re.Rune[0])
		set[c] = true
		if re.Flags&syntax.FoldCase != 0 {
			set[lowerByte(c)] = true
			set[upperByte(c)] = true
		}
		return true
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			addRuneBytes(re.Rune[i], re.Rune[i+1], set, false)
		}
		return true
	case syntax.OpCapture, syntax.OpPlus:
		return firstBytes(re.Sub[0], set)
	case syntax.OpRepeat:
		if re.Min == 0 {
			return false
		}
		return firstBytes(re.Sub[0], set)
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			if minLen(s) == 0 || !firstBytes(s, set) {
				return false
			}
		}
		return true
	case syntax.OpConcat:
		for _, s := range re.Sub {
			if minLen(s) > 0 {
				return firstBytes(s, set)
			}
			if maxLen(s) != 0 {
				// An optional piece first: its bytes count too.
				if !firstBytesOptional(s, set) {
					return false
				}
			}
		}
		return false
	}
	return false
}

// firstBytesOptional adds the first bytes of an optional piece (x?, x*,
// x{0,n}).
func firstBytesOptional(re *syntax.Regexp, set *[256]bool) bool {
	switch re.Op {
	case syntax.OpQuest, syntax.OpStar, syntax.OpRepeat:
		if minLen(re.Sub[0]) == 0 {
			return false
		}
		return firstBytes(re.Sub[0], set)
	}
	return false
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func upperByte(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// addRuneBytes adds to set the bytes that encode the runes lo..hi: the
// ASCII ones themselves, and for the others the UTF-8 lead bytes (and, with
// all, the continuation bytes too).
func addRuneBytes(lo, hi rune, set *[256]bool, all bool) {
	for r := lo; r <= hi && r < utf8.RuneSelf; r++ {
		set[byte(r)] = true
	}
	if hi < utf8.RuneSelf {
		return
	}
	if lo < utf8.RuneSelf {
		lo = utf8.RuneSelf
	}
	if hi > utf8.MaxRune {
		hi = utf8.MaxRune
	}
	var first, last [utf8.UTFMax]byte
	utf8.EncodeRune(first[:], lo)
	utf8.EncodeRune(last[:], hi)
	for b := int(first[0]); b <= int(last[0]); b++ {
		set[b] = true
	}
	if all {
		for b := 0x80; b <= 0xBF; b++ {
			set[b] = true
		}
	}
}
