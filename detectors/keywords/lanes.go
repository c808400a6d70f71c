package keywords

// Interleaved scanning. One DFA step is a load whose address depends on the
// previous step's load, so a single stream runs at the latency of the L1
// cache, not at the CPU's throughput. AppendHits therefore splits the input
// into rounds of four adjacent segments and steps four independent states,
// one per segment, in lock step: four loads in flight instead of one.
//
// A segment's state is not known where the segment starts, so each lane
// begins runUp bytes early in the root state, reporting nothing for those
// bytes. After runUp (the longest pattern's length) bytes the state is
// exactly what a single pass would have: the DFA state is the longest
// suffix of the input read so far that is a pattern prefix, and that suffix
// is never longer than runUp.
//
// Lane 0's hits are appended at once; the other lanes' are in the future of
// lane 0's, so they are parked in dst as marked events and put in order when
// the round ends (rare: most steps report nothing). No scratch memory.

const (
	lanes   = 4
	maxLane = 2048 // bytes a lane covers in one round
	minLane = 128  // below this the single stream is as fast
)

// useLanes reports whether interleaved scanning pays for data of length n.
func (m *Matcher) useLanes(n int) bool {
	return m.runUp <= maxLane/4 && n >= m.runUp+lanes*minLane
}

// appendLanes is AppendHits with four interleaved lanes; see above. It
// needs len(data) >= m.runUp + lanes*minLane.
func (m *Matcher) appendLanes(dst []Hit, data []byte) []Hit {
	trans, cls, outBase, w := m.trans, &m.cls, m.outBase, m.runUp

	// The first w bytes have no run-up before them: scan them alone.
	s := uint32(0)
	for i, b := range data[:w] {
		s = trans[s+uint32(cls[b])]
		if s >= outBase {
			dst = m.appendOutputs(dst, s, i+1)
		}
	}

	pos := w // data[:pos] is done and s is the state there
	for len(data)-pos >= lanes*minLane {
		q := min(maxLane, (len(data)-pos)/lanes)
		n := w + q // steps per lane, run-up included
		l0 := data[pos-w : pos-w+n]
		l1 := data[pos-w+q : pos-w+q+n]
		l2 := data[pos-w+2*q : pos-w+2*q+n]
		l3 := data[pos-w+3*q : pos-w+3*q+n]

		base := len(dst)
		parked := false
		var s0, s1, s2, s3 uint32
		for k := 0; k < n; k++ {
			k, s0, s1, s2, s3 = step4(trans, cls, l0, l1, l2, l3, k, s0, s1, s2, s3, outBase)
			if k == n {
				break
			}
			if k < w {
				continue // still in the run-up
			}
			if s0 >= outBase {
				dst = m.appendOutputs(dst, s0, pos+k-w+1)
			}
			for lane, st := range [...]uint32{s1, s2, s3} {
				if st >= outBase {
					dst = append(dst, parkEvent(lane+1, k-w, st))
					parked = true
				}
			}
		}
		if parked {
			dst = m.unpark(dst, base, pos, q)
		}
		s = s3
		pos += lanes * q
	}

	for i := pos; i < len(data); i++ {
		s = trans[s+uint32(cls[data[i]])]
		if s >= outBase {
			dst = m.appendOutputs(dst, s, i+1)
		}
	}
	return dst
}

// step4 steps the four lanes from step k until one of them enters an
// output state, and returns that step (or len(l0) when none does) with the
// four states after it. It is kept out of line so that its loop has every
// register to itself.
//
//go:noinline
func step4(trans []uint32, cls *[256]uint8, l0, l1, l2, l3 []byte, k int, s0, s1, s2, s3, outBase uint32) (int, uint32, uint32, uint32, uint32) {
	l1 = l1[:len(l0)]
	l2 = l2[:len(l0)]
	l3 = l3[:len(l0)]
	for ; k < len(l0); k++ {
		s0 = trans[s0+uint32(cls[l0[k]])]
		s1 = trans[s1+uint32(cls[l1[k]])]
		s2 = trans[s2+uint32(cls[l2[k]])]
		s3 = trans[s3+uint32(cls[l3[k]])]
		if s0 >= outBase || s1 >= outBase || s2 >= outBase || s3 >= outBase {
			break
		}
	}
	return k, s0, s1, s2, s3
}

// A parked event is a Hit with a negative Pattern (real hits have
// Pattern >= 0): ^(lane<<16 | offset in the lane's segment), and the output
// state's id in End.
func parkEvent(lane, off int, state uint32) Hit {
	return Hit{Pattern: ^int32(lane<<16 | off), End: int32(state)}
}

// unpark replaces the events parked in dst[base:] during a round that
// started at pos with lanes of q bytes: lane 0's hits stay where they are
// and are followed by lane 1's, 2's and 3's, each in order of End.
func (m *Matcher) unpark(dst []Hit, base, pos, q int) []Hit {
	parkedEnd := len(dst)
	for lane := 1; lane < lanes; lane++ {
		for i := base; i < parkedEnd; i++ {
			h := dst[i]
			if h.Pattern >= 0 {
				continue
			}
			ev := ^h.Pattern
			if int(ev>>16) != lane {
				continue
			}
			off := int(ev & 0xffff)
			dst = m.appendOutputs(dst, uint32(h.End), pos+lane*q+off+1)
		}
	}
	out := base
	for _, h := range dst[base:] {
		if h.Pattern >= 0 {
			dst[out] = h
			out++
		}
	}
	return dst[:out]
}
