package validate

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"strconv"
)

// base62Alphabet is the digit order GitHub and npm use to write a CRC32
// checksum: 0-9, A-Z, a-z.
const base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// base62Checksum writes CRC32-IEEE(data) as six base62 digits, most
// significant first, left-padded with '0' (62^6 > 2^32, so six always fit).
func base62Checksum(data []byte) [6]byte {
	n := crc32.ChecksumIEEE(data)
	var out [6]byte
	for i := 5; i >= 0; i-- {
		out[i] = base62Alphabet[n%62]
		n /= 62
	}
	return out
}

func isBase62(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

// prefixedBase62 checks the token layout GitHub introduced in 2021 and npm
// adopted: a 4-byte prefix, 30 random base62 characters, then the CRC32 of
// those 30 characters (the prefix is not covered) as 6 base62 digits.
func prefixedBase62(tok []byte, prefixes ...string) Verdict {
	if len(tok) != 40 {
		return Unknown
	}
	known := false
	for _, p := range prefixes {
		if string(tok[:4]) == p {
			known = true
		}
	}
	if !known || !isBase62(tok[4:]) {
		return Unknown
	}
	want := base62Checksum(tok[4:34])
	if !bytes.Equal(want[:], tok[34:]) {
		return Invalid
	}
	return Valid
}

// GitHubToken validates a GitHub token with a ghp_, gho_, ghu_, ghs_ or
// ghr_ prefix (40 characters; CRC32 of the 30 random characters in the
// last 6). Other shapes (fine-grained github_pat_ tokens, legacy 40-hex
// tokens, longer tokens) are Unknown.
func GitHubToken(secret []byte) Verdict {
	return prefixedBase62(trim(secret), "ghp_", "gho_", "ghu_", "ghs_", "ghr_")
}

// NPMToken validates an npm access token: npm_ + 30 base62 + CRC32 of the
// 30 in 6 base62 digits, the same layout as GitHub's.
func NPMToken(secret []byte) Verdict {
	return prefixedBase62(trim(secret), "npm_")
}

// GrafanaServiceAccount validates a Grafana service account token:
// "glsa_" + 32 alphanumerics + "_" + 8 hex digits, where the hex digits
// are the CRC32-IEEE of everything before the last "_", written as its
// four bytes in little-endian order.
func GrafanaServiceAccount(secret []byte) Verdict {
	tok := trim(secret)
	if len(tok) != 46 || string(tok[:5]) != "glsa_" || tok[37] != '_' || !isBase62(tok[5:37]) {
		return Unknown
	}
	sum, err := hex.DecodeString(string(tok[38:]))
	if err != nil {
		return Unknown
	}
	if binary.LittleEndian.Uint32(sum) != crc32.ChecksumIEEE(tok[:37]) {
		return Invalid
	}
	return Valid
}

// GitLabRoutable validates a GitLab routable token (glpat-, glrt-t1_, ...):
//
//	prefix + base64url(16 random bytes + routing payload + 1 byte payload length)
//	+ "." + [2-digit base36 version + "."] + 2-digit base36 length of the base64
//	+ 7-digit base36 CRC32-IEEE of everything before it.
//
// Tokens issued before the version field was added (April 2025) lack the
// "VV." part; both are accepted.
func GitLabRoutable(secret []byte) Verdict {
	tok := trim(secret)
	n := len(tok)
	if n < 3+9+22 || !bytes.HasPrefix(tok, []byte("gl")) || tok[n-10] != '.' {
		return Unknown
	}
	crc, err := strconv.ParseUint(string(tok[n-7:]), 36, 64)
	if err != nil {
		return Unknown
	}
	b64len, err := strconv.ParseUint(string(tok[n-9:n-7]), 36, 64)
	if err != nil {
		return Unknown
	}
	end := n - 10 // index of the '.' before the length
	if end >= 3 && tok[end-3] == '.' {
		if _, err := strconv.ParseUint(string(tok[end-2:end]), 36, 64); err == nil {
			end -= 3 // versioned: payload ends before ".VV"
		}
	}
	if uint64(end) < b64len+3 || !bytes.ContainsAny(tok[end-int(b64len)-1:end-int(b64len)], "-_") {
		return Invalid
	}
	if uint64(crc32.ChecksumIEEE(tok[:n-7])) != crc {
		return Invalid
	}
	raw, err := base64.RawURLEncoding.DecodeString(string(tok[end-int(b64len) : end]))
	if err != nil || len(raw) < 17 || int(raw[len(raw)-1]) != len(raw)-17 {
		return Invalid
	}
	return Valid
}
