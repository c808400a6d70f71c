package detectors

import (
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// unbounded is the length analysis' "no upper bound".
const unbounded = -1

func addLen(a, b int) int {
	if a == unbounded || b == unbounded {
		return unbounded
	}
	return a + b
}

// maxLen returns the longest match of re in bytes, or unbounded.
func maxLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			if re.Flags&syntax.FoldCase != 0 && r >= utf8.RuneSelf {
				n += utf8.UTFMax
			} else {
				n += utf8.RuneLen(r)
			}
		}
		return n
	case syntax.OpCharClass:
		hi := rune(0)
		for i := 1; i < len(re.Rune); i += 2 {
			if re.Rune[i] > hi {
				hi = re.Rune[i]
			}
		}
		if hi > utf8.MaxRune {
			hi = utf8.MaxRune
		}
		return utf8.RuneLen(hi)
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	case syntax.OpCapture:
		return maxLen(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			n = addLen(n, maxLen(s))
		}
		return n
	case syntax.OpAlternate:
		n := 0
		for _, s := range re.Sub {
			m := maxLen(s)
			if m == unbounded {
				return unbounded
			}
			if m > n {
				n = m
			}
		}
		return n
	case syntax.OpQuest:
		return maxLen(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		if maxLen(re.Sub[0]) == 0 {
			return 0
		}
		return unbounded
	case syntax.OpRepeat:
		m := maxLen(re.Sub[0])
		if m == 0 {
			return 0
		}
		if re.Max < 0 || m == unbounded {
			return unbounded
		}
		return m * re.Max
	default: // empty-width assertions, empty match, no match
		return 0
	}
}

// canNewline reports whether a match of re can contain '\n'.
func canNewline(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if r == '\n' {
				return true
			}
		}
		return false
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] <= '\n' && '\n' <= re.Rune[i+1] {
				return true
			}
		}
		return false
	case syntax.OpAnyChar:
		return true
	}
	for _, s := range re.Sub {
		if canNewline(s) {
			return true
		}
	}
	return false
}

// Limits of the literal-set analysis.
const (
	maxExactSet = 64 // strings in an exact set
	maxExactLen = 64 // bytes in one string of an exact set
	maxClassLit = 8  // characters of a class expanded into literals
)

// exactSet returns every string re can match, lowercased, when that set is
// small; ok is false otherwise. Empty-width assertions match "".
// exactMemo caches exactSet results for the nodes of one regex; the
// analysis visits nodes many times.
type exactMemo map[*syntax.Regexp]exactResult

type exactResult struct {
	set []string
	ok  bool
}

func (m exactMemo) exactSet(re *syntax.Regexp) ([]string, bool) {
	if r, ok := m[re]; ok {
		return r.set, r.ok
	}
	set, ok := m.exactSetSlow(re)
	m[re] = exactResult{set, ok}
	return set, ok
}

func (m exactMemo) exactSetSlow(re *syntax.Regexp) (set []string, ok bool) {
	switch re.Op {
	case syntax.OpLiteral:
		s := strings.ToLower(string(re.Rune))
		if re.Flags&syntax.FoldCase != 0 && !isASCII(s) {
			return nil, false
		}
		return []string{s}, true
	case syntax.OpCharClass:
		var chars []string
		seen := map[string]bool{}
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1]-re.Rune[i] > maxClassLit {
				return nil, false
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if r >= utf8.RuneSelf {
					return nil, false
				}
				c := strings.ToLower(string(r))
				if !seen[c] {
					seen[c] = true
					chars = append(chars, c)
				}
			}
			if len(chars) > maxClassLit {
				return nil, false
			}
		}
		return chars, len(chars) > 0
	case syntax.OpCapture:
		return m.exactSet(re.Sub[0])
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return []string{""}, true
	case syntax.OpConcat:
		acc := []string{""}
		for _, s := range re.Sub {
			part, ok := m.exactSet(s)
			if !ok {
				return nil, false
			}
			if acc, ok = cross(acc, part); !ok {
				return nil, false
			}
		}
		return acc, true
	case syntax.OpAlternate:
		var all []string
		for _, s := range re.Sub {
			part, ok := m.exactSet(s)
			if !ok {
				return nil, false
			}
			all = append(all, part...)
		}
		all = dedupe(all)
		return all, len(all) <= maxExactSet
	case syntax.OpQuest:
		part, ok := m.exactSet(re.Sub[0])
		if !ok {
			return nil, false
		}
		return dedupe(append(part, "")), len(part) < maxExactSet
	case syntax.OpRepeat:
		if re.Max < 0 || re.Max > 4 {
			return nil, false
		}
		part, ok := m.exactSet(re.Sub[0])
		if !ok {
			return nil, false
		}
		var all []string
		acc := []string{""}
		for i := 0; i <= re.Max; i++ {
			if i >= re.Min {
				all = append(all, acc...)
			}
			if i == re.Max {
				break
			}
			if acc, ok = cross(acc, part); !ok {
				return nil, false
			}
		}
		all = dedupe(all)
		return all, len(all) <= maxExactSet
	}
	return nil, false
}

func cross(a, b []string) ([]string, bool) {
	if len(a)*len(b) > maxExactSet {
		return nil, false
	}
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			if len(x)+len(y) > maxExactLen {
				return nil, false
			}
			out = append(out, x+y)
		}
	}
	return dedupe(out), true
}

func dedupe(s []string) []string {
	seen := make(map[string]bool, len(s))
	out := s[:0:0]
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// requiredSet returns a set of strings one of which every match of re
// contains, preferring longer strings; nil if there is none.
func (m exactMemo) requiredSet(re *syntax.Regexp) []string {
	cands := m.requiredCandidates(re)
	var best []string
	bestScore := 0
	for _, c := range cands {
		if s := setScore(c); s > bestScore {
			best, bestScore = c, s
		}
	}
	return best
}

// setScore rates a required set by its shortest string (longer literals
// are rarer, so fewer false windows); sets holding "" are useless.
func setScore(set []string) int {
	if len(set) == 0 {
		return 0
	}
	short := maxExactLen + 1
	for _, s := range set {
		if len(s) < short {
			short = len(s)
		}
	}
	return short
}

// requiredCandidates lists sets S such that every match contains a member
// of S.
func (m exactMemo) requiredCandidates(re *syntax.Regexp) [][]string {
	if set, ok := m.exactSet(re); ok {
		return [][]string{set}
	}
	switch re.Op {
	case syntax.OpCapture:
		return m.requiredCandidates(re.Sub[0])
	case syntax.OpPlus:
		return m.requiredCandidates(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return m.requiredCandidates(re.Sub[0])
		}
		return nil
	case syntax.OpAlternate:
		var union []string
		for _, s := range re.Sub {
			best := m.requiredSet(s)
			if best == nil {
				return nil
			}
			union = append(union, best...)
		}
		return [][]string{dedupe(union)}
	case syntax.OpConcat:
		var out [][]string
		// Runs of adjacent children with exact sets give longer literals.
		run := []string{""}
		flush := func() {
			if len(run) > 0 && setScore(run) > 0 {
				out = append(out, run)
			}
			run = []string{""}
		}
		for _, s := range re.Sub {
			if part, ok := m.exactSet(s); ok {
				if next, ok := cross(run, part); ok {
					run = next
					continue
				}
				flush()
				run = part
				continue
			}
			// The run is followed by one of s's prefixes.
			if pre, ok := m.prefixSet(s); ok {
				if ext, ok := cross(run, pre); ok && setScore(ext) > setScore(run) {
					out = append(out, ext)
				}
			}
			flush()
			out = append(out, m.requiredCandidates(s)...)
		}
		flush()
		return out
	}
	return nil
}

// prefixSet returns strings one of which every match of re starts with
// (lowercased); ok is false when there is no such small set.
func (m exactMemo) prefixSet(re *syntax.Regexp) ([]string, bool) {
	if set, ok := m.exactSet(re); ok {
		return set, true
	}
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return m.prefixSet(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return m.prefixSet(re.Sub[0])
		}
	case syntax.OpConcat:
		acc := []string{""}
		for _, s := range re.Sub {
			if part, ok := m.exactSet(s); ok {
				next, ok := cross(acc, part)
				if !ok {
					return acc, true
				}
				acc = next
				continue
			}
			pre, ok := m.prefixSet(s)
			if !ok {
				return acc, true
			}
			if next, ok := cross(acc, pre); ok {
				return next, true
			}
			return acc, true
		}
		return acc, true
	case syntax.OpAlternate:
		var all []string
		for _, s := range re.Sub {
			part, ok := m.prefixSet(s)
			if !ok {
				return nil, false
			}
			all = append(all, part...)
		}
		all = dedupe(all)
		return all, len(all) <= maxExactSet
	}
	return []string{""}, true
}
