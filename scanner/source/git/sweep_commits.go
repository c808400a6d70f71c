package git

import (
	"bytes"
	"container/heap"
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/leakguard/leakguard/scanner/source/git/pack"
)

// For a full sweep the pack engine walks the commits itself, in the order
// `git log` lists them (newest committer date first; commits of equal
// date in the order they were reached), from the refs git log would
// start from. Other revision arguments (ranges, dates) go through
// `git rev-list`.

// ownWalk reports whether the engine can walk revs itself: the default
// refs or --all, no replace refs or grafts.
func (h *History) ownWalk() bool {
	if len(h.Revs) > 0 || h.Since != "" || h.Until != "" {
		return false
	}
	if _, err := os.Stat(filepath.Join(h.Repo.GitDir, "info", "grafts")); err == nil {
		return false
	}
	return true
}

// hasReplaceRefs reports whether git would substitute objects (refs/replace).
func (h *History) hasReplaceRefs(ctx context.Context) bool {
	if os.Getenv("GIT_NO_REPLACE_OBJECTS") != "" {
		return false
	}
	out, err := h.Repo.output(ctx, nil, "for-each-ref", "--count=1", "--format=%(refname)", "refs/replace/")
	return err != nil || len(bytes.TrimSpace(out)) > 0
}

// tips returns the commits a full sweep starts from, in git's order:
// branches, tags, HEAD (or every ref, then HEAD, with All).
func (h *History) tips(ctx context.Context, r *reader) ([][]byte, error) {
	args := []string{"for-each-ref", "--format=%(objectname) %(objecttype)"}
	switch {
	case h.broken != nil:
		// Some refs point to missing objects: the readable ones by name.
		if len(h.refs) == 0 {
			args = nil
		}
		args = append(args, h.refs...)
	case !h.All:
		args = append(args, "refs/heads/", "refs/tags/")
	}
	var out []byte
	if args != nil {
		var err error
		if out, err = h.Repo.output(ctx, nil, args...); err != nil {
			return nil, err
		}
	}
	var tips [][]byte
	add := func(oid []byte, typ string) error {
		for depth := 0; typ == "tag" && depth < 16; depth++ {
			data, err := r.read(oid, pack.Tag)
			if err != nil {
				return err
			}
			obj, t, ok := parseTagTarget(data)
			if !ok {
				return fmt.Errorf("tag %x: no object", oid)
			}
			oid, typ = obj, t
		}
		if typ == "commit" {
			tips = append(tips, oid)
		}
		return nil
	}
	// for-each-ref sorts by name: refs/heads before refs/tags, as
	// --branches --tags adds them.
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) != 2 {
			continue
		}
		oid, err := hexID([]byte(f[0]))
		if err != nil {
			return nil, err
		}
		if err := add(oid, f[1]); err != nil {
			return nil, err
		}
	}
	if h.Repo.HasHead {
		out, err := h.Repo.output(ctx, nil, "rev-parse", "--verify", "-q", "HEAD^{commit}")
		if err == nil {
			if oid, err := hexID(bytes.TrimSpace(out)); err == nil {
				tips = append(tips, oid)
			}
		}
	}
	return tips, nil
}

// parseTagTarget reads a tag object's object and type.
func parseTagTarget(data []byte) ([]byte, string, bool) {
	var oid []byte
	typ := ""
	for _, line := range bytes.Split(data, []byte{'\n'}) {
		if len(line) == 0 {
			break
		}
		k, v, _ := bytes.Cut(line, []byte{' '})
		switch string(k) {
		case "object":
			oid, _ = hexID(v)
		case "type":
			typ = string(v)
		}
	}
	return oid, typ, oid != nil
}

// shallowSet reads the commits whose parents a shallow clone lacks.
func shallowSet(gitDir string) map[[pack.HashLen]byte]bool {
	data, err := os.ReadFile(filepath.Join(gitDir, "shallow"))
	if err != nil {
		return nil
	}
	out := map[[pack.HashLen]byte]bool{}
	for _, l := range strings.Fields(string(data)) {
		if b, err := hex.DecodeString(l); err == nil && len(b) == pack.HashLen {
			var k [pack.HashLen]byte
			copy(k[:], b)
			out[k] = true
		}
	}
	return out
}

// queued is a commit waiting in the walk.
type queued struct {
	oid [pack.HashLen]byte
	obj commitObj
	seq int
}

type commitQueue []*queued

func (q commitQueue) Len() int { return len(q) }
func (q commitQueue) Less(i, j int) bool {
	if q[i].obj.ct != q[j].obj.ct {
		return q[i].obj.ct > q[j].obj.ct
	}
	return q[i].seq < q[j].seq
}
func (q commitQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *commitQueue) Push(x any)   { *q = append(*q, x.(*queued)) }
func (q *commitQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// walkCommits calls fn for every commit reachable from tips, in git
// log's order, with its parents (none for a shallow boundary) and its
// parsed object. A commit that cannot be read is passed with a nil
// object and its error; its parents are then unknown.
func walkCommits(ctx context.Context, r *reader, tips [][]byte, shallow map[[pack.HashLen]byte]bool, fn func(oid []byte, parents [][]byte, obj *commitObj, err error) error) error {
	seen := map[[pack.HashLen]byte]bool{}
	var q commitQueue
	seq := 0
	push := func(oid []byte) error {
		var k [pack.HashLen]byte
		copy(k[:], oid)
		if seen[k] {
			return nil
		}
		seen[k] = true
		it := &queued{oid: k, seq: seq}
		seq++
		data, err := r.read(oid, pack.Commit)
		if err == nil {
			it.obj, err = parseCommit(data)
		}
		if err != nil {
			// Reported now; what lies behind it is unknown.
			return fn(oid, nil, nil, err)
		}
		// The object's bytes may belong to the resolver's cache: keep a
		// copy of the message (the queue holds the walk's frontier only).
		it.obj.message = append([]byte(nil), it.obj.message...)
		heap.Push(&q, it)
		return nil
	}
	for _, t := range tips {
		if err := push(t); err != nil {
			return err
		}
	}
	for q.Len() > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		it := heap.Pop(&q).(*queued)
		parents := it.obj.parents
		if shallow[it.oid] {
			parents = nil
		}
		if ferr := fn(it.oid[:], parents, &it.obj, nil); ferr != nil {
			return ferr
		}
		for _, p := range parents {
			if err := push(p); err != nil {
				return err
			}
		}
	}
	return nil
}
