package validate

import (
	"bytes"
	"encoding/base64"
	"unicode/utf8"
)

// decodeBase64Loose decodes standard or URL-safe base64, padded or not,
// ignoring line breaks and JSON-escaped slashes.
func decodeBase64Loose(b []byte) ([]byte, bool) {
	s := bytes.Map(func(r rune) rune {
		switch r {
		case '\n', '\r', ' ', '\t', '\\':
			return -1
		case '-':
			return '+'
		case '_':
			return '/'
		}
		return r
	}, b)
	s = bytes.TrimRight(s, "=")
	out, err := base64.RawStdEncoding.DecodeString(string(s))
	return out, err == nil
}

// BasicAuth validates an HTTP Basic credential (as in an Authorization
// header or a Docker config "auth" field): base64 of "user:password", valid
// UTF-8 without control characters, with a non-empty password.
func BasicAuth(secret []byte) Verdict {
	raw, ok := decodeBase64Loose(trim(secret))
	if !ok || !utf8.Valid(raw) {
		return Invalid
	}
	for _, r := range string(raw) {
		if r < 0x20 || r == 0x7f {
			return Invalid
		}
	}
	i := bytes.IndexByte(raw, ':')
	if i < 0 || i == len(raw)-1 {
		return Invalid
	}
	return Valid
}

// Base64PrivateKey validates a base64-encoded PEM private key (a
// Kubernetes Secret's data, a kubeconfig's client-key-data): it decodes
// the text and applies PrivateKey. A decoded block that is not a private
// key (a certificate, a public key) is Invalid.
func Base64PrivateKey(secret []byte) Verdict {
	raw, ok := decodeBase64Loose(trim(secret))
	if !ok {
		// A match may stop mid-quantum; drop the ragged tail.
		t := trim(secret)
		raw, ok = decodeBase64Loose(t[:len(t)/4*4])
		if !ok {
			return Invalid
		}
	}
	if !bytes.Contains(raw, []byte("PRIVATE KEY")) {
		return Invalid
	}
	return PrivateKey(raw)
}
