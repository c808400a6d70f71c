package scanner

import (
	"bytes"
	"encoding/base64"
	"sort"
	"unicode/utf8"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/detectors/decode"
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
	var lines *lineIndex
	index := func() *lineIndex {
		if lines == nil {
			li := newLineIndex(f.Data)
			lines = &li
		}
		return lines
	}
	var segs []decode.Segment
	if !s.opts.NoDecode {
		segs = decode.Find(f.Data, s.opts.DecodeOptions)
	}
	var seen map[string]bool
	for _, m := range ms {
		if f.Own > 0 && m.Start >= f.Own && !m.PathOnly {
			continue
		}
		if len(segs) > 0 && !m.PathOnly && supersededByDecoding(m, segs) {
			continue
		}
		if !s.opts.NoDecode && !m.PathOnly && s.encodedHarmless(f.Data, t, m) {
			continue
		}
		fd := makeFinding(f, m, *index())
		if !s.opts.NoDecode {
			if seen == nil {
				seen = map[string]bool{}
			}
			seen[fd.RuleID+"\x00"+fd.Secret] = true
		}
		dst = append(dst, fd)
	}
	if !s.opts.NoDecode {
		dst = s.detectDecoded(f, t, segs, index, seen, dst)
	}
	return dst
}

// containerRules report a container of encoded secrets (a Kubernetes
// Secret manifest's data) rather than a secret. With decoding on, the
// secrets inside are reported themselves, so the container finding is
// dropped when the decoder opened something inside its match.
var containerRules = map[string]bool{"kubernetes-secret-yaml": true}

// supersededByDecoding reports whether the decoding stage judges m: a
// container rule's match holding decoded spans, or a generic rule's
// secret that is (mostly) an encoded span. The decoded text is scanned in
// its place; if it holds a secret that is reported there, and if it holds
// only a placeholder, a reference, an example key or a token with a wrong
// checksum, nothing is. Encoded text that decodes to binary forms no span
// and is left to the generic rule.
func supersededByDecoding(m detectors.Match, segs []decode.Segment) bool {
	id := m.Rule.ID
	if containerRules[id] {
		for _, sg := range segs {
			if sg.Start >= m.Start && sg.End <= m.End {
				return true
			}
		}
		return false
	}
	if !m.Rule.IsGeneric() {
		return false
	}
	n := m.SecretEnd - m.SecretStart
	for _, sg := range segs {
		if sg.Depth != 1 {
			continue
		}
		lo, hi := max(sg.Start, m.SecretStart), min(sg.End, m.SecretEnd)
		if hi-lo > 0 && 5*(hi-lo) >= 4*n {
			return true
		}
	}
	return false
}

// contextMax bounds how much of a decoded span's line is put around it.
const contextMax = 512

// detectDecoded scans the decoded spans of a fragment and reports their
// findings at the encoded span's place, tagged with the encoding. A secret
// a rule already reported in the plain text is not reported again, nor is
// one on a line that carries an allow marker.
func (s *Scanner) detectDecoded(f Fragment, t detectors.Target, segs []decode.Segment, index func() *lineIndex, seen map[string]bool, dst []Finding) []Finding {
	var buf []byte
	for _, sg := range segs {
		if f.Own > 0 && sg.Start >= f.Own {
			continue
		}
		// The decoded text in its line, so that rules that need the key
		// before a value (password: <base64>) see it, as gitleaks does.
		var lo, hi int
		buf, lo, hi = spliceInLine(buf[:0], f.Data, sg.Start, sg.End, sg.Data)
		ms := s.det.Detect(buf, t)
		for _, m := range ms {
			// Only what the decoding revealed.
			if m.PathOnly || !mostlyWithin(m, lo, hi) {
				continue
			}
			secret := string(buf[m.SecretStart:m.SecretEnd])
			key := m.Rule.ID + "\x00" + secret
			if seen[key] {
				continue
			}
			li := index()
			line := li.text(sg.Start, max(sg.End, sg.Start+1)-1)
			if s.det.HasAllowMarker(line) {
				continue
			}
			if seen == nil {
				seen = map[string]bool{}
			}
			seen[key] = true
			fd := baseFinding(f, m)
			fd.Match = string(buf[m.Start:m.End])
			fd.Secret = secret
			sl, sc := li.position(sg.Start)
			el, ec := li.position(max(sg.End-1, sg.Start))
			fd.StartLine, fd.StartColumn = f.Origin.lineNumber(sl), sc
			fd.EndLine, fd.EndColumn = f.Origin.lineNumber(el), ec
			fd.Line = string(line)
			fd.Tags = append(append([]string(nil), fd.Tags...), "decoded:"+sg.Encoding)
			fd.Fingerprint = Fingerprint(&fd)
			dst = append(dst, fd)
		}
	}
	return dst
}

// makeFinding resolves a Match into a Finding.
func makeFinding(f Fragment, m detectors.Match, lines lineIndex) Finding {
	fd := baseFinding(f, m)
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
	fd.Fingerprint = Fingerprint(&fd)
	return fd
}

// baseFinding fills what a Finding takes from its rule, origin and
// validation, leaving text and place to the caller.
func baseFinding(f Fragment, m detectors.Match) Finding {
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
	if m.Verdict == validate.Valid || m.Verdict == validate.Invalid {
		fd.Validation = m.Verdict.String()
	}
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

// encodedHarmless judges a generic rule's secret that is a short base64
// string the decoding stage passed over (it decodes spans of 16 bytes and
// more): if it decodes to text and that text, read in its line, holds no
// secret (a placeholder, a reference such as ${PASSWORD}), the match is
// dropped.
func (s *Scanner) encodedHarmless(data []byte, t detectors.Target, m detectors.Match) bool {
	if !m.Rule.IsGeneric() {
		return false
	}
	secret := data[m.SecretStart:m.SecretEnd]
	dec, ok := decodeBase64Text(secret)
	if !ok {
		return false
	}
	buf, lo, hi := spliceInLine(nil, data, m.SecretStart, m.SecretEnd, dec)
	for _, dm := range s.det.Detect(buf, t) {
		if mostlyWithin(dm, lo, hi) {
			return false
		}
	}
	return true
}

// decodeBase64Text decodes b as padded base64 (standard or URL alphabet)
// and reports whether it is printable text.
func decodeBase64Text(b []byte) ([]byte, bool) {
	if len(b) < 8 || len(b)%4 != 0 || b[len(b)-1] != '=' {
		return nil, false
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		dec := make([]byte, enc.DecodedLen(len(b)))
		n, err := enc.Decode(dec, b)
		if err != nil {
			continue
		}
		dec = dec[:n]
		if !utf8.Valid(dec) {
			return nil, false
		}
		for _, c := range dec {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
				return nil, false
			}
		}
		return dec, true
	}
	return nil, false
}

// spliceInLine appends to dst the line of data holding [s, e) (at most
// contextMax bytes each side) with [s, e) replaced by dec, and returns
// where dec lies in the result.
func spliceInLine(dst, data []byte, s, e int, dec []byte) (out []byte, lo, hi int) {
	ls := max(bytes.LastIndexByte(data[:s], '\n')+1, s-contextMax)
	le := bytes.IndexByte(data[e:], '\n')
	if le < 0 {
		le = len(data)
	} else {
		le += e
	}
	le = min(le, e+contextMax)
	out = append(append(append(dst, data[ls:s]...), dec...), data[e:le]...)
	return out, s - ls, s - ls + len(dec)
}

// mostlyWithin reports whether most of m's secret lies in [lo, hi).
func mostlyWithin(m detectors.Match, lo, hi int) bool {
	return 2*(min(m.SecretEnd, hi)-max(m.SecretStart, lo)) >= m.SecretEnd-m.SecretStart
}
