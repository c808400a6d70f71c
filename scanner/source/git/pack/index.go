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
	offsets []uint64 // offsets[i] is the offset of oids[i]
}

// ReadIndex reads a version-2 .idx file (SHA-1 object ids).
func ReadIndex(path string) (*Index, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ix, err := parseIndex(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ix, nil
}

func parseIndex(data []byte) (*Index, error) {
	const hdr = 8 + 256*4
	if len(data) < hdr+2*HashLen || !bytes.Equal(data[:4], []byte{0xff, 't', 'O', 'c'}) {
		return nil, fmt.Errorf("%w: not a version-2 index", ErrIndexFormat)
	}
	if v := binary.BigEndian.Uint32(data[4:8]); v != 2 {
		return nil, fmt.Errorf("%w: version %d", ErrIndexFormat, v)
	}
	ix := &Index{}
	prev := uint32(0)
	for i := range ix.fanout {
		ix.fanout[i] = binary.BigEndian.Uint32(data[8+4*i:])
		if ix.fanout[i] < prev {
			return nil, fmt.Errorf("%w: fan-out table not sorted", ErrIndexFormat)
		}
		prev = ix.fanout[i]
	}
	n := int(ix.fanout[255])
	oidsAt := hdr
	crcAt := oidsAt + n*HashLen
	offAt := crcAt + n*4
	largeAt := offAt + n*4
	if largeAt+2*HashLen > len(data) || n < 0 {
		return nil, fmt.Errorf("%w: truncated (%d objects, %d bytes)", ErrIndexFormat, n, len(data))
	}
	ix.oids = append([]byte(nil), data[oidsAt:crcAt]...)
	ix.offsets = make([]uint64, n)
	nlarge := (len(data) - 2*HashLen - largeAt) / 8
	for i := 0; i < n; i++ {
		o := binary.BigEndian.Uint32(data[offAt+4*i:])
		if o&0x80000000 == 0 {
			ix.offsets[i] = uint64(o)
			continue
		}
		k := int(o &^ 0x80000000)
		if k >= nlarge {
			return nil, fmt.Errorf("%w: large offset %d out of range", ErrIndexFormat, k)
		}
		ix.offsets[i] = binary.BigEndian.Uint64(data[largeAt+8*k:])
	}
	return ix, nil
}

// Len returns the number of objects in the index.
func (ix *Index) Len() int { return len(ix.offsets) }

// OID returns the i-th object id (in sorted order).
func (ix *Index) OID(i int) []byte { return ix.oids[i*HashLen : (i+1)*HashLen] }

// Offset returns the pack offset of the i-th object.
func (ix *Index) Offset(i int) int64 { return int64(ix.offsets[i]) }

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
