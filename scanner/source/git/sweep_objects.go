package git

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/leakguard/leakguard/scanner/source/git/pack"
)

// objectStore reads objects for the pack engine: from the repository's
// packs directly, and through one `git cat-file --batch` for anything
// the packs lack (loose objects, a thin pack's bases) or cannot give (a
// corrupt entry: git may still read it from another copy).
type objectStore struct {
	repo *Repo
	set  *pack.Set

	mu       sync.Mutex // guards cf, restarts
	cf       *catFile
	restarts int
	ctx      context.Context
}

// maxCatFileRestarts bounds how many cat-file processes may die on an
// object before the sweep stops: past it, git itself is failing.
const maxCatFileRestarts = 64

// openObjects opens the packs of r's object directory (and alternates).
func openObjects(ctx context.Context, r *Repo) (*objectStore, error) {
	dir := os.Getenv("GIT_OBJECT_DIRECTORY")
	if dir == "" {
		dir = filepath.Join(r.GitDir, "objects")
		// A worktree's git dir shares the main repository's objects.
		if common, err := os.ReadFile(filepath.Join(r.GitDir, "commondir")); err == nil {
			c := strings.TrimSpace(string(common))
			if !filepath.IsAbs(c) {
				c = filepath.Join(r.GitDir, c)
			}
			dir = filepath.Join(c, "objects")
		}
	}
	set, err := pack.OpenSet(dir)
	if err != nil {
		return nil, err
	}
	return &objectStore{repo: r, set: set, ctx: ctx}, nil
}

func (o *objectStore) close() {
	o.set.Close()
	o.mu.Lock()
	if o.cf != nil {
		o.cf.closeInput()
		_ = o.cf.wait()
		o.cf = nil
	}
	o.mu.Unlock()
}

// errObjectType means an object is not of the type the history says.
var errObjectType = errors.New("git: object of unexpected type")

// readGit reads one object with git cat-file (slow path). want is the
// type expected ("" for any).
func (o *objectStore) readGit(oid []byte, want string) (string, []byte, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.cf == nil {
		cf, err := startCatFile(o.ctx, o.repo)
		if err != nil {
			return "", nil, err
		}
		o.cf = cf
	}
	h := hex.EncodeToString(oid)
	if err := o.cf.request(h); err != nil {
		return "", nil, o.died(h, err)
	}
	hdr, err := o.cf.out.ReadString('\n')
	if err != nil {
		return "", nil, o.died(h, unexpectedEOF(err))
	}
	f := strings.Fields(hdr)
	if len(f) == 2 && f[1] == "missing" {
		return "", nil, fmt.Errorf("%w: %s", ErrMissingObject, h)
	}
	if len(f) != 3 || f[0] != h {
		return "", nil, fmt.Errorf("git cat-file: unexpected answer %q for %s", strings.TrimSpace(hdr), h)
	}
	size, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil {
		return "", nil, fmt.Errorf("git cat-file: unexpected answer %q for %s", strings.TrimSpace(hdr), h)
	}
	data := make([]byte, size+1)
	if _, err := io.ReadFull(o.cf.out, data); err != nil {
		return "", nil, o.died(h, unexpectedEOF(err))
	}
	if want != "" && f[1] != want {
		return f[1], nil, fmt.Errorf("%w: %s is a %s, not a %s", errObjectType, h, f[1], want)
	}
	return f[1], data[:size], nil
}

// died handles a cat-file that stopped answering while reading object
// h: git dies on an object it cannot read ("fatal: packed object ... is
// corrupt"). That costs the object only: the process is reaped, the
// error names h (ErrMissingObject, with git's message) and the next read
// starts another process. Past maxCatFileRestarts, or when the sweep is
// cancelled, the error stops the sweep. o.mu is held.
func (o *objectStore) died(h string, err error) error {
	cf := o.cf
	o.cf = nil
	cf.closeInput()
	if werr := cf.wait(); werr != nil {
		err = werr
	}
	o.restarts++
	if o.ctx.Err() != nil || o.restarts > maxCatFileRestarts {
		return fmt.Errorf("git cat-file: reading %s: %w", h, err)
	}
	return fmt.Errorf("%w: %s: %v", ErrMissingObject, h, err)
}

// reader is one goroutine's access to the store: a pack resolver with
// its own cache, and the shared git fallback.
type reader struct {
	o   *objectStore
	res *pack.Resolver
	// fallbacks counts objects read through git because the packs could
	// not give them.
	fallbacks int
}

func (o *objectStore) newReader(cache int) *reader {
	return &reader{o: o, res: o.set.NewResolver(cache)}
}

// read returns an object's content, checking its type. The bytes may be
// shared with the cache: never modify them.
func (r *reader) read(oid []byte, want pack.Type) ([]byte, error) {
	if id, ok := r.o.set.Find(oid); ok {
		typ, data, err := r.res.Object(id)
		if err == nil {
			if typ != want {
				return nil, fmt.Errorf("%w: %x is a %s, not a %s", errObjectType, oid, typ, want)
			}
			return data, nil
		}
		// A damaged or thin entry: let git try (it may have another copy).
	}
	r.fallbacks++
	_, data, err := r.o.readGit(oid, want.String())
	return data, err
}

// commitObj is what the sweep needs of a commit.
type commitObj struct {
	tree    []byte // raw object id
	parents [][]byte
	ct      int64  // committer time (unix)
	message []byte // the message as stored (after the headers)
	// encoding is the commit's encoding header; git log re-encodes such
	// a message to UTF-8.
	encoding string
}

// parseCommit reads a commit object.
func parseCommit(data []byte) (commitObj, error) {
	var c commitObj
	rest := data
	for len(rest) > 0 {
		line := rest
		next := len(rest)
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, next = rest[:i], i+1
		}
		rest = rest[next:]
		if len(line) == 0 {
			c.message = rest
			break
		}
		if line[0] == ' ' {
			continue // a continuation (gpgsig, mergetag)
		}
		key, val, _ := bytes.Cut(line, []byte{' '})
		switch string(key) {
		case "tree":
			oid, err := hexID(val)
			if err != nil {
				return c, fmt.Errorf("commit: tree: %w", err)
			}
			c.tree = oid
		case "parent":
			oid, err := hexID(val)
			if err != nil {
				return c, fmt.Errorf("commit: parent: %w", err)
			}
			c.parents = append(c.parents, oid)
		case "encoding":
			c.encoding = string(val)
		case "committer":
			// "Name <email> 1234567890 +0000"
			if gt := bytes.LastIndexByte(val, '>'); gt >= 0 {
				f := strings.Fields(string(val[gt+1:]))
				if len(f) > 0 {
					c.ct, _ = strconv.ParseInt(f[0], 10, 64)
				}
			}
		}
	}
	if c.tree == nil {
		return c, errors.New("commit: no tree")
	}
	return c, nil
}

func hexID(b []byte) ([]byte, error) {
	if len(b) != 2*pack.HashLen {
		return nil, fmt.Errorf("bad object id %q", clip(b))
	}
	out := make([]byte, pack.HashLen)
	if _, err := hex.Decode(out, b); err != nil {
		return nil, fmt.Errorf("bad object id %q", clip(b))
	}
	return out, nil
}

// treeEntry is one entry of a tree object.
type treeEntry struct {
	mode uint32
	name []byte
	oid  []byte
}

const (
	modeTree    = 0o40000
	modeGitlink = 0o160000
)

func (e *treeEntry) isTree() bool { return e.mode == modeTree }
func (e *treeEntry) isBlob() bool { return e.mode&0o170000 == 0o100000 || e.mode&0o170000 == 0o120000 }

// nextEntry parses the tree entry at the start of data and returns the
// rest of the tree.
func nextEntry(data []byte) (treeEntry, []byte, error) {
	var e treeEntry
	sp := bytes.IndexByte(data, ' ')
	if sp <= 0 || sp > 7 {
		return e, nil, errTreeFormat
	}
	for _, c := range data[:sp] {
		if c < '0' || c > '7' {
			return e, nil, errTreeFormat
		}
		e.mode = e.mode<<3 | uint32(c-'0')
	}
	nul := bytes.IndexByte(data[sp+1:], 0)
	if nul <= 0 || sp+1+nul+1+pack.HashLen > len(data) {
		return e, nil, errTreeFormat
	}
	e.name = data[sp+1 : sp+1+nul]
	at := sp + 1 + nul + 1
	e.oid = data[at : at+pack.HashLen]
	return e, data[at+pack.HashLen:], nil
}

var errTreeFormat = errors.New("git: malformed tree object")

// compareEntries orders tree entries as git sorts them: by name, a
// directory's name as if it ended with '/'.
func compareEntries(a, b *treeEntry) int {
	n := min(len(a.name), len(b.name))
	if c := bytes.Compare(a.name[:n], b.name[:n]); c != 0 {
		return c
	}
	ca, cb := entryByte(a, n), entryByte(b, n)
	switch {
	case ca < cb:
		return -1
	case ca > cb:
		return 1
	}
	return 0
}

func entryByte(e *treeEntry, n int) byte {
	if n < len(e.name) {
		return e.name[n]
	}
	if e.isTree() {
		return '/'
	}
	return 0
}

// nameOrder compares two entries' names only (a file and a directory of
// the same name are the same path).
func sameName(a, b *treeEntry) bool { return bytes.Equal(a.name, b.name) }

// bufferedLines is a convenience for reading a git process's output.
func bufferedLines(r io.Reader) *bufio.Reader { return bufio.NewReaderSize(r, 256<<10) }
