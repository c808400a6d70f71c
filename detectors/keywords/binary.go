package keywords

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unsafe"
)

// ErrBinary reports a malformed or mismatched binary automaton.
var ErrBinary = errors.New("keywords: bad binary automaton")

// binaryMagic begins the binary form; bump it when the layout changes.
const binaryMagic = "LGKW\x01"

// AppendBinary appends the matcher's binary form to dst, for Load: the
// patterns it was built from, then its tables. The tables are 4-byte
// aligned relative to the start of the encoding.
func (m *Matcher) AppendBinary(dst []byte, patterns []string) []byte {
	base := len(dst)
	dst = append(dst, binaryMagic...)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(patterns)))
	for _, p := range patterns {
		dst = binary.LittleEndian.AppendUint32(dst, uint32(len(p)))
		dst = append(dst, p...)
	}
	dst = append(dst, m.cls[:]...)
	for _, v := range []uint32{m.nclass, m.outBase, uint32(m.runUp), uint32(len(m.trans)), uint32(len(m.outOff)), uint32(len(m.outPats))} {
		dst = binary.LittleEndian.AppendUint32(dst, v)
	}
	for (len(dst)-base)%4 != 0 {
		dst = append(dst, 0)
	}
	for _, v := range m.trans {
		dst = binary.LittleEndian.AppendUint32(dst, v)
	}
	for _, v := range m.outOff {
		dst = binary.LittleEndian.AppendUint32(dst, v)
	}
	for _, v := range m.outPats {
		dst = binary.LittleEndian.AppendUint32(dst, uint32(v))
	}
	return dst
}

// Load returns the matcher whose binary form (AppendBinary) is data, if
// it was built from exactly these patterns; otherwise ErrBinary. The
// tables are used in place when data is suitably aligned (data must then
// stay unmodified for the matcher's lifetime; an embedded string does).
func Load(data string, patterns []string) (*Matcher, error) {
	r := reader{s: data}
	if r.bytes(len(binaryMagic)) != binaryMagic {
		return nil, fmt.Errorf("%w: magic", ErrBinary)
	}
	if int(r.u32()) != len(patterns) {
		return nil, fmt.Errorf("%w: pattern count", ErrBinary)
	}
	for _, p := range patterns {
		n := int(r.u32())
		if r.bytes(n) != p {
			return nil, fmt.Errorf("%w: patterns differ", ErrBinary)
		}
	}
	m := &Matcher{npatterns: len(patterns)}
	copy(m.cls[:], r.bytes(256))
	m.nclass, m.outBase = r.u32(), r.u32()
	m.runUp = int(r.u32())
	ntrans, noff, npats := int(r.u32()), int(r.u32()), int(r.u32())
	for r.off%4 != 0 {
		r.bytes(1)
	}
	m.trans = r.u32s(ntrans)
	m.outOff = r.u32s(noff)
	pats := r.u32s(npats)
	if r.bad || r.off != len(data) {
		return nil, fmt.Errorf("%w: truncated", ErrBinary)
	}
	m.outPats = unsafe.Slice((*int32)(unsafe.Pointer(unsafe.SliceData(pats))), len(pats))
	stride := m.nclass + 1
	if m.nclass == 0 || uint64(len(m.trans))%uint64(stride) != 0 || len(m.outOff) == 0 {
		return nil, fmt.Errorf("%w: table shape", ErrBinary)
	}
	// The full consistency check (check) reads every table entry, which
	// would page in the whole table at each start; the binary forms this
	// program loads are generated and tested (detectors'
	// TestDefaultKeywordsUpToDate), so only the shape is checked here.
	return m, nil
}

// check verifies that the tables cannot send a scan out of range.
func (m *Matcher) check() error {
	stride := m.nclass + 1
	n := uint32(len(m.trans))
	for _, c := range m.cls {
		if uint32(c) >= m.nclass {
			return fmt.Errorf("%w: class", ErrBinary)
		}
	}
	nout := uint32(len(m.outOff) - 1)
	for row := uint32(0); row < n; row += stride {
		for c := uint32(0); c < m.nclass; c++ {
			if t := m.trans[row+c]; t%stride != 0 || t >= n {
				return fmt.Errorf("%w: transition", ErrBinary)
			}
		}
		if row >= m.outBase && m.trans[row+m.nclass] >= nout {
			return fmt.Errorf("%w: output", ErrBinary)
		}
	}
	for i := 1; i < len(m.outOff); i++ {
		if m.outOff[i] < m.outOff[i-1] || int(m.outOff[i]) > len(m.outPats) {
			return fmt.Errorf("%w: outputs", ErrBinary)
		}
	}
	for _, p := range m.outPats {
		if p < 0 || int(p) >= m.npatterns {
			return fmt.Errorf("%w: pattern index", ErrBinary)
		}
	}
	return nil
}

type reader struct {
	s   string
	off int
	bad bool
}

func (r *reader) bytes(n int) string {
	if n < 0 || r.off+n > len(r.s) {
		r.bad = true
		r.off = len(r.s)
		return ""
	}
	s := r.s[r.off : r.off+n]
	r.off += n
	return s
}

func (r *reader) u32() uint32 {
	b := r.bytes(4)
	if len(b) < 4 {
		return 0
	}
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// u32s returns n little-endian uint32s: in place when the bytes are
// 4-byte aligned in memory and the machine is little-endian, else copied.
func (r *reader) u32s(n int) []uint32 {
	b := r.bytes(4 * n)
	if len(b) < 4*n || n == 0 {
		return nil
	}
	p := unsafe.StringData(b)
	if littleEndian && uintptr(unsafe.Pointer(p))%4 == 0 {
		return unsafe.Slice((*uint32)(unsafe.Pointer(p)), n)
	}
	out := make([]uint32, n)
	for i := range out {
		j := 4 * i
		out[i] = uint32(b[j]) | uint32(b[j+1])<<8 | uint32(b[j+2])<<16 | uint32(b[j+3])<<24
	}
	return out
}

var littleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()
