package validate

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
)

// decodeSegment decodes one base64url segment of a JWT, tolerating
// padding, the standard alphabet and JSON's escaped slashes.
func decodeSegment(s string) ([]byte, bool) {
	s = strings.ReplaceAll(s, `\`, "")
	s = strings.TrimRight(s, "=")
	s = strings.NewReplacer("+", "-", "/", "_").Replace(s)
	b, err := base64.RawURLEncoding.DecodeString(s)
	return b, err == nil
}

// JWT validates a compact JSON Web Token: a JWS of three dot-separated
// base64url parts whose header is a JSON object with a string "alg" and
// whose payload is a JSON object, or a JWE of five parts whose header has
// "alg" and "enc". The signature must decode; it is not verified.
func JWT(secret []byte) Verdict {
	tok := string(trim(secret))
	parts := strings.Split(tok, ".")
	if len(parts) != 3 && len(parts) != 5 {
		return Unknown
	}
	hb, ok := decodeSegment(parts[0])
	if !ok {
		return Invalid
	}
	var hdr map[string]any
	if json.Unmarshal(hb, &hdr) != nil {
		return Invalid
	}
	alg, _ := hdr["alg"].(string)
	if alg == "" {
		return Invalid
	}
	if len(parts) == 5 {
		if enc, _ := hdr["enc"].(string); enc == "" {
			return Invalid
		}
		return Valid
	}
	pb, ok := decodeSegment(parts[1])
	if !ok {
		return Invalid
	}
	if b64, isBool := hdr["b64"].(bool); isBool && !b64 {
		return Valid // unencoded payload (RFC 7797): anything goes
	}
	if !json.Valid(pb) || !bytes.HasPrefix(bytes.TrimSpace(pb), []byte("{")) {
		return Invalid
	}
	if _, ok := decodeSegment(parts[2]); !ok {
		return Invalid
	}
	if parts[2] == "" && !strings.EqualFold(alg, "none") {
		return Invalid
	}
	return Valid
}

// JWTBase64 validates a JWT that was itself base64-encoded (as in a
// Kubernetes Secret's data).
func JWTBase64(secret []byte) Verdict {
	s := strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\\' {
			return -1
		}
		return r
	}, string(trim(secret)))
	s = strings.TrimRight(s, "=")
	raw, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		// A match cut at an arbitrary length may end mid-quantum.
		raw, err = base64.RawStdEncoding.DecodeString(s[:len(s)/4*4])
		if err != nil {
			return Invalid
		}
		// Truncated: only the header can be checked.
		hdr, _, _ := strings.Cut(string(raw), ".")
		if hb, ok := decodeSegment(hdr); ok && json.Valid(hb) {
			return Unknown
		}
		return Invalid
	}
	return JWT(raw)
}
