package pack

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/klauspost/compress/flate"
)

// Type is an entry's type as the pack stores it.
type Type uint8

// Entry types (git's object_type numbering).
const (
	Commit   Type = 1
	Tree     Type = 2
	Blob     Type = 3
	Tag      Type = 4
	OfsDelta Type = 6
	RefDelta Type = 7
)

func (t Type) String() string {
	switch t {
	case Commit:
		return "commit"
	case Tree:
		return "tree"
	case Blob:
		return "blob"
	case Tag:
		return "tag"
	case OfsDelta:
		return "ofs-delta"
	case RefDelta:
		return "ref-delta"
	}
	return fmt.Sprintf("type-%d", t)
}

// IsDelta reports whether t is a delta entry.
func (t Type) IsDelta() bool { return t == OfsDelta || t == RefDelta }

// Base values for entries that are not deltas, or whose base is not in
// this pack (a thin pack's REF_DELTA).
const (
	NoBase       = -1
	ExternalBase = -2
)

// Pack is an opened pack file and its index. Entries are numbered 0..N-1
// in the order they are stored (by offset). A Pack is safe for concurrent
// use; each goroutine reading data needs its own Reader.
type Pack struct {
	Path  string
	Index *Index
	f     *os.File
	size  int64

	off     []int64 // entry offsets, ascending
	dataOff []uint8 // header length: data starts at off+dataOff
	size_   []int64 // inflated size of the entry's data
	typ     []Type  // stored type
	obj     []Type  // object type (a delta's: its chain root's)
	base    []int32 // base entry of a delta, NoBase or ExternalBase
	pos     []int32 // entry -> index position (for its oid)
	entry   []int32 // index position -> entry
}

// Open opens a .pack file and the .idx beside it, and reads the header
// of every entry.
func Open(path string) (*Pack, error) {
	ix, err := ReadIndex(strings.TrimSuffix(path, ".pack") + ".idx")
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	p := &Pack{Path: path, Index: ix, f: f}
	if err := p.load(); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// Close closes the pack file.
func (p *Pack) Close() error { return p.f.Close() }

// Len returns the number of entries.
func (p *Pack) Len() int { return len(p.off) }

// Offset returns entry e's offset in the pack.
func (p *Pack) Offset(e int) int64 { return p.off[e] }

// StoredType returns the type entry e is stored as (possibly a delta).
func (p *Pack) StoredType(e int) Type { return p.typ[e] }

// ObjectType returns the type of the object entry e holds: for a delta,
// the type of the object at the root of its chain (0 when the chain
// leaves the pack).
func (p *Pack) ObjectType(e int) Type { return p.obj[e] }

// Size returns the inflated size of entry e's data: the object's size,
// or for a delta the size of the delta.
func (p *Pack) Size(e int) int64 { return p.size_[e] }

// Base returns the entry a delta is based on, NoBase for a whole object
// or ExternalBase when the base is not in this pack.
func (p *Pack) Base(e int) int { return int(p.base[e]) }

// OID returns entry e's object id.
func (p *Pack) OID(e int) []byte { return p.Index.OID(int(p.pos[e])) }

// Find returns the entry holding oid.
func (p *Pack) Find(oid []byte) (int, bool) {
	i, ok := p.Index.Find(oid)
	if !ok {
		return 0, false
	}
	return int(p.entry[i]), true
}

// compressedLen returns how many bytes of entry e's zlib stream lie in
// the pack (up to the next entry, or the trailing checksum).
func (p *Pack) compressedLen(e int) int64 {
	end := p.size - HashLen
	if e+1 < len(p.off) {
		end = p.off[e+1]
	}
	return end - p.off[e] - int64(p.dataOff[e])
}

func (p *Pack) load() error {
	st, err := p.f.Stat()
	if err != nil {
		return err
	}
	p.size = st.Size()
	var head [12]byte
	if _, err := p.f.ReadAt(head[:], 0); err != nil {
		return fmt.Errorf("%w: %v", ErrPackFormat, err)
	}
	if string(head[:4]) != "PACK" {
		return fmt.Errorf("%w: no PACK signature", ErrPackFormat)
	}
	if v := uint32(head[4])<<24 | uint32(head[5])<<16 | uint32(head[6])<<8 | uint32(head[7]); v != 2 && v != 3 {
		return fmt.Errorf("%w: version %d", ErrPackFormat, v)
	}
	n := p.Index.Len()
	if cnt := int(uint32(head[8])<<24 | uint32(head[9])<<16 | uint32(head[10])<<8 | uint32(head[11])); cnt != n {
		return fmt.Errorf("%w: pack holds %d objects, index %d", ErrPackFormat, cnt, n)
	}
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	offs := p.Index.offsets
	slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(offs[a], offs[b]) })
	p.off = make([]int64, n)
	p.dataOff = make([]uint8, n)
	p.size_ = make([]int64, n)
	p.typ = make([]Type, n)
	p.obj = make([]Type, n)
	p.base = make([]int32, n)
	p.pos = order
	p.entry = make([]int32, n)
	for e, i := range order {
		p.off[e] = int64(offs[i])
		p.entry[i] = int32(e)
	}
	p.Index.offsets = nil // p.off holds them, by entry
	// Read the headers sequentially through a large window.
	const win = 4 << 20
	buf := make([]byte, win)
	bufAt, bufLen := int64(-1), 0
	var refs []int // REF_DELTA entries, resolved once all offsets are known
	for e := 0; e < n; e++ {
		at := p.off[e]
		if at < 12 || at >= p.size-HashLen || (e > 0 && at <= p.off[e-1]) {
			return fmt.Errorf("%w: entry offset %d out of range", ErrPackFormat, at)
		}
		if bufAt < 0 || at+64 > bufAt+int64(bufLen) {
			m, err := p.f.ReadAt(buf, at)
			if err != nil && !errors.Is(err, io.EOF) {
				return err
			}
			bufAt, bufLen = at, m
		}
		h := buf[at-bufAt : bufLen]
		t, size, n, err := parseHeader(h)
		if err != nil {
			return fmt.Errorf("entry at %d: %w", at, err)
		}
		p.typ[e], p.size_[e], p.base[e] = t, size, NoBase
		switch t {
		case Commit, Tree, Blob, Tag:
			p.obj[e] = t
		case OfsDelta:
			d, m, err := parseOfs(h[n:])
			if err != nil || d > at {
				return fmt.Errorf("entry at %d: %w: bad base offset", at, ErrPackFormat)
			}
			n += m
			b := sort.Search(e, func(k int) bool { return p.off[k] >= at-d })
			if b >= e || p.off[b] != at-d {
				return fmt.Errorf("entry at %d: %w: no entry at base offset %d", at, ErrPackFormat, at-d)
			}
			p.base[e] = int32(b)
		case RefDelta:
			if len(h) < n+HashLen {
				return fmt.Errorf("entry at %d: %w: truncated header", at, ErrPackFormat)
			}
			n += HashLen
			refs = append(refs, e)
		default:
			return fmt.Errorf("entry at %d: %w: type %d", at, ErrPackFormat, t)
		}
		p.dataOff[e] = uint8(n)
	}
	for _, e := range refs {
		var oid [HashLen]byte
		if _, err := p.f.ReadAt(oid[:], p.off[e]+int64(p.dataOff[e])-HashLen); err != nil {
			return err
		}
		p.base[e] = ExternalBase
		if b, ok := p.Find(oid[:]); ok {
			p.base[e] = int32(b)
		}
	}
	// Object types: follow each chain to its root once.
	var chain []int
	for e := 0; e < n; e++ {
		chain = chain[:0]
		k := e
		for p.obj[k] == 0 && p.base[k] >= 0 && len(chain) <= n {
			chain = append(chain, k)
			k = int(p.base[k])
		}
		if len(chain) > n {
			return fmt.Errorf("%w: delta cycle at entry %d", ErrPackFormat, e)
		}
		for _, c := range chain {
			p.obj[c] = p.obj[k]
		}
	}
	return nil
}

// parseHeader reads an entry header: type and inflated size.
func parseHeader(h []byte) (Type, int64, int, error) {
	if len(h) == 0 {
		return 0, 0, 0, fmt.Errorf("%w: truncated header", ErrPackFormat)
	}
	c := h[0]
	t := Type(c >> 4 & 7)
	size := int64(c & 15)
	shift := uint(4)
	n := 1
	for c&0x80 != 0 {
		if n >= len(h) || shift > 56 {
			return 0, 0, 0, fmt.Errorf("%w: bad size in header", ErrPackFormat)
		}
		c = h[n]
		n++
		size |= int64(c&0x7f) << shift
		shift += 7
	}
	return t, size, n, nil
}

// parseOfs reads an OFS_DELTA's base distance.
func parseOfs(h []byte) (int64, int, error) {
	if len(h) == 0 {
		return 0, 0, ErrPackFormat
	}
	c := h[0]
	d := int64(c & 0x7f)
	n := 1
	for c&0x80 != 0 {
		if n >= len(h) || d > 1<<55 {
			return 0, 0, ErrPackFormat
		}
		c = h[n]
		n++
		d = (d+1)<<7 | int64(c&0x7f)
	}
	return d, n, nil
}

// Reader inflates entries of one pack. It is not safe for concurrent use.
type Reader struct {
	p    *Pack
	zbuf []byte
	fr   io.ReadCloser
	br   bytes.Reader
}

// NewReader returns a Reader of p.
func (p *Pack) NewReader() *Reader { return &Reader{p: p} }

// Data returns entry e's inflated data (an object, or a delta to apply to
// its base), appended to dst[:0] when dst has room.
func (r *Reader) Data(e int, dst []byte) ([]byte, error) {
	p := r.p
	size := p.size_[e]
	n := p.compressedLen(e)
	if n < 2 || size < 0 || size > 1<<40 {
		return nil, fmt.Errorf("%w: entry at %d: bad sizes", ErrPackFormat, p.off[e])
	}
	if int64(cap(r.zbuf)) < n {
		r.zbuf = make([]byte, n)
	}
	z := r.zbuf[:n]
	if _, err := p.f.ReadAt(z, p.off[e]+int64(p.dataOff[e])); err != nil {
		return nil, fmt.Errorf("%w: entry at %d: %v", ErrPackFormat, p.off[e], err)
	}
	// A zlib stream: a two-byte header, deflate data, an Adler-32 git
	// does not check on reading either (the object id is the check).
	if z[0]&0x0f != 8 || (uint16(z[0])<<8|uint16(z[1]))%31 != 0 || z[1]&0x20 != 0 {
		return nil, fmt.Errorf("%w: entry at %d: not a zlib stream", ErrPackFormat, p.off[e])
	}
	r.br.Reset(z[2:])
	if r.fr == nil {
		r.fr = flate.NewReader(&r.br)
	} else if err := r.fr.(flate.Resetter).Reset(&r.br, nil); err != nil {
		return nil, err
	}
	if int64(cap(dst)) < size {
		dst = make([]byte, size)
	}
	dst = dst[:size]
	if _, err := io.ReadFull(r.fr, dst); err != nil {
		return nil, fmt.Errorf("%w: entry at %d: inflate: %v", ErrPackFormat, p.off[e], err)
	}
	// The stream must end here: one more byte means the header lied.
	var one [1]byte
	if m, _ := r.fr.Read(one[:]); m != 0 {
		return nil, fmt.Errorf("%w: entry at %d: more data than its header says", ErrPackFormat, p.off[e])
	}
	return dst, nil
}
