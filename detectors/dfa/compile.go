package dfa

import (
	"errors"
	"fmt"
	"regexp/syntax"
	"unicode"
	"unicode/utf8"
)

// Errors returned by Compile for expressions the DFA does not handle; the
// caller keeps Go's regexp for them.
var (
	ErrNullable = errors.New("dfa: expression matches the empty string")
	ErrTooLarge = errors.New("dfa: expression too large")
)

// maxInst bounds the size of one direction's program.
const maxInst = 1 << 16

type opcode uint8

const (
	opSet    opcode = iota // consume one byte in sets[set], then out
	opSplit                // try out, then out1 (priority order)
	opAssert               // continue to out if the assertion holds
	opMatch
	opNop // continue to out
	opFail
)

// Assertions, as bits so that a program can say which it uses.
const (
	aBeginLine uint8 = 1 << iota
	aEndLine
	aBeginText
	aEndText
	aWordBoundary
	aNoWordBoundary
)

type inst struct {
	op     opcode
	assert uint8
	set    int32
	out    int32
	out1   int32
}

// prog is a byte-level NFA for one direction of a regular expression.
type prog struct {
	inst    []inst
	sets    []byteSet // byte sets, as bitmaps
	start   int32
	asserts uint8 // the assertions the program uses
}

// byteSet is a set of byte values.
type byteSet [4]uint64

func (s *byteSet) has(b byte) bool { return s[b>>6]&(1<<(b&63)) != 0 }
func (s *byteSet) add(lo, hi byte) {
	for b := int(lo); b <= int(hi); b++ {
		s[b>>6] |= 1 << (b & 63)
	}
}

type compiler struct {
	p       *prog
	reverse bool
	setIDs  map[byteSet]int32
	codes   map[string]*runeCode
	fffd    bool // some rune set holds U+FFFD
	err     error
}

func (c *compiler) emit(in inst) int32 {
	if len(c.p.inst) >= maxInst {
		c.err = ErrTooLarge
		return 0
	}
	c.p.inst = append(c.p.inst, in)
	return int32(len(c.p.inst) - 1)
}

func (c *compiler) setID(s byteSet) int32 {
	if id, ok := c.setIDs[s]; ok {
		return id
	}
	id := int32(len(c.p.sets))
	c.p.sets = append(c.p.sets, s)
	c.setIDs[s] = id
	return id
}

func (c *compiler) setInst(s byteSet, next int32) int32 {
	return c.emit(inst{op: opSet, set: c.setID(s), out: next})
}

// alt returns a program that tries each entry in order.
func (c *compiler) alt(entries []int32) int32 {
	switch len(entries) {
	case 0:
		return c.emit(inst{op: opFail})
	case 1:
		return entries[0]
	}
	return c.emit(inst{op: opSplit, out: entries[0], out1: c.alt(entries[1:])})
}

// runeCode is a compiled rune set: the byte set of its ASCII members
// (-1: none) and, per multi-byte sequence, the byte set of each position.
type runeCode struct {
	ascii int32
	seqs  [][]int32
}

// runes compiles a set of runes given as sorted inclusive ranges (lo, hi
// pairs), followed by next. The byte sets of a rune set are computed once
// per compiler: a counted repetition repeats the same set many times.
func (c *compiler) runes(ranges []rune, next int32) int32 {
	rc := c.runeCode(ranges)
	var entries []int32
	if rc.ascii >= 0 {
		entries = append(entries, c.emit(inst{op: opSet, set: rc.ascii, out: next}))
	}
	for _, ids := range rc.seqs {
		pc := next
		if c.reverse {
			for i := 0; i < len(ids); i++ {
				pc = c.emit(inst{op: opSet, set: ids[i], out: pc})
			}
		} else {
			for i := len(ids) - 1; i >= 0; i-- {
				pc = c.emit(inst{op: opSet, set: ids[i], out: pc})
			}
		}
		entries = append(entries, pc)
	}
	return c.alt(entries)
}

func (c *compiler) runeCode(ranges []rune) *runeCode {
	key := make([]byte, 0, 8*len(ranges))
	for _, r := range ranges {
		key = append(key, byte(r), byte(r>>8), byte(r>>16), byte(r>>24))
	}
	if rc, ok := c.codes[string(key)]; ok {
		return rc
	}
	rc := &runeCode{ascii: -1}
	var ascii byteSet
	var seqs []seq
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		if lo <= utf8.RuneError && utf8.RuneError <= hi {
			c.fffd = true
		}
		if lo <= 0x7F {
			ascii.add(byte(lo), byte(min(hi, 0x7F)))
			rc.ascii = 0
			lo = 0x80
		}
		seqs = utf8Seqs(seqs, lo, hi)
	}
	if rc.ascii >= 0 {
		rc.ascii = c.setID(ascii)
	}
	for _, sq := range seqs {
		ids := make([]int32, len(sq))
		for i, r := range sq {
			var bs byteSet
			bs.add(r.lo, r.hi)
			ids[i] = c.setID(bs)
		}
		rc.seqs = append(rc.seqs, ids)
	}
	c.codes[string(key)] = rc
	return rc
}

// foldRanges returns the ranges of r's case-folding orbit.
func foldRanges(r rune) []rune {
	out := []rune{r, r}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		out = append(out, f, f)
	}
	return normalize(out)
}

// normalize sorts and merges rune ranges.
func normalize(rs []rune) []rune {
	for i := 2; i < len(rs); i += 2 { // insertion sort: the lists are short
		for j := i; j >= 2 && rs[j] < rs[j-2]; j -= 2 {
			rs[j], rs[j-2] = rs[j-2], rs[j]
			rs[j+1], rs[j-1] = rs[j-1], rs[j+1]
		}
	}
	out := rs[:0]
	for i := 0; i < len(rs); i += 2 {
		if n := len(out); n > 0 && rs[i] <= out[n-1]+1 {
			out[n-1] = max(out[n-1], rs[i+1])
			continue
		}
		out = append(out, rs[i], rs[i+1])
	}
	return out
}

var anyRunes = []rune{0, utf8.MaxRune}
var anyNotNL = []rune{0, '\n' - 1, '\n' + 1, utf8.MaxRune}

func (c *compiler) assert(a uint8, next int32) int32 {
	if c.reverse {
		switch a {
		case aBeginLine:
			a = aEndLine
		case aEndLine:
			a = aBeginLine
		case aBeginText:
			a = aEndText
		case aEndText:
			a = aBeginText
		}
	}
	c.p.asserts |= a
	return c.emit(inst{op: opAssert, assert: a, out: next})
}

// compile returns the entry of a program for re followed by next.
func (c *compiler) compile(re *syntax.Regexp, next int32) int32 {
	if c.err != nil {
		return 0
	}
	switch re.Op {
	case syntax.OpNoMatch:
		return c.emit(inst{op: opFail})
	case syntax.OpEmptyMatch:
		return next
	case syntax.OpLiteral:
		pc := next
		n := len(re.Rune)
		for k := range n {
			i := n - 1 - k // forward: compile the last rune first
			if c.reverse {
				i = k
			}
			r := re.Rune[i]
			rs := []rune{r, r}
			if re.Flags&syntax.FoldCase != 0 {
				rs = foldRanges(r)
			}
			pc = c.runes(rs, pc)
		}
		return pc
	case syntax.OpCharClass:
		return c.runes(re.Rune, next)
	case syntax.OpAnyCharNotNL:
		return c.runes(anyNotNL, next)
	case syntax.OpAnyChar:
		return c.runes(anyRunes, next)
	case syntax.OpBeginLine:
		return c.assert(aBeginLine, next)
	case syntax.OpEndLine:
		return c.assert(aEndLine, next)
	case syntax.OpBeginText:
		return c.assert(aBeginText, next)
	case syntax.OpEndText:
		return c.assert(aEndText, next)
	case syntax.OpWordBoundary:
		return c.assert(aWordBoundary, next)
	case syntax.OpNoWordBoundary:
		return c.assert(aNoWordBoundary, next)
	case syntax.OpCapture:
		return c.compile(re.Sub[0], next)
	case syntax.OpStar:
		if nullable(re.Sub[0]) {
			// As Go's compiler does: (x+)? gives the right priorities
			// when x can match empty (golang.org/issue/46123).
			return c.quest(c.plus(re.Sub[0], next, re.Flags), next, re.Flags)
		}
		return c.star(re.Sub[0], next, re.Flags)
	case syntax.OpPlus:
		return c.plus(re.Sub[0], next, re.Flags)
	case syntax.OpQuest:
		return c.quest(c.compile(re.Sub[0], next), next, re.Flags)
	case syntax.OpConcat:
		pc := next
		n := len(re.Sub)
		for k := range n {
			i := n - 1 - k
			if c.reverse {
				i = k
			}
			pc = c.compile(re.Sub[i], pc)
		}
		return pc
	case syntax.OpAlternate:
		entries := make([]int32, len(re.Sub))
		for i, sub := range re.Sub {
			entries[i] = c.compile(sub, next)
		}
		return c.alt(entries)
	}
	c.err = fmt.Errorf("dfa: unexpected operator %v", re.Op)
	return 0
}

// star compiles sub* (loop: split(sub, next) greedy).
func (c *compiler) star(sub *syntax.Regexp, next int32, flags syntax.Flags) int32 {
	loop := c.emit(inst{op: opSplit})
	body := c.compile(sub, loop)
	if c.err != nil {
		return 0
	}
	c.setSplit(loop, body, next, flags)
	return loop
}

// plus compiles sub+: sub, then the loop of star.
func (c *compiler) plus(sub *syntax.Regexp, next int32, flags syntax.Flags) int32 {
	loop := c.emit(inst{op: opSplit})
	body := c.compile(sub, loop)
	if c.err != nil {
		return 0
	}
	c.setSplit(loop, body, next, flags)
	return body
}

func (c *compiler) quest(body, next int32, flags syntax.Flags) int32 {
	pc := c.emit(inst{op: opSplit})
	if c.err != nil {
		return 0
	}
	c.setSplit(pc, body, next, flags)
	return pc
}

func (c *compiler) setSplit(pc, body, next int32, flags syntax.Flags) {
	if flags&syntax.NonGreedy != 0 {
		body, next = next, body
	}
	c.p.inst[pc].out, c.p.inst[pc].out1 = body, next
}

// nullable reports whether re can match the empty string (assertions
// count as empty).
func nullable(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune) == 0
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL, syntax.OpNoMatch:
		return false
	case syntax.OpCapture, syntax.OpPlus:
		return nullable(re.Sub[0])
	case syntax.OpStar, syntax.OpQuest:
		return true
	case syntax.OpRepeat:
		return re.Min == 0 || nullable(re.Sub[0])
	case syntax.OpConcat:
		for _, s := range re.Sub {
			if !nullable(s) {
				return false
			}
		}
		return true
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			if nullable(s) {
				return true
			}
		}
		return false
	}
	return true // empty match and assertions
}

// compileProg compiles re (simplified) into a program for one direction.
// The forward program is unanchored unless anchored is set: it starts
// with a loop that moves the match start over every byte, at the lowest
// priority.
func compileProg(re *syntax.Regexp, reverse, anchored bool) (*prog, bool, error) {
	c := &compiler{p: &prog{}, reverse: reverse, setIDs: map[byteSet]int32{}, codes: map[string]*runeCode{}}
	match := c.emit(inst{op: opMatch})
	start := c.compile(re, match)
	if !reverse && !anchored && c.err == nil {
		var all byteSet
		all.add(0, 255)
		loop := c.emit(inst{op: opSplit, out: start})
		c.p.inst[loop].out1 = c.setInst(all, loop)
		start = loop
	}
	if c.err != nil {
		return nil, false, c.err
	}
	c.p.start = start
	return c.p, c.fffd, nil
}
