package detectors

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"regexp/syntax"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/leakguard/leakguard/detectors/decode"
	"github.com/leakguard/leakguard/detectors/dfa"
	"github.com/leakguard/leakguard/detectors/keywords"
	"github.com/leakguard/leakguard/detectors/validate"
	"github.com/leakguard/leakguard/rules"
)

// Window reach limits, in bytes.
const (
	// unboundedReach is how far a window reaches on a side where the
	// rule's regex has no maximum length.
	unboundedReach = 64 << 10
	// lineReach is how far a window may grow to reach a line boundary.
	lineReach = 4 << 10
)

// DefaultAllowMarkers are the inline comments that suppress a finding on
// their line.
var DefaultAllowMarkers = []string{"gitleaks:allow", "leakguard:allow"}

// Options tune a Detector.
type Options struct {
	// AllowMarkers replaces DefaultAllowMarkers when non-nil. A match on a
	// line holding a marker is reported with Marked set; whether the marker
	// suppresses it is the caller's policy (scanner.Filter), so that one
	// compiled detector serves the strict agent policy and people's alike.
	AllowMarkers []string
	// Validate runs each rule's structural validator (checksums, key and
	// token structure) after detection and drops matches it calls
	// invalid. Off, the detector reports what gitleaks' rules report.
	Validate bool
	// ReportInvalid keeps matches that fail validation, marked Invalid.
	ReportInvalid bool
	// Decode runs the decoding stage: base64, hex, percent-encoded and
	// escaped spans are decoded (nested, bounded by DecodeOptions) and the
	// decoded text is scanned in its line; what it reveals is reported at
	// the encoded span (see Match.Encoding). Off, the detector reports what
	// gitleaks' rules report on the raw bytes.
	Decode        bool
	DecodeOptions decode.Options
}

// Target names what is being scanned, for path rules and allowlists.
type Target struct {
	Path   string
	Commit string
}

// Match is one secret found in the scanned bytes. Offsets are byte offsets
// into the data given to Detect, always in the original coordinates: a
// secret revealed by decoding is placed at the encoded span it came from.
type Match struct {
	Rule *rules.Rule
	// Start and End delimit the text the rule's regex matched, with
	// surrounding newlines trimmed as gitleaks trims them; for a decoded
	// match, the encoded span.
	Start, End int
	// SecretStart and SecretEnd delimit the secret (the secret group); for
	// a decoded match, the encoded span, which is what a rewriter replaces.
	SecretStart, SecretEnd int
	Entropy                float64
	// PathOnly is set for a rule that matched the target's path alone.
	PathOnly bool
	// Required holds, for a composite rule, the required rules' matches
	// found near this one.
	Required []Match
	// Verdict is the validator's verdict when validation ran.
	Verdict validate.Verdict
	// Marked is set when the match's line carries an inline allow marker.
	Marked bool
	// Encoding is the chain of encodings the secret was found through,
	// outermost first ("base64", "base64+percent"); "" for plain text.
	// DecodedSecret and DecodedMatch then hold the decoded text of the
	// secret and of the match.
	Encoding                    string
	DecodedSecret, DecodedMatch []byte
	// Also lists the other rules' matches of the same secret at the same
	// place (overlapping it), which this one, the most specific, stands
	// for. Their spans count for rewriting: see Span.
	Also []Match

	changed bool // merge: decoding changed this match's secret
}

// Secret returns the secret's text: the decoded text for a decoded match,
// else data[SecretStart:SecretEnd]. data is the input given to Detect.
func (m *Match) Secret(data []byte) []byte {
	if m.Encoding != "" {
		return m.DecodedSecret
	}
	return data[m.SecretStart:m.SecretEnd]
}

// Text returns the matched text, decoded for a decoded match.
func (m *Match) Text(data []byte) []byte {
	if m.Encoding != "" {
		return m.DecodedMatch
	}
	return data[m.Start:m.End]
}

// Span returns the smallest span that holds the secret of m and of every
// match in m.Also: what a rewriter replaces to remove it.
func (m *Match) Span() (start, end int) {
	start, end = m.SecretStart, m.SecretEnd
	if end <= start {
		start, end = m.Start, m.End
	}
	for _, o := range m.Also {
		s, e := o.SecretStart, o.SecretEnd
		if e <= s {
			s, e = o.Start, o.End
		}
		start, end = min(start, s), max(end, e)
	}
	return start, end
}

// Detector finds secrets in bytes. A Detector is immutable and safe for
// concurrent use by multiple goroutines.
type Detector struct {
	set     *rules.Set
	opts    Options
	markers []string
	rules   []*crule
	byID    map[string]*crule
	kw      *keywords.Matcher
	// patterns are the automaton's patterns, patLen their lengths.
	patterns []string
	patLen   []int
	// For each keyword pattern: the rules it gates (makes candidates) and
	// the rules whose windows it opens.
	gates [][]int32
	opens [][]int32
	// always lists rules with no keywords: always candidates.
	always []int32
	global []*allowlist
	pool   scratchPool

	pathMemo  sync.Map // path -> bool, see globalAllowed
	pathMemoN atomic.Int64
}

// crule is a rule compiled for detection.
type crule struct {
	r          *rules.Rule
	idx        int32
	keyworded  bool
	whole      bool // no anchors: the regex runs over the whole input
	multiline  bool
	before     int // window reach before a hit's end
	after      int // window reach after a hit's start
	allowlists []*allowlist
	validator  validate.Func
	// suffix, when set, must match at a hit's end for the hit to open a
	// window. It is built the first time it is needed, when hasSuffix.
	hasSuffix  bool
	suffixOnce sync.Once
	suffixKws  []string
	suffixV    *suffixCheck
	// dfaV is the rule's confirm-stage DFA, built on first use, once
	// Go's regexp has confirmed dfaAfter bytes of its windows.
	dfaOnce   sync.Once
	dfaV      *dfa.Regexp
	confirmed atomic.Int64
	// pathLits, built on first use, holds literals one of which every path
	// the rule's path regexp matches contains; nil when there are none.
	pathOnce sync.Once
	pathLits [][]byte
}

// suffix returns the rule's suffix check, building it on first use; nil
// when the rule has none.
func (c *crule) suffix() *suffixCheck {
	if !c.hasSuffix {
		return nil
	}
	c.suffixOnce.Do(func() {
		if re, err := parseRegex(c.r.Regex); err == nil {
			c.suffixV = newSuffixCheck(re, c.suffixKws)
			if c.suffixV != nil {
				c.suffixV.rule = c.idx
			}
		}
	})
	return c.suffixV
}

// Compile builds a Detector from a rule set.
func Compile(set *rules.Set, opts Options) (*Detector, error) {
	if set == nil || len(set.Rules) == 0 {
		return nil, rules.ErrNoRules
	}
	d := &Detector{set: set, opts: opts, byID: make(map[string]*crule, len(set.Rules))}
	d.markers = DefaultAllowMarkers
	if opts.AllowMarkers != nil {
		d.markers = opts.AllowMarkers
	}
	pat := make(map[string]int32, 2*len(set.Rules))
	n := len(set.Rules)
	patterns := make([]string, 0, 2*n)
	d.gates = make([][]int32, 0, 2*n)
	d.opens = make([][]int32, 0, 2*n)
	d.rules = make([]*crule, 0, n)
	crules := make([]crule, n)
	patternID := func(s string) int32 {
		if id, ok := pat[s]; ok {
			return id
		}
		id := int32(len(patterns))
		pat[s] = id
		patterns = append(patterns, s)
		d.gates = append(d.gates, nil)
		d.opens = append(d.opens, nil)
		return id
	}
	for _, a := range set.Allowlists {
		d.global = append(d.global, newAllowlist(a))
	}
	analyses := analyzeRules(set.Rules)
	for i, r := range set.Rules {
		c := &crules[i]
		c.r, c.idx = r, int32(i)
		for _, a := range r.Allowlists {
			c.allowlists = append(c.allowlists, newAllowlist(a))
		}
		d.rules = append(d.rules, c)
		d.byID[r.ID] = c
		if opts.Validate {
			name := r.Validate
			if name == "" {
				name = validate.ForRule(r.ID)
			}
			if name != "" {
				f, ok := validate.Lookup(name)
				if !ok {
					return nil, fmt.Errorf("rule %q: validate: unknown validator %q", r.ID, name)
				}
				c.validator = f
			}
		}
		var kws []string
		for _, k := range r.Keywords {
			if k != "" {
				kws = append(kws, strings.ToLower(k))
			}
		}
		c.keyworded = len(kws) > 0
		for _, k := range kws {
			id := patternID(k)
			d.gates[id] = appendUnique(d.gates[id], c.idx)
		}
		if !c.keyworded {
			d.always = append(d.always, c.idx)
		}
		if r.Regex == "" {
			continue
		}
		an := analyses[i]
		if an.err != nil {
			return nil, fmt.Errorf("rule %q: regex: %w", r.ID, an.err)
		}
		c.multiline = an.multiline
		c.before, c.after = an.maxLen, an.maxLen
		if an.maxLen == unbounded {
			c.before, c.after = unboundedReach, unboundedReach
		}
		anchors := an.anchors
		if anchors == nil {
			c.whole = true
			continue
		}
		if an.byKeyword {
			c.hasSuffix, c.suffixKws = true, kws
		}
		for _, a := range anchors {
			id := patternID(a)
			d.opens[id] = appendUnique(d.opens[id], c.idx)
		}
	}
	d.patterns = patterns
	if m, err := keywords.Load(defaultKeywords, patterns); err == nil {
		d.kw = m // the default rules' automaton, generated at build time
	} else {
		d.kw = keywords.New(patterns)
	}
	for _, p := range patterns {
		d.patLen = append(d.patLen, len(p))
	}
	d.pool.New = func() any { return newScratch(len(d.rules)) }
	return d, nil
}

// anchorsFor returns the literals whose occurrences must lie inside every
// match of expr: the rule's keywords when every match is known to contain
// one, else literals derived from the regex. nil means none is known and
// the regex must run over the whole input.
func anchorsFor(re *syntax.Regexp, kws []string) (anchors []string, byKeyword bool) {
	cands := exactMemo{}.requiredCandidates(re)
	if len(kws) > 0 {
		for _, set := range cands {
			if everyContainsOne(set, kws) {
				return kws, true
			}
		}
	}
	var best []string
	for _, c := range cands {
		if setScore(c) > setScore(best) {
			best = c
		}
	}
	if setScore(best) >= 3 {
		return best, false
	}
	return nil, false
}

func everyContainsOne(set, kws []string) bool {
	if len(set) == 0 {
		return false
	}
	for _, s := range set {
		found := false
		for _, k := range kws {
			if strings.Contains(s, k) {
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

func appendUnique(s []int32, v int32) []int32 {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// Rules returns the rule set the detector was compiled from.
func (d *Detector) Rules() *rules.Set { return d.set }

// WholeInputRules lists the rules that have no literal to anchor windows
// on, so their regex runs over every candidate input whole.
func (d *Detector) WholeInputRules() []string {
	var ids []string
	for _, c := range d.rules {
		if c.whole && c.r.Regex != "" {
			ids = append(ids, c.r.ID)
		}
	}
	sort.Strings(ids)
	return ids
}

// PathAllowed reports whether the global allowlists exclude path whole,
// so that a source need not read it.
func (d *Detector) PathAllowed(path string) bool {
	return d.globalAllowed(Target{Path: path})
}

// maxPathMemo bounds how many paths the global path check remembers.
const maxPathMemo = 1 << 16

// globalAllowed is pathOrCommitAllowed over the global allowlists, with
// path-only answers remembered: a path is asked about by the source and
// then by Detect, and its regex alternation is costly.
func (d *Detector) globalAllowed(t Target) bool {
	if t.Commit != "" || t.Path == "" {
		return pathOrCommitAllowed(d.global, t)
	}
	if v, ok := d.pathMemo.Load(t.Path); ok {
		return v.(bool)
	}
	v := pathOrCommitAllowed(d.global, t)
	if d.pathMemoN.Add(1) <= maxPathMemo {
		d.pathMemo.Store(t.Path, v)
	}
	return v
}

// ruleAnalysis is what regexp/syntax tells about one rule's regex.
type ruleAnalysis struct {
	err       error
	multiline bool
	maxLen    int
	anchors   []string
	byKeyword bool
}

// analysisKey identifies a rule's analysis: a 64-bit hash of its regex
// and keywords (a hash, so that generated code holds no pattern text that
// a scan of this repository would flag), cheap enough for every rule at
// every start.
func analysisKey(regex string, kws []string) uint64 {
	var buf [512]byte
	b := append(buf[:0], regex...)
	for _, k := range kws {
		if k != "" {
			b = append(b, 0)
			b = append(b, strings.ToLower(k)...)
		}
	}
	return hash64(b)
}

// hash64 is a multiply-and-rotate hash over 8-byte words (in the manner of
// xxHash64; stable across builds and machines, not for adversaries).
func hash64(b []byte) uint64 {
	const (
		p1 = 0x9E3779B185EBCA87
		p2 = 0xC2B2AE3D27D4EB4F
		p3 = 0x165667B19E3779F9
	)
	h := uint64(len(b)) * p3
	for ; len(b) >= 8; b = b[8:] {
		h ^= bits.RotateLeft64(binary.LittleEndian.Uint64(b)*p2, 31) * p1
		h = bits.RotateLeft64(h, 27)*p1 + p3
	}
	for _, c := range b {
		h ^= uint64(c) * p1
		h = bits.RotateLeft64(h, 11) * p2
	}
	h ^= h >> 33
	h *= p2
	h ^= h >> 29
	h *= p3
	return h ^ h>>32
}

// analysisEntry is one generated analysis (zz_default_analysis.go), in a
// slice sorted by key.
type analysisEntry struct {
	key uint64
	a   ruleAnalysis
}

// generatedAnalysis looks a rule's analysis up in defaultAnalyses.
func generatedAnalysis(key uint64) (ruleAnalysis, bool) {
	i := sort.Search(len(defaultAnalyses), func(i int) bool { return defaultAnalyses[i].key >= key })
	if i < len(defaultAnalyses) && defaultAnalyses[i].key == key {
		return defaultAnalyses[i].a, true
	}
	return ruleAnalysis{}, false
}

// analyzeRules analyses every rule's regex: from the generated table when
// it has the rule, else with regexp/syntax on all CPUs (most of the cost
// of Compile for a configuration of the user's own).
func analyzeRules(rs []*rules.Rule) []ruleAnalysis {
	out := make([]ruleAnalysis, len(rs))
	var todo []int
	for i, r := range rs {
		if r.Regex == "" {
			continue
		}
		if a, ok := generatedAnalysis(analysisKey(r.Regex, r.Keywords)); ok {
			out[i] = a
			continue
		}
		todo = append(todo, i)
	}
	workers := min(runtime.GOMAXPROCS(0), len(todo))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for k := w; k < len(todo); k += workers {
				r := rs[todo[k]]
				out[todo[k]] = analyzeRuleNow(r.Regex, ruleKeywords(r))
			}
		}(w)
	}
	wg.Wait()
	return out
}

// ruleKeywords returns r's non-empty keywords, lowercased.
func ruleKeywords(r *rules.Rule) []string {
	var kws []string
	for _, k := range r.Keywords {
		if k != "" {
			kws = append(kws, strings.ToLower(k))
		}
	}
	return kws
}

// analyzeRuleNow analyses one regex with regexp/syntax.
func analyzeRuleNow(regex string, kws []string) ruleAnalysis {
	re, err := parseRegex(regex)
	if err != nil {
		return ruleAnalysis{err: err}
	}
	a := ruleAnalysis{multiline: canNewline(re), maxLen: maxLen(re)}
	a.anchors, a.byKeyword = anchorsFor(re, kws)
	return a
}

// HasAllowMarker reports whether line carries one of the detector's inline
// allow markers.
func (d *Detector) HasAllowMarker(line []byte) bool {
	return hasMarker(line, d.markers)
}

// DefaultOptions are the settings every leakguard gate uses unless a flag
// says otherwise: validation and decoding on.
func DefaultOptions() Options {
	return Options{Validate: true, Decode: true}
}
