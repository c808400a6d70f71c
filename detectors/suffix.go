package detectors

import (
	"bytes"
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/leakguard/leakguard/detectors/dfa"
)

// suffixCheck is a necessary condition checked at each keyword hit before
// a window is opened: the part of the rule's regex that follows its
// keyword must match anchored at the hit's end.
//
// Soundness: the regex is a concatenation P K S where every string K can
// match ends with one of the rule's keywords. Any match therefore has a
// keyword hit ending exactly where its K part ends, and its S part is a
// match of S starting there; so if S does not match anchored at a hit's
// end, no match of the regex uses that hit as its K part, and a window
// around that hit alone can hold no match.
type suffixCheck struct {
	rule     int32 // the rule's index, for its scratch caches
	branches []suffixBranch
	// cands lists, per keyword, the K strings holding it and where.
	cands map[string][]kcand
}

// kcand is a K string x of branch b holding a keyword at offset off.
type kcand struct {
	b   int32
	off int32
	x   string
}

type suffixBranch struct {
	// s is S, matched anchored at K's end by re (Go's regexp, as
	// ^(?:S)) or pre (a DFA), both compiled on first use: most branches
	// never get past the cheap checks.
	s      *syntax.Regexp
	lazy   *branchRegex
	max    int // how far past K's end S can reach, in bytes
	before int // how far before K's end P K can reach
	// oneLine is set when P K cannot contain a newline, so a match
	// starts on the line of its keyword.
	oneLine bool
	// ks are K's strings (lowercase); each contains a keyword.
	ks []string
	// need, when hasNeed, is a cheaper necessary condition checked before
	// re: S's first required part starts with a byte in need, and before it
	// there are only bytes in skip (what S's optional leading parts can
	// match), at most needDist of them (-1: no bound).
	hasNeed  bool
	needDist int
	need     [256]bool
	skip     [256]bool
	// run, when runMin > 0, is a second check: S begins with at least
	// runMin bytes of the class run.
	runMin int
	run    [256]bool
}

// newSuffixCheck derives the check for a rule, or returns nil when the
// regex does not have the P K S shape.
func newSuffixCheck(re *syntax.Regexp, kws []string) *suffixCheck {
	memo := exactMemo{}
	if len(kws) == 0 {
		return nil
	}
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	c := &suffixCheck{cands: map[string][]kcand{}}
	for _, parts := range distribute(memo, kws, flattenConcat(re), 0) {
		b := newSuffixBranch(memo, &syntax.Regexp{Op: syntax.OpConcat, Sub: parts}, kws)
		if b == nil {
			return nil
		}
		c.branches = append(c.branches, *b)
	}
	seen := map[kcand]bool{}
	for bi, b := range c.branches {
		for _, x := range b.ks {
			for _, kw := range kws {
				for off := 0; off+len(kw) <= len(x); off++ {
					k := kcand{b: int32(bi), off: int32(off), x: x}
					if x[off:off+len(kw)] == kw && !seen[k] {
						seen[k] = true
						c.cands[kw] = append(c.cands[kw], k)
					}
				}
			}
		}
	}
	return c
}

// maxBranches bounds how many concatenations distribute makes.
const maxBranches = 16

// distribute rewrites a concatenation holding alternations that are not
// exact literal sets into one concatenation per branch (the same set of
// matches), so that each branch can be split at its keyword. It gives up
// (returns parts unchanged) past maxBranches.
func distribute(memo exactMemo, kws []string, parts []*syntax.Regexp, depth int) [][]*syntax.Regexp {
	for i, p := range parts {
		// Once a keyword literal has been passed, what follows belongs to
		// S, which the branch's regex checks whole: no need to split it.
		if set, ok := memo.exactSet(p); ok && everyContainsOne(set, kws) {
			break
		}
		alt := p
		for alt.Op == syntax.OpCapture {
			alt = alt.Sub[0]
		}
		if alt.Op != syntax.OpAlternate || depth > 2 {
			continue
		}
		if _, ok := memo.exactSet(alt); ok {
			continue
		}
		if len(alt.Sub) > maxBranches {
			break
		}
		var out [][]*syntax.Regexp
		for _, b := range alt.Sub {
			var np []*syntax.Regexp
			np = append(np, parts[:i]...)
			np = append(np, flattenConcat(b)...)
			np = append(np, parts[i+1:]...)
			out = append(out, distribute(memo, kws, np, depth+1)...)
			if len(out) > maxBranches {
				return [][]*syntax.Regexp{parts}
			}
		}
		return out
	}
	return [][]*syntax.Regexp{parts}
}

func newSuffixBranch(memo exactMemo, re *syntax.Regexp, kws []string) *suffixBranch {
	parts := flattenConcat(re)
	for first := range parts {
		// K is the shortest run of exact parts from first on whose
		// strings all hold a keyword.
		set, ok := memo.exactSet(parts[first])
		k := first
		for ok && !everyContainsOne(set, kws) && k+1 < len(parts) {
			var next []string
			if next, ok = memo.exactSet(parts[k+1]); ok {
				set, ok = cross(set, next)
				k++
			}
		}
		if !ok || !everyContainsOne(set, kws) {
			continue
		}
		rest := parts[k+1:]
		if len(rest) == 0 {
			return nil
		}
		if startsWithAssertion(rest[0]) {
			return nil
		}
		s := &syntax.Regexp{Op: syntax.OpConcat, Sub: rest}
		if len(rest) == 1 {
			s = rest[0]
		}
		m := maxLen(s)
		if m == unbounded {
			m = unboundedReach
		}
		pk := &syntax.Regexp{Op: syntax.OpConcat, Sub: parts[:k+1]}
		before := maxLen(pk)
		if before == unbounded {
			before = unboundedReach
		}
		b := &suffixBranch{s: s, lazy: &branchRegex{}, max: m, before: before, oneLine: !canNewline(pk), ks: set}
		b.setNeed(rest)
		return b
	}
	return nil
}

// at reports whether some branch's suffix matches right after a K string
// holding the keyword hit at [start, end), and if so the span a match
// using this hit can cover.
func (c *suffixCheck) at(sc *scratch, data []byte, start, end int) (lo, hi int, ok bool) {
	var buf [64]byte
	kw := data[start:end]
	var cands []kcand
	if len(kw) <= len(buf) {
		for i, b := range kw {
			if 'A' <= b && b <= 'Z' {
				b += 'a' - 'A'
			}
			buf[i] = b
		}
		cands = c.cands[string(buf[:len(kw)])]
	} else {
		cands = c.cands[strings.ToLower(string(kw))]
	}
	for _, k := range cands {
		b := &c.branches[k.b]
		ks := start - int(k.off)
		ke := ks + len(k.x)
		if ks < 0 || ke > len(data) || !equalFold(data[ks:ke], k.x) {
			continue
		}
		if !b.cheapCheck(data, ke) {
			continue
		}
		shi := min(ke+b.max, len(data))
		e := sc.prefixEnd(c, int(k.b), data[ke:shi])
		if e < 0 {
			continue
		}
		l := max(ke-b.before, 0)
		if b.oneLine {
			if nl := bytes.LastIndexByte(data[l:ks], '\n'); nl >= 0 {
				l += nl + 1
			}
		}
		if !ok || l < lo {
			lo = l
		}
		if !ok || ke+e > hi {
			hi = ke + e
		}
		ok = true
	}
	return lo, hi, ok
}

// branchRegex is a suffix branch's S, compiled: Go's regexp on first use,
// the DFA once Go's regexp has run prefixDFAAfter times (see dfaAfter).
type branchRegex struct {
	once    sync.Once
	re      *regexp.Regexp // ^(?:S); nil if it does not compile
	uses    atomic.Int64
	preOnce sync.Once
	pre     *dfa.Prefix // nil: Go's regexp only
}

var prefixDFAAfter int64 = 256 // a variable for tests

// compiled returns the branch's Go regexp and, once it has been used
// enough, its DFA.
func (b *suffixBranch) compiled() (*regexp.Regexp, *dfa.Prefix) {
	l := b.lazy
	l.once.Do(func() { l.re, _ = regexp.Compile(`^(?:` + b.s.String() + `)`) })
	if l.uses.Add(1) <= prefixDFAAfter {
		return l.re, nil
	}
	return l.re, b.prefixDFA()
}

// prefixDFA returns the branch's DFA, compiling it on first use.
func (b *suffixBranch) prefixDFA() *dfa.Prefix {
	l := b.lazy
	l.preOnce.Do(func() {
		if pre, err := dfa.CompilePrefix(b.s); err == nil {
			l.pre = pre
		}
	})
	return l.pre
}

// prefixEnd returns the end of branch bi's suffix match at the start of
// text, or -1: by the branch's DFA when it answers, else by Go's regexp.
// A branch whose S does not compile as Go regexp says that S may match
// anywhere it can reach (the check only ever prunes).
func (sc *scratch) prefixEnd(c *suffixCheck, bi int, text []byte) int {
	b := &c.branches[bi]
	re, pre := b.compiled()
	if pre != nil {
		if sc.sfx == nil {
			sc.sfx = make([][]*dfa.PrefixCache, len(sc.gated))
		}
		caches := sc.sfx[c.rule]
		if caches == nil {
			caches = make([]*dfa.PrefixCache, len(c.branches))
			sc.sfx[c.rule] = caches
		}
		pc := caches[bi]
		if pc == nil {
			pc = pre.NewCache(dfa.DefaultBudget)
			caches[bi] = pc
		}
		if pc.Overflows <= maxOverflows {
			if e, ok := pre.End(pc, text); ok {
				return e
			}
		}
	}
	if re == nil {
		return len(text)
	}
	if loc := re.FindIndex(text); loc != nil {
		return loc[1]
	}
	return -1
}

// equalFold compares b with the lowercase string x, ASCII
// case-insensitively.
func equalFold(b []byte, x string) bool {
	if len(b) != len(x) {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != x[i] {
			return false
		}
	}
	return true
}

// flattenConcat lists the top-level pieces of re, looking through
// concatenations and capture groups around concatenations.
func flattenConcat(re *syntax.Regexp) []*syntax.Regexp {
	switch re.Op {
	case syntax.OpConcat:
		var out []*syntax.Regexp
		for _, s := range re.Sub {
			out = append(out, flattenConcat(s)...)
		}
		return out
	case syntax.OpCapture:
		if re.Sub[0].Op == syntax.OpConcat {
			return flattenConcat(re.Sub[0])
		}
	}
	return []*syntax.Regexp{re}
}

// startsWithAssertion reports whether a match of re may begin with an
// empty-width assertion that looks at the byte before it, which a slice
// starting at the hit's end cannot see.
func startsWithAssertion(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpBeginLine, syntax.OpBeginText:
		return true
	case syntax.OpCapture, syntax.OpPlus, syntax.OpStar, syntax.OpQuest, syntax.OpRepeat:
		return startsWithAssertion(re.Sub[0])
	case syntax.OpConcat:
		for _, s := range re.Sub {
			if startsWithAssertion(s) {
				return true
			}
			if minLen(s) > 0 {
				return false
			}
		}
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			if startsWithAssertion(s) {
				return true
			}
		}
	}
	return false
}

// minLen returns the shortest match of re in bytes (0 if unsure).
func minLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpCapture, syntax.OpPlus:
		return minLen(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min * minLen(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			n += minLen(s)
		}
		return n
	case syntax.OpAlternate:
		n := -1
		for _, s := range re.Sub {
			if m := minLen(s); n < 0 || m < n {
				n = m
			}
		}
		if n < 0 {
			return 0
		}
		return n
	}
	return 0
}
