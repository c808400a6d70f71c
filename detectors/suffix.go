package detectors

import (
	"regexp"
	"regexp/syntax"
	"strings"
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
	branches []suffixBranch
}

type suffixBranch struct {
	re     *regexp.Regexp
	max    int // how far past the hit S can reach, in bytes
	before int // how far before the hit's end P K can reach
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
	c := &suffixCheck{}
	for _, parts := range distribute(memo, flattenConcat(re), 0) {
		b := newSuffixBranch(memo, &syntax.Regexp{Op: syntax.OpConcat, Sub: parts}, kws)
		if b == nil {
			return nil
		}
		c.branches = append(c.branches, *b)
	}
	return c
}

// maxBranches bounds how many concatenations distribute makes.
const maxBranches = 16

// distribute rewrites a concatenation holding alternations that are not
// exact literal sets into one concatenation per branch (the same set of
// matches), so that each branch can be split at its keyword. It gives up
// (returns parts unchanged) past maxBranches.
func distribute(memo exactMemo, parts []*syntax.Regexp, depth int) [][]*syntax.Regexp {
	for i, p := range parts {
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
			out = append(out, distribute(memo, np, depth+1)...)
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
	for k, p := range parts {
		set, ok := memo.exactSet(p)
		if !ok || !everyEndsWithOne(set, kws) {
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
		src := s.String()
		compiled, err := regexp.Compile(`^(?:` + src + `)`)
		if err != nil {
			return nil
		}
		m := maxLen(s)
		if m == unbounded {
			m = unboundedReach
		}
		before := maxLen(&syntax.Regexp{Op: syntax.OpConcat, Sub: parts[:k+1]})
		if before == unbounded {
			before = unboundedReach
		}
		return &suffixBranch{re: compiled, max: m, before: before}
	}
	return nil
}

// at reports whether some branch's suffix matches at end, and if so how
// far before end and after end a match using this hit can reach.
func (c *suffixCheck) at(data []byte, end int) (before, after int, ok bool) {
	for i := range c.branches {
		b := &c.branches[i]
		hi := end + b.max
		if hi > len(data) {
			hi = len(data)
		}
		loc := b.re.FindIndex(data[end:hi])
		if loc == nil {
			continue
		}
		ok = true
		before = max(before, b.before)
		after = max(after, loc[1])
	}
	return before, after, ok
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

func everyEndsWithOne(set, kws []string) bool {
	if len(set) == 0 {
		return false
	}
	for _, s := range set {
		found := false
		for _, k := range kws {
			if strings.HasSuffix(s, k) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
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
