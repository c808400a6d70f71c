package quality

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/binary"
	"encoding/pem"
	"math/big"
)

// Private keys are built from the generator's seeded stream so that a
// corpus is reproducible; crypto/rand is not used.

// rsaKey builds an RSA key of the given size from seeded primes.
func (g *gen) rsaKey(bits int) *rsa.PrivateKey {
	e := big.NewInt(65537)
	one := big.NewInt(1)
	for {
		p := g.prime(bits / 2)
		q := g.prime(bits / 2)
		if p.Cmp(q) == 0 {
			continue
		}
		n := new(big.Int).Mul(p, q)
		if n.BitLen() != bits {
			continue
		}
		phi := new(big.Int).Mul(new(big.Int).Sub(p, one), new(big.Int).Sub(q, one))
		d := new(big.Int).ModInverse(e, phi)
		if d == nil {
			continue
		}
		k := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: n, E: 65537}, D: d, Primes: []*big.Int{p, q}}
		k.Precompute()
		if k.Validate() == nil {
			return k
		}
	}
}

func (g *gen) prime(bits int) *big.Int {
	for {
		b := g.bytes(bits / 8)
		b[0] |= 0xc0 // top two bits set: the product has the full size
		b[len(b)-1] |= 1
		p := new(big.Int).SetBytes(b)
		if p.ProbablyPrime(20) {
			return p
		}
	}
}

func pemText(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

// privateKey returns a PEM (or OpenSSH) private key of a random kind and
// the kind's name.
func (g *gen) privateKey() (text, kind string) {
	switch g.r.IntN(4) {
	case 0:
		return pemText("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(g.rsaKey(1024))), "rsa"
	case 1:
		for {
			k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), g.bytes(32))
			if err != nil {
				continue
			}
			der, err := x509.MarshalECPrivateKey(k)
			if err != nil {
				continue
			}
			return pemText("EC PRIVATE KEY", der), "ec"
		}
	case 2:
		der, err := x509.MarshalPKCS8PrivateKey(ed25519.NewKeyFromSeed(g.bytes(32)))
		if err != nil {
			panic(err) // ed25519 keys always marshal
		}
		return pemText("PRIVATE KEY", der), "pkcs8"
	default:
		return g.openSSHKey(), "openssh"
	}
}

// openSSHKey writes an unencrypted ed25519 key in OpenSSH's
// "openssh-key-v1" container (PROTOCOL.key in OpenSSH's sources).
func (g *gen) openSSHKey() string {
	priv := ed25519.NewKeyFromSeed(g.bytes(32))
	pub := priv.Public().(ed25519.PublicKey)
	str := func(b []byte, s []byte) []byte {
		b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
		return append(b, s...)
	}
	var pubBlob []byte
	pubBlob = str(pubBlob, []byte("ssh-ed25519"))
	pubBlob = str(pubBlob, pub)

	check := g.r.Uint32()
	var sec []byte
	sec = binary.BigEndian.AppendUint32(sec, check)
	sec = binary.BigEndian.AppendUint32(sec, check)
	sec = str(sec, []byte("ssh-ed25519"))
	sec = str(sec, pub)
	sec = str(sec, priv)
	sec = str(sec, []byte("deploy@ci"))
	for i := byte(1); len(sec)%8 != 0; i++ {
		sec = append(sec, i)
	}

	b := append([]byte("openssh-key-v1"), 0)
	b = str(b, []byte("none"))
	b = str(b, []byte("none"))
	b = str(b, nil)
	b = binary.BigEndian.AppendUint32(b, 1)
	b = str(b, pubBlob)
	b = str(b, sec)
	return pemText("OPENSSH PRIVATE KEY", b)
}
