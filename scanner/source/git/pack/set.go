package pack

import (
	"bufio"
	"container/list"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ErrNotFound means no pack of the set holds an object; ErrExternal means
// a delta's base lies outside every pack (a thin pack).
var (
	ErrNotFound = errors.New("pack: object not in any pack")
	ErrExternal = errors.New("pack: delta base outside the packs")
)

// ID numbers an entry across the packs of a Set.
type ID int32

// Set is every pack of a repository (and of its alternates). IDs run
// over the packs in order: pack k's entry e is base[k]+e.
type Set struct {
	Packs []*Pack
	base  []int
	n     int
}

// OpenSet opens every .pack under the objects/pack directories of the
// given object directories, and of their alternates.
func OpenSet(objectDirs ...string) (*Set, error) {
	s := &Set{}
	seen := map[string]bool{}
	var visit func(dir string, depth int) error
	visit = func(dir string, depth int) error {
		dir = filepath.Clean(dir)
		if seen[dir] || depth > 5 {
			return nil
		}
		seen[dir] = true
		names, _ := filepath.Glob(filepath.Join(dir, "pack", "*.pack"))
		sort.Strings(names)
		for _, name := range names {
			if _, err := os.Stat(strings.TrimSuffix(name, ".pack") + ".idx"); err != nil {
				continue // being written
			}
			p, err := Open(name)
			if err != nil {
				s.Close()
				return err
			}
			s.add(p)
		}
		f, err := os.Open(filepath.Join(dir, "info", "alternates"))
		if err != nil {
			return nil
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			alt := strings.TrimSpace(sc.Text())
			if alt == "" || strings.HasPrefix(alt, "#") {
				continue
			}
			if !filepath.IsAbs(alt) {
				alt = filepath.Join(dir, alt)
			}
			if err := visit(alt, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	for _, d := range objectDirs {
		if err := visit(d, 0); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *Set) add(p *Pack) {
	s.Packs = append(s.Packs, p)
	s.base = append(s.base, s.n)
	s.n += p.Len()
}

// Close closes every pack.
func (s *Set) Close() error {
	var first error
	for _, p := range s.Packs {
		if err := p.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Len returns the number of entries over all packs.
func (s *Set) Len() int { return s.n }

// Split returns the pack and entry an ID names.
func (s *Set) Split(id ID) (*Pack, int) {
	k := sort.Search(len(s.base), func(i int) bool { return s.base[i] > int(id) }) - 1
	return s.Packs[k], int(id) - s.base[k]
}

// packIndex returns the index of the pack holding id.
func (s *Set) packIndex(id ID) int {
	return sort.Search(len(s.base), func(i int) bool { return s.base[i] > int(id) }) - 1
}

// IDOf returns the ID of pack k's entry e.
func (s *Set) IDOf(k, e int) ID { return ID(s.base[k] + e) }

// Find returns the ID of the first entry (in pack order) holding oid.
func (s *Set) Find(oid []byte) (ID, bool) {
	for k, p := range s.Packs {
		if e, ok := p.Find(oid); ok {
			return ID(s.base[k] + e), true
		}
	}
	return 0, false
}

// Info returns an entry's object type, stored type, size and base (an ID,
// or NoBase / ExternalBase).
func (s *Set) Info(id ID) (obj, stored Type, size int64, base ID) {
	k := s.packIndex(id)
	p, e := s.Packs[k], int(id)-s.base[k]
	b := ID(p.Base(e))
	if b >= 0 {
		b += ID(s.base[k])
	} else if p.typ[e] == RefDelta {
		// A base in another pack of the set.
		b = ExternalBase
		var oid [HashLen]byte
		if _, err := p.f.ReadAt(oid[:], p.off[e]+int64(p.dataOff[e])-HashLen); err == nil {
			if other, ok := s.Find(oid[:]); ok {
				b = other
			}
		}
	}
	return p.obj[e], p.typ[e], p.size_[e], b
}

// OID returns the object id of an entry.
func (s *Set) OID(id ID) []byte {
	p, e := s.Split(id)
	return p.OID(e)
}

// Resolver reads whole objects from a Set, applying delta chains, with a
// bounded cache of recently built objects (git's delta base cache). It
// is not safe for concurrent use. The bytes it returns belong to the
// cache: the caller must not modify them, and may keep them.
type Resolver struct {
	s       *Set
	readers []*Reader
	limit   int
	used    int
	lru     *list.List
	byID    map[ID]*list.Element
	delta   []byte
	// Inflated and Built count the entries inflated and the deltas
	// applied, for tuning.
	Inflated, Built int
}

type cached struct {
	id   ID
	typ  Type
	data []byte
}

// NewResolver returns a Resolver whose cache holds up to limit bytes.
func (s *Set) NewResolver(limit int) *Resolver {
	r := &Resolver{s: s, limit: limit, lru: list.New(), byID: map[ID]*list.Element{}}
	for _, p := range s.Packs {
		r.readers = append(r.readers, p.NewReader())
	}
	return r
}

// Object returns the type and content of the object an entry holds.
func (r *Resolver) Object(id ID) (Type, []byte, error) {
	if el, ok := r.byID[id]; ok {
		r.lru.MoveToFront(el)
		c := el.Value.(*cached)
		return c.typ, c.data, nil
	}
	// Walk up the chain to a cached object or a whole one.
	var chain []ID
	cur := id
	var typ Type
	var data []byte
	for {
		if el, ok := r.byID[cur]; ok {
			c := el.Value.(*cached)
			typ, data = c.typ, c.data
			break
		}
		obj, stored, _, base := r.s.Info(cur)
		if !stored.IsDelta() {
			k := r.s.packIndex(cur)
			d, err := r.readers[k].Data(int(cur)-r.s.base[k], nil)
			if err != nil {
				return 0, nil, err
			}
			r.Inflated++
			typ, data = obj, d
			r.put(cur, typ, data)
			break
		}
		if base < 0 {
			return 0, nil, fmt.Errorf("%w: %x", ErrExternal, r.s.OID(cur))
		}
		chain = append(chain, cur)
		if len(chain) > 1<<16 {
			return 0, nil, fmt.Errorf("%w: delta chain too long", ErrPackFormat)
		}
		cur = base
	}
	for i := len(chain) - 1; i >= 0; i-- {
		c := chain[i]
		k := r.s.packIndex(c)
		d, err := r.readers[k].Data(int(c)-r.s.base[k], r.delta)
		if err != nil {
			return 0, nil, err
		}
		r.delta = d
		r.Inflated++
		r.Built++
		out, err := Apply(data, d, nil)
		if err != nil {
			return 0, nil, fmt.Errorf("entry %x: %w", r.s.OID(c), err)
		}
		data = out
		r.put(c, typ, data)
	}
	return typ, data, nil
}

func (r *Resolver) put(id ID, typ Type, data []byte) {
	if len(data) > r.limit/4 {
		return // too large to keep
	}
	el := r.lru.PushFront(&cached{id: id, typ: typ, data: data})
	r.byID[id] = el
	r.used += len(data)
	for r.used > r.limit {
		last := r.lru.Back()
		c := last.Value.(*cached)
		r.lru.Remove(last)
		delete(r.byID, c.id)
		r.used -= len(c.data)
	}
}

// PackIndexOf returns the index in Packs of the pack holding id.
func (s *Set) PackIndexOf(id ID) int { return s.packIndex(id) }

// Reader returns the resolver's reader of pack k.
func (r *Resolver) Reader(k int) *Reader { return r.readers[k] }
