package detectors

import (
	"bytes"
	"encoding/base64"
	"unicode/utf8"

	"github.com/leakguard/leakguard/detectors/decode"
	"github.com/leakguard/leakguard/detectors/validate"
)

// The decoding stage. decode.Find lists the encoded spans of the input
// (base64, hex, percent-encoded, JSON and unicode escapes, nested and
// bounded); each decoded span is put back in its line, in place of the
// encoded text, so that rules needing the key before a value
// (password: <base64>) see it as gitleaks sees plain text, and the plain
// detector runs over that line. What the decoding revealed is reported at
// the encoded span, in the input's coordinates. Generic matches on encoded
// text are judged by what the text decodes to.

// containerRules report a container of encoded secrets (a Kubernetes
// Secret manifest's data) rather than a secret. With decoding on, the
// secrets inside are reported themselves, so the container match is
// dropped when the decoder opened something inside it.
var containerRules = map[string]bool{"kubernetes-secret-yaml": true}

// contextMax bounds how much of a decoded span's line is put around it.
const contextMax = 512

// decodeStage drops the plain matches the decoding judges instead and
// appends the matches found in the decoded spans.
func (d *Detector) decodeStage(data []byte, t Target, plain []Match) []Match {
	segs := decode.Find(data, d.opts.DecodeOptions)
	out := plain[:0]
	var whole [][2]int // spans of values decoded whole
	var wholeRules []string
	for _, m := range plain {
		if m.PathOnly {
			out = append(out, m)
			continue
		}
		if dm, judged, keep := d.percentValue(data, t, m); judged {
			if keep {
				out = append(out, dm)
				whole = append(whole, [2]int{dm.SecretStart, dm.SecretEnd})
				wholeRules = append(wholeRules, dm.Rule.ID)
			}
			continue
		}
		if len(segs) > 0 && supersededByDecoding(m, segs) {
			continue
		}
		if d.encodedHarmless(data, t, m) {
			continue
		}
		out = append(out, m)
	}
	n := len(out)
	out = d.appendDecoded(out, data, t, segs)
	if len(whole) == 0 {
		return out
	}
	// The decoding of a whole percent-encoded run cuts an encoded value at
	// its decoded '&' or '=': what it finds over a value decoded whole is
	// a fragment of that value.
	kept := out[:n]
	for _, m := range out[n:] {
		if m.Encoding == "percent" && fragmentOfWhole(m, whole, wholeRules) {
			continue
		}
		kept = append(kept, m)
	}
	return kept
}

// fragmentOfWhole reports whether a match found in a decoded percent run
// overlaps a value decoded whole by the same rule or is a generic or
// context rule's match there.
func fragmentOfWhole(m Match, whole [][2]int, ids []string) bool {
	for i, sp := range whole {
		if m.SecretStart < sp[1] && sp[0] < m.SecretEnd && (m.Rule.ID == ids[i] || Specificity(m.Rule) < RankProvider) {
			return true
		}
	}
	return false
}

// percentValue judges a match whose secret holds %XX escapes: a value of a
// query string, a form body or a URL's userinfo, which the rule cut out by
// the syntax around it. The value is decoded whole and judged as decoded
// (allowlists, entropy, generic precision): keep says whether it is a
// secret, and dm is the match with the decoded secret, at the encoded span.
// judged is false when the secret holds no escape.
func (d *Detector) percentValue(data []byte, t Target, m Match) (dm Match, judged, keep bool) {
	secret := data[m.SecretStart:m.SecretEnd]
	if bytes.IndexByte(secret, '%') < 0 {
		return m, false, false
	}
	plus := m.Start < len(data) && (data[m.Start] == '?' || data[m.Start] == '&' || data[m.Start] == ';')
	dec, ok := decode.PercentValue(secret, plus)
	if !ok {
		return m, false, false
	}
	// The line with the value decoded in place, and the match in it.
	buf, lo, hi := spliceInLine(nil, data, m.SecretStart, m.SecretEnd, dec)
	ls := m.SecretStart - lo
	in := Match{Rule: m.Rule, Start: max(m.Start-ls, 0), SecretStart: lo, SecretEnd: hi}
	in.End = min(max(m.End-ls+len(dec)-len(secret), hi), len(buf))
	r := m.Rule
	c := d.byID[r.ID]
	text, line := buf[in.Start:in.End], lineOf(buf, in.Start, in.End)
	switch {
	case r.Entropy != 0 && Entropy(dec) <= r.Entropy,
		findingAllowed(d.global, t, dec, text, line),
		c != nil && findingAllowed(c.allowlists, t, dec, text, line),
		d.opts.Validate && genericNotSecret(buf, t, &in):
		return m, true, false
	}
	m.Encoding = "percent"
	m.DecodedSecret = bytes.Clone(dec)
	m.DecodedMatch = bytes.Clone(text)
	m.Entropy = Entropy(dec)
	return m, true, true
}

// supersededByDecoding reports whether the decoding stage judges m: a
// container rule's match holding decoded spans, or a generic rule's
// secret that is (mostly) an encoded span. The decoded text is scanned in
// its place; if it holds a secret that is reported there, and if it holds
// only a placeholder, a reference, an example key or a token with a wrong
// checksum, nothing is. Encoded text that decodes to binary forms no span
// and is left to the generic rule.
func supersededByDecoding(m Match, segs []decode.Segment) bool {
	if containerRules[m.Rule.ID] {
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

// appendDecoded scans the decoded spans and appends what they reveal,
// placed at the encoded span. The marker of the encoded span's line counts.
func (d *Detector) appendDecoded(dst []Match, data []byte, t Target, segs []decode.Segment) []Match {
	var buf []byte
	for _, sg := range segs {
		var lo, hi int
		buf, lo, hi = spliceInLine(buf[:0], data, sg.Start, sg.End, sg.Data)
		ms := d.detectPlain(buf, t)
		var marked, markedKnown bool
		for _, m := range ms {
			// Only what the decoding revealed.
			if m.PathOnly || !mostlyWithin(m, lo, hi) {
				continue
			}
			if !markedKnown {
				marked = hasMarker(lineOf(data, sg.Start, max(sg.End, sg.Start+1)), d.markers)
				markedKnown = true
			}
			m.Marked = m.Marked || marked
			m.Encoding = sg.Encoding
			m.DecodedSecret = bytes.Clone(buf[m.SecretStart:m.SecretEnd])
			// Decoding changed the secret unless it also stands, as it is,
			// in the encoded text (a JSON string without escapes in it).
			m.changed = !bytes.Contains(data[sg.Start:sg.End], m.DecodedSecret)
			m.DecodedMatch = bytes.Clone(buf[m.Start:m.End])
			// A value percent-encoded once more inside the decoded text
			// (a form body in a query string) is decoded whole too.
			if dm, judged, keep := d.percentValue(buf, t, m); judged {
				if !keep {
					continue
				}
				m.Encoding = sg.Encoding + "+percent"
				m.DecodedSecret, m.DecodedMatch, m.Entropy = dm.DecodedSecret, dm.DecodedMatch, dm.Entropy
			}
			// The secret's own place inside the encoded run, so that two
			// secrets of one run are two places (and redaction replaces
			// only what holds the secret).
			m.SecretStart, m.SecretEnd = inputSpan(data, sg, lo, hi, m.SecretStart, m.SecretEnd)
			m.Start, m.End = inputSpan(data, sg, lo, hi, m.Start, m.End)
			m.Start, m.End = min(m.Start, m.SecretStart), max(m.End, m.SecretEnd)
			m.Required = nil
			dst = append(dst, m)
		}
	}
	return dst
}

// inputSpan maps [s, e) of a spliced line (the decoded text of sg at [lo,
// hi), the line's own bytes around it) back to data.
func inputSpan(data []byte, sg decode.Segment, lo, hi, s, e int) (int, int) {
	a, b := sg.InputSpan(data, s-lo, e-lo)
	if s < lo {
		a = max(sg.Start-(lo-s), 0)
	}
	if e > hi {
		b = min(sg.End+(e-hi), len(data))
	}
	return a, b
}

// encodedHarmless judges a generic rule's secret that is a short base64
// string the decoding stage passed over (it decodes spans of 16 bytes and
// more): if it decodes to text and that text, read in its line, holds no
// secret (a placeholder, a reference such as ${PASSWORD}), the match is
// dropped.
func (d *Detector) encodedHarmless(data []byte, t Target, m Match) bool {
	if !m.Rule.IsGeneric() {
		return false
	}
	secret := data[m.SecretStart:m.SecretEnd]
	dec, ok := decodeBase64Text(secret)
	if !ok {
		return false
	}
	buf, lo, hi := spliceInLine(nil, data, m.SecretStart, m.SecretEnd, dec)
	for _, dm := range d.detectPlain(buf, t) {
		if dm.Verdict != validate.Invalid && mostlyWithin(dm, lo, hi) {
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
func mostlyWithin(m Match, lo, hi int) bool {
	return 2*(min(m.SecretEnd, hi)-max(m.SecretStart, lo)) >= m.SecretEnd-m.SecretStart
}
