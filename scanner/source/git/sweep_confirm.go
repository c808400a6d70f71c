package git

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"sort"

	"github.com/leakguard/leakguard/scanner"
	"github.com/leakguard/leakguard/scanner/source/git/pack"
)

// confirm scans in full, with the real scanner, every (blob, path) the
// candidate pass could not rule out, and attributes the findings as the
// blob engine does (state.attribute).
func (h *History) confirm(ctx context.Context, sc *scanner.Scanner, o *objectStore, hist *history, cs *candidates, msgFound []scanner.Finding) ([]scanner.Finding, scanner.Summary, Stats, error) {
	st := newState(h)
	st.commits = make([]commitRec, len(hist.commits))
	for i, c := range hist.commits {
		st.commits[i] = commitRec{sha: hex.EncodeToString(c.oid[:]), ct: c.ct}
	}
	oidOf := func(b blobID) []byte {
		if int(b) < o.set.Len() {
			return o.set.OID(pack.ID(b))
		}
		return hist.extra[int(b)-o.set.Len()]
	}
	flags := func(b blobID) uint8 {
		if int(b) < o.set.Len() {
			return cs.flags[b]
		}
		return flagCandidate // only git could read it: scan it whole
	}
	// Path-only rules report a file by its path: find the paths they
	// report, whatever their content.
	probed, err := h.probePaths(ctx, sc, hist)
	if err != nil {
		return nil, scanner.Summary{}, Stats{}, err
	}
	candidate := func(b blobID, path int32) bool {
		f := flags(b)
		return f&flagCandidate != 0 || probed[path]
	}
	var stats Stats
	var want []int32
	unitFor := func(b blobID, path int32) int32 {
		id := st.unitID(hex.EncodeToString(oidOf(b)), hist.paths[path])
		if !candidate(b, path) {
			// Nothing can be found in it: as good as scanned.
			st.units[id].requested = true
		}
		return id
	}
	skipped := map[int32]bool{}
	for _, ch := range hist.changes {
		c := change{commit: ch.commit, unit: unitFor(ch.blob, ch.path), olds: make([]int32, ch.nOld)}
		for i := range c.olds {
			c.olds[i] = -1
			if ob := hist.olds[int(ch.oldAt)+i]; ob != noBlob {
				c.olds[i] = unitFor(ob, ch.path)
			}
		}
		st.changes = append(st.changes, c)
		u := &st.units[c.unit]
		if !u.requested {
			want = append(want, c.unit)
			u.requested = true
		}
		// What the candidate pass skipped on purpose is reported as the
		// blob engine reports it: once per (blob, path).
		if f := flags(ch.blob); f&(flagBinary|flagTooLarge) != 0 && !skipped[c.unit] && h.Skip != nil {
			skipped[c.unit] = true
			reason := "binary"
			if f&flagTooLarge != 0 {
				reason = "larger than --max-file-size"
			}
			h.Skip(hist.paths[ch.path], reason)
		}
	}
	for id := range st.units {
		if st.units[id].requested {
			stats.Blobs++
		}
	}
	stats.Candidates = len(want)
	pr := &packReader{r: o.newReader(32 << 20), h: hist, set: o.set}
	var unread []Unreadable
	scan := func(units []int32) ([]scanner.Finding, scanner.Summary, error) {
		src := &blobSource{repo: h.Repo, st: st, max: h.MaxFileSize, skip: h.Skip,
			open: func(context.Context) (objectReader, error) { return pr, nil },
			produce: func(ctx context.Context, emit func(item) error) error {
				for _, id := range units {
					if err := emit(st.blobItem(id)); err != nil {
						return err
					}
				}
				return nil
			}}
		fs, sum, err := sc.Scan(ctx, src)
		unread = append(unread, src.unread...)
		return fs, sum, err
	}
	found, sum, err := scan(want)
	if err != nil {
		return nil, sum, stats, err
	}
	st.assign(found)
	// Renames (git's -M) keep the introducer: for the changes that found
	// something on a path some parent lacked, ask git where it came from.
	isCandidate := func(oid string, path string) bool {
		raw, err := hex.DecodeString(oid)
		if err != nil {
			return true
		}
		b := blobID(-1)
		if id, ok := o.set.Find(raw); ok {
			b = blobID(id)
		} else {
			return true
		}
		pid, ok := hist.pathID[path]
		return flags(b)&flagCandidate != 0 || (ok && probed[pid])
	}
	if err := h.renames(ctx, st, isCandidate); err != nil {
		return nil, sum, stats, err
	}
	if refs := st.missingParents(); len(refs) > 0 {
		more, sum2, err := scan(refs)
		if err != nil {
			return nil, sum, stats, err
		}
		sum.Fragments += sum2.Fragments
		sum.Bytes += sum2.Bytes
		st.assign(more)
	}
	st.assign(msgFound)
	stats.Fallbacks = pr.r.fallbacks
	stats.Unreadable = st.locate(unread)
	out, err := st.attribute(ctx, sc.Detector())
	return out, sum, stats, err
}

// probePaths returns the paths that path-only rules report.
func (h *History) probePaths(ctx context.Context, sc *scanner.Scanner, hist *history) (map[int32]bool, error) {
	hasPathRule := false
	for _, r := range sc.Detector().Rules().Rules {
		if r.Regex == "" && r.Path != nil {
			hasPathRule = true
		}
	}
	out := map[int32]bool{}
	if !hasPathRule {
		return out, nil
	}
	frags := make([]scanner.Fragment, 0, len(hist.paths))
	ids := sort.StringSlice(nil)
	_ = ids
	for _, p := range hist.paths {
		frags = append(frags, scanner.Fragment{Origin: scanner.Origin{Kind: scanner.KindBlob, Path: p}})
	}
	fs, _, err := sc.Scan(ctx, scanner.SliceSource(frags...))
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		if id, ok := hist.pathID[f.Path]; ok {
			out[id] = true
		}
	}
	return out, nil
}

// renames replaces, for the changes that found something on a path a
// parent lacked, the parents' versions with those git's rename detection
// (-M, as the blob engine runs it) names.
func (h *History) renames(ctx context.Context, st *state, isCandidate func(oid, path string) bool) error {
	need := map[int32]bool{}
	for _, c := range st.changes {
		if len(st.units[c.unit].findings) == 0 {
			continue
		}
		for _, o := range c.olds {
			if o < 0 {
				need[c.commit] = true
			}
		}
	}
	if len(need) == 0 {
		return nil
	}
	var in bytes.Buffer
	for ci := range need {
		in.WriteString(st.commits[ci].sha)
		in.WriteByte('\n')
	}
	args := []string{"log", "--no-color", "--no-abbrev", "--raw", "-z", "-c", "-M", "--root",
		"--no-show-signature", "--no-mailmap", "--no-walk=unsorted", "--stdin", logFormat, "--"}
	out, err := h.Repo.output(ctx, in.Bytes(), args...)
	if err != nil {
		return fmt.Errorf("rename detection: %w", err)
	}
	st2 := newState(h)
	noMsgs := *h
	noMsgs.NoMessages = true
	st2.h = &noMsgs
	if err := st2.parseLog(bufio.NewReader(bytes.NewReader(out)), func(item) error { return nil }); err != nil {
		return fmt.Errorf("rename detection: %w", err)
	}
	commitIdx := map[string]int32{}
	for ci := range need {
		commitIdx[st.commits[ci].sha] = ci
	}
	type key struct {
		commit int32
		unit   int32
	}
	at := map[key]int{}
	for i, c := range st.changes {
		if need[c.commit] {
			at[key{c.commit, c.unit}] = i
		}
	}
	for _, c2 := range st2.changes {
		ci, ok := commitIdx[st2.commits[c2.commit].sha]
		if !ok {
			continue
		}
		k2 := st2.units[c2.unit].key
		uid, ok := st.byKey[k2]
		if !ok {
			continue
		}
		i, ok := at[key{ci, uid}]
		if !ok {
			continue
		}
		c := &st.changes[i]
		for j, o2 := range c2.olds {
			if j >= len(c.olds) || c.olds[j] >= 0 || o2 < 0 {
				continue
			}
			ok2 := st2.units[o2].key
			id := st.unitID(ok2.blob, ok2.path)
			if !isCandidate(ok2.blob, ok2.path) {
				st.units[id].requested = true
			}
			c.olds[j] = id
		}
	}
	return nil
}
