package git

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
)

// The pack engine decides which file versions to scan in full by running
// a candidate scanner over what each version changes. The candidate
// scanner must report something wherever the real one could report a
// finding, for any path and any commit: it is the real rule set with
// every check that depends on the path or the commit made to pass
// (paths and commits never match allowlists when the target has none,
// so those drop nothing), allow-marked findings kept, validation off, and
// composite rules reduced to their primary rule. Keywords that gate a
// rule from anywhere in the file (NonLocalKeywordRules) are reported
// themselves by presence rules, so that a file holding one is scanned
// whole. Path-only rules are checked per path, not here.

// presencePrefix names the candidate rules that report a keyword.
const presencePrefix = "leakguard-presence:"

func newCandidateScanner(sc *scanner.Scanner) (*scanner.Scanner, error) {
	det := sc.Detector()
	set := det.Rules()
	nonlocal := map[string]bool{}
	for _, id := range det.NonLocalKeywordRules() {
		nonlocal[id] = true
	}
	out := &rules.Set{Title: "leakguard history candidates", Allowlists: set.Allowlists}
	for _, r := range set.Rules {
		if r.Regex == "" {
			if len(r.Keywords) > 0 {
				out.Rules = append(out.Rules, presenceRule(r))
			}
			continue
		}
		c := &rules.Rule{
			ID: r.ID, Description: r.Description, Regex: r.Regex, SecretGroup: r.SecretGroup,
			Entropy: r.Entropy, Keywords: r.Keywords, Tags: r.Tags, Allowlists: r.Allowlists,
			Origin: r.Origin,
		}
		out.Rules = append(out.Rules, c)
		if nonlocal[r.ID] {
			out.Rules = append(out.Rules, presenceRule(r))
		}
	}
	// Decoding as the real detector decodes (it both reveals and judges
	// encoded text); no validation (it only drops).
	o := det.Options()
	cd, err := detectors.Compile(out, detectors.Options{AllowMarkers: o.AllowMarkers, Decode: o.Decode, DecodeOptions: o.DecodeOptions})
	if err != nil {
		return nil, fmt.Errorf("history candidates: %w", err)
	}
	// Unfiltered: findings on allow-marked lines count.
	return scanner.New(cd, scanner.Options{Workers: 1, Unfiltered: true}), nil
}

// presenceRule matches any of r's keywords; its secret is empty, so that
// no allowlist on secrets drops it.
func presenceRule(r *rules.Rule) *rules.Rule {
	alts := make([]string, len(r.Keywords))
	for i, k := range r.Keywords {
		alts[i] = regexp.QuoteMeta(k)
	}
	return &rules.Rule{
		ID:          presencePrefix + r.ID,
		Description: "keyword of " + r.ID,
		Regex:       "(?i)(?:" + strings.Join(alts, "|") + ")()",
		SecretGroup: 1,
		Keywords:    r.Keywords,
		Origin:      r.Origin,
	}
}

// windowSet remembers the windows (changed regions with their context)
// already given to the candidate scanner, by a 64-bit hash of their bytes,
// and whether the scanner reported anything in them: the same changed
// lines recur across many versions of a file (siblings in the delta
// forest), and are scanned once. Safe for concurrent use.
type windowSet struct {
	shards [64]windowShard
}

type windowShard struct {
	mu   sync.Mutex
	keys []uint64 // 0: empty; else hash with bit 0 = hit
	n    int
}

const windowHit = 1

// lookup returns whether h was seen and, if so, whether it was a hit.
func (s *windowSet) lookup(h uint64) (seen, hit bool) {
	h |= 2 // never 0 once the hit bit is cleared
	sh := &s.shards[h>>58]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if len(sh.keys) == 0 {
		return false, false
	}
	mask := uint64(len(sh.keys) - 1)
	for i := (h >> 1) & mask; ; i = (i + 1) & mask {
		k := sh.keys[i]
		if k == 0 {
			return false, false
		}
		if k|windowHit == h|windowHit {
			return true, k&windowHit != 0
		}
	}
}

// add records h with its result.
func (s *windowSet) add(h uint64, hit bool) {
	h |= 2
	h &^= windowHit
	if hit {
		h |= windowHit
	}
	sh := &s.shards[h>>58]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if 8*(sh.n+1) > 7*len(sh.keys) { // linear probing stays short to 7/8 full
		sh.grow()
	}
	mask := uint64(len(sh.keys) - 1)
	for i := (h >> 1) & mask; ; i = (i + 1) & mask {
		k := sh.keys[i]
		if k == 0 {
			sh.keys[i] = h
			sh.n++
			return
		}
		if k|windowHit == h|windowHit {
			sh.keys[i] = k | h&windowHit
			return
		}
	}
}

func (sh *windowShard) grow() {
	old := sh.keys
	n := 1024
	if len(old) > 0 {
		n = 2 * len(old)
	}
	sh.keys = make([]uint64, n)
	mask := uint64(n - 1)
	for _, k := range old {
		if k == 0 {
			continue
		}
		for i := (k >> 1) & mask; ; i = (i + 1) & mask {
			if sh.keys[i] == 0 {
				sh.keys[i] = k
				break
			}
		}
	}
}
