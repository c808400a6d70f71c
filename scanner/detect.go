package scanner

import (
	"bytes"
	"sort"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/detectors/validate"
)

// detectFragment runs the detector's pipeline over one fragment and
// appends its findings to dst.
func (s *Scanner) detectFragment(f Fragment, dst []Finding) []Finding {
	t := detectors.Target{Path: f.Origin.Path}
	if f.Origin.Commit != nil {
		t.Commit = f.Origin.Commit.SHA
	}
	var ms []detectors.Match
	if len(f.Before) == 0 && len(f.After) == 0 {
		ms = s.det.Detect(f.Data, t)
	} else {
		ms = detectInContext(s.det, f, t)
	}
	if len(ms) == 0 {
		return dst
	}
	lines := newLineIndex(f.Data)
	for i := range ms {
		m := &ms[i]
		if f.Own > 0 && m.Start >= f.Own && !m.PathOnly {
			continue
		}
		dst = append(dst, s.makeFinding(f, m, lines))
	}
	return dst
}

// maxLineContext bounds how much of a match's line a Finding keeps on each
// side of the match: a minified file's 200 KB line is not copied into each
// of its findings.
const maxLineContext = 2 << 10

// makeFinding resolves a Match into a Finding.
func (s *Scanner) makeFinding(f Fragment, m *detectors.Match, lines lineIndex) Finding {
	r := m.Rule
	fd := Finding{
		RuleID:      r.ID,
		Description: r.Description,
		Tags:        r.Tags,
		Provider:    r.Provider,
		Severity:    r.Severity,
		Revoke:      r.Revoke,
		Kind:        f.Origin.Kind,
		Path:        f.Origin.Path,
		Commit:      f.Origin.Commit,
		JSONLine:    f.Origin.JSONLine,
		JSONPath:    f.Origin.JSONPath,
		Role:        f.Origin.Role,
		Tool:        f.Origin.Tool,
		Session:     f.Origin.Session,
		Entropy:     m.Entropy,
		Marked:      m.Marked,
		Encoding:    m.Encoding,
	}
	fd.Rel = relPath(s.opts.Root, fd.Path)
	if m.Verdict == validate.Valid || m.Verdict == validate.Invalid {
		fd.Validation = m.Verdict.String()
	}
	for _, o := range m.Also {
		if o.Rule.ID != r.ID && !containsString(fd.AlsoMatched, o.Rule.ID) {
			fd.AlsoMatched = append(fd.AlsoMatched, o.Rule.ID)
		}
	}
	sort.Strings(fd.AlsoMatched)
	if m.PathOnly {
		fd.Match = "file detected: " + f.Origin.Path
		fd.Fingerprint = Fingerprint(&fd)
		return fd
	}
	fd.Match = string(m.Text(f.Data))
	fd.Secret = string(m.Secret(f.Data))
	if m.Encoding != "" {
		fd.Tags = append(append([]string(nil), fd.Tags...), "decoded:"+m.Encoding)
	}
	if f.Origin.Charset != "" {
		fd.Tags = append(append([]string(nil), fd.Tags...), "charset:"+f.Origin.Charset)
	}
	sl, sc := lines.position(m.Start)
	el, ec := lines.position(max(m.End-1, m.Start))
	fd.StartLine, fd.StartColumn = f.Origin.lineNumber(sl), f.Origin.column(sl, sc)
	fd.EndLine, fd.EndColumn = f.Origin.lineNumber(el), f.Origin.column(el, ec)
	fd.Line = string(lines.text(m.Start, max(m.End, m.Start+1), maxLineContext))
	ss, se := m.Span()
	fd.SpanStart, fd.SpanEnd = f.Offset+ss, f.Offset+se
	if f.utf16 != nil {
		fd.SpanStart, fd.SpanEnd = f.utf16.raw(fd.SpanStart), f.utf16.raw(fd.SpanEnd)
	}
	fd.Fingerprint = Fingerprint(&fd)
	return fd
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// lineNumber maps a 0-based line index within a fragment to the line
// number in the original input.
func (o Origin) lineNumber(idx int) int {
	if o.LineMap != nil && idx < len(o.LineMap) {
		return o.LineMap[idx]
	}
	return o.StartLineOr1() + idx
}

// column maps a 1-based column on the fragment's line idx to the column in
// the original line: the first line of a fragment may start inside a line.
func (o Origin) column(idx, col int) int {
	if idx == 0 && o.StartColumn > 1 {
		return o.StartColumn - 1 + col
	}
	return col
}

// lineIndex finds line numbers and line text in one fragment.
type lineIndex struct {
	data []byte
	nl   []int
}

func newLineIndex(data []byte) lineIndex {
	li := lineIndex{data: data}
	for i := 0; ; {
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			break
		}
		li.nl = append(li.nl, i+j)
		i += j + 1
	}
	return li
}

// position returns the 0-based line index and 1-based byte column of off.
func (li lineIndex) position(off int) (line, col int) {
	line = sort.SearchInts(li.nl, off)
	start := 0
	if line > 0 {
		start = li.nl[line-1] + 1
	}
	return line, off - start + 1
}

// text returns the full lines holding [s, e), without their newlines, but
// at most reach bytes before s and after e.
func (li lineIndex) text(s, e, reach int) []byte {
	line, _ := li.position(s)
	lo := 0
	if line > 0 {
		lo = li.nl[line-1] + 1
	}
	hi := len(li.data)
	if k := sort.SearchInts(li.nl, e); k < len(li.nl) {
		hi = li.nl[k]
	}
	if e > len(li.data) {
		e = len(li.data)
	}
	lo = max(lo, s-reach)
	hi = min(hi, e+reach)
	if hi < lo {
		hi = lo
	}
	return li.data[lo:hi]
}

func countNewlines(b []byte) int { return bytes.Count(b, []byte{'\n'}) }

// detectInContext detects in f.Before+f.Data+f.After and keeps the matches
// whose secret lies in Data, their offsets moved to Data's and clamped to
// it (a match that began in the member name starts at Data's start).
func detectInContext(det *detectors.Detector, f Fragment, t detectors.Target) []detectors.Match {
	buf := make([]byte, 0, len(f.Before)+len(f.Data)+len(f.After))
	buf = append(append(append(buf, f.Before...), f.Data...), f.After...)
	ms := det.Detect(buf, t)
	lo, hi := len(f.Before), len(f.Before)+len(f.Data)
	keep := ms[:0]
	for _, m := range ms {
		if m.PathOnly {
			keep = append(keep, m)
			continue
		}
		s, e := m.SecretStart, m.SecretEnd
		if e <= s {
			s, e = m.Start, m.End
		}
		if s < lo || e > hi {
			continue
		}
		shiftMatch(&m, lo, hi)
		keep = append(keep, m)
	}
	return keep
}

// shiftMatch moves m's offsets (and those of the matches it holds) from
// the context buffer to Data's coordinates, clamped to [0, hi-lo].
func shiftMatch(m *detectors.Match, lo, hi int) {
	c := func(x int) int { return min(max(x, lo), hi) - lo }
	m.Start, m.End = c(m.Start), c(m.End)
	m.SecretStart, m.SecretEnd = c(m.SecretStart), c(m.SecretEnd)
	for i := range m.Also {
		shiftMatch(&m.Also[i], lo, hi)
	}
	for i := range m.Required {
		shiftMatch(&m.Required[i], lo, hi)
	}
}
