package validate

import "bytes"

// Structural checks for crypt(3)-style password hashes. A hash's encoded
// digest ends in a character that carries fewer than six bits of the
// digest; the unused bits are zero, so only some characters can end a real
// hash. A random string of the right alphabet and length passes with
// probability 1/4 to 1/16, which makes these checks worth running on rules
// that match a bare "$id$salt$digest" shape.

func init() {
	registry["crypt-hash"] = CryptHash
}

// cryptAlphabet is the "./0-9A-Za-z" alphabet of md5crypt and SHA-crypt;
// bcryptAlphabet is bcrypt's "./A-Za-z0-9".
const (
	cryptAlphabet  = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	bcryptAlphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
)

// CryptHash checks a bcrypt ($2a$, $2b$, $2x$, $2y$), md5crypt ($1$,
// $apr1$), SHA-256-crypt ($5$) or SHA-512-crypt ($6$) hash: the cost, the
// lengths and the character set, and the unused bits of the last encoded
// character of the salt (bcrypt) and of the digest. Other schemes are
// Unknown.
func CryptHash(secret []byte) Verdict {
	s := trim(secret)
	switch {
	case len(s) == 60 && s[0] == '$' && s[1] == '2' && s[3] == '$' && bytes.IndexByte([]byte("abxy"), s[2]) >= 0 && s[6] == '$':
		return bcryptHash(s)
	case bytes.HasPrefix(s, []byte("$1$")):
		return shaCryptHash(s[3:], 22, 4)
	case bytes.HasPrefix(s, []byte("$apr1$")):
		return shaCryptHash(s[6:], 22, 4)
	case bytes.HasPrefix(s, []byte("$5$")):
		return shaCryptHash(s[3:], 43, 16)
	case bytes.HasPrefix(s, []byte("$6$")):
		return shaCryptHash(s[3:], 86, 4)
	}
	return Unknown
}

// bcryptHash checks "$2b$NN$" + 22 salt characters + 31 digest characters.
// The salt encodes 16 bytes (its last character keeps 2 bits: index a
// multiple of 16) and the digest 23 bytes (its last keeps 4 bits: index a
// multiple of 4).
func bcryptHash(s []byte) Verdict {
	if s[4] < '0' || s[4] > '3' || s[5] < '0' || s[5] > '9' {
		return Invalid
	}
	if cost := int(s[4]-'0')*10 + int(s[5]-'0'); cost < 4 || cost > 31 {
		return Invalid
	}
	body := s[7:]
	for _, c := range body {
		if bytes.IndexByte([]byte(bcryptAlphabet), c) < 0 {
			return Invalid
		}
	}
	if bytes.IndexByte([]byte(bcryptAlphabet), body[21])%16 != 0 {
		return Invalid
	}
	if bytes.IndexByte([]byte(bcryptAlphabet), body[52])%4 != 0 {
		return Invalid
	}
	return Valid
}

// shaCryptHash checks "[rounds=N$]salt$digest" after the scheme's prefix:
// a salt of up to 16 characters and a digest of n characters whose last
// character's index is below limit (md5crypt and SHA-512-crypt end in a
// character holding 2 bits, SHA-256-crypt in one holding 4).
func shaCryptHash(s []byte, n int, limit int) Verdict {
	if bytes.HasPrefix(s, []byte("rounds=")) {
		i := bytes.IndexByte(s, '$')
		if i < 0 {
			return Invalid
		}
		s = s[i+1:]
	}
	i := bytes.IndexByte(s, '$')
	if i < 0 || i > 16 {
		return Invalid
	}
	digest := s[i+1:]
	if len(digest) != n {
		return Invalid
	}
	for _, c := range digest {
		if bytes.IndexByte([]byte(cryptAlphabet), c) < 0 {
			return Invalid
		}
	}
	if bytes.IndexByte([]byte(cryptAlphabet), digest[n-1]) >= limit {
		return Invalid
	}
	return Valid
}
