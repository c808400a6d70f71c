package transcript

// Span is the raw token of one string value in a document, quotes
// included: doc[Start:End].
type Span struct {
	Start, End int
	// Escaped says the token holds escapes, so that its decoded form
	// differs from its raw form.
	Escaped bool
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
		spans[i] = Span{Start: t.start, End: t.end, Escaped: t.esc}
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
