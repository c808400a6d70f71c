package detectors

import (
	"bytes"
	"sort"

	"github.com/leakguard/leakguard/detectors/dfa"
	"github.com/leakguard/leakguard/detectors/keywords"
	"github.com/leakguard/leakguard/detectors/validate"
)

// scratch is one goroutine's working memory for Detect.
type scratch struct {
	hits    []keywords.Hit
	gated   []bool
	wins    [][]window
	touched []int32
	nl      []int // newline offsets of the current input, built lazily
	nlDone  bool
	locs    []int                // match spans, see findAll
	dfa     []*dfa.Cache         // per rule, see dfaCache
	sfx     [][]*dfa.PrefixCache // per rule and suffix branch, see prefixEnd
	line    lineCache            // of the current input, see resolve
}

type window struct{ lo, hi int }

func newScratch(n int) *scratch {
	return &scratch{gated: make([]bool, n), wins: make([][]window, n)}
}

func (s *scratch) reset() {
	for _, i := range s.touched {
		s.gated[i] = false
		s.wins[i] = s.wins[i][:0]
	}
	s.touched = s.touched[:0]
	s.nl = s.nl[:0]
	s.nlDone = false
	s.line.reset()
}

// Detect runs the match pipeline over data: detection (keyword windows,
// regex, secret group, entropy, allowlists), decoding (with
// Options.Decode), validation (with Options.Validate) and the merge of
// overlapping matches of one secret into one Match (see merge). Matches
// are ordered by offset. Every entry point of leakguard reaches the
// detector through this method.
func (d *Detector) Detect(data []byte, t Target) []Match {
	ms := d.detectPlain(data, t)
	if d.opts.Decode && len(data) > 0 {
		ms = d.decodeStage(data, t, ms)
	}
	if d.opts.Validate && !d.opts.ReportInvalid {
		// Invalid matches lived until here so that the less specific
		// rules' matches of the same text go with them: a provider token
		// with a wrong checksum is not a secret, whichever rule matched it.
		ms = dropInvalid(ms)
	}
	return merge(ms)
}

// detectPlain returns the matches of every rule in the raw data, in rule
// order and then by offset, validated when the options say so. It never
// runs a rule's regex outside the windows its keyword hits open, except for
// rules with no anchoring literal.
func (d *Detector) detectPlain(data []byte, t Target) []Match {
	if len(data) == 0 && t.Path == "" {
		return nil
	}
	if d.globalAllowed(t) {
		return nil
	}
	sc := d.pool.Get().(*scratch)
	defer func() { sc.reset(); d.pool.Put(sc) }()

	sc.hits = d.kw.AppendHits(sc.hits[:0], data)
	for _, h := range sc.hits {
		for _, ri := range d.gates[h.Pattern] {
			if !sc.gated[ri] {
				sc.gated[ri] = true
				sc.touched = append(sc.touched, ri)
			}
		}
		opens := d.opens[h.Pattern]
		if len(opens) == 0 {
			continue
		}
		end := int(h.End)
		start := end - d.patLen[h.Pattern]
		for _, ri := range opens {
			c := d.rules[ri]
			var w window
			if sfx := c.suffix(); sfx != nil {
				lo, hi, ok := sfx.at(sc, data, start, end)
				if !ok {
					continue
				}
				w = c.windowAround(data, lo, hi)
			} else {
				w = c.window(data, start, end)
			}
			ws := sc.wins[ri]
			if n := len(ws); n > 0 && w.lo <= ws[n-1].hi {
				if w.hi > ws[n-1].hi {
					ws[n-1].hi = w.hi
				}
				if w.lo < ws[n-1].lo {
					ws[n-1].lo = w.lo
				}
			} else {
				if len(ws) == 0 && !sc.gated[ri] {
					sc.touched = append(sc.touched, ri)
				}
				ws = append(ws, window{w.lo, w.hi})
			}
			sc.wins[ri] = ws
		}
	}
	for _, ri := range d.always {
		if !sc.gated[ri] {
			sc.gated[ri] = true
			sc.touched = append(sc.touched, ri)
		}
	}

	var out []Match
	for ri, c := range d.rules {
		if !sc.gated[ri] || c.r.SkipReport {
			continue
		}
		ms := d.detectRule(sc, c, data, t)
		if len(ms) > 0 && len(c.r.Required) > 0 {
			ms = d.required(sc, c, data, t, ms)
		}
		out = append(out, ms...)
	}
	if d.opts.Validate {
		out = d.validate(sc, data, t, out)
	}
	return out
}

// validate is the stage after detection: each match of a rule with a
// validator gets its verdict, and invalid ones are dropped unless the
// detector reports them.
func (d *Detector) validate(sc *scratch, data []byte, t Target, ms []Match) []Match {
	out := ms[:0:0]
	for _, m := range ms {
		if !m.PathOnly && (genericNotSecret(data, t, &m) || inBase64Dump(data, &m, m.Rule)) {
			continue
		}
		c := d.byID[m.Rule.ID]
		if c != nil && c.validator != nil && !m.PathOnly {
			m.Verdict = c.validator(data[m.SecretStart:m.SecretEnd])
			if m.Verdict == validate.Invalid {
				// A lazy regex can run from a placeholder into a real
				// secret after it (a dummy key block, then a real one):
				// look again for matches starting inside this one. The
				// invalid match stays until the merge (see Detect).
				out = append(out, d.rematch(sc, c, data, t, m)...)
			}
		}
		out = append(out, m)
	}
	return out
}

// rematch finds the rule's valid matches that start inside an invalid
// match m (one level deep).
func (d *Detector) rematch(sc *scratch, c *crule, data []byte, t Target, m Match) []Match {
	re := c.r.Regexp()
	if re == nil {
		return nil
	}
	var out []Match
	from := m.Start + 1
	hi := min(m.End+unboundedReach, len(data))
	for tries := 0; from < m.End && tries < 16; tries++ {
		loc := re.FindIndex(data[from:hi])
		if loc == nil || from+loc[0] >= m.End {
			break
		}
		s, e := from+loc[0], from+loc[1]
		if nm, ok := d.resolve(sc, c, data, t, s, e); ok {
			nm.Verdict = c.validator(data[nm.SecretStart:nm.SecretEnd])
			if nm.Verdict != validate.Invalid {
				out = append(out, nm)
			}
		}
		from = s + 1
	}
	return out
}

// window returns the bytes around a hit at [start, end) in which a match
// of c containing the hit must lie, grown to line boundaries where they are
// near so that the regex sees the same context as over the whole input.
func (c *crule) window(data []byte, start, end int) window {
	lo, hi := end-c.before, start+c.after
	if lo < 0 {
		lo = 0
	}
	if hi > len(data) {
		hi = len(data)
	}
	if !c.multiline {
		// A match cannot cross a newline: stay on the hit's line.
		if i := bytes.LastIndexByte(data[lo:start], '\n'); i >= 0 {
			lo += i + 1
		} else {
			lo = lineStart(data, lo)
		}
		if i := bytes.IndexByte(data[end:hi], '\n'); i >= 0 {
			hi = end + i + 1
		} else {
			hi = lineEnd(data, hi)
		}
		return window{lo, hi}
	}
	return window{lineStart(data, lo), lineEnd(data, hi)}
}

// windowAround grows [lo, hi) to line boundaries, as window does.
func (c *crule) windowAround(data []byte, lo, hi int) window {
	if lo < 0 {
		lo = 0
	}
	if hi > len(data) {
		hi = len(data)
	}
	return window{lineStart(data, lo), lineEnd(data, hi)}
}

// lineStart moves lo back to the start of its line when that is within
// lineReach, else to just after a non-word byte, so that \b and ^ see the
// same context as in the whole input.
func lineStart(data []byte, lo int) int {
	if lo == 0 || data[lo-1] == '\n' {
		return lo
	}
	from := lo - lineReach
	if from < 0 {
		from = 0
	}
	if i := bytes.LastIndexByte(data[from:lo], '\n'); i >= 0 {
		return from + i + 1
	}
	if from == 0 {
		return 0
	}
	for i := lo; i > lo-64 && i > 0; i-- {
		if !isWordByte(data[i-1]) {
			return i
		}
	}
	return lo
}

// lineEnd moves hi forward past the end of its line (the newline
// included) when that is within lineReach, else to a non-word byte.
func lineEnd(data []byte, hi int) int {
	if hi >= len(data) {
		return len(data)
	}
	if hi > 0 && data[hi-1] == '\n' {
		return hi
	}
	to := hi + lineReach
	if to > len(data) {
		to = len(data)
	}
	if i := bytes.IndexByte(data[hi:to], '\n'); i >= 0 {
		return hi + i + 1
	}
	if to == len(data) {
		return to
	}
	for i := hi; i < hi+64 && i < len(data); i++ {
		if !isWordByte(data[i]) {
			return i + 1
		}
	}
	return hi
}

func isWordByte(b byte) bool {
	return b == '_' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}

// detectRule runs one candidate rule, as gitleaks' detectRule does.
func (d *Detector) detectRule(sc *scratch, c *crule, data []byte, t Target) []Match {
	return d.detectRuleMode(sc, c, data, t, c.whole)
}

// detectRuleMode is detectRule, over the whole input when whole is set.
func (d *Detector) detectRuleMode(sc *scratch, c *crule, data []byte, t Target, whole bool) []Match {
	r := c.r
	if pathOrCommitAllowed(c.allowlists, t) {
		return nil
	}
	if r.Path != nil {
		if r.Regex == "" {
			if t.Path != "" && c.pathMatches(t.Path) {
				return []Match{{Rule: r, PathOnly: true}}
			}
			return nil
		}
		if !c.pathMatches(t.Path) {
			return nil
		}
	}
	if r.Regex == "" {
		return nil
	}
	var out []Match
	emit := func(s, e int) {
		if m, ok := d.resolve(sc, c, data, t, s, e); ok {
			out = append(out, m)
		}
	}
	if whole {
		sc.locs = c.findAll(sc, sc.locs[:0], data)
		for i := 0; i < len(sc.locs); i += 2 {
			emit(sc.locs[i], sc.locs[i+1])
		}
		return out
	}
	last := -1
	for _, w := range sc.wins[c.idx] {
		sc.locs = c.findAll(sc, sc.locs[:0], data[w.lo:w.hi])
		for i := 0; i < len(sc.locs); i += 2 {
			s, e := w.lo+sc.locs[i], w.lo+sc.locs[i+1]
			if s < last {
				continue
			}
			last = e
			emit(s, e)
		}
	}
	return out
}

// resolve turns a regex match at [s, e) into a Match: trim newlines,
// extract the secret group, check entropy, markers and allowlists.
func (d *Detector) resolve(sc *scratch, c *crule, data []byte, t Target, s, e int) (Match, bool) {
	for s < e && data[s] == '\n' {
		s++
	}
	for e > s && data[e-1] == '\n' {
		e--
	}
	r := c.r
	text := data[s:e]
	ss, se := s, e
	if loc := r.Regexp().FindSubmatchIndex(text); len(loc) >= 4 {
		if r.SecretGroup > 0 {
			if 2*r.SecretGroup+1 >= len(loc) {
				return Match{}, false
			}
			if loc[2*r.SecretGroup] >= 0 {
				ss, se = s+loc[2*r.SecretGroup], s+loc[2*r.SecretGroup+1]
			} else {
				ss, se = s, s
			}
		} else {
			for g := 1; 2*g+1 < len(loc); g++ {
				if loc[2*g] >= 0 && loc[2*g+1] > loc[2*g] {
					ss, se = s+loc[2*g], s+loc[2*g+1]
					break
				}
			}
		}
	}
	secret := data[ss:se]
	ent := Entropy(secret)
	if r.Entropy != 0 && ent <= r.Entropy {
		return Match{}, false
	}
	line := sc.lineOf(data, s, e)
	if findingAllowedIn(d.global, t, secret, text, line, &sc.line) || findingAllowedIn(c.allowlists, t, secret, text, line, &sc.line) {
		return Match{}, false
	}
	marked := sc.line.hasMarker(line, d.markers)
	return Match{Rule: r, Start: s, End: e, SecretStart: ss, SecretEnd: se, Entropy: ent, Marked: marked}, true
}

// lineOf returns the text of the lines holding [s, e), as gitleaks builds
// a finding's Line: from the newline before the match (included) to the
// newline after it (excluded).
func lineOf(data []byte, s, e int) []byte {
	lo := bytes.LastIndexByte(data[:s], '\n')
	if lo < 0 {
		lo = 0
	}
	hi := bytes.IndexByte(data[e:], '\n')
	if hi < 0 {
		hi = len(data)
	} else {
		hi += e
	}
	return data[lo:hi]
}

// lineOf is lineOf(data, s, e) found through the newlines' offsets: a
// search back to the line's start for each of a long line's matches would
// cost the line's length each.
func (sc *scratch) lineOf(data []byte, s, e int) []byte {
	nl := sc.newlines(data)
	lo, hi := 0, len(data)
	if i := sort.SearchInts(nl, s); i > 0 {
		lo = nl[i-1]
	}
	if j := sort.SearchInts(nl, e); j < len(nl) {
		hi = nl[j]
	}
	return data[lo:hi]
}

// newlines returns the offsets of the newlines in data, computed once per
// Detect call.
func (sc *scratch) newlines(data []byte) []int {
	if !sc.nlDone {
		for i := 0; ; {
			j := bytes.IndexByte(data[i:], '\n')
			if j < 0 {
				break
			}
			sc.nl = append(sc.nl, i+j)
			i += j + 1
		}
		sc.nlDone = true
	}
	return sc.nl
}

// position returns the 0-based line and 1-based column of offset off.
func (sc *scratch) position(data []byte, off int) (line, col int) {
	nl := sc.newlines(data)
	line = sort.SearchInts(nl, off)
	start := 0
	if line > 0 {
		start = nl[line-1] + 1
	}
	return line, off - start + 1
}
