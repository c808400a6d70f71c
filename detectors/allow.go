package detectors

import (
	"bytes"
	"math"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/leakguard/leakguard/detectors/keywords"
	"github.com/leakguard/leakguard/rules"
)

// allowlist is a rules.Allowlist with its stop words compiled into an
// automaton.
type allowlist struct {
	*rules.Allowlist
	// Stop words are looked up in a hash set (cheap to build) for the
	// first stopAutomatonAfter checks, then in an automaton (costly to
	// build, fast to run), so that a short process does not pay for it.
	setOnce sync.Once
	stopSet map[string]struct{}
	lens    []int // the stop words' distinct lengths, ascending
	checks  atomic.Int64
	once    sync.Once
	stop    *keywords.Matcher

	pathOnce sync.Once
	pathLits *keywords.Matcher // nil: every path must be tested
	// litPats maps a literal of pathLits to the patterns that require it;
	// pathRes are those patterns compiled one by one, each with the flags
	// that earlier patterns leak into it in the joined alternation.
	litPats [][]int
	pathRes []*lazyPathRegexp
}

func newAllowlist(a *rules.Allowlist) *allowlist {
	return &allowlist{Allowlist: a}
}

// containsStopWord reports whether secret contains one of the stop words,
// case-insensitively.
func (a *allowlist) containsStopWord(secret []byte) bool {
	if len(a.StopWords) == 0 || len(secret) == 0 {
		return false
	}
	if a.checks.Add(1) > stopAutomatonAfter {
		a.once.Do(func() { a.stop = keywords.New(a.StopWords) })
		var buf [8]keywords.Hit
		return len(a.stop.AppendHits(buf[:0], secret)) > 0
	}
	a.setOnce.Do(a.buildStopSet)
	var stack [256]byte
	low := stack[:0]
	if len(secret) > len(stack) {
		low = make([]byte, 0, len(secret))
	}
	for _, c := range secret {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		low = append(low, c)
	}
	for _, n := range a.lens {
		for i := 0; i+n <= len(low); i++ {
			if _, ok := a.stopSet[string(low[i:i+n])]; ok {
				return true
			}
		}
	}
	return false
}

// stopAutomatonAfter is how many stop-word checks an allowlist answers
// from its hash set before it builds the automaton.
const stopAutomatonAfter = 512

// buildStopSet fills the hash set with the stop words folded as the
// automaton folds them (ASCII letters).
func (a *allowlist) buildStopSet() {
	a.stopSet = make(map[string]struct{}, len(a.StopWords))
	seen := map[int]bool{}
	for _, w := range a.StopWords {
		if w == "" {
			continue
		}
		b := []byte(w)
		for i, c := range b {
			if 'A' <= c && c <= 'Z' {
				b[i] = c + 'a' - 'A'
			}
		}
		a.stopSet[string(b)] = struct{}{}
		if !seen[len(b)] {
			seen[len(b)] = true
			a.lens = append(a.lens, len(b))
		}
	}
	sort.Ints(a.lens)
}

// pathAllowed is rules.Allowlist.PathAllowed behind a prefilter: the
// alternation of path patterns (slow in Go's regexp: tens of microseconds
// a path) runs only when the path holds a literal that one of the patterns
// requires. Sound: a pattern matches only paths holding its literal, and
// literals are matched case-insensitively, so a (?i) that leaks from one
// pattern into the next in the joined alternation changes nothing.
func (a *allowlist) pathAllowed(path string) bool {
	if path == "" || !a.HasPaths() {
		return false
	}
	a.pathOnce.Do(func() { a.pathLits, a.litPats, a.pathRes = pathLiterals(a.PathPatterns()) })
	if a.pathLits == nil {
		return a.PathAllowed(path)
	}
	var buf [8]keywords.Hit
	for _, h := range a.pathLits.AppendHits(buf[:0], []byte(path)) {
		for _, k := range a.litPats[h.Pattern] {
			re := a.pathRes[k].get()
			if re == nil {
				return a.PathAllowed(path)
			}
			if re.MatchString(path) {
				return true
			}
		}
	}
	return false
}

// pathLiterals builds an automaton over literals, one of which every path
// a pattern matches must hold, the literal-to-patterns index, and the
// patterns compiled one by one; nil when some pattern has no such literal.
func pathLiterals(patterns []string) (*keywords.Matcher, [][]int, []*lazyPathRegexp) {
	var lits []string
	var owners [][]int
	var res []*lazyPathRegexp
	memo := exactMemo{}
	leaked := ""
	for k, p := range patterns {
		re, err := parseRegex(p)
		if err != nil {
			return nil, nil, nil
		}
		set := memo.requiredSet(re)
		if setScore(set) < 2 {
			return nil, nil, nil
		}
		res = append(res, &lazyPathRegexp{src: leaked + p})
		for _, l := range set {
			lits = append(lits, l)
			owners = append(owners, []int{k})
		}
		leaked += topLevelFlags(p)
	}
	return keywords.New(lits), owners, res
}

// lazyPathRegexp is one path pattern, compiled the first time a path holds
// its literal: most processes check a few paths, which hold none.
type lazyPathRegexp struct {
	src  string
	once sync.Once
	re   *regexp.Regexp // nil if it does not compile
}

func (l *lazyPathRegexp) get() *regexp.Regexp {
	l.once.Do(func() { l.re, _ = regexp.Compile(l.src) })
	return l.re
}

// topLevelFlags returns the flag groups such as (?i) that stand at the top
// level of a pattern. In gitleaks' joined alternation (?:p0|p1|...), they
// hold until the group ends, so they apply to every later pattern too.
func topLevelFlags(p string) string {
	var out strings.Builder
	depth := 0
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '[':
			// Skip a character class.
			j := i + 1
			if j < len(p) && p[j] == '^' {
				j++
			}
			if j < len(p) && p[j] == ']' {
				j++
			}
			for j < len(p) && p[j] != ']' {
				if p[j] == '\\' {
					j++
				}
				j++
			}
			i = j
		case '(':
			if depth == 0 && strings.HasPrefix(p[i:], "(?") {
				j := i + 2
				for j < len(p) && strings.IndexByte("imsU-", p[j]) >= 0 {
					j++
				}
				if j < len(p) && p[j] == ')' && j > i+2 {
					out.WriteString(p[i : j+1])
					i = j
					continue
				}
			}
			depth++
		case ')':
			depth--
		}
	}
	return out.String()
}

// pathOrCommitAllowed mirrors gitleaks' fragment-level check: with OR, a
// matching commit or path allows everything; with AND, only allowlists that
// have no regexes or stop words can decide here.
func pathOrCommitAllowed(als []*allowlist, t Target) bool {
	if t.Path == "" && t.Commit == "" {
		return false
	}
	for _, a := range als {
		commit := a.CommitAllowed(t.Commit)
		path := a.pathAllowed(t.Path)
		if a.Condition == rules.ConditionAnd {
			if a.HasRegexes() || a.HasStopWords() {
				continue
			}
			ok := true
			if a.HasCommits() && !commit {
				ok = false
			}
			if a.HasPaths() && !path {
				ok = false
			}
			if ok && (a.HasCommits() || a.HasPaths()) {
				return true
			}
			continue
		}
		if commit || path {
			return true
		}
	}
	return false
}

// findingAllowed mirrors gitleaks' finding-level check.
func findingAllowed(als []*allowlist, t Target, secret, match, line []byte) bool {
	return findingAllowedIn(als, t, secret, match, line, nil)
}

// findingAllowedIn is findingAllowed, with the line regexes' answers
// remembered in lc, if set.
func findingAllowedIn(als []*allowlist, t Target, secret, match, line []byte, lc *lineCache) bool {
	for _, a := range als {
		target := secret
		switch a.RegexTarget {
		case "match":
			target = match
		case "line":
			target = line
		}
		var regex bool
		if a.RegexTarget == "line" && lc != nil {
			regex = lc.regexAllowed(a, line)
		} else {
			regex = a.RegexAllowed(target)
		}
		stop := a.containsStopWord(secret)
		if a.Condition == rules.ConditionAnd {
			ok := true
			if a.HasCommits() && !a.CommitAllowed(t.Commit) {
				ok = false
			}
			if a.HasPaths() && !a.pathAllowed(t.Path) {
				ok = false
			}
			if a.HasRegexes() && !regex {
				ok = false
			}
			if a.HasStopWords() && !stop {
				ok = false
			}
			if ok {
				return true
			}
			continue
		}
		if regex || stop {
			return true
		}
	}
	return false
}

// Entropy returns the Shannon entropy of b in bits per byte.
func Entropy(b []byte) float64 {
	if len(b) == 0 {
		return 0
	}
	var counts [256]int
	for _, c := range b {
		counts[c]++
	}
	n := float64(len(b))
	e := 0.0
	for _, k := range counts {
		if k > 0 {
			p := float64(k) / n
			e -= p * math.Log2(p)
		}
	}
	return e
}

// hasMarker reports whether line holds one of the allow markers.
// lineCache remembers what depends on a match's line only (which
// allowlists' line regexes match it, whether it holds an allow marker) for
// the line last asked about, so that the many matches of one long line (a
// minified file) do not each search the whole line again: without it the
// work is the number of matches times the line's length.
type lineCache struct {
	at      *byte // the line's first byte, and its length: its identity
	n       int
	allowed map[*allowlist]bool
	marked  int8 // 0 unknown, 1 no, 2 yes
}

func (lc *lineCache) reset() {
	lc.at, lc.n, lc.marked = nil, 0, 0
	clear(lc.allowed)
}

// see points the cache at line, forgetting what it knew of another line.
func (lc *lineCache) see(line []byte) {
	if len(line) == 0 {
		lc.reset()
		return
	}
	if lc.at == &line[0] && lc.n == len(line) {
		return
	}
	lc.reset()
	lc.at, lc.n = &line[0], len(line)
}

func (lc *lineCache) regexAllowed(a *allowlist, line []byte) bool {
	lc.see(line)
	if len(line) == 0 {
		return a.RegexAllowed(line)
	}
	if v, ok := lc.allowed[a]; ok {
		return v
	}
	if lc.allowed == nil {
		lc.allowed = map[*allowlist]bool{}
	}
	v := a.RegexAllowed(line)
	lc.allowed[a] = v
	return v
}

func (lc *lineCache) hasMarker(line []byte, markers []string) bool {
	lc.see(line)
	if len(line) == 0 || lc.marked == 0 {
		v := hasMarker(line, markers)
		lc.marked = 1
		if v {
			lc.marked = 2
		}
		return v
	}
	return lc.marked == 2
}

func hasMarker(line []byte, markers []string) bool {
	for _, m := range markers {
		if bytes.Contains(line, []byte(m)) {
			return true
		}
	}
	return false
}

// CommitAllowed reports whether an allowlist that lists commits (global,
// or rule ruleID's) allows a match once its commit is known. A history scan
// reads each file version once for all the commits that hold it, so this
// part of the allowlists waits for attribution; the rest applied during
// detection. secret, match and line are the match's texts.
func (d *Detector) CommitAllowed(ruleID, commit, path string, secret, match, line []byte) bool {
	if commit == "" {
		return false
	}
	t := Target{Path: path, Commit: commit}
	check := func(als []*allowlist) bool {
		for _, a := range als {
			if !a.HasCommits() || !a.CommitAllowed(commit) {
				continue
			}
			one := []*allowlist{a}
			if pathOrCommitAllowed(one, t) || findingAllowed(one, t, secret, match, line) {
				return true
			}
		}
		return false
	}
	if check(d.global) {
		return true
	}
	if c := d.byID[ruleID]; c != nil {
		return check(c.allowlists)
	}
	return false
}
