package validate

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
)

// Macaroon V2 binary field types (libmacaroons' serialization format).
const (
	macEOS        = 0
	macLocation   = 1
	macIdentifier = 2
	macVID        = 4
	macSignature  = 6
)

// macReader walks a V2 macaroon: fields are a type byte, a uvarint length
// and that many bytes; a lone 0 byte ends a section.
type macReader struct{ b []byte }

// field reads one field, or reports eos for an end-of-section byte.
func (r *macReader) field() (typ byte, val []byte, eos, ok bool) {
	if len(r.b) == 0 {
		return 0, nil, false, false
	}
	typ = r.b[0]
	r.b = r.b[1:]
	if typ == macEOS {
		return 0, nil, true, true
	}
	n, k := binary.Uvarint(r.b)
	if k <= 0 || n > uint64(len(r.b)-k) {
		return 0, nil, false, false
	}
	val = r.b[k : k+int(n)]
	r.b = r.b[k+int(n):]
	return typ, val, false, true
}

// section reads fields up to the end-of-section byte. It requires an
// identifier and allows a location and (for caveats) a verification id,
// in that order.
func (r *macReader) section(allowVID bool) bool {
	last := byte(0)
	seenID := false
	for {
		typ, _, eos, ok := r.field()
		if !ok {
			return false
		}
		if eos {
			return seenID
		}
		if typ <= last || (typ != macLocation && typ != macIdentifier && !(allowVID && typ == macVID)) {
			return false
		}
		if typ == macIdentifier {
			seenID = true
		}
		last = typ
	}
}

// parseMacaroonV2 reports whether b is a complete V2 binary macaroon:
// version 2, a header section, caveat sections, an empty section and a
// 32-byte signature, with nothing after it.
func parseMacaroonV2(b []byte) bool {
	if len(b) < 2 || b[0] != 2 {
		return false
	}
	r := &macReader{b: b[1:]}
	if !r.section(false) {
		return false
	}
	for {
		if len(r.b) == 0 {
			return false
		}
		if r.b[0] == macEOS {
			r.b = r.b[1:]
			break
		}
		if !r.section(true) {
			return false
		}
	}
	typ, sig, eos, ok := r.field()
	return ok && !eos && typ == macSignature && len(sig) == 32 && len(r.b) == 0
}

// PyPIMacaroon validates a PyPI API token: "pypi-" followed by a V2 binary
// macaroon in URL-safe base64 (padding optional).
func PyPIMacaroon(secret []byte) Verdict {
	tok := trim(secret)
	if !bytes.HasPrefix(tok, []byte("pypi-")) {
		return Unknown
	}
	body := bytes.TrimRight(tok[5:], "=")
	raw, err := base64.RawURLEncoding.DecodeString(string(body))
	if err != nil {
		return Invalid
	}
	if !parseMacaroonV2(raw) {
		return Invalid
	}
	return Valid
}
