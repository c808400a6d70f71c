package corpus

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"hash/crc32"
	"math/big"
	"math/rand/v2"
)

// githubPAT returns a classic GitHub token in the 2021 layout: "ghp_", 30
// random base62 characters and the CRC32-IEEE of those 30 characters
// written as 6 base62 digits (0-9A-Za-z, most significant first), so
// scanners that check the checksum accept it.
func githubPAT(r *rand.Rand) string {
	const digits62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	body := random(r, alnum, 30)
	sum := crc32.ChecksumIEEE([]byte(body))
	var check [6]byte
	for i := len(check) - 1; i >= 0; i-- {
		check[i] = digits62[sum%62]
		sum /= 62
	}
	return "ghp_" + body + string(check[:])
}

// rsaKeyPEMLines returns the lines of a PKCS#1 PEM block holding a real
// 2048-bit RSA key derived from r, so that scanners that parse the key
// accept it. crypto/rsa.GenerateKey takes no seed, so the primes are found
// here: random odd 1024-bit candidates with the top two bits set, kept when
// math/big says they are prime and e = 65537 is invertible mod p-1.
func rsaKeyPEMLines(r *rand.Rand) []string {
	e := big.NewInt(65537)
	one := big.NewInt(1)
	var p, q *big.Int
	for {
		p, q = seededPrime(r, e), seededPrime(r, e)
		if p.Cmp(q) != 0 {
			break
		}
	}
	n := new(big.Int).Mul(p, q)
	phi := new(big.Int).Mul(new(big.Int).Sub(p, one), new(big.Int).Sub(q, one))
	d := new(big.Int).ModInverse(e, phi)
	key := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: n, E: 65537}, D: d, Primes: []*big.Int{p, q}}
	key.Precompute()
	b64 := base64.StdEncoding.EncodeToString(x509.MarshalPKCS1PrivateKey(key))
	kind := "RSA " + "PRIVATE KEY"
	out := []string{"-----BEGIN " + kind + "-----"}
	for len(b64) > 64 {
		out = append(out, b64[:64])
		b64 = b64[64:]
	}
	return append(out, b64, "-----END "+kind+"-----")
}

func seededPrime(r *rand.Rand, e *big.Int) *big.Int {
	buf := make([]byte, 128)
	one := big.NewInt(1)
	pm1, g := new(big.Int), new(big.Int)
	for {
		for i := range buf {
			buf[i] = byte(r.UintN(256))
		}
		buf[0] |= 0xc0 // 1024 bits, and p*q has 2048
		buf[len(buf)-1] |= 1
		p := new(big.Int).SetBytes(buf)
		if !p.ProbablyPrime(20) {
			continue
		}
		if g.GCD(nil, nil, e, pm1.Sub(p, one)).Cmp(one) == 0 {
			return p
		}
	}
}
