package scanner

import (
	"bytes"
	"errors"
	"io"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Telling text from binary, and UTF-16 text from both. Every source asks
// Sniff (through Binary) before it reads a file or a blob, and the
// scanner transcodes what Sniff calls UTF-16 before detection, so that all
// gates decide alike.

// SniffLen is how much of an input decides what it holds (git's 8000
// bytes).
const SniffLen = 8000

// Content is what Sniff found an input to hold.
type Content uint8

// The kinds of content.
const (
	Text    Content = iota // UTF-8, ASCII or another byte encoding: scanned as it is
	UTF16LE                // UTF-16, little-endian: transcoded to UTF-8
	UTF16BE                // UTF-16, big-endian: transcoded to UTF-8
	Binary                 // not scanned
)

// Sniff decides from the first SniffLen bytes of an input what it holds.
//
// An input with no NUL byte there is Text, as git decides. One with a
// UTF-16 byte order mark, or whose NUL bytes fall on every other byte as
// UTF-16 puts them before ASCII characters, is UTF-16 when it decodes to
// text. One with a few NUL bytes (one, or at most 1 in 100) among text is Text: a
// stray NUL (a log written by a crashing process, a C string, find
// -print0) must not hide the secrets of a text file, where git's rule,
// made for diffs, would skip it unread. Anything else is Binary.
func Sniff(data []byte) Content {
	head := data[:min(len(data), SniffLen)]
	nul := bytes.IndexByte(head, 0)
	// A byte order mark, unless what follows reads as well as bytes (no
	// NUL, mostly ASCII: a stray 0xff 0xfe before text).
	if len(head) >= 2 && (nul >= 0 || !mostlyText(head[2:])) {
		switch {
		case head[0] == 0xff && head[1] == 0xfe && utf16Text(head[2:], false):
			return UTF16LE
		case head[0] == 0xfe && head[1] == 0xff && utf16Text(head[2:], true):
			return UTF16BE
		}
	}
	if nul < 0 {
		return Text
	}
	// NUL bytes at odd offsets (before a BOM-less ASCII-heavy UTF-16LE
	// text) or at even ones (BE).
	var odd, even int
	for i := 0; i+1 < len(head); i += 2 {
		if head[i] == 0 {
			even++
		}
		if head[i+1] == 0 {
			odd++
		}
	}
	units := len(head) / 2
	switch {
	case odd*10 >= units*4 && even*100 <= units && utf16Text(head, false):
		return UTF16LE
	case even*10 >= units*4 && odd*100 <= units && utf16Text(head, true):
		return UTF16BE
	}
	if n := bytes.Count(head, []byte{0}); n <= max(1, len(head)/100) && mostlyText(head) {
		return Text
	}
	return Binary
}

// IsBinary reports whether Sniff calls data binary: what sources skip.
func IsBinary(data []byte) bool { return Sniff(data) == Binary }

// mostlyText reports whether, NUL bytes aside, at least 95% of b's
// characters are printable ASCII, blanks or valid UTF-8.
func mostlyText(b []byte) bool {
	bad, n := 0, 0
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		i += size
		if r == 0 {
			continue
		}
		n++
		if r == utf8.RuneError && size == 1 || r < ' ' && r != '\t' && r != '\n' && r != '\r' && r != '\f' || r == 0x7f {
			bad++
		}
	}
	return n > 0 && bad*20 <= n
}

// utf16Text reports whether b decodes as UTF-16 (big-endian if be) to
// text: at least 95% of its characters printable or blanks, a truncated
// last unit or surrogate pair allowed.
func utf16Text(b []byte, be bool) bool {
	bad, n := 0, 0
	for i := 0; i+1 < len(b); i += 2 {
		u := unit(b, i, be)
		n++
		switch {
		case utf16.IsSurrogate(rune(u)):
			if u < 0xdc00 && i+3 < len(b) {
				if lo := unit(b, i+2, be); lo >= 0xdc00 && lo < 0xe000 {
					i += 2
					continue
				}
			}
			if i+3 < len(b) {
				bad++
			}
		case u == '\t' || u == '\n' || u == '\r' || u == '\f':
		case !unicode.IsPrint(rune(u)) && !unicode.IsSpace(rune(u)):
			bad++
		}
	}
	return n > 0 && bad*20 <= n
}

func unit(b []byte, i int, be bool) uint16 {
	if be {
		return uint16(b[i])<<8 | uint16(b[i+1])
	}
	return uint16(b[i+1])<<8 | uint16(b[i])
}

// transcodeUTF16 appends to dst the UTF-8 transcoding of src, UTF-16
// (big-endian if be), without its byte order mark. A lone surrogate
// becomes U+FFFD; a last odd byte is dropped. It returns dst and how many
// bytes of src it used: a high surrogate at the end of src is left for the
// next call unless final.
func transcodeUTF16(dst, src []byte, be, final bool) ([]byte, int) {
	i := 0
	for ; i+1 < len(src); i += 2 {
		u := rune(unit(src, i, be))
		if utf16.IsSurrogate(u) {
			if u < 0xdc00 && i+3 < len(src) {
				if lo := rune(unit(src, i+2, be)); lo >= 0xdc00 && lo < 0xe000 {
					dst = utf8.AppendRune(dst, utf16.DecodeRune(u, lo))
					i += 2
					continue
				}
			}
			if u < 0xdc00 && i+3 >= len(src) && !final {
				break
			}
			u = utf8.RuneError
		}
		dst = utf8.AppendRune(dst, u)
	}
	if final {
		return dst, len(src)
	}
	return dst, i
}

// utf16Data returns the UTF-8 transcoding of data, which Sniff found to
// be UTF-16 of content c, its byte order mark dropped.
func utf16Data(data []byte, c Content) []byte {
	be := c == UTF16BE
	if bom := []byte{0xff, 0xfe}; be {
		bom = []byte{0xfe, 0xff}
		data = bytes.TrimPrefix(data, bom)
	} else {
		data = bytes.TrimPrefix(data, bom)
	}
	out, _ := transcodeUTF16(make([]byte, 0, len(data)/2+len(data)/8), data, be, true)
	return out
}

// transcode returns f with its data transcoded to UTF-8 when Sniff finds
// it UTF-16, else f.
func transcode(f Fragment) Fragment {
	if len(f.Data) < 2 {
		return f
	}
	c := Sniff(f.Data)
	if c != UTF16LE && c != UTF16BE {
		return f
	}
	bom := 0
	if bytes.HasPrefix(f.Data, []byte{0xff, 0xfe}) && c == UTF16LE || bytes.HasPrefix(f.Data, []byte{0xfe, 0xff}) && c == UTF16BE {
		bom = 2
	}
	text := utf16Data(f.Data, c)
	if f.Release != nil {
		f.Release() // the raw bytes are no longer needed
		f.Release = nil
	}
	f.Data = text
	f.Origin.Charset = "utf-16le"
	if c == UTF16BE {
		f.Origin.Charset = "utf-16be"
	}
	f.utf16 = newUTF16Map(text, bom)
	return f
}

// utf16Map maps offsets of the UTF-8 transcoding of a UTF-16 input back to
// the input: each character below U+10000 stands for 2 bytes there, each
// above for 4. It keeps the input offset of one character start every
// utf16Mark bytes, so that a look-up walks at most that far.
type utf16Map struct {
	text  []byte
	bom   int
	marks [][2]int // text offset, input offset
}

const utf16Mark = 4 << 10

func newUTF16Map(text []byte, bom int) *utf16Map {
	m := &utf16Map{text: text, bom: bom}
	raw, next := bom, 0
	for i := 0; i < len(text); {
		if i >= next {
			m.marks = append(m.marks, [2]int{i, raw})
			next += utf16Mark
		}
		r, size := utf8.DecodeRune(text[i:])
		i += size
		raw += 2
		if r >= 0x10000 {
			raw += 2
		}
	}
	return m
}

// raw returns the input offset of text offset off.
func (m *utf16Map) raw(off int) int {
	k := min(off/utf16Mark, len(m.marks)-1)
	for k > 0 && m.marks[k][0] > off {
		k--
	}
	if k < 0 {
		return m.bom
	}
	i, raw := m.marks[k][0], m.marks[k][1]
	for i < off && i < len(m.text) {
		r, size := utf8.DecodeRune(m.text[i:])
		i += size
		raw += 2
		if r >= 0x10000 {
			raw += 2
		}
	}
	return raw
}

// UTF16Reader transcodes a UTF-16 stream (big-endian if be) to UTF-8,
// for the sources that stream large inputs. A byte order mark at the start
// is dropped.
func UTF16Reader(r io.Reader, be bool) io.Reader {
	return &utf16Reader{r: r, be: be, first: true}
}

type utf16Reader struct {
	r         io.Reader
	be, first bool
	in, out   []byte
	err       error
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 {
		if u.err != nil {
			return 0, u.err
		}
		buf := make([]byte, 64<<10)
		n := copy(buf, u.in)
		m, err := io.ReadAtLeast(u.r, buf[n:], 2)
		buf = buf[:n+m]
		final := err != nil
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				err = io.EOF
			}
			u.err = err
		}
		if u.first && len(buf) >= 2 {
			u.first = false
			if !u.be && buf[0] == 0xff && buf[1] == 0xfe || u.be && buf[0] == 0xfe && buf[1] == 0xff {
				buf = buf[2:]
			}
		}
		var used int
		u.out, used = transcodeUTF16(u.out[:0], buf, u.be, final)
		u.in = append(u.in[:0], buf[used:]...)
		if u.err != nil && !errors.Is(u.err, io.EOF) {
			break
		}
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}
