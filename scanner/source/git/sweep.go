package git

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/leakguard/leakguard/scanner"
	"github.com/leakguard/leakguard/scanner/source/git/pack"
)

// EnginePack reads the repository's pack files directly: it walks the
// commits' trees for what each commit brings, builds every blob version
// once from the packs' delta forest and scans only what each version
// changes (a base whole), then scans in full, with the real scanner, the
// few versions where anything was found, and attributes their findings
// as EngineBlob does. See sweep_delta.go.
const EnginePack = "pack"

// EngineAuto picks EnginePack for full sweeps (no revisions given) and
// EngineDiff for ranges, branches and hooks, where a few commits are read.
const EngineAuto = "auto"

// packReader serves the blob source from the packs (and git).
type packReader struct {
	r   *reader
	h   *history
	set *pack.Set
}

func (p *packReader) request(string) error { return nil }
func (p *packReader) closeInput()          {}
func (p *packReader) wait() error          { return nil }

func (p *packReader) read(oid string, max int64) (blob, error) {
	raw, err := hex.DecodeString(oid)
	if err != nil {
		return blob{}, fmt.Errorf("%w: %s", ErrMissingObject, oid)
	}
	data, err := p.r.read(raw, pack.Blob)
	if err != nil {
		return blob{}, err
	}
	b := blob{size: int64(len(data))}
	if max > 0 && b.size > max {
		b.skip = fmt.Sprintf("larger than --max-file-size (%d bytes)", b.size)
		return b, nil
	}
	if scanner.IsBinary(data) {
		b.skip = "binary"
		return b, nil
	}
	b.data = data
	return b, nil
}

// Unreadable names what a sweep could not read by any path.
type Unreadable struct {
	Commit string // the commit whose data it is
	Path   string // the path, when a file version; "" for the commit itself
	Blob   string // the file version's object id, when one
	Err    error
}

func (u Unreadable) String() string {
	if u.Path == "" {
		return fmt.Sprintf("commit %s: %v", u.Commit, u.Err)
	}
	return fmt.Sprintf("commit %s, %s: %v", u.Commit, u.Path, u.Err)
}

// ErrPartial means the sweep finished but some of the history could not
// be read; History.Unreadable lists what.
var ErrPartial = errors.New("git: some of the history could not be read")

// scanPack is the pack engine.
func (h *History) scanPack(ctx context.Context, sc *scanner.Scanner, revs []string) ([]scanner.Finding, scanner.Summary, Stats, error) {
	o, err := openObjects(ctx, h.Repo)
	if err != nil {
		return nil, scanner.Summary{}, Stats{}, err
	}
	defer o.close()
	hist := newHistory(o.set.Len())
	prog := progressOf(h.Progress)

	// Commit messages are scanned while the trees are walked.
	msgs := make(chan scanner.Fragment, 256)
	var (
		msgFound []scanner.Finding
		msgSum   scanner.Summary
		msgErr   error
		msgWG    sync.WaitGroup
	)
	msgWG.Add(1)
	go func() {
		defer msgWG.Done()
		msgFound, msgSum, msgErr = sc.Scan(ctx, scanner.SourceFunc(func(ctx context.Context, yield func(scanner.Fragment) error) error {
			for f := range msgs {
				if err := yield(f); err != nil {
					for range msgs {
					}
					return err
				}
			}
			return nil
		}))
	}()

	var unread []Unreadable
	var recode []string // commits whose message git re-encodes
	prog.Stage("commits", 0)
	w := &walker{h: hist, r: o.newReader(32 << 20), set: o.set, treeOf: map[[pack.HashLen]byte][pack.HashLen]byte{}}
	visit := func(oid []byte, parents [][]byte, obj *commitObj, err error) error {
		ci := int32(len(hist.commits))
		var c sweepCommit
		copy(c.oid[:], oid)
		var tree []byte
		if err == nil && obj == nil {
			tree, obj, err = w.commitTree(oid, true)
		} else if err == nil {
			tree = obj.tree
			var k [pack.HashLen]byte
			copy(k[:], obj.tree)
			w.treeOf[c.oid] = k
		}
		if err == nil && obj != nil {
			c.ct = obj.ct
			if !h.NoMessages && obj.encoding != "" && !strings.EqualFold(obj.encoding, "utf-8") && !strings.EqualFold(obj.encoding, "utf8") {
				// git log re-encodes this message: let git read it.
				recode = append(recode, hex.EncodeToString(oid))
			} else if !h.NoMessages {
				if msg := bytes.TrimRight(obj.message, "\n"); len(bytes.TrimSpace(msg)) > 0 {
					data := make([]byte, len(msg)+1)
					copy(data, msg)
					data[len(msg)] = '\n'
					select {
					case msgs <- scanner.Fragment{Data: data, Origin: scanner.Origin{Kind: scanner.KindCommitMessage, Commit: &scanner.CommitInfo{SHA: hex.EncodeToString(oid)}}}:
					case <-ctx.Done():
						return ctx.Err()
					}
				}
			}
		}
		hist.commits = append(hist.commits, c)
		if err == nil {
			mark := len(hist.changes)
			if err = w.diffCommit(ci, tree, parents); err != nil {
				hist.changes, hist.olds = hist.changes[:mark], hist.olds[:hist.changeOldsEnd(mark)]
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			unread = append(unread, Unreadable{Commit: hex.EncodeToString(oid), Err: err})
		}
		prog.Done(len(hist.commits), 0)
		return nil
	}
	var walkErr error
	if h.ownWalk() && !h.hasReplaceRefs(ctx) {
		tips, err := h.tips(ctx, w.r)
		if err != nil {
			walkErr = err
		} else {
			if h.State != nil {
				// The state's tips are exactly what this walk starts from.
				h.State.newTips = h.State.newTips[:0]
				for _, t := range tips {
					h.State.newTips = append(h.State.newTips, hex.EncodeToString(t))
				}
			}
			walkErr = walkCommits(ctx, w.r, tips, shallowSet(h.Repo.GitDir), visit)
		}
	} else {
		walkErr = revList(ctx, h.Repo, revs, func(oid []byte, parents [][]byte) error {
			return visit(oid, parents, nil, nil)
		})
	}
	if walkErr == nil && len(recode) > 0 {
		walkErr = h.recodedMessages(ctx, recode, msgs)
	}
	close(msgs)
	walkStats := Stats{Fallbacks: w.r.fallbacks, walkInflated: w.r.res.Inflated, walkBuilt: w.r.res.Built}
	w = nil // its caches: the next stages need the memory
	if walkErr != nil {
		msgWG.Wait()
		return nil, scanner.Summary{}, Stats{}, walkErr
	}

	// Candidate pass.
	cand, err := newCandidateScanner(sc)
	if err != nil {
		msgWG.Wait()
		return nil, scanner.Summary{}, Stats{}, err
	}
	cs := newCandidates(o.set, cand, hist.reach, h.MaxFileSize)
	prog.Stage("objects", cs.total())
	if err := cs.run(ctx, prog.Done); err != nil {
		msgWG.Wait()
		return nil, scanner.Summary{}, Stats{}, err
	}
	msgWG.Wait()
	if msgErr != nil {
		return nil, scanner.Summary{}, Stats{}, msgErr
	}
	prog.Stage("confirm", 0)
	out, sum, stats, err := h.confirm(ctx, sc, o, hist, cs, msgFound)
	stats.Commits = len(hist.commits)
	stats.Unreadable = append(unread, stats.Unreadable...)
	stats.Fallbacks += walkStats.Fallbacks
	stats.walkInflated, stats.walkBuilt = walkStats.walkInflated, walkStats.walkBuilt
	stats.candBytes = cs.bytes.Load()
	sum.Fragments += msgSum.Fragments
	sum.Bytes += msgSum.Bytes + cs.bytes.Load()
	return out, sum, stats, err
}

// changeOldsEnd returns where the olds of changes[from:] start.
func (h *history) changeOldsEnd(from int) int {
	if from < len(h.changes) {
		return int(h.changes[from].oldAt)
	}
	return len(h.olds)
}

// recodedMessages sends the messages of the given commits as git log
// prints them (re-encoded to UTF-8).
func (h *History) recodedMessages(ctx context.Context, shas []string, msgs chan<- scanner.Fragment) error {
	out, err := h.Repo.output(ctx, []byte(strings.Join(shas, "\n")+"\n"),
		"log", "--no-walk=unsorted", "--stdin", "-z", "--no-color", "--format=%H%x00%B")
	if err != nil {
		return fmt.Errorf("read commit messages: %w", err)
	}
	br := bufio.NewReader(bytes.NewReader(out))
	for {
		sha, err := readToken(br)
		if err != nil {
			return nil
		}
		body, err := readToken(br)
		if err != nil {
			return nil
		}
		msg := bytes.TrimRight(body, "\n")
		if len(bytes.TrimSpace(msg)) == 0 {
			continue
		}
		data := append(append([]byte(nil), msg...), '\n')
		select {
		case msgs <- scanner.Fragment{Data: data, Origin: scanner.Origin{Kind: scanner.KindCommitMessage, Commit: &scanner.CommitInfo{SHA: strings.TrimLeft(string(sha), "\n")}}}:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
