package detectors

import (
	"bytes"
	"math"
	"sync"

	"github.com/leakguard/leakguard/detectors/keywords"
	"github.com/leakguard/leakguard/rules"
)

// allowlist is a rules.Allowlist with its stop words compiled into an
// automaton.
type allowlist struct {
	*rules.Allowlist
	once sync.Once
	stop *keywords.Matcher // built on first use
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
	a.once.Do(func() { a.stop = keywords.New(a.StopWords) })
	var buf [8]keywords.Hit
	return len(a.stop.AppendHits(buf[:0], secret)) > 0
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
		path := a.PathAllowed(t.Path)
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
	for _, a := range als {
		target := secret
		switch a.RegexTarget {
		case "match":
			target = match
		case "line":
			target = line
		}
		regex := a.RegexAllowed(target)
		stop := a.containsStopWord(secret)
		if a.Condition == rules.ConditionAnd {
			ok := true
			if a.HasCommits() && !a.CommitAllowed(t.Commit) {
				ok = false
			}
			if a.HasPaths() && !a.PathAllowed(t.Path) {
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
func hasMarker(line []byte, markers []string) bool {
	for _, m := range markers {
		if bytes.Contains(line, []byte(m)) {
			return true
		}
	}
	return false
}
