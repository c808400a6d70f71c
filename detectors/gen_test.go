package detectors

import (
	"math/rand"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// genMatch writes a random string that re is likely to match: each
// repeat takes a random count, each class a random member, each
// alternation a random branch. Empty-width assertions write nothing.
func genMatch(rng *rand.Rand, re *syntax.Regexp, b *strings.Builder) {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if re.Flags&syntax.FoldCase != 0 && rng.Intn(2) == 0 {
				r = []rune(strings.ToUpper(string(r)))[0]
			}
			b.WriteRune(r)
		}
	case syntax.OpCharClass:
		b.WriteRune(pickRune(rng, re.Rune))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte(byte('a' + rng.Intn(26)))
	case syntax.OpCapture:
		genMatch(rng, re.Sub[0], b)
	case syntax.OpConcat:
		for _, s := range re.Sub {
			genMatch(rng, s, b)
		}
	case syntax.OpAlternate:
		genMatch(rng, re.Sub[rng.Intn(len(re.Sub))], b)
	case syntax.OpQuest:
		if rng.Intn(2) == 0 {
			genMatch(rng, re.Sub[0], b)
		}
	case syntax.OpStar, syntax.OpPlus, syntax.OpRepeat:
		lo, hi := 0, 8
		switch re.Op {
		case syntax.OpPlus:
			lo = 1
		case syntax.OpRepeat:
			lo, hi = re.Min, re.Max
			if hi < 0 || hi > lo+40 {
				hi = lo + 40
			}
		}
		if lo > 200 {
			lo = 200
		}
		if hi < lo {
			hi = lo
		}
		n := lo + rng.Intn(hi-lo+1)
		for i := 0; i < n; i++ {
			genMatch(rng, re.Sub[0], b)
		}
	}
}

// pickRune picks a member of a class, preferring printable ASCII.
func pickRune(rng *rand.Rand, ranges []rune) rune {
	var ascii []rune
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		if lo < 0x21 {
			lo = 0x21
		}
		if hi > 0x7e {
			hi = 0x7e
		}
		for r := lo; r <= hi; r++ {
			ascii = append(ascii, r)
		}
	}
	if len(ascii) > 0 {
		return ascii[rng.Intn(len(ascii))]
	}
	if len(ranges) >= 2 {
		r := ranges[0]
		if r == '\n' && ranges[1] > r {
			r++
		}
		if utf8.ValidRune(r) {
			return r
		}
	}
	return ' '
}
