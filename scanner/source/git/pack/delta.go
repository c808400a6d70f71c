package pack

import "fmt"

// Op is one instruction of a delta: copy Len bytes from the base at
// SrcOff, or insert Len literal bytes (Insert, a slice of the delta).
type Op struct {
	Insert []byte
	SrcOff int
	Len    int
}

// DeltaSizes returns the base and result sizes a delta declares, and
// where its instructions start.
func DeltaSizes(delta []byte) (src, dst int, at int, err error) {
	src, at, err = varint(delta, 0)
	if err != nil {
		return 0, 0, 0, err
	}
	dst, at, err = varint(delta, at)
	return src, dst, at, err
}

func varint(b []byte, at int) (int, int, error) {
	v, shift := 0, uint(0)
	for {
		if at >= len(b) || shift > 56 {
			return 0, 0, fmt.Errorf("%w: bad size", ErrDeltaFormat)
		}
		c := b[at]
		at++
		v |= int(c&0x7f) << shift
		shift += 7
		if c&0x80 == 0 {
			return v, at, nil
		}
	}
}

// Decode parses a delta's instructions into ops[:0] (reusing its
// storage) and checks them against the declared sizes.
func Decode(delta []byte, ops []Op) ([]Op, int, int, error) {
	ops = ops[:0]
	srcSize, dstSize, at, err := DeltaSizes(delta)
	if err != nil {
		return nil, 0, 0, err
	}
	out := 0
	for at < len(delta) {
		c := delta[at]
		at++
		var op Op
		switch {
		case c&0x80 != 0:
			var off, n uint
			for i := uint(0); i < 4; i++ {
				if c&(1<<i) != 0 {
					if at >= len(delta) {
						return nil, 0, 0, fmt.Errorf("%w: truncated copy", ErrDeltaFormat)
					}
					off |= uint(delta[at]) << (8 * i)
					at++
				}
			}
			for i := uint(0); i < 3; i++ {
				if c&(0x10<<i) != 0 {
					if at >= len(delta) {
						return nil, 0, 0, fmt.Errorf("%w: truncated copy", ErrDeltaFormat)
					}
					n |= uint(delta[at]) << (8 * i)
					at++
				}
			}
			if n == 0 {
				n = 0x10000
			}
			if int(off)+int(n) > srcSize {
				return nil, 0, 0, fmt.Errorf("%w: copy past the base's end", ErrDeltaFormat)
			}
			op = Op{SrcOff: int(off), Len: int(n)}
		case c != 0:
			if at+int(c) > len(delta) {
				return nil, 0, 0, fmt.Errorf("%w: truncated insert", ErrDeltaFormat)
			}
			op = Op{Insert: delta[at : at+int(c)], Len: int(c)}
			at += int(c)
		default:
			return nil, 0, 0, fmt.Errorf("%w: reserved instruction 0", ErrDeltaFormat)
		}
		out += op.Len
		if out > dstSize {
			return nil, 0, 0, fmt.Errorf("%w: result larger than declared", ErrDeltaFormat)
		}
		ops = append(ops, op)
	}
	if out != dstSize {
		return nil, 0, 0, fmt.Errorf("%w: result %d bytes, declared %d", ErrDeltaFormat, out, dstSize)
	}
	return ops, srcSize, dstSize, nil
}

// Ops calls fn for each instruction of delta in order.
func Ops(delta []byte, fn func(Op) error) error {
	ops, _, _, err := Decode(delta, nil)
	if err != nil {
		return err
	}
	for _, op := range ops {
		if err := fn(op); err != nil {
			return err
		}
	}
	return nil
}

// Build applies decoded ops to base, appending to dst[:0] when it has
// room. srcSize is the base size the delta declared.
func Build(base []byte, ops []Op, srcSize, dstSize int, dst []byte) ([]byte, error) {
	if srcSize != len(base) {
		return nil, fmt.Errorf("%w: base is %d bytes, delta wants %d", ErrDeltaFormat, len(base), srcSize)
	}
	if cap(dst) < dstSize {
		dst = make([]byte, 0, dstSize)
	}
	dst = dst[:0]
	for _, op := range ops {
		if op.Insert != nil {
			dst = append(dst, op.Insert...)
		} else {
			dst = append(dst, base[op.SrcOff:op.SrcOff+op.Len]...)
		}
	}
	return dst, nil
}

// Apply applies delta to base and returns the result, appended to
// dst[:0] when dst has room. It fails when the base's size differs from
// the one the delta declares.
func Apply(base, delta, dst []byte) ([]byte, error) {
	ops, src, n, err := Decode(delta, nil)
	if err != nil {
		return nil, err
	}
	return Build(base, ops, src, n, dst)
}
