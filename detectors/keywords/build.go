package keywords

import "math"

// New compiles patterns into a Matcher. Patterns are matched ASCII
// case-insensitively (A-Z match a-z; other bytes, including non-ASCII ones,
// match only themselves). Any bytes are allowed. Duplicate patterns are each
// reported under their own index; empty patterns never match.
//
// New panics if the automaton would need more than 2^32 table entries, far
// beyond any keyword list (that is hundreds of megabytes of patterns).
func New(patterns []string) *Matcher {
	m := &Matcher{npatterns: len(patterns)}
	for _, p := range patterns {
		m.runUp = max(m.runUp, len(p))
	}
	nclass := m.buildClasses(patterns)
	stride := nclass + 1 // the extra column holds an output state's index

	delta, own := buildTrie(patterns, &m.cls, stride)
	nstates := len(own)
	if uint64(nstates)*uint64(stride) > math.MaxUint32 {
		panic("keywords: New: automaton too large")
	}
	order, out := fillDFA(delta, own, nclass, stride)

	// Number the states: those without output first (the root is state
	// 0), then those with output; within each group shallow states first,
	// so the rows visited most often sit together.
	newID := make([]uint32, nstates)
	next := uint32(0)
	for _, outputs := range []bool{false, true} {
		if outputs {
			m.outBase = next * uint32(stride)
		}
		for _, s := range order {
			if (len(out[s]) > 0) == outputs {
				newID[s] = next
				next++
			}
		}
	}

	m.nclass = uint32(nclass)
	m.trans = make([]uint32, nstates*stride)
	m.outOff = []uint32{0}
	for _, s := range order {
		row := int(newID[s]) * stride
		for c := range nclass {
			m.trans[row+c] = newID[delta[int(s)*stride+c]] * uint32(stride)
		}
	}
	// Output states in numbering order, so that outPats follows the ids.
	outOrder := make([]int32, 0, nstates)
	for _, s := range order {
		if len(out[s]) > 0 {
			outOrder = append(outOrder, s)
		}
	}
	for k, s := range outOrder {
		m.trans[int(newID[s])*stride+nclass] = uint32(k)
		m.outPats = append(m.outPats, out[s]...)
		m.outOff = append(m.outOff, uint32(len(m.outPats)))
	}

	return m
}

// buildClasses fills m.cls and returns the number of byte classes: one
// shared by every byte that occurs in no pattern, plus one for each
// distinct byte that does (after folding A-Z to a-z).
func (m *Matcher) buildClasses(patterns []string) int {
	var used [256]bool
	for _, p := range patterns {
		for i := 0; i < len(p); i++ {
			used[lower(p[i])] = true
		}
	}
	n := 1
	for b := range 256 {
		if used[b] {
			m.cls[b] = uint8(n)
			n++
		}
	}
	for b := byte('A'); b <= 'Z'; b++ {
		m.cls[b] = m.cls[b+'a'-'A']
	}
	return n
}

func lower(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// buildTrie returns the trie of the patterns as a dense table (stride
// entries a state, 0 meaning no edge, since no edge leads back to the root)
// and, for each state, the indexes of the patterns that end there.
func buildTrie(patterns []string, cls *[256]uint8, stride int) (delta []int32, own [][]int32) {
	states := 1 // an upper bound: one state per pattern byte, plus the root
	for _, p := range patterns {
		states += len(p)
	}
	delta = make([]int32, stride, states*stride)
	own = make([][]int32, 1, states)
	for pi, p := range patterns {
		if p == "" {
			continue
		}
		s := 0
		for i := 0; i < len(p); i++ {
			e := s*stride + int(cls[p[i]])
			if delta[e] == 0 {
				delta[e] = int32(len(own))
				own = append(own, nil)
				delta = delta[:len(delta)+stride] // zeroed: within the capacity made above
			}
			s = int(delta[e])
		}
		own[s] = append(own[s], int32(pi))
	}
	return delta, own
}

// fillDFA turns the trie in delta into the full Aho-Corasick DFA in place,
// walking the states breadth first: a missing edge of state s on class c
// becomes the edge of s's failure state on c. It returns the states in
// breadth-first order and each state's outputs: its own patterns followed by
// those of its failure state (so dictionary suffixes are flattened in).
func fillDFA(delta []int32, own [][]int32, nclass, stride int) (order []int32, out [][]int32) {
	n := len(own)
	fail := make([]int32, n)
	out = make([][]int32, n)
	order = make([]int32, 1, n)
	for qi := 0; qi < len(order); qi++ {
		s := order[qi]
		f := int(fail[s])
		if s != 0 && len(own[s])+len(out[f]) > 0 {
			out[s] = append(append(make([]int32, 0, len(own[s])+len(out[f])), own[s]...), out[f]...)
		}
		row := int(s) * stride
		for c := range nclass {
			t := delta[row+c]
			switch {
			case t != 0: // a trie edge: t's failure state follows s's
				if s != 0 {
					fail[t] = delta[f*stride+c]
				}
				order = append(order, t)
			case s != 0:
				delta[row+c] = delta[f*stride+c]
			}
		}
	}
	return order, out
}
