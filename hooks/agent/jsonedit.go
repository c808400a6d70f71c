package agent

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// This file edits a JSON document in place: it parses it into a tree that
// remembers where each value is in the text, and applies insertions,
// deletions and replacements to the text itself, so that everything the
// edit does not touch (key order, spacing, comments-free formatting, number
// spellings) stays byte for byte as it was.

// jnode is one parsed JSON value with its span in the source.
type jnode struct {
	kind       byte // '{', '[' or 'v' (a scalar)
	keys       []string
	keyStart   []int // where each member's key starts
	vals       []*jnode
	start, end int
}

var errJSON = errors.New("invalid JSON")

type jparser struct {
	src []byte
	pos int
}

func parseJSON(src []byte) (*jnode, error) {
	p := &jparser{src: src}
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.ws()
	if p.pos != len(src) {
		return nil, fmt.Errorf("%w: trailing data at byte %d", errJSON, p.pos)
	}
	return n, nil
}

func (p *jparser) ws() {
	for p.pos < len(p.src) && strings.IndexByte(" \t\r\n", p.src[p.pos]) >= 0 {
		p.pos++
	}
}

func (p *jparser) value(depth int) (*jnode, error) {
	if depth > 200 {
		return nil, fmt.Errorf("%w: nested too deep", errJSON)
	}
	p.ws()
	if p.pos >= len(p.src) {
		return nil, fmt.Errorf("%w: unexpected end", errJSON)
	}
	n := &jnode{start: p.pos}
	switch c := p.src[p.pos]; c {
	case '{':
		n.kind = '{'
		p.pos++
		p.ws()
		if p.pos < len(p.src) && p.src[p.pos] == '}' {
			p.pos++
			n.end = p.pos
			return n, nil
		}
		for {
			p.ws()
			ks := p.pos
			key, err := p.str()
			if err != nil {
				return nil, err
			}
			p.ws()
			if p.pos >= len(p.src) || p.src[p.pos] != ':' {
				return nil, fmt.Errorf("%w: want ':' at byte %d", errJSON, p.pos)
			}
			p.pos++
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			n.keys, n.keyStart, n.vals = append(n.keys, key), append(n.keyStart, ks), append(n.vals, v)
			p.ws()
			if p.pos < len(p.src) && p.src[p.pos] == ',' {
				p.pos++
				continue
			}
			if p.pos < len(p.src) && p.src[p.pos] == '}' {
				p.pos++
				n.end = p.pos
				return n, nil
			}
			return nil, fmt.Errorf("%w: want ',' or '}' at byte %d", errJSON, p.pos)
		}
	case '[':
		n.kind = '['
		p.pos++
		p.ws()
		if p.pos < len(p.src) && p.src[p.pos] == ']' {
			p.pos++
			n.end = p.pos
			return n, nil
		}
		for {
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			n.vals = append(n.vals, v)
			p.ws()
			if p.pos < len(p.src) && p.src[p.pos] == ',' {
				p.pos++
				continue
			}
			if p.pos < len(p.src) && p.src[p.pos] == ']' {
				p.pos++
				n.end = p.pos
				return n, nil
			}
			return nil, fmt.Errorf("%w: want ',' or ']' at byte %d", errJSON, p.pos)
		}
	case '"':
		n.kind = 'v'
		if _, err := p.str(); err != nil {
			return nil, err
		}
	default:
		n.kind = 'v'
		for p.pos < len(p.src) && strings.IndexByte(",}] \t\r\n", p.src[p.pos]) < 0 {
			p.pos++
		}
		if !json.Valid(p.src[n.start:p.pos]) {
			return nil, fmt.Errorf("%w: bad value %.20q at byte %d", errJSON, p.src[n.start:p.pos], n.start)
		}
	}
	n.end = p.pos
	return n, nil
}

func (p *jparser) str() (string, error) {
	if p.pos >= len(p.src) || p.src[p.pos] != '"' {
		return "", fmt.Errorf("%w: want a string at byte %d", errJSON, p.pos)
	}
	start := p.pos
	p.pos++
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case '\\':
			p.pos += 2
			continue
		case '"':
			p.pos++
			var s string
			if err := json.Unmarshal(p.src[start:p.pos], &s); err != nil {
				return "", fmt.Errorf("%w: bad string at byte %d", errJSON, start)
			}
			return s, nil
		}
		p.pos++
	}
	return "", fmt.Errorf("%w: unterminated string at byte %d", errJSON, start)
}

// member returns the value of key in an object, or nil.
func (n *jnode) member(key string) (*jnode, int) {
	if n == nil || n.kind != '{' {
		return nil, -1
	}
	for i, k := range n.keys {
		if k == key {
			return n.vals[i], i
		}
	}
	return nil, -1
}

// ordered is a JSON object that keeps its keys in this order when
// rendered.
type ordered []kv

type kv struct {
	k string
	v any
}

// jdoc is a document being edited: the source and the edits to apply.
type jdoc struct {
	src   []byte
	root  *jnode
	unit  string // one level of indentation, as the file uses it
	edits []jedit
}

type jedit struct {
	start, end int
	text       string
}

func newJDoc(src []byte) (*jdoc, error) {
	d := &jdoc{src: src, unit: indentUnit(src)}
	if len(bytes.TrimSpace(src)) == 0 {
		d.src = []byte("{}\n")
	}
	root, err := parseJSON(d.src)
	if err != nil {
		return nil, err
	}
	d.root = root
	return d, nil
}

// indentUnit is the indentation of the first indented line, or two spaces.
func indentUnit(src []byte) string {
	for _, line := range bytes.Split(src, []byte("\n"))[1:] {
		t := bytes.TrimLeft(line, " \t")
		if len(t) > 0 && len(t) < len(line) {
			return string(line[:len(line)-len(t)])
		}
	}
	return "  "
}

// multiline reports whether a container spans lines (then new members go
// on their own lines, indented).
func (d *jdoc) multiline(n *jnode) bool {
	return bytes.IndexByte(d.src[n.start:n.end], '\n') >= 0 || (n.start == d.root.start && len(n.vals) == 0)
}

func (d *jdoc) indent(depth int) string { return strings.Repeat(d.unit, depth) }

// render writes v as JSON, pretty at depth when pretty, else on one line.
func (d *jdoc) render(v any, depth int, pretty bool) string {
	var b strings.Builder
	d.renderTo(&b, v, depth, pretty)
	return b.String()
}

func (d *jdoc) renderTo(b *strings.Builder, v any, depth int, pretty bool) {
	open := func(c byte, n int, item func(i int)) {
		b.WriteByte(c)
		if n == 0 {
			b.WriteByte(c + 2) // '{'+2 = '}', '['+2 = ']'
			return
		}
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteByte(',')
				if !pretty {
					b.WriteByte(' ')
				}
			}
			if pretty {
				b.WriteString("\n" + d.indent(depth+1))
			}
			item(i)
		}
		if pretty {
			b.WriteString("\n" + d.indent(depth))
		}
		b.WriteByte(c + 2)
	}
	switch x := v.(type) {
	case ordered:
		open('{', len(x), func(i int) {
			b.WriteString(quoteJSON(x[i].k) + ": ")
			d.renderTo(b, x[i].v, depth+1, pretty)
		})
	case []any:
		open('[', len(x), func(i int) { d.renderTo(b, x[i], depth+1, pretty) })
	default:
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(x)
		b.Write(bytes.TrimRight(buf.Bytes(), "\n"))
	}
}

func quoteJSON(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimRight(buf.String(), "\n")
}

// addMember appends key: v to the object n at depth.
func (d *jdoc) addMember(n *jnode, depth int, key string, v any) {
	pretty := d.multiline(n)
	member := quoteJSON(key) + ": " + d.render(v, depth+1, pretty)
	if len(n.vals) == 0 {
		text := "{" + member + "}"
		if pretty {
			text = "{\n" + d.indent(depth+1) + member + "\n" + d.indent(depth) + "}"
		}
		d.edits = append(d.edits, jedit{n.start, n.end, text})
		return
	}
	last := n.vals[len(n.vals)-1]
	sep := ", "
	if pretty {
		sep = ",\n" + d.indent(depth+1)
	}
	d.edits = append(d.edits, jedit{last.end, last.end, sep + member})
}

// addItem appends v to the array n at depth.
func (d *jdoc) addItem(n *jnode, depth int, v any) {
	pretty := d.multiline(n) || len(n.vals) == 0
	item := d.render(v, depth+1, pretty)
	if len(n.vals) == 0 {
		text := "[" + item + "]"
		if pretty {
			text = "[\n" + d.indent(depth+1) + item + "\n" + d.indent(depth) + "]"
		}
		d.edits = append(d.edits, jedit{n.start, n.end, text})
		return
	}
	last := n.vals[len(n.vals)-1]
	sep := ", "
	if d.multiline(n) {
		sep = ",\n" + d.indent(depth+1)
	}
	d.edits = append(d.edits, jedit{last.end, last.end, sep + item})
}

// removeMany deletes the elements of the container n (members of an
// object or items of an array) at the given indexes, ascending, with their
// separators; removing them all leaves the container empty.
func (d *jdoc) removeMany(n *jnode, idx []int) {
	if len(idx) == 0 {
		return
	}
	if len(idx) == len(n.vals) {
		d.edits = append(d.edits, jedit{n.start, n.end, string(n.kind) + string(n.kind+2)})
		return
	}
	startOf := func(j int) int {
		if n.kind == '{' {
			return n.keyStart[j]
		}
		return n.vals[j].start
	}
	// Each maximal run a..b of removed elements is one deletion: from the
	// end of the element before it, or from its own start up to the next
	// element when it opens the container.
	for r := 0; r < len(idx); {
		a, b := idx[r], idx[r]
		for r+1 < len(idx) && idx[r+1] == b+1 {
			r++
			b = idx[r]
		}
		r++
		if a > 0 {
			d.edits = append(d.edits, jedit{n.vals[a-1].end, n.vals[b].end, ""})
		} else {
			d.edits = append(d.edits, jedit{startOf(a), startOf(b + 1), ""})
		}
	}
}

// replace replaces the value n with v.
func (d *jdoc) replace(n *jnode, depth int, v any) {
	d.edits = append(d.edits, jedit{n.start, n.end, d.render(v, depth, d.multiline(n))})
}

// bytes applies the edits.
func (d *jdoc) bytes() []byte {
	edits := append([]jedit(nil), d.edits...)
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].start > edits[j].start })
	out := append([]byte(nil), d.src...)
	for _, e := range edits {
		out = append(out[:e.start], append([]byte(e.text), out[e.end:]...)...)
	}
	return out
}

// str returns a scalar's string value, or "".
func (d *jdoc) str(n *jnode) string {
	if n == nil || n.kind != 'v' {
		return ""
	}
	var s string
	_ = json.Unmarshal(d.src[n.start:n.end], &s)
	return s
}

// raw returns a value's source text.
func (d *jdoc) raw(n *jnode) []byte { return d.src[n.start:n.end] }
