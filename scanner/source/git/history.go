package git

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/leakguard/leakguard/scanner"
)

// History scans the commits of a repository: every commit reachable from
// the chosen revisions, and each commit's message. A finding is reported
// once per (path, rule, secret), at the commit that introduced it: the
// earliest commit (by committer date) that brought it to the path while
// its parents lacked it. Renames (git's -M) keep the introducer. Content
// that only a merge commit brings (a conflict resolution present in the
// merge and absent from every parent) is attributed to the merge.
//
// The engines differ in what "lacked" means. EngineDiff (default) reads
// the lines each commit adds: a line added with a secret counts even when
// another line of the parent's file held the same secret, so a range scan
// reports a second copy of an older secret. EngineBlob scans each unique
// (blob, path) once, whole, and counts a finding only when no parent's
// version of the path (the renamed-from path, for renames) holds the same
// rule and secret anywhere.
//
// Commit-message findings have kind scanner.KindCommitMessage and an
// empty Path; their line numbers count lines of the message.
type History struct {
	Repo *Repo
	// Revs are git log revision arguments: "main", "A..B", "--not",
	// "--remotes"... Empty means branches, tags and HEAD (or every ref
	// with All).
	Revs []string
	// All scans every ref (stash, remotes, notes) when Revs is empty.
	All bool
	// Since and Until limit commits by date (git log --since/--until).
	Since, Until string
	// MaxFileSize skips blobs larger than this many bytes; 0: no limit.
	MaxFileSize int64
	// NoMessages skips commit messages.
	NoMessages bool
	// Filter is applied to the attributed findings.
	Filter scanner.Filter
	// Skip, if set, is told about blobs not scanned on purpose (binary,
	// too large); it is called from one goroutine.
	Skip func(path, reason string)
	// Engine is EngineDiff (the default with a git binary) or EngineBlob
	// (always used by the go-git fallback). With EngineDiff, MaxFileSize
	// limits the lines one commit adds to one file.
	Engine string
	// Progress, if set, is told how a pack-engine sweep advances.
	Progress Progress
	// State, if set, makes the sweep incremental: only the commits the
	// state's tips lack are read (with EngineBlob unless Engine says
	// otherwise), findings an earlier sweep attributed are dropped, and
	// the state learns this sweep's tips and findings (save it only after
	// a sweep that read everything).
	State *SweepState

	// refs, when some ref points to an object the repository lacks: the
	// refs that can be read, named one by one in place of --branches
	// --tags (or --all), which git refuses whole; broken names the rest.
	refs   []string
	broken []Unreadable
}

// Progress is told how a history sweep advances, stage by stage
// ("commits": commits walked; "objects": file versions built from the
// packs; "confirm": the versions scanned in full). Calls come from
// several goroutines.
type Progress interface {
	// Stage starts a stage of total items (0: not known in advance).
	Stage(name string, total int)
	// Done says how many items of the stage are done, and how many
	// bytes they held so far.
	Done(items int, bytes int64)
}

type noProgress struct{}

func (noProgress) Stage(string, int) {}
func (noProgress) Done(int, int64)   {}

func progressOf(p Progress) Progress {
	if p == nil {
		return noProgress{}
	}
	return p
}

// Stats describes what a history scan covered.
type Stats struct {
	Commits int // commits enumerated
	Blobs   int // unique (blob, path) pairs scanned
	// Pack engine: the (blob, path) pairs scanned in full because the
	// candidate pass found something in what they change, and the
	// objects read through git because the packs could not give them.
	Candidates int
	Fallbacks  int
	// Unreadable lists what could not be read by any path; the findings
	// cover everything else.
	Unreadable []Unreadable

	walkInflated, walkBuilt int // tuning
	candBytes               int64
}

// unitKey names one thing scanned once: a blob under one path (rules and
// allowlists may depend on the path).
type unitKey struct{ blob, path string }

type unit struct {
	key       unitKey
	requested bool
	findings  []int32 // indices into the blob-phase findings
}

type commitRec struct {
	sha string
	ct  int64 // committer time, for "earliest"
}

// change is one path a commit changed: its new unit and, per parent, the
// unit the parent had there (-1: the parent lacked the path).
type change struct {
	commit int32
	unit   int32
	olds   []int32
}

// state is what one history scan accumulates.
type state struct {
	h       *History
	units   []unit
	byKey   map[unitKey]int32
	tags    map[*scanner.CommitInfo]int32 // blob fragment tag -> unit
	paths   map[string]string             // interned paths
	commits []commitRec
	changes []change
	found   []scanner.Finding // scanned findings, before attribution
}

func newState(h *History) *state {
	return &state{h: h, byKey: map[unitKey]int32{}, tags: map[*scanner.CommitInfo]int32{}, paths: map[string]string{}}
}

func (st *state) unitID(blob, path string) int32 {
	k := unitKey{blob, path}
	if id, ok := st.byKey[k]; ok {
		return id
	}
	if p, ok := st.paths[path]; ok {
		k.path = p
	} else {
		st.paths[path] = path
	}
	id := int32(len(st.units))
	st.units = append(st.units, unit{key: k})
	st.byKey[k] = id
	return id
}

// Scan runs sc's detector over the history and returns the attributed
// findings, sorted, with h.Filter applied (sc's own filter is not used:
// findings get their commit only after the scan).
func (h *History) Scan(ctx context.Context, sc *scanner.Scanner) ([]scanner.Finding, scanner.Summary, Stats, error) {
	h.refs, h.broken = nil, nil
	found, sum, stats, err := h.scan(ctx, sc)
	if err == nil && len(h.broken) > 0 {
		// A ref to a missing object costs that ref only: the history the
		// others reach is scanned, and the ref is named as unread.
		stats.Unreadable = append(append([]Unreadable(nil), h.broken...), stats.Unreadable...)
	}
	return found, sum, stats, err
}

func (h *History) scan(ctx context.Context, sc *scanner.Scanner) ([]scanner.Finding, scanner.Summary, Stats, error) {
	sc = sc.Unfiltered()
	st := newState(h)
	revs, err := h.revArgs(ctx)
	if err != nil {
		return nil, scanner.Summary{}, Stats{}, err
	}
	if revs == nil {
		return nil, scanner.Summary{}, Stats{}, nil // no commits at all
	}
	if h.State != nil && h.Repo.UsesBinary() {
		if revs, err = h.State.begin(ctx, h.Repo, revs); err != nil {
			return nil, scanner.Summary{}, Stats{}, err
		}
	}
	engine := h.Engine
	if engine == "" || engine == EngineAuto {
		engine = EngineDiff
		if len(h.Revs) == 0 && h.Since == "" && h.Until == "" {
			engine = EnginePack
		}
		if h.State != nil && h.State.Incremental() {
			// The commits the old tips lack, each compared with its
			// parents' versions as a full sweep compares them.
			engine = EngineBlob
		}
	}
	if h.Repo.UsesBinary() && engine == EnginePack {
		return h.scanPack(ctx, sc, revs)
	}
	if h.Repo.UsesBinary() && engine != EngineBlob {
		return h.scanDiff(ctx, sc, revs)
	}
	produce := func(ctx context.Context, emit func(item) error) error { return st.runLog(ctx, revs, emit) }
	var open func(context.Context) (objectReader, error)
	if !h.Repo.UsesBinary() {
		produce = func(ctx context.Context, emit func(item) error) error { return st.walkGoGit(ctx, emit) }
		open = h.Repo.goGitReader
	}
	src := &blobSource{repo: h.Repo, open: open, st: st, max: h.MaxFileSize, skip: h.Skip, produce: produce}
	found, sum, err := sc.Scan(ctx, src)
	if err != nil {
		return nil, sum, Stats{}, err
	}
	st.assign(found)
	unread := src.unread
	// Parents' versions that the walk never reached (outside a range or
	// date window, past a shallow boundary) are needed to tell what a
	// commit introduced; scan those that matter now.
	if refs := st.missingParents(); len(refs) > 0 {
		src := &blobSource{repo: h.Repo, open: open, st: st, max: h.MaxFileSize, produce: func(ctx context.Context, emit func(item) error) error {
			for _, id := range refs {
				if err := emit(st.blobItem(id)); err != nil {
					return err
				}
			}
			return nil
		}}
		more, sum2, err := sc.Scan(ctx, src)
		if err != nil {
			return nil, sum, Stats{}, err
		}
		sum.Fragments += sum2.Fragments
		sum.Bytes += sum2.Bytes
		st.assign(more)
		unread = append(unread, src.unread...)
	}
	stats := Stats{Commits: len(st.commits), Unreadable: st.locate(unread)}
	for _, u := range st.units {
		if u.requested {
			stats.Blobs++
		}
	}
	out, err := st.attribute(ctx, sc.Detector())
	if err != nil {
		return nil, sum, stats, err
	}
	return out, sum, stats, nil
}

// revArgs builds the revision arguments; nil means the repository has no
// commits to scan.
func (h *History) revArgs(ctx context.Context) ([]string, error) {
	var revs []string
	if len(h.Revs) > 0 {
		revs = append(revs, h.Revs...)
	} else if h.All {
		revs = []string{"--all"}
	} else {
		revs = []string{"--branches", "--tags"}
		if h.Repo.HasHead {
			revs = append(revs, "HEAD")
		}
	}
	if len(h.Revs) == 0 && h.Repo.UsesBinary() {
		if err := h.checkRefs(ctx); err != nil {
			return nil, err
		}
		if h.broken != nil {
			revs = append([]string(nil), h.refs...)
			if h.Repo.HasHead {
				revs = append(revs, "HEAD")
			}
			if len(revs) == 0 {
				return nil, nil
			}
		}
	}
	if h.Since != "" {
		revs = append(revs, "--since="+h.Since)
	}
	if h.Until != "" {
		revs = append(revs, "--until="+h.Until)
	}
	if len(h.Revs) == 0 && h.Repo.UsesBinary() && !h.Repo.HasHead {
		out, err := h.Repo.output(ctx, nil, "for-each-ref", "--count=1", "--format=%(objectname)")
		if err != nil {
			return nil, err
		}
		if len(out) == 0 {
			return nil, nil
		}
	}
	return revs, nil
}

// checkRefs looks for refs whose object the repository lacks (git log
// --branches refuses them all, for-each-ref with %(objecttype) too). When
// there are some, h.refs gets the readable refs by name and h.broken the
// others.
func (h *History) checkRefs(ctx context.Context) error {
	args := []string{"for-each-ref", "--format=%(objectname) %(refname)"}
	if !h.All {
		args = append(args, "refs/heads/", "refs/tags/")
	}
	out, err := h.Repo.output(ctx, nil, args...)
	if err != nil {
		return err
	}
	type ref struct{ oid, name string }
	var refs []ref
	var batch bytes.Buffer
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		oid, name, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		refs = append(refs, ref{oid, name})
		batch.WriteString(oid + "\n")
	}
	if len(refs) == 0 {
		return nil
	}
	out, err = h.Repo.output(ctx, batch.Bytes(), "cat-file", "--batch-check=%(objectname) %(objecttype)")
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(refs) {
		return fmt.Errorf("git cat-file --batch-check: %d answers for %d refs", len(lines), len(refs))
	}
	var good []string
	var broken []Unreadable
	for i, r := range refs {
		if strings.HasSuffix(lines[i], " missing") {
			broken = append(broken, Unreadable{Commit: r.oid, Err: fmt.Errorf("%s points to an object the repository lacks", r.name)})
			continue
		}
		good = append(good, r.name)
	}
	if broken != nil {
		h.refs, h.broken = good, broken
	}
	return nil
}

// assign keeps scanned findings, filing blob findings under their units.
func (st *state) assign(found []scanner.Finding) {
	for _, f := range found {
		i := int32(len(st.found))
		st.found = append(st.found, f)
		if f.Kind == scanner.KindCommitMessage {
			continue
		}
		if id, ok := st.tags[f.Commit]; ok {
			st.units[id].findings = append(st.units[id].findings, i)
		}
	}
}

// locate names, for each unreadable file version, the earliest commit
// that brought it to its path.
func (st *state) locate(us []Unreadable) []Unreadable {
	if len(us) == 0 {
		return nil
	}
	first := map[unitKey]int32{}
	for _, c := range st.changes {
		k := st.units[c.unit].key
		if b, ok := first[k]; !ok || st.commits[c.commit].ct < st.commits[b].ct {
			first[k] = c.commit
		}
	}
	for i := range us {
		if c, ok := first[unitKey{us[i].Blob, us[i].Path}]; ok && us[i].Commit == "" {
			us[i].Commit = st.commits[c].sha
		}
	}
	return us
}
