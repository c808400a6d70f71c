package quality

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
)

// builder writes one file and records a label for every item it places.
type builder struct {
	file, ctx string
	buf       strings.Builder
	line      int // current 1-based line
	labels    []Label
}

func newBuilder(file, ctx string) *builder { return &builder{file: file, ctx: ctx, line: 1} }

// raw writes s as is.
func (b *builder) raw(s string) {
	b.buf.WriteString(s)
	b.line += strings.Count(s, "\n")
}

// ln writes s and a newline.
func (b *builder) ln(s string) { b.raw(s + "\n") }

// place writes before + esc(shown) + after, where shown is the item's text,
// and labels esc(value) at the line where it lands. esc must escape
// character by character (so esc(value) is a substring of esc(shown)); nil
// means no escaping.
func (b *builder) place(before string, it item, esc func(string) string, after string) {
	if esc == nil {
		esc = func(s string) string { return s }
	}
	shown, value := esc(it.shown()), esc(it.value)
	i := strings.Index(shown, value)
	if i < 0 {
		panic("quality: escaped value is not inside the escaped text of " + it.typ)
	}
	start := b.line + strings.Count(before, "\n") + strings.Count(shown[:i], "\n")
	l := Label{
		File: b.file, Line: start, EndLine: start + strings.Count(value, "\n"),
		Type: it.typ, Secret: value, Context: b.ctx, Negative: it.neg,
	}
	if value != it.value {
		l.Plain = it.value
	}
	b.labels = append(b.labels, l)
	b.raw(before + shown + after)
}

func (b *builder) done() File {
	return File{Path: b.file, Context: b.ctx, Data: []byte(b.buf.String())}
}

// jsonEsc escapes s for the inside of a JSON string.
func jsonEsc(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		panic(err) // strings always encode
	}
	out := strings.TrimSuffix(buf.String(), "\n")
	return out[1 : len(out)-1]
}

// jsonEsc2 escapes s for a JSON string inside a JSON string.
func jsonEsc2(s string) string { return jsonEsc(jsonEsc(s)) }

// nlEsc writes newlines as the two characters \n (.env, properties).
func nlEsc(s string) string { return strings.ReplaceAll(s, "\n", `\n`) }

// urlEsc percent-encodes s as a query value.
func urlEsc(s string) string { return url.QueryEscape(s) }

// camel turns SOME_KEY or some_key into someKey.
func camel(key string) string {
	parts := strings.Split(strings.ToLower(key), "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

func upper(key string) string { return strings.ToUpper(key) }

func lower(key string) string { return strings.ToLower(key) }

// indent prefixes every line of a block after the first.
func indent(s, pre string) string {
	return strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n"+pre)
}
