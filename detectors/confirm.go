package detectors

import (
	"sync"

	"github.com/leakguard/leakguard/detectors/dfa"
)

// The confirm stage: a rule's regex runs over its windows as a lazily
// built DFA (package dfa), and Go's regexp only on the spans it reports,
// to extract the secret group (resolve). Expressions the DFA refuses, and
// searches it gives up on, use Go's regexp; the spans are the same.

// maxOverflows is how many times one goroutine's DFA cache for a rule may
// outgrow its budget before that goroutine keeps Go's regexp for the rule.
const maxOverflows = 8

// confirmer returns the rule's DFA, compiling it on first use; nil when
// the DFA refuses the expression.
func (c *crule) confirmer() *dfa.Regexp {
	c.dfaOnce.Do(func() {
		re, err := parseRegex(c.r.Regex)
		if err != nil {
			return
		}
		if d, err := dfa.Compile(re); err == nil {
			c.dfaV = d
		}
	})
	return c.dfaV
}

// dfaAfter is how many bytes of windows a rule's Go regexp confirms before
// the rule gets its DFA: compiling a DFA costs about as much as Go's regexp
// spends on tens of kilobytes of windows, so a hook or an agent event that
// confirms a few windows never pays for it, and a scan does early on.
//
// A variable so that tests can run either path alone.
var dfaAfter int64 = 32 << 10

// findAll appends to dst the start and end offsets of the rule's regex
// matches in text: the spans regexp.FindAllIndex(text, -1) reports.
func (c *crule) findAll(sc *scratch, dst []int, text []byte) []int {
	if c.confirmed.Load() >= dfaAfter {
		if re := c.confirmer(); re != nil {
			if cache := sc.dfaCache(c, re); cache != nil {
				if out, ok := re.AppendAll(cache, dst, text); ok {
					return out
				}
			}
		}
	} else {
		c.confirmed.Add(int64(len(text)))
	}
	for _, loc := range c.r.Regexp().FindAllIndex(text, -1) {
		dst = append(dst, loc[0], loc[1])
	}
	return dst
}

// dfaCache returns this goroutine's DFA cache for rule c, or nil once the
// rule's states have outgrown their budget too often here.
func (sc *scratch) dfaCache(c *crule, re *dfa.Regexp) *dfa.Cache {
	if sc.dfa == nil {
		sc.dfa = make([]*dfa.Cache, len(sc.gated))
	}
	cache := sc.dfa[c.idx]
	if cache == nil {
		cache = re.NewCache(dfa.DefaultBudget)
		sc.dfa[c.idx] = cache
	}
	if cache.Overflows > maxOverflows {
		return nil
	}
	return cache
}

// scratchPool keeps scratch spaces (and the DFA states they hold) for
// reuse. Unlike sync.Pool it never drops them at a garbage collection:
// rebuilding every rule's DFA after each collection would cost more than
// the memory. It holds at most as many as ran at once.
type scratchPool struct {
	New  func() any
	mu   sync.Mutex
	free []any
}

func (p *scratchPool) Get() any {
	p.mu.Lock()
	if n := len(p.free); n > 0 {
		s := p.free[n-1]
		p.free = p.free[:n-1]
		p.mu.Unlock()
		return s
	}
	p.mu.Unlock()
	return p.New()
}

func (p *scratchPool) Put(s any) {
	p.mu.Lock()
	p.free = append(p.free, s)
	p.mu.Unlock()
}
