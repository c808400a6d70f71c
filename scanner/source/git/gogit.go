package git

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/leakguard/leakguard/scanner"
)

// openGoGit opens the repository with go-git (no git binary).
func openGoGit(r *Repo) (*Repo, error) {
	repo, err := gogit.PlainOpenWithOptions(r.Dir, &gogit.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if err != nil {
		repo, err = gogit.PlainOpen(r.Dir) // a bare repository
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNotRepository, r.Dir, err)
	}
	r.gg = repo
	if wt, err := repo.Worktree(); err == nil {
		r.workTree = wt.Filesystem.Root()
		r.GitDir = r.workTree + "/.git"
	} else {
		r.Bare = true
		r.GitDir = r.Dir
	}
	if sh, err := repo.Storer.Shallow(); err == nil && len(sh) > 0 {
		r.Shallow = true
	}
	if ref, err := repo.Head(); err == nil && !ref.Hash().IsZero() {
		r.HasHead = true
	}
	return r, nil
}

// goGitReader reads blobs from the object database in process.
type goGitReader struct{ repo *gogit.Repository }

func (r *Repo) goGitReader(context.Context) (objectReader, error) {
	return goGitReader{r.gg}, nil
}

func (g goGitReader) request(string) error { return nil }
func (g goGitReader) closeInput()          {}
func (g goGitReader) wait() error          { return nil }

func (g goGitReader) read(oid string, max int64) (blob, error) {
	b, err := g.repo.BlobObject(plumbing.NewHash(oid))
	if err != nil {
		return blob{}, fmt.Errorf("%w: %s: %v", ErrMissingObject, oid, err)
	}
	out := blob{size: b.Size}
	if max > 0 && b.Size > max {
		out.skip = fmt.Sprintf("larger than --max-file-size (%d bytes)", b.Size)
		return out, nil
	}
	rc, err := b.Reader()
	if err != nil {
		return blob{}, fmt.Errorf("%w: %s: %v", ErrMissingObject, oid, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return blob{}, fmt.Errorf("%w: %s: %v", ErrMissingObject, oid, err)
	}
	if isBinary(data) {
		out.skip = "binary"
		return out, nil
	}
	out.data = data
	return out, nil
}

func isBinary(data []byte) bool { return scanner.IsBinary(data) }

// walkGoGit is runLog without a git binary: it selects commits from the
// revision arguments, newest first, and diffs each against its parents.
func (st *state) walkGoGit(ctx context.Context, emit func(item) error) error {
	repo := st.h.Repo.gg
	revs, _ := st.h.revArgs(ctx)
	hashes, err := selectCommits(repo, revs)
	if err != nil {
		return err
	}
	var since, until time.Time
	if since, err = parseDate(st.h.Since); err != nil {
		return err
	}
	if until, err = parseDate(st.h.Until); err != nil {
		return err
	}
	for _, c := range hashes {
		if err := ctx.Err(); err != nil {
			return err
		}
		if (!since.IsZero() && c.Committer.When.Before(since)) || (!until.IsZero() && c.Committer.When.After(until)) {
			continue
		}
		cur := int32(len(st.commits))
		st.commits = append(st.commits, commitRec{sha: c.Hash.String(), ct: c.Committer.When.Unix()})
		msg := strings.TrimRight(c.Message, "\n")
		if !st.h.NoMessages && strings.TrimSpace(msg) != "" {
			if err := emit(item{msg: []byte(msg + "\n"), commit: &scanner.CommitInfo{SHA: c.Hash.String()}}); err != nil {
				return err
			}
		}
		if err := st.goGitChanges(ctx, cur, c, emit); err != nil {
			return err
		}
	}
	return nil
}

// goGitChanges records what commit c changed relative to each parent; for
// merges only the paths that differ from every parent count.
func (st *state) goGitChanges(ctx context.Context, cur int32, c *object.Commit, emit func(item) error) error {
	tree, err := c.Tree()
	if err != nil {
		return fmt.Errorf("%w: tree of %s: %v", ErrMissingObject, c.Hash, err)
	}
	parents := c.ParentHashes
	if st.h.Repo.Shallow {
		if sh, err := st.h.Repo.gg.Storer.Shallow(); err == nil {
			for _, s := range sh {
				if s == c.Hash {
					parents = nil
				}
			}
		}
	}
	changed := map[string][]version{} // path -> per-parent old version
	newer := map[string]string{}      // path -> new blob
	for i, ph := range append([]plumbing.Hash{{}}, parents...)[min(1, len(parents)):] {
		var ptree *object.Tree
		if !ph.IsZero() {
			p, err := st.h.Repo.gg.CommitObject(ph)
			if err != nil {
				return fmt.Errorf("%w: parent %s of %s: %v", ErrMissingObject, ph, c.Hash, err)
			}
			if ptree, err = p.Tree(); err != nil {
				return fmt.Errorf("%w: tree of %s: %v", ErrMissingObject, ph, err)
			}
		}
		chs, err := object.DiffTreeWithOptions(ctx, ptree, tree, &object.DiffTreeOptions{DetectRenames: len(parents) <= 1, RenameScore: 50, RenameLimit: 1000})
		if err != nil {
			return fmt.Errorf("diff %s: %w", c.Hash, err)
		}
		for _, ch := range chs {
			if ch.To.Name == "" || ch.To.TreeEntry.Mode == filemode.Submodule {
				continue
			}
			olds, ok := changed[ch.To.Name]
			if !ok {
				if i > 0 {
					continue // unchanged relative to an earlier parent
				}
				olds = make([]version, max(1, len(parents)))
			}
			if ch.From.Name != "" && ch.From.TreeEntry.Mode != filemode.Submodule {
				olds[i] = version{blob: ch.From.TreeEntry.Hash.String(), path: ch.From.Name}
			}
			changed[ch.To.Name] = olds
			newer[ch.To.Name] = ch.To.TreeEntry.Hash.String()
		}
		if i > 0 {
			// Keep only paths that differ from this parent too.
			seen := map[string]bool{}
			for _, ch := range chs {
				seen[ch.To.Name] = true
			}
			for p := range changed {
				if !seen[p] {
					delete(changed, p)
				}
			}
		}
	}
	paths := make([]string, 0, len(changed))
	for p := range changed {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if err := st.addChange(cur, version{blob: newer[p], path: p}, changed[p], emit); err != nil {
			return err
		}
	}
	return nil
}

// selectCommits resolves git log-style revision arguments ("A..B", "--not",
// "--all", "--branches", "--tags", "--remotes", revisions) and returns the
// selected commits, newest (by committer date) first.
func selectCommits(repo *gogit.Repository, revs []string) ([]*object.Commit, error) {
	var pos, neg []plumbing.Hash
	not := false
	add := func(h plumbing.Hash, negative bool) {
		if negative {
			neg = append(neg, h)
		} else {
			pos = append(pos, h)
		}
	}
	refs := func(prefix string, negative bool) error {
		it, err := repo.References()
		if err != nil {
			return err
		}
		return it.ForEach(func(r *plumbing.Reference) error {
			if r.Type() != plumbing.HashReference || !strings.HasPrefix(r.Name().String(), prefix) {
				return nil
			}
			if h, err := peel(repo, r.Hash()); err == nil {
				add(h, negative)
			}
			return nil
		})
	}
	resolve := func(rev string) (plumbing.Hash, error) {
		h, err := repo.ResolveRevision(plumbing.Revision(rev))
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("bad revision %q: %w", rev, err)
		}
		return peel(repo, *h)
	}
	for _, a := range revs {
		var err error
		switch {
		case a == "--not":
			not = !not
		case a == "--all":
			err = refs("refs/", not)
		case a == "--branches":
			err = refs("refs/heads/", not)
		case a == "--tags":
			err = refs("refs/tags/", not)
		case a == "--remotes":
			err = refs("refs/remotes/", not)
		case strings.HasPrefix(a, "--"):
			// --since/--until are applied by the walker.
		case strings.Contains(a, ".."):
			from, to, _ := strings.Cut(a, "..")
			if strings.HasPrefix(to, ".") {
				return nil, fmt.Errorf("go-git: %q: symmetric ranges need the git binary", a)
			}
			var h plumbing.Hash
			if h, err = resolve(orHead(from)); err == nil {
				add(h, !not)
				if h, err = resolve(orHead(to)); err == nil {
					add(h, not)
				}
			}
		case a == "HEAD" && !hasHead(repo):
		default:
			var h plumbing.Hash
			if h, err = resolve(a); err == nil {
				add(h, not)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	excluded := map[plumbing.Hash]bool{}
	if err := walk(repo, neg, excluded, nil); err != nil {
		return nil, err
	}
	var out []*object.Commit
	if err := walk(repo, pos, excluded, func(c *object.Commit) { out = append(out, c) }); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Committer.When.After(out[j].Committer.When) })
	return out, nil
}

func orHead(s string) string {
	if s == "" {
		return "HEAD"
	}
	return s
}

func hasHead(repo *gogit.Repository) bool {
	_, err := repo.Head()
	return err == nil
}

// peel follows annotated tags to the commit they name.
func peel(repo *gogit.Repository, h plumbing.Hash) (plumbing.Hash, error) {
	for i := 0; i < 10; i++ {
		t, err := repo.TagObject(h)
		if err != nil {
			break
		}
		h = t.Target
	}
	if _, err := repo.CommitObject(h); err != nil {
		return plumbing.ZeroHash, err
	}
	return h, nil
}

// walk visits every commit reachable from starts that seen lacks, and
// adds it to seen.
func walk(repo *gogit.Repository, starts []plumbing.Hash, seen map[plumbing.Hash]bool, visit func(*object.Commit)) error {
	stack := append([]plumbing.Hash(nil), starts...)
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[h] {
			continue
		}
		seen[h] = true
		c, err := repo.CommitObject(h)
		if errors.Is(err, plumbing.ErrObjectNotFound) && isShallow(repo) {
			continue
		}
		if err != nil {
			return fmt.Errorf("%w: commit %s: %v", ErrMissingObject, h, err)
		}
		if visit != nil {
			visit(c)
		}
		stack = append(stack, c.ParentHashes...)
	}
	return nil
}

// isShallow reports whether the repository is a shallow clone, whose
// boundary commits name parents it does not have.
func isShallow(repo *gogit.Repository) bool {
	sh, err := repo.Storer.Shallow()
	return err == nil && len(sh) > 0
}

// parseDate reads --since/--until values the fallback understands.
func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if strings.HasPrefix(s, "@") {
		if n, err := strconv.ParseInt(s[1:], 10, 64); err == nil {
			return time.Unix(n, 0), nil
		}
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("go-git: date %q: use YYYY-MM-DD, RFC 3339 or @unix (other forms need the git binary)", s)
}

// goGitCommitInfo fills commit metadata from the object database.
func (r *Repo) goGitCommitInfo(need map[string]*scanner.CommitInfo) error {
	for sha, ci := range need {
		c, err := r.gg.CommitObject(plumbing.NewHash(sha))
		if err != nil {
			return fmt.Errorf("%w: commit %s: %v", ErrMissingObject, sha, err)
		}
		ci.Author, ci.Email = c.Author.Name, c.Author.Email
		ci.Date = c.Author.When.UTC().Format(time.RFC3339)
		ci.Message = strings.TrimRight(c.Message, "\n")
	}
	return nil
}
