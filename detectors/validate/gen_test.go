package validate

import (
	"hash/crc32"
	"math/big"
	"math/rand/v2"
	"strings"
)

// Test-time generators for fake tokens. They compute checksums from the
// published formats independently of the code under test (big.Int's base
// 62 digits are 0-9a-zA-Z, so letter case is swapped to get GitHub's
// 0-9A-Za-z order).

const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

func randAlnum(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(alnum[r.IntN(len(alnum))])
	}
	return b.String()
}

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

func crcBase62(s string) string {
	d := swapCase(new(big.Int).SetUint64(uint64(crc32.ChecksumIEEE([]byte(s)))).Text(62))
	return strings.Repeat("0", 6-len(d)) + d
}

// fakeGitHub returns prefix + 30 random + checksum.
func fakeGitHub(r *rand.Rand, prefix string) string {
	body := randAlnum(r, 30)
	return prefix + body + crcBase62(body)
}

// corrupt changes one character of s at i to another alphanumeric.
func corrupt(s string, i int) string {
	c := s[i]
	n := byte('A')
	if c == 'A' {
		n = 'B'
	}
	return s[:i] + string(n) + s[i+1:]
}
