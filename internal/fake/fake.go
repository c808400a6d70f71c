// Package fake builds fake secrets for tests, at test time, so that no
// file of the repository holds a string that looks like a real secret and
// the repository scans clean under leakguard's own rules. Every value is a
// pure function of its seed: tests stay deterministic.
//
// The formats follow the providers' published shapes (and checksums,
// computed here independently of detectors/validate, which checks them).
// Only tests import this package.
package fake

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/pem"
	"hash/crc32"
	"math/big"
	"math/rand"
	"strings"
)

const (
	upperDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	alnum       = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	base64Alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

func rng(seed int64) *rand.Rand { return rand.New(rand.NewSource(seed)) }

func pick(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.Intn(len(alphabet))]
	}
	return string(b)
}

// AWSKeyID returns an AWS access key id: AKIA and 16 of [A-Z2-7].
func AWSKeyID(seed int64) string {
	return "AK" + "IA" + pick(rng(seed), upperDigits, 16)
}

// AWSSecret returns a 40-character AWS secret access key.
func AWSSecret(seed int64) string {
	return pick(rng(seed^0x5ec7), base64Alpha, 40)
}

// GitHubPAT returns a classic GitHub personal access token: ghp_, 30
// random base62 characters and their CRC32 in 6 base62 digits.
func GitHubPAT(seed int64) string {
	body := pick(rng(seed), alnum, 30)
	return "gh" + "p_" + body + crcBase62(body)
}

func crcBase62(s string) string {
	d := swapCase(new(big.Int).SetUint64(uint64(crc32.ChecksumIEEE([]byte(s)))).Text(62))
	return strings.Repeat("0", 6-len(d)) + d
}

// swapCase turns big.Int's base-62 digits (0-9a-zA-Z) into GitHub's
// alphabet order (0-9A-Za-z).
func swapCase(s string) string {
	return strings.Map(func(c rune) rune {
		switch {
		case 'a' <= c && c <= 'z':
			return c - 'a' + 'A'
		case 'A' <= c && c <= 'Z':
			return c - 'A' + 'a'
		}
		return c
	}, s)
}

// SlackBotToken returns a Slack bot token: xoxb-, two numeric ids and 24
// alphanumerics.
func SlackBotToken(seed int64) string {
	r := rng(seed)
	return "xo" + "xb-" + pick(r, "0123456789", 12) + "-" + pick(r, "0123456789", 13) + "-" + pick(r, alnum, 24)
}

// StripeSecret returns a Stripe live secret key: sk_live_ and 24
// alphanumerics.
func StripeSecret(seed int64) string {
	return "sk" + "_live_" + pick(rng(seed), alnum, 24)
}

// Password returns a 16-character password with letters, digits and
// punctuation, high in entropy.
func Password(seed int64) string {
	r := rng(seed)
	return pick(r, "ABCDEFGHJKLMNPQRSTUVWXYZ", 3) + pick(r, "abcdefghijkmnopqrstuvwxyz", 5) + pick(r, "23456789", 4) + pick(r, "!#%+", 1) + pick(r, alnum, 3)
}

// PEM returns an EC private key (P-256) in PEM form, one that parses.
func PEM(seed int64) string {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rng(seed))
	if err != nil {
		panic(err)
	}
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		panic(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "EC " + "PRIVATE KEY", Bytes: der}))
}

// Alnum returns n random letters and digits.
func Alnum(seed int64, n int) string { return pick(rng(seed), alnum, n) }

// Hex returns n lower-case hex digits (a 40-digit value is shaped as a git
// object id, 64 as a SHA-256 digest).
func Hex(seed int64, n int) string { return pick(rng(seed), "0123456789abcdef", n) }

// Chars returns n characters drawn from alphabet.
func Chars(seed int64, alphabet string, n int) string { return pick(rng(seed), alphabet, n) }
