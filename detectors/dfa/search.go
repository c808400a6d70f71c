package dfa

import (
	"regexp/syntax"
	"unicode/utf8"
)

// DefaultBudget is the memory, in bytes, that one Cache may use for each
// direction of one expression before it is cleared.
const DefaultBudget = 1 << 20

// Regexp is a regular expression compiled into a forward and a reverse
// byte-level program, whose DFAs are built lazily in a Cache. A Regexp is
// immutable and safe for concurrent use; a Cache is not.
type Regexp struct {
	fwd, rev *machine
	// valid is set when some rune set holds U+FFFD: Go's regexp matches an
	// invalid UTF-8 byte as U+FFFD, which the byte programs do not model,
	// so such an expression only runs on valid UTF-8.
	valid bool
}

// Compile compiles a parsed expression (as regexp/syntax.Parse returns it
// with syntax.Perl). It returns ErrNullable for an expression that can
// match the empty string, and ErrTooLarge for one whose program would be
// too large; Go's regexp is the answer for those.
func Compile(re *syntax.Regexp) (*Regexp, error) {
	re = re.Simplify()
	if nullable(re) {
		return nil, ErrNullable
	}
	fwd, fffd, err := compileProg(re, false, false)
	if err != nil {
		return nil, err
	}
	rev, _, err := compileProg(re, true, false)
	if err != nil {
		return nil, err
	}
	return &Regexp{fwd: newMachine(fwd, false), rev: newMachine(rev, true), valid: fffd}, nil
}

// Prefix is an expression matched anchored at the start of a text, as Go
// matches ^(?:expr). A Prefix is immutable and safe for concurrent use.
type Prefix struct {
	m     *machine
	valid bool
}

// CompilePrefix compiles a parsed expression for anchored matching. The
// expression may match the empty string.
func CompilePrefix(re *syntax.Regexp) (*Prefix, error) {
	p, fffd, err := compileProg(re.Simplify(), false, true)
	if err != nil {
		return nil, err
	}
	return &Prefix{m: newMachine(p, false), valid: fffd}, nil
}

// PrefixCache is one goroutine's DFA states for one Prefix.
type PrefixCache struct {
	c         *cache
	Overflows int
}

// NewCache returns an empty cache for p that may use about budget bytes.
func (p *Prefix) NewCache(budget int) *PrefixCache {
	return &PrefixCache{c: newCache(p.m, budget)}
}

// End returns the end of the leftmost-first match of p at the start of
// text (the end Go's regexp reports for ^(?:expr)), or -1 if there is
// none. ok is false when the DFA cannot answer (see Regexp.AppendAll).
func (p *Prefix) End(c *PrefixCache, text []byte) (end int, ok bool) {
	if p.valid && !utf8.Valid(text) {
		return -1, false
	}
	e, err := c.c.forward(text, 0)
	if err != nil {
		c.Overflows++
		c.c.reset()
		return -1, false
	}
	return e, true
}

// Cache is one goroutine's lazily built DFA states for one Regexp.
type Cache struct {
	fwd, rev *cache
	// Overflows counts the searches abandoned because a direction's
	// states outgrew the budget.
	Overflows int
}

// NewCache returns an empty cache for r whose directions may each use
// about budget bytes.
func (r *Regexp) NewCache(budget int) *Cache {
	return &Cache{fwd: newCache(r.fwd, budget), rev: newCache(r.rev, budget)}
}

// AppendAll appends to dst the start and end offsets of the successive
// non-overlapping leftmost-first matches of r in text, the matches Go's
// regexp.FindAllIndex(text, -1) reports. ok is false when the DFA cannot
// answer (invalid UTF-8 where it matters, or a cache past its budget,
// which is then cleared); dst is then returned unchanged and the caller
// must ask Go's regexp.
func (r *Regexp) AppendAll(c *Cache, dst []int, text []byte) (out []int, ok bool) {
	if r.valid && !utf8.Valid(text) {
		return dst, false
	}
	n := len(dst)
	for pos := 0; pos <= len(text); {
		e, err := c.fwd.forward(text, pos)
		if err != nil {
			return c.overflow(dst[:n])
		}
		if e < 0 {
			break
		}
		s, err := c.rev.reverse(text, pos, e)
		if err != nil {
			return c.overflow(dst[:n])
		}
		if s < 0 || s >= e {
			// Cannot happen for a non-nullable expression; never guess.
			return dst[:n], false
		}
		dst = append(dst, s, e)
		pos = e
	}
	return dst, true
}

func (c *Cache) overflow(dst []int) ([]int, bool) {
	c.Overflows++
	c.fwd.reset()
	c.rev.reset()
	return dst, false
}
