package decode

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkBounds fails when segs break one of Find's guarantees for data.
func checkBounds(t *testing.T, data []byte, opts Options, segs []Segment) {
	t.Helper()
	s := resolve(opts, len(data))
	total := 0
	for i, g := range segs {
		if g.Start < 0 || g.End > len(data) || g.Start >= g.End {
			t.Fatalf("segment %d: span [%d, %d) outside [0, %d]", i, g.Start, g.End, len(data))
		}
		if i > 0 && (g.Start < segs[i-1].Start || g.Start == segs[i-1].Start && g.Depth < segs[i-1].Depth) {
			t.Fatalf("segment %d: not ordered by start, depth", i)
		}
		if g.Depth < 1 || g.Depth > s.maxDepth {
			t.Fatalf("segment %d: depth %d outside [1, %d]", i, g.Depth, s.maxDepth)
		}
		if n := strings.Count(g.Encoding, "+") + 1; n != g.Depth {
			t.Fatalf("segment %d: encoding %q names %d encodings at depth %d", i, g.Encoding, n, g.Depth)
		}
		if len(g.Data) == 0 || len(g.Data) > MaxSegment {
			t.Fatalf("segment %d: %d decoded bytes, want 1..%d", i, len(g.Data), MaxSegment)
		}
		if !printable(g.Data) {
			t.Fatalf("segment %d: decoded bytes are not text: %.40q", i, g.Data)
		}
		total += len(g.Data)
	}
	if total > s.maxTotal {
		t.Fatalf("%d decoded bytes in all, more than MaxTotal %d", total, s.maxTotal)
	}
}

// produced returns the decoded bytes of segs and their greatest depth.
func produced(segs []Segment) (total, depth int) {
	for _, g := range segs {
		total += len(g.Data)
		depth = max(depth, g.Depth)
	}
	return total, depth
}

// nestedBase64 encodes text n times.
func nestedBase64(text string, n int) string {
	for range n {
		text = base64.StdEncoding.EncodeToString([]byte(text))
	}
	return text
}

func TestDepthLimit(t *testing.T) {
	in := []byte("x: " + nestedBase64(userPass+" and some more text", 8))
	for _, depth := range []int{1, 2, 5, 8} {
		segs := Find(in, Options{MaxDepth: depth})
		checkBounds(t, in, Options{MaxDepth: depth}, segs)
		if _, d := produced(segs); d != depth {
			t.Errorf("MaxDepth %d: deepest segment %d", depth, d)
		}
		if depth == 8 && string(segs[len(segs)-1].Data) != userPass+" and some more text" {
			t.Errorf("MaxDepth 8: innermost %q", segs[len(segs)-1].Data)
		}
	}
	segs := Find(in, Options{})
	if _, d := produced(segs); d != DefaultMaxDepth {
		t.Errorf("default depth: deepest segment %d, want %d", d, DefaultMaxDepth)
	}
}

// bombs are inputs that decode again at every level. Each level decodes to
// a little less than the level before, so it is MaxTotal (four times the
// input by default) that stops a deep one, or MaxDepth.
func bombs() map[string][]byte {
	pct := "k=" + strings.Repeat("%25", 1) + "41"
	for range 12 {
		pct = strings.ReplaceAll(pct, "%", "%25")
	}
	escaped := `"` + strings.Repeat(`\\`, 1<<12) + `n"`
	return map[string][]byte{
		"nested base64":      []byte(nestedBase64(strings.Repeat("text ", 4000), 12)),
		"many nested base64": bytes.Repeat([]byte(nestedBase64("user:pass-"+awsKeyID, 6)+"\n"), 2000),
		"percent of percent": []byte(strings.Repeat(pct+"&", 50)),
		"escaped escapes":    []byte(strings.Repeat(escaped+"\n", 20)),
	}
}

func TestBombsBounded(t *testing.T) {
	for name, in := range bombs() {
		t.Run(name, func(t *testing.T) {
			for _, opts := range []Options{{}, {MaxDepth: 20}, {MaxDepth: 20, MaxTotal: 1 << 10}} {
				segs := Find(in, opts)
				checkBounds(t, in, opts, segs)
				total, depth := produced(segs)
				if total == 0 && opts.MaxTotal == 0 {
					t.Fatalf("%+v: nothing decoded", opts)
				}
				if opts.MaxTotal != 0 && total > opts.MaxTotal {
					t.Fatalf("%+v: %d bytes produced", opts, total)
				}
				t.Logf("%+v: %d segments, %d bytes from %d, depth %d", opts, len(segs), total, len(in), depth)
			}
		})
	}
}

func TestMaxTotal(t *testing.T) {
	line := "v: " + base64.StdEncoding.EncodeToString([]byte(strings.Repeat("lorem ipsum ", 10))) + "\n"
	in := []byte(strings.Repeat(line, 100))
	all := Find(in, Options{})
	if len(all) != 100 {
		t.Fatalf("got %d segments, want 100", len(all))
	}
	per := len(all[0].Data)
	segs := Find(in, Options{MaxTotal: 10*per + per/2})
	checkBounds(t, in, Options{MaxTotal: 10*per + per/2}, segs)
	if len(segs) != 10 {
		t.Errorf("MaxTotal for 10.5 segments: got %d segments, want 10", len(segs))
	}
}

// TestLongRunCutInPieces checks that a base64 run longer than MaxSegment is
// decoded in overlapping pieces of at most MaxSegment bytes, so that a
// secret across a piece boundary is still whole in one piece.
func TestLongRunCutInPieces(t *testing.T) {
	filler := strings.Repeat("lorem ipsum dolor sit amet, ", MaxSegment/28+10)
	// Put the secret across the first boundary, at MaxSegment/3*3 bytes.
	cut := MaxSegment / 3 * 3
	text := filler[:cut-10] + awsKeyID + filler[:MaxSegment/2]
	enc := base64.StdEncoding.EncodeToString([]byte(text))
	in := []byte("blob: " + enc + "\n")
	segs := Find(in, Options{MaxDepth: 1})
	checkBounds(t, in, Options{MaxDepth: 1}, segs)
	if len(segs) != 2 {
		t.Fatalf("got %d segments, want 2", len(segs))
	}
	if segs[0].Start != 6 || segs[1].End != len(in)-1 || segs[1].Start >= segs[0].End {
		t.Errorf("pieces [%d,%d) [%d,%d) do not cover [6,%d) with an overlap",
			segs[0].Start, segs[0].End, segs[1].Start, segs[1].End, len(in)-1)
	}
	var joined []byte
	for _, g := range segs {
		if bytes.Contains(g.Data, []byte(awsKeyID)) {
			joined = g.Data
		}
	}
	if joined == nil {
		t.Errorf("no piece holds the secret across the boundary")
	}
	// Each piece's span decodes to its data.
	for _, g := range segs {
		got, err := base64.StdEncoding.DecodeString(string(in[g.Start:g.End]))
		if err != nil || !bytes.Equal(got, g.Data) {
			t.Errorf("piece [%d,%d) does not decode to its data (err %v)", g.Start, g.End, err)
		}
	}
}

func TestLongBinaryRunDropped(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	bin := make([]byte, 3<<20)
	for i := range bin {
		bin[i] = byte(r.Uint32())
	}
	in := []byte(base64.StdEncoding.EncodeToString(bin))
	if segs := Find(in, Options{}); len(segs) != 0 {
		t.Errorf("binary blob: got %d segments", len(segs))
	}
}

// TestAlphaMask checks the 8-bytes-at-once alphabet test against the byte
// class table, for every byte value in every position.
func TestAlphaMask(t *testing.T) {
	for pos := range 8 {
		for c := range 256 {
			w := uint64('A') * lsb // all alphabet
			w = w&^(0xff<<(8*pos)) | uint64(c)<<(8*pos)
			want := uint64(msb)
			if class[c]&cAlpha == 0 {
				want &^= 0x80 << (8 * pos)
			}
			if got := alphaMask(w); got != want {
				t.Fatalf("byte %#x at %d: mask %#x, want %#x", c, pos, got, want)
			}
		}
	}
}

// naiveRuns is the reference for alphaRuns.
func naiveRuns(data []byte, min int) []cand {
	var out []cand
	for i := 0; i < len(data); {
		if class[data[i]]&cAlpha == 0 {
			i++
			continue
		}
		j := i
		for j < len(data) && class[data[j]]&cAlpha != 0 {
			j++
		}
		if j-i >= min && (j-i)%4 != 1 {
			e := j
			for k := 0; k < 2 && e < len(data) && data[e] == '='; k++ {
				e++
			}
			out = append(out, cand{i, e, kindAlpha})
		}
		i = j
	}
	return out
}

func TestAlphaRunsMatchReference(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const alphabet = "aZ09+/-_=. \n\x80"
	for iter := range 3000 {
		n := r.IntN(200)
		data := make([]byte, n)
		// Runs of alphabet bytes of random lengths between separators.
		for i := range data {
			if r.IntN(12) == 0 {
				data[i] = alphabet[8+r.IntN(len(alphabet)-8)]
			} else {
				data[i] = alphabet[r.IntN(8)]
			}
		}
		for _, min := range []int{4, 7, 8, 15, 16, 23, 32} {
			want := naiveRuns(data, min)
			got := alphaRuns(data, min, nil)
			if len(want) != len(got) {
				t.Fatalf("iter %d min %d: %d runs, want %d in %q", iter, min, len(got), len(want), data)
			}
			for i := range want {
				if want[i] != got[i] {
					t.Fatalf("iter %d min %d: run %d = %v, want %v in %q", iter, min, i, got[i], want[i], data)
				}
			}
		}
	}
}

// TestCheckerNeverStricter checks the streaming text check against
// printable: when the checker rejects, printable rejects too, and when it
// saw only ASCII its verdict is printable's.
func TestCheckerNeverStricter(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"a", "Z", " ", "\n", "\x01", "\x7f", "é", "秘", "🔑", "\xc3", "\x80", "\xff", "\xe2\x82", "\xed\xa0\x80"}
	for range 20000 {
		var b []byte
		for range r.IntN(30) {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		c := checker{total: len(b)}
		ok := c.feed(b)
		var v []byte
		if ok {
			v = c.verdict(b)
		}
		want := len(b) > 0 && printable(b)
		if (v != nil) != want {
			t.Fatalf("%q: checker says %v (fed %v), printable says %v", b, v != nil, ok, want)
		}
		if !ok && !c.nul && c.bad*10 <= len(b) {
			t.Fatalf("%q: rejected with %d bad of %d", b, c.bad, len(b))
		}
		if ok && !c.high && !utf8.Valid(b) {
			t.Fatalf("%q: no high byte seen in invalid UTF-8", b)
		}
	}
}

func TestHexOddLengthNotDecoded(t *testing.T) {
	h := hex.EncodeToString([]byte(userPass + "!!"))
	if segs := Find([]byte("x "+h+"a y"), Options{}); len(segs) != 0 {
		t.Errorf("odd-length hex: got %+v", segs)
	}
}
