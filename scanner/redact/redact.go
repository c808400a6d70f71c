package redact

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/leakguard/leakguard/scanner"
	"github.com/leakguard/leakguard/scanner/source/transcript"
)

// Redactor replaces secrets. It is safe for concurrent use if its Scanner
// is. Secrets are found by the one pipeline (scanner.Scanner, with its
// decoding, validation, allowlists and filter), so redact removes exactly
// what a scan of the same text reports.
type Redactor struct {
	// Scanner finds the secrets.
	Scanner *scanner.Scanner
	// Origin names the input (its Path for path rules and allowlists).
	Origin scanner.Origin
	// MaxEmbedded is how many levels of JSON inside JSON strings are
	// redacted structurally; 0 means transcript.DefaultMaxEmbedded.
	MaxEmbedded int
	// Replace, when set, returns the text that replaces secret (found by
	// rule ruleID) instead of Placeholder. Gateways use it to learn what
	// was replaced and to keep a secret's placeholder stable across the
	// requests of a session. It is called once per replacement.
	Replace func(ruleID, secret string) string
}

func (r *Redactor) placeholder(ruleID, secret string) string {
	if r.Replace != nil {
		return r.Replace(ruleID, secret)
	}
	return Placeholder(ruleID, secret)
}

func (r *Redactor) maxEmbedded() int {
	if r.MaxEmbedded <= 0 {
		return transcript.DefaultMaxEmbedded
	}
	return r.MaxEmbedded
}

type span struct {
	lo, hi int
	rule   string
	secret string
}

// Text returns data with each secret replaced by its placeholder, and the
// number of replacements. A secret found through an encoding is replaced
// with the whole encoded span; overlapping spans are replaced once. data is
// not modified; when nothing is found data itself is returned.
func (r *Redactor) Text(data []byte) ([]byte, int) {
	out, fs := r.TextFindings(data)
	return out, len(fs)
}

// TextFindings is Text, returning the findings replaced.
func (r *Redactor) TextFindings(data []byte) ([]byte, []scanner.Finding) {
	return r.textFindings(data, nil, nil)
}

// textFindings is TextFindings for data that stood between before and
// after in its source (scanner.Fragment.Before and After).
func (r *Redactor) textFindings(data, before, after []byte) ([]byte, []scanner.Finding) {
	fs, err := r.Scanner.Findings(context.Background(), scanner.Fragment{Data: data, Before: before, After: after, Origin: r.Origin})
	if err != nil || len(fs) == 0 {
		return data, nil
	}
	spans := make([]span, 0, len(fs))
	kept := fs[:0]
	for _, f := range fs {
		if f.SpanEnd > f.SpanStart && f.SpanEnd <= len(data) {
			spans = append(spans, span{f.SpanStart, f.SpanEnd, f.RuleID, f.Secret})
			kept = append(kept, f)
		}
	}
	if len(spans) == 0 {
		return data, nil
	}
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].lo != spans[j].lo {
			return spans[i].lo < spans[j].lo
		}
		return spans[i].hi > spans[j].hi
	})
	merged := spans[:1]
	for _, s := range spans[1:] {
		last := &merged[len(merged)-1]
		if s.lo < last.hi {
			last.hi = max(last.hi, s.hi)
			continue
		}
		merged = append(merged, s)
	}
	out := make([]byte, 0, len(data))
	prev := 0
	for _, s := range merged {
		out = append(out, data[prev:s.lo]...)
		out = append(out, r.placeholder(s.rule, s.secret)...)
		prev = s.hi
	}
	return append(out, data[prev:]...), kept
}

// JSON redacts one JSON document: each string value is decoded, redacted
// (structurally again if it holds JSON) and encoded back. It returns an
// error wrapping transcript.ErrSyntax when doc is not JSON.
func (r *Redactor) JSON(doc []byte) ([]byte, int, error) {
	return r.json(doc, 0)
}

func (r *Redactor) json(doc []byte, level int) ([]byte, int, error) {
	spans, err := transcript.Strings(doc, 0)
	if err != nil {
		return nil, 0, err
	}
	var out []byte
	n, prev := 0, 0
	var dec []byte
	for _, s := range spans {
		tok := doc[s.Start:s.End]
		var str []byte
		if s.Escaped {
			dec = transcript.AppendDecoded(dec[:0], tok)
			str = dec
		} else {
			str = tok[1 : len(tok)-1]
		}
		var name []byte
		if s.NameEnd > s.NameStart {
			name = doc[s.NameStart:s.NameEnd]
		}
		red, k := r.str(str, name, level)
		if k == 0 {
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(doc))
		}
		out = append(out, doc[prev:s.Start]...)
		out = transcript.AppendQuoted(out, red)
		prev = s.End
		n += k
	}
	if n == 0 {
		return doc, 0, nil
	}
	return append(out, doc[prev:]...), n, nil
}

// str redacts one decoded string: the JSON it holds first, then its text.
// name is the raw token of the member name s is the value of, if any.
func (r *Redactor) str(s, name []byte, level int) ([]byte, int) {
	n := 0
	if level < r.maxEmbedded() && transcript.LooksJSON(s) {
		if red, k, err := r.json(s, level+1); err == nil && k > 0 {
			s, n = red, k
		}
	}
	before, after := transcript.MemberContext(name)
	red, fs := r.textFindings(s, before, after)
	return red, n + len(fs)
}

// JSONL redacts JSON lines from in to out. A line that is not JSON is
// redacted as text. Line endings are kept.
func (r *Redactor) JSONL(in io.Reader, out io.Writer) (int, error) {
	br := bufio.NewReaderSize(in, 256<<10)
	bw := bufio.NewWriterSize(out, 256<<10)
	total := 0
	for {
		line, err := br.ReadBytes('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return total, fmt.Errorf("redact: read: %w", err)
		}
		if len(line) > 0 {
			body, eol := splitEOL(line)
			red, n := r.Line(body)
			total += n
			bw.Write(red)
			bw.Write(eol)
		}
		if err != nil {
			break
		}
	}
	if err := bw.Flush(); err != nil {
		return total, fmt.Errorf("redact: write: %w", err)
	}
	return total, nil
}

// Line redacts one JSONL line: as JSON if it is, else as text.
func (r *Redactor) Line(line []byte) ([]byte, int) {
	if len(bytes.TrimSpace(line)) == 0 {
		return line, 0
	}
	if red, n, err := r.JSON(line); err == nil {
		return red, n
	}
	return r.Text(line)
}

func splitEOL(line []byte) (body, eol []byte) {
	if bytes.HasSuffix(line, []byte("\r\n")) {
		return line[:len(line)-2], line[len(line)-2:]
	}
	if bytes.HasSuffix(line, []byte("\n")) {
		return line[:len(line)-1], line[len(line)-1:]
	}
	return line, nil
}
