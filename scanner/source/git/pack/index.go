package pack

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sort"
)

// Errors about pack and index files.
var (
	ErrIndexFormat = errors.New("pack: unsupported or corrupt index")
	ErrPackFormat  = errors.New("pack: corrupt pack")
	ErrDeltaFormat = errors.New("pack: corrupt delta")
)

// HashLen is the length of a SHA-1 object id in bytes.
const HashLen = 20

// Index is a parsed version-2 pack index: the pack's object ids, sorted,
// and each one's offset in the pack.
type Index struct {
	fanout  [256]uint32
	oids    []byte   // n*HashLen, sorted
	offsets []uint64 // offsets[i] is the offset of oids[i]; nil once a Pack has taken them
	n       int
}

// ReadIndex reads a version-2 .idx file (SHA-1 object ids). It reads
// the file's tables straight into the Index (no second copy of a file
// that is 28 bytes an object).
func ReadIndex(path string) (*Index, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ix, err := readIndex(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ix, nil
}

func readIndex(f *os.File) (*Index, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	const hdr = 8 + 256*4
	if size < hdr+2*HashLen {
		return nil, fmt.Errorf("%w: truncated", ErrIndexFormat)
	}
	head := make([]byte, hdr)
	if _, err := f.ReadAt(head, 0); err != nil {
		return nil, err
	}
	n := int(binary.BigEndian.Uint32(head[hdr-4:]))
	oidsAt := int64(hdr)
	offAt := oidsAt + int64(n)*(HashLen+4)
	largeAt := offAt + int64(n)*4
	if n < 0 || largeAt+2*HashLen > size {
		return nil, fmt.Errorf("%w: truncated (%d objects, %d bytes)", ErrIndexFormat, n, size)
	}
	// Small tables: the header, the 32-bit offsets, the large offsets.
	rest := make([]byte, size-offAt)
	if _, err := f.ReadAt(rest, offAt); err != nil {
		return nil, err
	}
	oids := make([]byte, n*HashLen)
	if _, err := f.ReadAt(oids, oidsAt); err != nil {
		return nil, err
	}
	return parseTables(head, oids, rest, n)
}

// parseTables checks the header and reads the offset tables (rest: from
// the 32-bit offsets to the end of the file).
func parseTables(head, oids, rest []byte, n int) (*Index, error) {
	const hdr = 8 + 256*4
	if len(head) < hdr || !bytes.Equal(head[:4], []byte{0xff, 't', 'O', 'c'}) {
		return nil, fmt.Errorf("%w: not a version-2 index", ErrIndexFormat)
	}
	if v := binary.BigEndian.Uint32(head[4:8]); v != 2 {
		return nil, fmt.Errorf("%w: version %d", ErrIndexFormat, v)
	}
	ix := &Index{oids: oids, n: n}
	prev := uint32(0)
	for i := range ix.fanout {
		ix.fanout[i] = binary.BigEndian.Uint32(head[8+4*i:])
		if ix.fanout[i] < prev {
			return nil, fmt.Errorf("%w: fan-out table not sorted", ErrIndexFormat)
		}
		prev = ix.fanout[i]
	}
	if len(rest) < n*4+2*HashLen || len(oids) != n*HashLen {
		return nil, fmt.Errorf("%w: truncated (%d objects)", ErrIndexFormat, n)
	}
	for i := 1; i < n; i++ {
		if bytes.Compare(oids[(i-1)*HashLen:i*HashLen], oids[i*HashLen:(i+1)*HashLen]) >= 0 {
			return nil, fmt.Errorf("%w: object ids not sorted", ErrIndexFormat)
		}
	}
	ix.offsets = make([]uint64, n)
	large := rest[n*4 : len(rest)-2*HashLen]
	nlarge := len(large) / 8
	for i := 0; i < n; i++ {
		o := binary.BigEndian.Uint32(rest[4*i:])
		if o&0x80000000 == 0 {
			ix.offsets[i] = uint64(o)
			continue
		}
		k := int(o &^ 0x80000000)
		if k >= nlarge {
			return nil, fmt.Errorf("%w: large offset %d out of range", ErrIndexFormat, k)
		}
		ix.offsets[i] = binary.BigEndian.Uint64(large[8*k:])
	}
	return ix, nil
}

// Len returns the number of objects in the index.
func (ix *Index) Len() int { return ix.n }

// OID returns the i-th object id (in sorted order).
func (ix *Index) OID(i int) []byte { return ix.oids[i*HashLen : (i+1)*HashLen] }

// Find returns the position of oid in the index.
func (ix *Index) Find(oid []byte) (int, bool) {
	if len(oid) != HashLen {
		return 0, false
	}
	lo := 0
	if oid[0] > 0 {
		lo = int(ix.fanout[oid[0]-1])
	}
	hi := int(ix.fanout[oid[0]])
	i := lo + sort.Search(hi-lo, func(k int) bool {
		return bytes.Compare(ix.OID(lo+k), oid) >= 0
	})
	if i < hi && bytes.Equal(ix.OID(i), oid) {
		return i, true
	}
	return 0, false
}
