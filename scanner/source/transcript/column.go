package transcript

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"strings"
	"unicode/utf16"

	"github.com/leakguard/leakguard/scanner"
)

// LocateColumns moves the columns of findings from a transcript file at
// path into the file's own lines. The detector reports a column inside the
// decoded string (after \n, \" and \u escapes are undone, and inside JSON
// held in a string); an editor needs the column in the JSONL line, where
// the string is written escaped, perhaps twice. Each finding with a JSON
// path gets StartLine/EndLine set to the file line and StartColumn/EndColumn
// (1-based, bytes, end inclusive) to where its text is written in that
// line; JSONPath still names the string. A finding whose text cannot be
// found in its string (a secret found only in a decoded base64 value) gets
// the span of the string that holds it. The file is read only when some
// finding needs it; a file that cannot be read leaves findings as they are.
func LocateColumns(path string, fs []scanner.Finding) {
	need := map[int]bool{}
	for _, f := range fs {
		if f.JSONPath != "" && f.JSONLine > 0 {
			need[f.JSONLine] = true
		}
	}
	if len(need) == 0 {
		return
	}
	docs, whole := readDocs(path, need)
	for i := range fs {
		f := &fs[i]
		if f.JSONPath == "" || f.JSONLine <= 0 {
			continue
		}
		doc, first := docs[f.JSONLine], f.JSONLine
		if whole != nil {
			doc, first = whole, 1
		}
		if doc == nil {
			continue
		}
		start, last, ok := locate(doc, f.JSONPath, f)
		if !ok {
			continue
		}
		f.StartLine, f.StartColumn = lineCol(doc, first, start)
		f.EndLine, f.EndColumn = lineCol(doc, first, last)
	}
}

// readDocs reads the documents findings are in: a .json export parsed
// whole is returned as whole; otherwise the JSONL lines in need.
func readDocs(path string, need map[int]bool) (map[int][]byte, []byte) {
	if strings.EqualFold(extOf(path), ".json") {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, nil
		}
		if _, err := Strings(data, 0); err == nil {
			return nil, data
		}
		return linesOf(bytes.NewReader(data), need), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil
	}
	defer f.Close()
	return linesOf(f, need), nil
}

func extOf(path string) string {
	i := strings.LastIndexAny(path, "./\\")
	if i < 0 || path[i] != '.' {
		return ""
	}
	return path[i:]
}

// linesOf returns the lines of r whose numbers are in need.
func linesOf(r io.Reader, need map[int]bool) map[int][]byte {
	out := map[int][]byte{}
	br := bufio.NewReaderSize(r, 256<<10)
	for n := 1; len(out) < len(need); n++ {
		line, long, err := readLine(br)
		if long {
			_, _ = io.Copy(io.Discard, lineRest(br))
		} else if need[n] {
			out[n] = bytes.Clone(line)
		}
		if err != nil {
			break
		}
	}
	return out
}

// lineCol turns a byte offset of doc, whose first line is line first, into
// a 1-based line and byte column.
func lineCol(doc []byte, first, off int) (line, col int) {
	off = min(max(off, 0), len(doc))
	nl := bytes.LastIndexByte(doc[:off], '\n')
	return first + bytes.Count(doc[:off], []byte{'\n'}), off - nl
}

// locate returns the offsets in doc of the first and last byte of f's text,
// following pointer through strings that hold JSON.
func locate(doc []byte, pointer string, f *scanner.Finding) (start, last int, ok bool) {
	p := &parser{maxDepth: DefaultMaxDepth}
	if p.parse(doc) != nil {
		return 0, 0, false
	}
	for _, t := range p.strs {
		var rest string
		switch {
		case t.path == pointer:
		case strings.HasPrefix(pointer, t.path+"#"):
			rest = pointer[len(t.path)+1:]
		default:
			continue
		}
		raw := doc[t.start+1 : t.end-1]
		dec := raw
		if t.esc {
			dec = appendUnescaped(nil, raw)
		}
		var ds, dl int
		var found bool
		if rest == "" {
			ds, dl, found = findText(dec, f)
		} else {
			ds, dl, found = locate(dec, rest, f)
		}
		if !found {
			if rest != "" {
				continue // another string with this path prefix, or a key with '#'
			}
			return t.start, t.end - 1, true // the string that holds it
		}
		base := t.start + 1
		if !t.esc {
			return base + ds, base + dl, true
		}
		return base + rawOffset(raw, ds), base + rawOffset(raw, dl+1) - 1, true
	}
	return 0, 0, false
}

// findText finds f's secret or match in the decoded string dec at the
// column the detector reported (a column within one of dec's lines) and
// returns the offsets of its first and last byte.
func findText(dec []byte, f *scanner.Finding) (start, last int, ok bool) {
	best := -1
	var bestLen int
	for _, text := range []string{f.Match, f.Secret} {
		if text == "" {
			continue
		}
		for from := 0; from < len(dec); {
			i := bytes.Index(dec[from:], []byte(text))
			if i < 0 {
				break
			}
			o := from + i
			from = o + 1
			if _, col := lineCol(dec, 1, o); col != f.StartColumn {
				continue
			}
			end := o + len(text) - 1
			if _, col := lineCol(dec, 1, end); col == f.EndColumn {
				return o, end, true
			}
			if best < 0 {
				best, bestLen = o, len(text)
			}
		}
	}
	if best < 0 {
		return 0, 0, false
	}
	return best, best + bestLen - 1, true
}

// rawOffset returns the offset in raw, the escaped content of a JSON
// string, where the unit that produces decoded byte dec starts (len(raw)
// past the end). It undoes escapes exactly as appendUnescaped does.
func rawOffset(raw []byte, dec int) int {
	d := 0
	var scratch [utf16Pair]byte
	for i := 0; i < len(raw); {
		if d >= dec {
			return i
		}
		n := unitLen(raw, i)
		d += len(appendUnescaped(scratch[:0], raw[i:i+n]))
		i += n
	}
	return len(raw)
}

// utf16Pair is the raw length of an escaped surrogate pair.
const utf16Pair = 12

// unitLen is the raw length of the escape unit (or plain byte) at raw[i].
func unitLen(raw []byte, i int) int {
	if raw[i] != '\\' || i+1 >= len(raw) {
		return 1
	}
	if raw[i+1] != 'u' {
		return 2
	}
	if i+6 > len(raw) {
		return len(raw) - i
	}
	r := rune(hex4(raw[i+2 : i+6]))
	if utf16.IsSurrogate(r) && i+utf16Pair <= len(raw) && raw[i+6] == '\\' && raw[i+7] == 'u' && isHex4(raw[i+8:i+12]) {
		if utf16.DecodeRune(r, rune(hex4(raw[i+8:i+12]))) != 0xFFFD {
			return utf16Pair
		}
	}
	return 6
}
