package dfa

import (
	"encoding/binary"
	"errors"
)

// errCacheFull is returned when a search would grow a cache past its
// budget; the cache is cleared and the caller falls back.
var errCacheFull = errors.New("dfa: cache full")

// Context flags of a position: what is on each side of it. "prev" is the
// byte just consumed (the byte before the position in the direction of the
// scan), "next" the byte about to be consumed.
const (
	fBegin uint8 = 1 << iota // no byte before: start of the text (of the scan)
	fPrevWord
	fPrevNL
)

// machine is one direction of a compiled expression: its program and the
// byte classes its DFA steps on. It is immutable.
type machine struct {
	p       *prog
	longest bool // longest match (reverse scans); else leftmost-first
	cls     [256]uint8
	nclass  int // byte classes; class nclass is "end of text"
	stride  int // nclass + 1
	rep     []byte
	// flagMask keeps the context flags the program's assertions read.
	flagMask uint8
}

func newMachine(p *prog, longest bool) *machine {
	m := &machine{p: p, longest: longest}
	if p.asserts&(aWordBoundary|aNoWordBoundary) != 0 {
		m.flagMask |= fPrevWord
	}
	if p.asserts&(aBeginLine|aEndLine) != 0 {
		m.flagMask |= fPrevNL | fBegin
	}
	if p.asserts&(aBeginText|aEndText) != 0 {
		m.flagMask |= fBegin
	}
	// Byte classes: bytes that every set treats alike and that look alike
	// to the assertions the program uses.
	var parts []byteSet
	parts = append(parts, p.sets...)
	if m.flagMask&fPrevWord != 0 {
		var w byteSet
		for b := 0; b < 256; b++ {
			if isWord(byte(b)) {
				w.add(byte(b), byte(b))
			}
		}
		parts = append(parts, w)
	}
	if m.flagMask&fPrevNL != 0 {
		var nl byteSet
		nl.add('\n', '\n')
		parts = append(parts, nl)
	}
	var sig [256][]byte // per byte, which parts hold it (as a bit string)
	for i, s := range parts {
		for b := 0; b < 256; b++ {
			if s.has(byte(b)) {
				for len(sig[b]) <= i/8 {
					sig[b] = append(sig[b], 0)
				}
				sig[b][i/8] |= 1 << (i % 8)
			}
		}
	}
	ids := map[string]uint8{}
	for b := 0; b < 256; b++ {
		k := string(sig[b])
		id, ok := ids[k]
		if !ok {
			id = uint8(len(ids))
			ids[k] = id
			m.rep = append(m.rep, byte(b))
		}
		m.cls[b] = id
	}
	m.nclass = len(ids)
	m.stride = m.nclass + 1
	return m
}

func isWord(b byte) bool {
	return b == '_' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}

// flagsAfter returns the context flags after consuming byte b.
func flagsAfter(b byte) uint8 {
	var f uint8
	if isWord(b) {
		f |= fPrevWord
	}
	if b == '\n' {
		f |= fPrevNL
	}
	return f
}

func holds(a, prev uint8, next int) bool {
	nextWord := next >= 0 && isWord(byte(next))
	switch a {
	case aBeginText:
		return prev&fBegin != 0
	case aEndText:
		return next < 0
	case aBeginLine:
		return prev&(fBegin|fPrevNL) != 0
	case aEndLine:
		return next < 0 || next == '\n'
	case aWordBoundary:
		return (prev&fPrevWord != 0) != nextWord
	case aNoWordBoundary:
		return (prev&fPrevWord != 0) == nextWord
	}
	return false
}

// state is a DFA state: the threads (program counters, before their
// empty-width closure, in priority order) and the context flags.
type state struct {
	pcs   []int32
	flags uint8
}

// cache is the lazily built DFA of one machine. A cache is used by one
// goroutine at a time.
type cache struct {
	m      *machine
	states []state
	// trans holds, per state row (row = state index × stride), the
	// transition on each class: -1 unknown, else next row << 1 | 1 when
	// a match ends just before the byte.
	trans  []int32
	index  map[string]int32
	starts [8]int32 // start rows by context flags, -1 unknown
	mem    int
	budget int

	// scratch
	seen  []uint32 // sparse set over program counters
	dense []int32
	stack []int32
	list  []int32
	next  []int32
	key   []byte
}

func newCache(m *machine, budget int) *cache {
	c := &cache{m: m, budget: budget}
	c.seen = make([]uint32, len(m.p.inst))
	c.reset()
	return c
}

func (c *cache) reset() {
	c.states = c.states[:0]
	c.trans = c.trans[:0]
	c.index = map[string]int32{}
	c.mem = 0
	for i := range c.starts {
		c.starts[i] = -1
	}
	c.addState(nil, 0) // row 0: the dead state
}

func (c *cache) addState(pcs []int32, flags uint8) int32 {
	row := int32(len(c.trans))
	c.states = append(c.states, state{pcs: append([]int32(nil), pcs...), flags: flags})
	for range c.m.stride {
		c.trans = append(c.trans, -1)
	}
	c.mem += c.m.stride*4 + len(pcs)*8 + 64
	return row
}

// lookup returns the row of the state (pcs, flags), adding it if new.
func (c *cache) lookup(pcs []int32, flags uint8) (int32, error) {
	if len(pcs) == 0 {
		return 0, nil
	}
	flags &= c.m.flagMask
	k := append(c.key[:0], flags)
	for _, pc := range pcs {
		k = binary.LittleEndian.AppendUint32(k, uint32(pc))
	}
	c.key = k
	if row, ok := c.index[string(k)]; ok {
		return row, nil
	}
	if c.mem > c.budget {
		return 0, errCacheFull
	}
	row := c.addState(pcs, flags)
	c.index[string(k)] = row
	c.mem += len(k)
	return row, nil
}

// start returns the start row for a scan whose first position has the
// given context flags.
func (c *cache) start(flags uint8) (int32, error) {
	flags &= c.m.flagMask
	if r := c.starts[flags]; r >= 0 {
		return r, nil
	}
	r, err := c.lookup([]int32{c.m.p.start}, flags)
	if err != nil {
		return 0, err
	}
	c.starts[flags] = r
	return r, nil
}

// step computes and records the transition of row on class cl.
func (c *cache) step(row int32, cl int) (int32, error) {
	m := c.m
	st := c.states[int(row)/m.stride]
	next := -1 // end of text
	if cl < m.nclass {
		next = int(m.rep[cl])
	}
	// Empty-width closure, in priority order.
	c.dense = c.dense[:0]
	list := c.list[:0]
	matched := false
	p := m.p
closure:
	for _, pc := range st.pcs {
		c.stack = append(c.stack[:0], pc)
		for len(c.stack) > 0 {
			pc := c.stack[len(c.stack)-1]
			c.stack = c.stack[:len(c.stack)-1]
			if i := c.seen[pc]; int(i) < len(c.dense) && c.dense[i] == pc {
				continue
			}
			c.seen[pc] = uint32(len(c.dense))
			c.dense = append(c.dense, pc)
			in := &p.inst[pc]
			switch in.op {
			case opSet:
				list = append(list, pc)
			case opMatch:
				matched = true
				if !m.longest {
					break closure // lower-priority threads are cut
				}
			case opSplit:
				c.stack = append(c.stack, in.out1, in.out)
			case opAssert:
				if holds(in.assert, st.flags, next) {
					c.stack = append(c.stack, in.out)
				}
			case opNop:
				c.stack = append(c.stack, in.out)
			}
		}
	}
	c.list = list
	var t int32
	if next >= 0 {
		// Step every thread that accepts the byte.
		b := byte(next)
		c.dense = c.dense[:0]
		nx := c.next[:0]
		for _, pc := range list {
			in := &p.inst[pc]
			if !p.sets[in.set].has(b) {
				continue
			}
			o := in.out
			if i := c.seen[o]; int(i) < len(c.dense) && c.dense[i] == o {
				continue
			}
			c.seen[o] = uint32(len(c.dense))
			c.dense = append(c.dense, o)
			nx = append(nx, o)
		}
		c.next = nx
		r, err := c.lookup(nx, flagsAfter(b))
		if err != nil {
			return 0, err
		}
		t = r << 1
	}
	if matched {
		t |= 1
	}
	c.trans[int(row)+cl] = t
	return t, nil
}

// forward returns the end of the leftmost-first match in text that starts
// at or after pos, or -1.
func (c *cache) forward(text []byte, pos int) (int, error) {
	var f uint8 = fBegin
	if pos > 0 {
		f = flagsAfter(text[pos-1])
	}
	row, err := c.start(f)
	if err != nil {
		return 0, err
	}
	m := c.m
	end := -1
	trans := c.trans
	for i := pos; i < len(text); i++ {
		cl := int(m.cls[text[i]])
		t := trans[int(row)+cl]
		if t < 0 {
			if t, err = c.step(row, cl); err != nil {
				return 0, err
			}
			trans = c.trans
		}
		if t&1 != 0 {
			end = i
		}
		row = t >> 1
		if row == 0 {
			return end, nil
		}
	}
	t := trans[int(row)+m.nclass]
	if t < 0 {
		if t, err = c.step(row, m.nclass); err != nil {
			return 0, err
		}
	}
	if t&1 != 0 {
		end = len(text)
	}
	return end, nil
}

// reverse returns the smallest s >= pos such that text[s:end] matches
// (the machine runs a reversed program, longest match), or -1.
func (c *cache) reverse(text []byte, pos, end int) (int, error) {
	var f uint8 = fBegin
	if end < len(text) {
		f = flagsAfter(text[end])
	}
	row, err := c.start(f)
	if err != nil {
		return 0, err
	}
	m := c.m
	start := -1
	trans := c.trans
	for i := end - 1; i >= pos; i-- {
		cl := int(m.cls[text[i]])
		t := trans[int(row)+cl]
		if t < 0 {
			if t, err = c.step(row, cl); err != nil {
				return 0, err
			}
			trans = c.trans
		}
		if t&1 != 0 {
			start = i + 1
		}
		row = t >> 1
		if row == 0 {
			return start, nil
		}
	}
	// At pos: the byte before it is context only.
	cl := m.nclass
	if pos > 0 {
		cl = int(m.cls[text[pos-1]])
	}
	t := trans[int(row)+cl]
	if t < 0 {
		if t, err = c.step(row, cl); err != nil {
			return 0, err
		}
	}
	if t&1 != 0 {
		start = pos
	}
	return start, nil
}
