package decode

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzFind checks that Find never panics, keeps its bounds (spans inside
// the input, ordered, depth, MaxSegment, MaxTotal, text only) and that every
// depth-1 segment is the decoding of its span, checked against the standard
// library where it decodes the same syntax.
func FuzzFind(f *testing.F) {
	f.Add([]byte("a: "+b64(userPass)+"\n"), int8(0), uint8(0), uint16(0))
	f.Add([]byte(`{"k": "`+strings.ReplaceAll(pemKey, "\n", `\n`)+`"}`), int8(2), uint8(8), uint16(0))
	f.Add([]byte("v: "+nestedBase64("p=a%40b+c&d=e%2Ff", 3)), int8(0), uint8(0), uint16(300))
	f.Add([]byte("0x"+hex.EncodeToString([]byte(awsKeyID))+" %41%4"), int8(1), uint8(16), uint16(0))
	f.Add([]byte(`x=\u0041\ud83d\udd11\x41\U0001F511 "\"\\\/\b\f\n\r\t"`), int8(-1), uint8(4), uint16(7))
	f.Add([]byte(`x = '\u0041\u0042\x43\U0001F511abcdefghij\u0044\u0045'`), int8(1), uint8(4), uint16(0))
	f.Fuzz(func(t *testing.T, data []byte, depth int8, minLen uint8, maxTotal uint16) {
		opts := Options{MaxDepth: int(depth % 8), MinLen: int(minLen % 40), MaxTotal: int(maxTotal)}
		segs := Find(data, opts)
		if opts.MaxDepth < 0 && segs != nil {
			t.Fatalf("decoding disabled, got %d segments", len(segs))
		}
		checkBounds(t, data, opts, segs)
		var top []Segment
		for _, g := range segs {
			if g.Depth == 1 {
				checkDecoding(t, data[g.Start:g.End], g)
				top = append(top, g)
			}
		}
		// Spans of depth 1 are disjoint or nested, and nested ones are
		// reported only when there is no depth 2.
		for i, a := range top {
			for _, b := range top[i+1:] {
				if b.Start >= a.End {
					continue
				}
				if b.End > a.End {
					t.Fatalf("spans [%d,%d) and [%d,%d) cross", a.Start, a.End, b.Start, b.End)
				}
				if resolve(opts, len(data)).maxDepth > 1 {
					t.Fatalf("span [%d,%d) reported inside [%d,%d)", b.Start, b.End, a.Start, a.End)
				}
			}
		}
	})
}

// checkDecoding compares a depth-1 segment with the standard library's
// decoding of its span, where the standard library accepts the span.
func checkDecoding(t *testing.T, span []byte, g Segment) {
	t.Helper()
	var want []byte
	var err error
	switch g.Encoding {
	case "base64":
		want, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(string(span), "="))
	case "base64url":
		want, err = base64.RawURLEncoding.DecodeString(strings.TrimRight(string(span), "="))
	case "hex":
		want, err = hex.DecodeString(string(span))
	case "percent":
		if bytes.IndexByte(span, '+') >= 0 {
			return
		}
		var s string
		if s, err = url.PathUnescape(string(span)); err != nil {
			return // an invalid escape, kept as it is by Find
		}
		want = []byte(s)
	case "json-escape":
		var s string
		if !utf8.Valid(span) || json.Unmarshal([]byte(`"`+string(span)+`"`), &s) != nil {
			return // not JSON: an extension or an invalid escape
		}
		want = []byte(s)
	case "unicode-escape":
		// Go's string literals share \u, \U, \x (a raw byte) and the
		// one-letter escapes; \a, \v and octal are Go's alone.
		for i := 0; i+1 < len(span); i++ {
			if span[i] == '\\' {
				if c := span[i+1]; c == 'a' || c == 'v' || '0' <= c && c <= '7' {
					return
				}
				i++
			}
		}
		var s string
		if s, err = strconv.Unquote(`"` + string(span) + `"`); err != nil {
			return // surrogates, \' or \/, a quote or newline in the span
		}
		want = []byte(s)
	default:
		return
	}
	if err != nil {
		t.Fatalf("%s span %q does not decode: %v", g.Encoding, span, err)
	}
	if !bytes.Equal(want, g.Data) {
		t.Fatalf("%s span %q: got %q, want %q", g.Encoding, span, g.Data, want)
	}
}
