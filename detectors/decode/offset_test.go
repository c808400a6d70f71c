package decode

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/rand"
	"net/url"
	"strings"
	"testing"
)

// TestInputSpanDecodesToThePart: for every codec, the input span InputSpan
// gives for a part of a segment's decoded text decodes (with the same
// codec) to text holding that part, and parts further on map further on.
func TestInputSpanDecodesToThePart(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	text := func() string {
		var b strings.Builder
		for b.Len() < 300 {
			b.WriteString([]string{"alpha ", "key=", "x\"y ", "tab\t", "é", "😀", "/path ", "a&b=c ", "line\n"}[rng.Intn(9)])
		}
		return b.String()
	}
	enc := map[string]func(string) string{
		"base64": func(s string) string { return "v: " + base64.StdEncoding.EncodeToString([]byte(s)) + " ;" },
		"hex":    func(s string) string { return "v: " + hex.EncodeToString([]byte(s)) + " ;" },
		"percent": func(s string) string {
			return "GET /?q=" + url.QueryEscape(s) + " HTTP/1.1"
		},
		"json-escape": func(s string) string {
			b, _ := json.Marshal(s)
			return `{"k": ` + string(b) + `}`
		},
	}
	reDecode := map[string]func([]byte) []byte{
		"base64": func(b []byte) []byte { d, _ := base64.StdEncoding.DecodeString(string(b)); return d },
		"hex":    func(b []byte) []byte { d, _ := hex.DecodeString(string(b)); return d },
		"percent": func(b []byte) []byte {
			d, _, _ := unpercent(nil, b, 1<<30, 0)
			return d
		},
		"json-escape": func(b []byte) []byte { d, _, _ := unescape(nil, b, 1<<30, 0); return d },
	}
	for name, f := range enc {
		for trial := 0; trial < 20; trial++ {
			input := []byte(f(text()))
			var seg *Segment
			for _, s := range Find(input, Options{MaxDepth: 1}) {
				if s.Encoding == name {
					seg = &s
					break
				}
			}
			if seg == nil {
				t.Fatalf("%s: no segment in %q", name, input)
			}
			for k := 0; k < 30; k++ {
				ds := rng.Intn(len(seg.Data) - 8)
				de := ds + 1 + rng.Intn(min(40, len(seg.Data)-ds-1))
				a, b := seg.InputSpan(input, ds, de)
				if a < seg.Start || b > seg.End || a >= b {
					t.Fatalf("%s: span [%d,%d) outside [%d,%d)", name, a, b, seg.Start, seg.End)
				}
				if got := reDecode[name](input[a:b]); !bytes.Contains(got, seg.Data[ds:de]) {
					t.Fatalf("%s: input[%d:%d] %q decodes to %q, which lacks %q", name, a, b, input[a:b], got, seg.Data[ds:de])
				}
			}
			// Monotonic: a later part starts no earlier.
			a1, _ := seg.InputSpan(input, 0, 4)
			a2, _ := seg.InputSpan(input, len(seg.Data)/2, len(seg.Data)/2+4)
			if a2 <= a1 {
				t.Errorf("%s: the middle maps to %d, not after the start %d", name, a2, a1)
			}
		}
	}
}
