package git

import (
	"bytes"
	"context"
	"hash/maphash"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/leakguard/leakguard/scanner"
	"github.com/leakguard/leakguard/scanner/source/git/pack"
)

// The candidate pass. A pack stores each blob whole (a base) or as a
// delta against another object: copies of the base's bytes and inserted
// bytes. Walking each pack's delta forest from its bases, every version
// is built once from its base, and only what it changes is scanned: the
// lines holding an insert or a seam between two copies that were not
// next to each other in the base, with contextLines lines around them.
// A base is scanned whole. What the candidate scanner reports in a
// version (a region of its bytes) carries over to a version built from it
// when a single copy holds that region whole; a region a copy cuts
// makes the version a candidate outright.
//
// A version is a candidate when anything is reported in it; candidates
// are scanned in full by the real scanner afterwards.

// contextLines is how many unchanged lines around a change are scanned
// with it: enough for a secret whose match spans a line break next to
// the change (a key on one line, its value on the next).
const contextLines = 1

// blob flags of the candidate pass.
const (
	flagCandidate uint8 = 1 << iota
	flagBinary
	flagTooLarge
	flagDone
	flagFailed // could not be built from the pack: read through git
)

// region is a byte range of a version that the candidate scanner
// reported something in.
type region struct{ lo, hi int }

// candidates runs the candidate pass over the reachable blobs.
type candidates struct {
	set   *pack.Set
	cand  *scanner.Scanner
	reach []bool // per pack.ID
	max   int64
	flags []uint8 // per pack.ID
	seen  windowSet
	seed  maphash.Seed

	// children in CSR form, per pack.ID; sub marks entries whose subtree
	// holds a reachable blob.
	start []int32
	kids  []int32
	sub   []bool
	roots []pack.ID

	bytes   atomic.Int64 // bytes given to the candidate scanner
	built   atomic.Int64 // versions built
	builtSz atomic.Int64 // their bytes
}

func newCandidates(set *pack.Set, cand *scanner.Scanner, reach []bool, max int64) *candidates {
	c := &candidates{set: set, cand: cand, reach: reach, max: max, flags: make([]uint8, set.Len()), seed: maphash.MakeSeed()}
	c.forest()
	return c
}

// forest links every blob entry to its delta children.
func (c *candidates) forest() {
	n := c.set.Len()
	c.start = make([]int32, n+1)
	parent := make([]int32, n)
	for id := 0; id < n; id++ {
		parent[id] = -1
		obj, stored, _, base := c.set.Info(pack.ID(id))
		if obj != pack.Blob {
			continue
		}
		if stored.IsDelta() && base >= 0 {
			if bobj, bst, _, _ := c.set.Info(base); bobj == pack.Blob || bst.IsDelta() {
				parent[id] = int32(base)
				c.start[base+1]++
				continue
			}
		}
		c.roots = append(c.roots, pack.ID(id))
	}
	// A reachable blob whose chain leaves the packs' forest is a root
	// (built through the resolver, or through git).
	for id := 0; id < n; id++ {
		if c.reach[id] && parent[id] < 0 {
			if obj, _, _, _ := c.set.Info(pack.ID(id)); obj != pack.Blob {
				c.roots = append(c.roots, pack.ID(id))
			}
		}
	}
	for i := 1; i <= n; i++ {
		c.start[i] += c.start[i-1]
	}
	c.kids = make([]int32, c.start[n])
	fill := append([]int32(nil), c.start[:n]...)
	for id, p := range parent {
		if p >= 0 {
			c.kids[fill[p]] = int32(id)
			fill[p]++
		}
	}
	// sub: post-order over the forest, iteratively.
	c.sub = make([]bool, n)
	type item struct {
		id   int32
		next int32
	}
	var stack []item
	for _, r := range c.roots {
		stack = append(stack[:0], item{int32(r), c.start[r]})
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next < c.start[top.id+1] {
				k := c.kids[top.next]
				top.next++
				stack = append(stack, item{k, c.start[k]})
				continue
			}
			id := top.id
			stack = stack[:len(stack)-1]
			s := c.reach[id]
			for j := c.start[id]; j < c.start[id+1] && !s; j++ {
				s = c.sub[c.kids[j]]
			}
			c.sub[id] = s
		}
	}
	// Roots whose subtree is not needed are dropped.
	kept := c.roots[:0]
	for _, r := range c.roots {
		if c.sub[r] {
			kept = append(kept, r)
		}
	}
	c.roots = kept
}

// run walks the forest on all CPUs.
func (c *candidates) run(ctx context.Context, progress func(objects int, bytes int64)) error {
	roots := make(chan pack.ID, 64)
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &candWorker{c: c, res: c.set.NewResolver(8 << 20)}
			for r := range roots {
				w.root(ctx, r)
				if progress != nil {
					progress(int(c.built.Load()), c.builtSz.Load())
				}
			}
		}()
	}
	var err error
	for _, r := range c.roots {
		if err = ctx.Err(); err != nil {
			break
		}
		roots <- r
	}
	close(roots)
	wg.Wait()
	return err
}

// candWorker is one goroutine of the candidate pass.
type candWorker struct {
	c     *candidates
	res   *pack.Resolver
	free  [][]byte // content buffers not in use
	delta []byte
	ops   []pack.Op
	wins  []region
	batch []byte
	lmap  []int
	fresh []int // indices into wins scanned now
}

func (w *candWorker) fail(id pack.ID) {
	// The version cannot be built: it and everything built from it are
	// read through git and scanned whole.
	stack := []int32{int32(id)}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		w.c.flags[x] |= flagFailed | flagCandidate | flagDone
		stack = append(stack, w.c.kids[w.c.start[x]:w.c.start[x+1]]...)
	}
}

func (w *candWorker) root(ctx context.Context, id pack.ID) {
	_, data, err := w.res.Object(id)
	if err != nil {
		w.fail(id)
		return
	}
	w.c.built.Add(1)
	w.c.builtSz.Add(int64(len(data)))
	ms := w.scanWhole(ctx, id, data)
	w.visit(ctx, id, data, ms, 0, false) // data belongs to the resolver
}

// getBuf returns a free buffer of capacity n or more, or nil.
func (w *candWorker) getBuf(n int) []byte {
	best := -1
	for i, b := range w.free {
		if cap(b) >= n && (best < 0 || cap(b) < cap(w.free[best])) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	b := w.free[best]
	w.free[best] = w.free[len(w.free)-1]
	w.free = w.free[:len(w.free)-1]
	return b
}

// putBuf keeps a buffer for reuse, within a bound.
func (w *candWorker) putBuf(b []byte) {
	if cap(b) == 0 || cap(b) > 16<<20 || len(w.free) >= 8 {
		return
	}
	w.free = append(w.free, b[:0])
}

// visit builds and scans the children of id (whose content is data and
// whose reported regions are ms). Data is owned by visit when own is set:
// it is released as soon as the last child is built from it, so that a
// delta chain holds two versions at a time, not its whole depth.
func (w *candWorker) visit(ctx context.Context, id pack.ID, data []byte, ms []region, depth int, own bool) {
	c := w.c
	last := c.start[id] - 1
	for j := c.start[id]; j < c.start[id+1]; j++ {
		if c.sub[c.kids[j]] {
			last = j
		}
	}
	for j := c.start[id]; j < c.start[id+1]; j++ {
		kid := pack.ID(c.kids[j])
		if !c.sub[kid] || ctx.Err() != nil {
			continue
		}
		_, e := c.set.Split(kid)
		k := c.set.PackIndexOf(kid)
		delta, err := w.res.Reader(k).Data(e, w.delta)
		if err != nil {
			w.fail(kid)
			continue
		}
		w.delta = delta
		ops, src, size, err := pack.Decode(delta, w.ops)
		if err != nil {
			w.fail(kid)
			continue
		}
		w.ops = ops
		out, err := pack.Build(data, ops, src, size, w.getBuf(size))
		if err != nil {
			w.fail(kid)
			continue
		}
		c.built.Add(1)
		c.builtSz.Add(int64(len(out)))
		kms := w.scanDelta(ctx, kid, out, ops, ms)
		if j == last && own {
			w.putBuf(data) // not needed by any other child
			own = false
		}
		w.visit(ctx, kid, out, kms, depth+1, true)
	}
	if own {
		w.putBuf(data)
	}
}

// skip reports whether a version is not scanned (too large, binary) and
// flags it so.
func (w *candWorker) skip(id pack.ID, data []byte) bool {
	c := w.c
	c.flags[id] |= flagDone
	if c.max > 0 && int64(len(data)) > c.max {
		c.flags[id] |= flagTooLarge
		return true
	}
	if scanner.IsBinary(data) {
		c.flags[id] |= flagBinary
		return true
	}
	return false
}

// scanWhole scans a base whole and returns the regions reported in it.
func (w *candWorker) scanWhole(ctx context.Context, id pack.ID, data []byte) []region {
	if w.skip(id, data) {
		return nil
	}
	w.c.bytes.Add(int64(len(data)))
	fs, err := w.c.cand.Findings(ctx, scanner.Fragment{Data: data, Origin: scanner.Origin{Kind: scanner.KindBlob}})
	if err != nil || len(fs) == 0 {
		return nil
	}
	w.c.flags[id] |= flagCandidate
	return lineRegions(data, fs)
}

// lineRegions turns findings of a whole-content scan into regions: their
// lines, with contextLines lines around.
func lineRegions(data []byte, fs []scanner.Finding) []region {
	var starts []int // offsets of line starts, built once
	starts = append(starts, 0)
	for i, b := range data {
		if b == '\n' && i+1 < len(data) {
			starts = append(starts, i+1)
		}
	}
	var out []region
	for _, f := range fs {
		sl := max(f.StartLine-1-contextLines, 0)
		el := f.EndLine - 1 + contextLines + 1
		if f.StartLine == 0 {
			sl, el = 0, len(starts) // a path-only or odd finding: the whole
		}
		lo := starts[min(sl, len(starts)-1)]
		hi := len(data)
		if el < len(starts) {
			hi = starts[el]
		}
		out = append(out, region{lo, hi})
	}
	return out
}

// scanDelta scans what a version built by ops changes, and returns its
// reported regions: the base's regions a copy carries whole, and the
// changed windows the candidate scanner reports something in.
func (w *candWorker) scanDelta(ctx context.Context, id pack.ID, data []byte, ops []pack.Op, base []region) []region {
	c := w.c
	if w.skip(id, data) {
		return nil
	}
	var out []region
	cut := false
	// The base's regions: carried by a copy that holds one whole, cut
	// by a copy that holds part of one.
	if len(base) > 0 {
		pos := 0
		for _, op := range ops {
			if op.Insert == nil {
				for _, r := range base {
					lo, hi := max(r.lo, op.SrcOff), min(r.hi, op.SrcOff+op.Len)
					if lo >= hi {
						continue
					}
					if lo == r.lo && hi == r.hi {
						out = append(out, region{pos + r.lo - op.SrcOff, pos + r.hi - op.SrcOff})
					} else {
						cut = true
					}
				}
			}
			pos += op.Len
		}
	}
	if cut {
		// Something reported in the base is partly rewritten: scan this
		// version whole (which also finds its regions exactly).
		c.flags[id] |= flagCandidate
		return w.scanWholeKnown(ctx, data)
	}
	// Changed windows.
	w.wins = w.wins[:0]
	pos, prevEnd := 0, -1
	for _, op := range ops {
		switch {
		case op.Insert != nil:
			w.addWindow(data, pos, pos+op.Len)
			prevEnd = -1
		case prevEnd >= 0 && prevEnd != op.SrcOff:
			w.addWindow(data, pos-1, pos+1) // a seam between two copies
			prevEnd = op.SrcOff + op.Len
		default:
			prevEnd = op.SrcOff + op.Len
		}
		pos += op.Len
	}
	// Scan the windows not seen before in one fragment.
	w.batch, w.lmap, w.fresh = w.batch[:0], w.lmap[:0], w.fresh[:0]
	hashes := make([]uint64, len(w.wins))
	for i, r := range w.wins {
		h := maphash.Bytes(c.seed, data[r.lo:r.hi])
		hashes[i] = h
		if seen, hit := c.seen.lookup(h); seen {
			if hit {
				out = append(out, r)
			}
			continue
		}
		w.fresh = append(w.fresh, i)
		w.batch = append(w.batch, data[r.lo:r.hi]...)
		for n := bytes.Count(data[r.lo:r.hi], []byte{'\n'}); n > 0; n-- {
			w.lmap = append(w.lmap, i)
		}
		if r.hi == len(data) && (r.hi == r.lo || data[r.hi-1] != '\n') {
			w.lmap = append(w.lmap, i) // the last line has no newline
		}
	}
	if len(w.fresh) > 0 {
		c.bytes.Add(int64(len(w.batch)))
		fs, err := c.cand.Findings(ctx, scanner.Fragment{Data: w.batch, Origin: scanner.Origin{Kind: scanner.KindBlob, LineMap: w.lmap}})
		hit := map[int]bool{}
		if err == nil {
			for _, f := range fs {
				for l := f.StartLine; l <= f.EndLine && l < len(w.wins); l++ {
					hit[l] = true
				}
			}
		}
		for _, i := range w.fresh {
			c.seen.add(hashes[i], hit[i])
			if hit[i] {
				out = append(out, w.wins[i])
			}
		}
	}
	if len(out) > 0 {
		c.flags[id] |= flagCandidate
	}
	return out
}

// scanWholeKnown scans a version whole after skip has passed.
func (w *candWorker) scanWholeKnown(ctx context.Context, data []byte) []region {
	w.c.bytes.Add(int64(len(data)))
	fs, err := w.c.cand.Findings(ctx, scanner.Fragment{Data: data, Origin: scanner.Origin{Kind: scanner.KindBlob}})
	if err != nil {
		return []region{{0, len(data)}}
	}
	return lineRegions(data, fs)
}

// addWindow adds the lines holding [lo, hi), with contextLines lines
// around.
func (w *candWorker) addWindow(data []byte, lo, hi int) {
	lo, hi = max(lo, 0), min(hi, len(data))
	for n := 0; n <= contextLines; n++ {
		if n > 0 && lo > 0 {
			lo--
		}
		if i := bytes.LastIndexByte(data[:lo], '\n'); i >= 0 {
			lo = i + 1
		} else {
			lo = 0
		}
	}
	for n := 0; n <= contextLines; n++ {
		if hi >= len(data) {
			hi = len(data)
			break
		}
		if n > 0 || (hi > 0 && data[hi-1] != '\n') || hi == lo {
			if i := bytes.IndexByte(data[hi:], '\n'); i >= 0 {
				hi += i + 1
			} else {
				hi = len(data)
			}
		}
	}
	// Windows are not merged: each holds its change with its context, so
	// that the same change with the same context, recurring in another
	// version, is recognised whole.
	if n := len(w.wins); n > 0 && lo == w.wins[n-1].lo && hi == w.wins[n-1].hi {
		return
	}
	w.wins = append(w.wins, region{lo, hi})
}

// total returns how many versions the pass builds.
func (c *candidates) total() int {
	n := 0
	for _, s := range c.sub {
		if s {
			n++
		}
	}
	return n
}
