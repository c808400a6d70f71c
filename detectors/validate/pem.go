package validate

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"strings"

	"golang.org/x/crypto/ssh"
)

// PrivateKey validates a PEM private key block (PKCS#1 RSA, SEC 1 EC,
// PKCS#8, encrypted PKCS#8, DSA, legacy encrypted PEM) or an OpenSSH
// private key. Encrypted keys are Valid when their container parses; the
// key itself is not decrypted.
//
// The matched text may come out of a string literal or a transcript, so
// the validator tolerates "\n" escapes (single or double), indentation,
// string quotes and concatenation around each line, and unified-diff line
// markers. A block whose body is not base64 at all (a placeholder such as
// "..." or "<redacted>") is Invalid; a block that decodes but does not
// parse as its declared key type is Invalid; block types it does not know
// (PGP armor, PuTTY) are Unknown.
func PrivateKey(secret []byte) Verdict {
	text := unescapeNewlines(string(secret))
	begin := strings.Index(text, "-----BEGIN")
	if begin < 0 {
		return Unknown
	}
	text = text[begin:]
	decoded := false
	for _, cand := range []string{text, cleanLines(text, false), cleanLines(text, true)} {
		blk, _ := pem.Decode([]byte(cand))
		if blk == nil {
			continue
		}
		v := keyBlockVerdict(blk)
		if v != Invalid {
			return v
		}
		decoded = true
	}
	if decoded || !looksBase64Body(cleanLines(text, true)) {
		return Invalid
	}
	return Unknown
}

// unescapeNewlines turns literal \n, \r\n and \\n escapes into newlines.
func unescapeNewlines(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	r := strings.NewReplacer(`\\r\\n`, "\n", `\\n`, "\n", `\\r`, "\n", `\r\n`, "\n", `\n`, "\n", `\r`, "\n")
	return r.Replace(s)
}

// cleanLines undoes what source code and documents do around the lines of
// a key: indentation, string quotes and concatenation operators, and (with
// diff set) a leading unified-diff marker. Lines left with no letters or
// digits are dropped; a blank line is kept after PEM headers.
func cleanLines(s string, diff bool) string {
	var out []string
	inHeaders := false
	for _, l := range strings.Split(s, "\n") {
		marker := strings.Contains(l, "-----BEGIN") || strings.Contains(l, "-----END")
		if diff && !marker && len(l) > 0 && (l[0] == '+' || l[0] == '-' || l[0] == ' ') {
			l = l[1:]
		}
		l = strings.TrimSpace(l)
		if i := strings.IndexAny(l, "\"'`"); i >= 0 {
			j := strings.LastIndexAny(l, "\"'`")
			if j > i {
				l = l[i+1 : j]
			} else if len(l[:i]) >= len(l[i+1:]) {
				l = l[:i]
			} else {
				l = l[i+1:]
			}
			l = strings.TrimSpace(l)
		}
		if marker {
			if i := strings.Index(l, "-----"); i > 0 {
				l = l[i:]
			}
		}
		if !strings.ContainsFunc(l, func(r rune) bool {
			return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
		}) {
			continue
		}
		isHeader := strings.Contains(l, ": ")
		if inHeaders && !isHeader {
			out = append(out, "")
		}
		inHeaders = isHeader
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// looksBase64Body reports whether the text between the BEGIN and END lines
// (header lines excepted) consists of base64 characters only.
func looksBase64Body(s string) bool {
	lines := strings.Split(s, "\n")
	body := 0
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "-----END") {
			break
		}
		if strings.Contains(l, ": ") || l == "" {
			continue
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=') {
				return false
			}
		}
		body += len(l)
	}
	return body > 0
}

func keyBlockVerdict(blk *pem.Block) Verdict {
	encrypted := strings.Contains(blk.Headers["Proc-Type"], "ENCRYPTED")
	switch blk.Type {
	case "RSA PRIVATE KEY":
		if encrypted {
			return verdict(blk.Headers["DEK-Info"] != "" && len(blk.Bytes) > 0)
		}
		_, err := x509.ParsePKCS1PrivateKey(blk.Bytes)
		return verdict(err == nil)
	case "EC PRIVATE KEY":
		if encrypted {
			return verdict(blk.Headers["DEK-Info"] != "" && len(blk.Bytes) > 0)
		}
		_, err := x509.ParseECPrivateKey(blk.Bytes)
		return verdict(err == nil)
	case "DSA PRIVATE KEY":
		if encrypted {
			return verdict(blk.Headers["DEK-Info"] != "" && len(blk.Bytes) > 0)
		}
		var k struct{ V, P, Q, G, Y, X asn1.RawValue }
		return verdict(asn1Full(blk.Bytes, &k))
	case "PRIVATE KEY":
		if _, err := x509.ParsePKCS8PrivateKey(blk.Bytes); err == nil {
			return Valid
		}
		// Algorithms Go does not implement still have PKCS#8's shape.
		var k struct {
			Version int
			Algo    asn1.RawValue
			Key     []byte
			Rest    asn1.RawValue `asn1:"optional"`
		}
		return verdict(asn1Full(blk.Bytes, &k) && len(k.Key) > 0)
	case "ENCRYPTED PRIVATE KEY":
		var k struct {
			Algo asn1.RawValue
			Data []byte
		}
		return verdict(asn1Full(blk.Bytes, &k) && len(k.Data) > 0)
	case "OPENSSH PRIVATE KEY":
		_, err := ssh.ParseRawPrivateKey(pem.EncodeToMemory(blk))
		var missing *ssh.PassphraseMissingError
		return verdict(err == nil || errors.As(err, &missing))
	}
	return Unknown
}

// asn1Full reports whether b is exactly one DER value that unmarshals into v.
func asn1Full(b []byte, v any) bool {
	rest, err := asn1.Unmarshal(b, v)
	return err == nil && len(bytes.TrimRight(rest, "\x00")) == 0
}

func verdict(ok bool) Verdict {
	if ok {
		return Valid
	}
	return Invalid
}
