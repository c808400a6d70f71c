package git

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/leakguard/leakguard/scanner/source/git/pack"
)

// The pack engine's view of history: commits in git log order, and for
// each one the blobs it brings: paths whose version differs from every
// parent's (for a merge, git's combined diff -c), each with the
// parents' versions at that path.

// sweepCommit is one commit of the walk.
type sweepCommit struct {
	oid [pack.HashLen]byte
	ct  int64
}

// blobID names a blob: a pack.ID when a pack holds it, else set.Len()+k
// for the k-th blob only git could read.
type blobID int32

const noBlob blobID = -1

// sweepChange is one path a commit changed. olds[oldAt:oldAt+nOld] are
// the parents' blobs at the path (noBlob: the parent lacked it), in
// parent order.
type sweepChange struct {
	commit int32
	path   int32
	blob   blobID
	oldAt  int32
	nOld   int32
}

// history is what the walk collects.
type history struct {
	commits []sweepCommit
	changes []sweepChange
	olds    []blobID
	paths   []string
	pathID  map[string]int32
	extra   [][]byte          // oids of blobs no pack holds
	extraID map[string]blobID // hex-free key: string(oid)
	reach   []bool            // per pack.ID: a reachable blob
}

func newHistory(n int) *history {
	return &history{pathID: map[string]int32{}, extraID: map[string]blobID{}, reach: make([]bool, n)}
}

func (h *history) intern(p []byte) int32 {
	if id, ok := h.pathID[string(p)]; ok {
		return id
	}
	s := string(p)
	id := int32(len(h.paths))
	h.paths = append(h.paths, s)
	h.pathID[s] = id
	return id
}

// walker diffs commits' trees.
type walker struct {
	h    *history
	r    *reader
	set  *pack.Set
	path []byte
	// trees of the commits read so far (commit oid -> tree oid), so that
	// a parent's tree is found without reading the parent again.
	treeOf map[[pack.HashLen]byte][pack.HashLen]byte
}

func (w *walker) blob(oid []byte) blobID {
	if id, ok := w.set.Find(oid); ok {
		w.h.reach[id] = true
		return blobID(id)
	}
	if id, ok := w.h.extraID[string(oid)]; ok {
		return id
	}
	id := blobID(w.set.Len() + len(w.h.extra))
	w.h.extra = append(w.h.extra, append([]byte(nil), oid...))
	w.h.extraID[string(oid)] = id
	return id
}

// commitTree returns a commit's tree, reading the commit unless its tree
// is known (parsed is false) and it is only wanted as a parent.
func (w *walker) commitTree(oid []byte, parsed bool) ([]byte, *commitObj, error) {
	var k [pack.HashLen]byte
	copy(k[:], oid)
	if t, ok := w.treeOf[k]; ok && !parsed {
		return t[:], nil, nil
	}
	data, err := w.r.read(oid, pack.Commit)
	if err != nil {
		return nil, nil, err
	}
	c, err := parseCommit(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%x: %w", oid, err)
	}
	var t [pack.HashLen]byte
	copy(t[:], c.tree)
	w.treeOf[k] = t
	return t[:], &c, nil
}

// diffCommit records what commit ci brings over its parents.
func (w *walker) diffCommit(ci int32, tree []byte, parents [][]byte) error {
	olds := make([][]byte, len(parents))
	for i, p := range parents {
		t, _, err := w.commitTree(p, false)
		if err != nil {
			return fmt.Errorf("parent %x: %w", p, err)
		}
		olds[i] = t
	}
	w.path = w.path[:0]
	return w.diffTrees(ci, tree, olds)
}

// diffTrees records the blobs under tree (at w.path) that differ from
// every one of olds (tree ids; nil: the parent has no tree there).
func (w *walker) diffTrees(ci int32, tree []byte, olds [][]byte) error {
	for _, o := range olds {
		if o != nil && bytes.Equal(o, tree) {
			return nil // identical to a parent: nothing new below
		}
	}
	cur, err := w.r.read(tree, pack.Tree)
	if err != nil {
		return fmt.Errorf("tree %x at %q: %w", tree, w.path, err)
	}
	// What differs from the first parent, then what of that also
	// differs from each other parent.
	var diffs []entryDiff
	n := len(olds)
	for i, o := range olds {
		var od []byte
		if o != nil {
			if od, err = w.r.read(o, pack.Tree); err != nil {
				return fmt.Errorf("tree %x at %q: %w", o, w.path, err)
			}
		}
		if i == 0 {
			err = levelDiff(cur, od, func(e, p treeEntry, has bool) {
				d := entryDiff{e: e, olds: make([]treeEntry, n), has: make([]bool, n)}
				d.olds[0], d.has[0] = p, has
				diffs = append(diffs, d)
			})
		} else {
			k := 0
			kept := diffs[:0]
			err = levelDiff(cur, od, func(e, p treeEntry, has bool) {
				for k < len(diffs) && compareEntries(&diffs[k].e, &e) < 0 {
					k++ // same as parent i: not a combined change
				}
				if k < len(diffs) && bytes.Equal(diffs[k].e.name, e.name) && diffs[k].e.isTree() == e.isTree() {
					diffs[k].olds[i], diffs[k].has[i] = p, has
					kept = append(kept, diffs[k])
					k++
				}
			})
			diffs = kept
		}
		if err != nil {
			return fmt.Errorf("tree %x at %q: %w", tree, w.path, err)
		}
		if len(diffs) == 0 {
			return nil
		}
	}
	if n == 0 {
		err = levelDiff(cur, nil, func(e, _ treeEntry, _ bool) { diffs = append(diffs, entryDiff{e: e}) })
		if err != nil {
			return fmt.Errorf("tree %x at %q: %w", tree, w.path, err)
		}
	}
	base := len(w.path)
	for _, d := range diffs {
		e := &d.e
		w.path = append(w.path[:base], e.name...)
		if e.isTree() {
			sub := make([][]byte, n)
			for i := range sub {
				if d.has[i] && d.olds[i].isTree() {
					sub[i] = d.olds[i].oid
				}
			}
			w.path = append(w.path, '/')
			if err := w.diffTrees(ci, e.oid, sub); err != nil {
				return err
			}
			continue
		}
		ch := sweepChange{commit: ci, path: w.h.intern(w.path), blob: w.blob(e.oid), oldAt: int32(len(w.h.olds)), nOld: int32(n)}
		for i := 0; i < n; i++ {
			ob := noBlob
			if d.has[i] && d.olds[i].isBlob() {
				ob = w.blob(d.olds[i].oid)
			}
			w.h.olds = append(w.h.olds, ob)
		}
		w.h.changes = append(w.h.changes, ch)
	}
	w.path = w.path[:base]
	return nil
}

// entryDiff is an entry of the new tree that differs from the parents',
// with each parent's entry of that name (has[i]: parent i has one).
type entryDiff struct {
	e    treeEntry
	olds []treeEntry
	has  []bool
}

// levelDiff calls fn, in order, for each blob or tree entry of cur that
// old (one level, possibly nil) lacks or holds differently, with old's
// entry of that name. Submodules are skipped. Most entries of a tree are
// byte for byte those of the parent's: they are compared raw, and
// parsed only when they differ.
func levelDiff(cur, old []byte, fn func(e, o treeEntry, has bool)) error {
	var o treeEntry
	haveO := false // o is parsed and not consumed
	for len(cur) > 0 {
		if !haveO {
			nul := bytes.IndexByte(cur, 0)
			if nul < 0 || nul+1+pack.HashLen > len(cur) {
				return errTreeFormat
			}
			if n := nul + 1 + pack.HashLen; len(old) >= n && bytes.Equal(old[:n], cur[:n]) {
				cur, old = cur[n:], old[n:]
				continue
			}
		}
		e, rest, err := nextEntry(cur)
		if err != nil {
			return err
		}
		cur = rest
		// Align old on e: drop the entries that sort before it.
		for {
			if !haveO {
				if len(old) == 0 {
					break
				}
				if o, old, err = nextEntry(old); err != nil {
					return err
				}
				haveO = true
			}
			if sameName(&o, &e) || compareEntries(&o, &e) > 0 {
				break
			}
			haveO = false
		}
		has := haveO && sameName(&o, &e)
		if has {
			haveO = false
			if bytes.Equal(o.oid, e.oid) && o.isTree() == e.isTree() {
				continue // same object, perhaps another mode
			}
		}
		if e.mode == modeGitlink || !(e.isTree() || e.isBlob()) {
			continue
		}
		fn(e, o, has)
	}
	return nil
}

// revList streams `git rev-list --parents revs` and calls fn for each
// commit in git log order.
func revList(ctx context.Context, r *Repo, revs []string, fn func(oid []byte, parents [][]byte) error) error {
	args := append(append([]string{"rev-list", "--parents"}, revs...), "--")
	cmd := r.command(ctx, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start git rev-list: %w", err)
	}
	br := bufferedLines(out)
	var perr error
	for {
		line, err := br.ReadString('\n')
		if len(line) > 0 && perr == nil {
			f := strings.Fields(line)
			ids := make([][]byte, 0, len(f))
			for _, s := range f {
				b, err := hex.DecodeString(s)
				if err != nil || len(b) != pack.HashLen {
					perr = fmt.Errorf("%w: rev-list line %q", errLogFormat, clip([]byte(line)))
					break
				}
				ids = append(ids, b)
			}
			if perr == nil && len(ids) > 0 {
				perr = fn(ids[0], ids[1:])
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) && perr == nil {
				perr = err
			}
			break
		}
		if perr != nil {
			_, _ = io.Copy(io.Discard, br)
			break
		}
	}
	werr := cmd.Wait()
	if perr != nil {
		return perr
	}
	if werr != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return gitError(args, werr, stderr.Bytes())
	}
	return nil
}
