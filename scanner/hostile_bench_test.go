package scanner

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"sync"
	"testing"

	"github.com/leakguard/leakguard/internal/fake"
)

// Benchmarks of inputs built to cost the most, each over a ladder of
// sizes doubling: the time per MB (ns/op over b.SetBytes: MB/s) must stay
// flat from rung to rung, or a step is super-linear.
//
//	go test -run '^$' -bench Hostile -benchtime 1x ./scanner/
//
// "matchline" is the case a per-match search of the whole line made
// quadratic (detectors' lineCache).

var nested50 = sync.OnceValue(func() []byte {
	s := []byte("config: password=" + fake.Password(1) + "\n")
	for range 50 {
		s = []byte(base64.StdEncoding.EncodeToString(s))
	}
	return s
})

// hostileInput returns case name at size n.
func hostileInput(name string, n int) []byte {
	rep := func(unit string) []byte {
		return bytes.Repeat([]byte(unit), n/len(unit)+1)[:n]
	}
	values := func(format string, n int) []byte {
		var b bytes.Buffer
		alpha := fake.Alnum(7, 1<<16) // values cut from one long random string
		for i := 0; b.Len() < n; i++ {
			o := (i * 37) % (len(alpha) - 32)
			fmt.Fprintf(&b, format, alpha[o:o+32])
		}
		return b.Bytes()
	}
	switch name {
	case "text": // ordinary text, the yardstick
		return filler(n)
	case "nested50": // base64 nested 50 deep, one line
		return append(append([]byte("blob="), nested50()[:n/4*4]...), '\n')
	case "keykey": // a keyword hit every 4 bytes
		return rep("key=")
	case "matches": // a real match on every line (api_key = "…" ×19,500 is 800 KB)
		return values("api_key = %q\n", n)[:n]
	case "matchline": // one line of real matches, a quarter of the size (200 KB at 800 KB)
		return append(values("api_key=%q, ", n/4), '\n')
	}
	panic(name)
}

func BenchmarkHostile(b *testing.B) {
	s := testScanner(b, Options{Workers: 1})
	for _, name := range []string{"text", "nested50", "keykey", "matches", "matchline"} {
		for _, kb := range []int{128, 256, 512, 1024, 2048} {
			b.Run(fmt.Sprintf("%s/%dKB", name, kb), func(b *testing.B) {
				data := hostileInput(name, kb<<10)
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				var n int
				for b.Loop() {
					fs, err := s.ScanBytes(context.Background(), data, Origin{Kind: KindFile, Path: "in.txt"})
					if err != nil {
						b.Fatal(err)
					}
					n = len(fs)
				}
				b.ReportMetric(float64(n), "findings")
			})
		}
	}
}
