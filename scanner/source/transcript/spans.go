package transcript

// Span is the raw token of one string value in a document, quotes
// included: doc[Start:End].
type Span struct {
	Start, End int
	// Escaped says the token holds escapes, so that its decoded form
	// differs from its raw form.
	Escaped bool
	// NameStart and NameEnd delimit the raw token of the member name the
	// string is the value of, quotes included; NameEnd is 0 for an array
	// element or the document itself.
	NameStart, NameEnd int
}

// Strings parses doc, one JSON value, and returns the spans of its string
// values (member names excluded) in document order. maxDepth bounds
// nesting (0 means DefaultMaxDepth). It returns an error wrapping
// ErrSyntax or ErrTooDeep when doc is not valid JSON.
func Strings(doc []byte, maxDepth int) ([]Span, error) {
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	p := &parser{maxDepth: maxDepth, noPaths: true}
	if err := p.parse(doc); err != nil {
		return nil, err
	}
	spans := make([]Span, len(p.strs))
	for i, t := range p.strs {
		spans[i] = Span{Start: t.start, End: t.end, Escaped: t.esc, NameStart: t.ns, NameEnd: t.ne}
	}
	return spans, nil
}

// AppendDecoded appends the decoded content of a raw string token (quotes
// included, as Strings returns it) to dst.
func AppendDecoded(dst, tok []byte) []byte {
	if len(tok) < 2 {
		return dst
	}
	return appendUnescaped(dst, tok[1:len(tok)-1])
}

// LooksJSON reports whether b, trimmed, starts and ends like a JSON object
// or array: the strings worth trying to parse as embedded JSON.
func LooksJSON(b []byte) bool { return looksJSON(b) }

// MemberContext returns the text that stands around a string value in its
// document when it is the value of member name (the raw token, quotes
// included): `"name": "` before it and `"` after it, as a scan of the raw
// JSON sees it. The scanner detects with it (scanner.Fragment.Before and
// After) so that a secret only its key names (`"password": "…"`) is found
// in the decoded string as it is in the file; nil for no name.
func MemberContext(nameToken []byte) (before, after []byte) {
	if len(nameToken) < 2 {
		return nil, nil
	}
	before = make([]byte, 0, len(nameToken)+3)
	before = append(before, nameToken...)
	before = append(before, ": \""...)
	return before, quote
}

var quote = []byte{'"'}
