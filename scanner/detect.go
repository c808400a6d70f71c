package scanner

import (
	"bytes"
	"sort"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/detectors/validate"
)

// detectFragment runs the detector over one fragment and appends its
// findings to dst.
func (s *Scanner) detectFragment(f Fragment, dst []Finding) []Finding {
	t := detectors.Target{Path: f.Origin.Path}
	if f.Origin.Commit != nil {
		t.Commit = f.Origin.Commit.SHA
	}
	ms := s.det.Detect(f.Data, t)
	if len(ms) == 0 {
		return dst
	}
	lines := newLineIndex(f.Data)
	for _, m := range ms {
		if f.Own > 0 && m.Start >= f.Own && !m.PathOnly {
			continue
		}
		dst = append(dst, makeFinding(f, m, lines))
	}
	return dst
}

// makeFinding resolves a Match into a Finding.
func makeFinding(f Fragment, m detectors.Match, lines lineIndex) Finding {
	r := m.Rule
	fd := Finding{
		RuleID:      r.ID,
		Description: r.Description,
		Tags:        r.Tags,
		Kind:        f.Origin.Kind,
		Path:        f.Origin.Path,
		Commit:      f.Origin.Commit,
		JSONLine:    f.Origin.JSONLine,
		JSONPath:    f.Origin.JSONPath,
		Role:        f.Origin.Role,
		Tool:        f.Origin.Tool,
		Session:     f.Origin.Session,
		Entropy:     m.Entropy,
	}
	if m.PathOnly {
		fd.Match = "file detected: " + f.Origin.Path
	} else {
		fd.Match = string(f.Data[m.Start:m.End])
		fd.Secret = string(f.Data[m.SecretStart:m.SecretEnd])
		sl, sc := lines.position(m.Start)
		last := m.End - 1
		if last < m.Start {
			last = m.Start
		}
		el, ec := lines.position(last)
		fd.StartLine, fd.StartColumn = f.Origin.lineNumber(sl), sc
		fd.EndLine, fd.EndColumn = f.Origin.lineNumber(el), ec
		fd.Line = string(lines.text(m.Start, m.End))
	}
	if m.Verdict == validate.Valid || m.Verdict == validate.Invalid {
		fd.Validation = m.Verdict.String()
	}
	fd.Fingerprint = Fingerprint(&fd)
	return fd
}

// lineNumber maps a 0-based line index within a fragment to the line
// number in the original input.
func (o Origin) lineNumber(idx int) int {
	if o.LineMap != nil && idx < len(o.LineMap) {
		return o.LineMap[idx]
	}
	return o.StartLineOr1() + idx
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

// text returns the full lines holding [s, e), without their newlines.
func (li lineIndex) text(s, e int) []byte {
	lo := bytes.LastIndexByte(li.data[:s], '\n') + 1
	hi := bytes.IndexByte(li.data[e:], '\n')
	if hi < 0 {
		hi = len(li.data)
	} else {
		hi += e
	}
	if hi < lo {
		hi = lo
	}
	return li.data[lo:hi]
}

func countNewlines(b []byte) int { return bytes.Count(b, []byte{'\n'}) }
