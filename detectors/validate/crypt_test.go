package validate

import (
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestCryptHashBcrypt(t *testing.T) {
	for _, cost := range []int{4, 5, 10} {
		h, err := bcrypt.GenerateFromPassword([]byte("correct horse"), cost)
		if err != nil {
			t.Fatal(err)
		}
		if v := CryptHash(h); v != Valid {
			t.Errorf("bcrypt hash %s: %v, want valid", h, v)
		}
		bad := append([]byte(nil), h...)
		bad[len(bad)-1] = nextNotMultiple(bad[len(bad)-1], 4)
		if v := CryptHash(bad); v != Invalid {
			t.Errorf("bcrypt hash with a bad last digit %s: %v, want invalid", bad, v)
		}
		bad = append([]byte(nil), h...)
		bad[7+21] = nextNotMultiple(bad[7+21], 16)
		if v := CryptHash(bad); v != Invalid {
			t.Errorf("bcrypt hash with a bad last salt digit %s: %v, want invalid", bad, v)
		}
	}
	if v := CryptHash([]byte("$2b$99$" + strings.Repeat("a", 53))); v != Invalid {
		t.Errorf("cost 99: %v, want invalid", v)
	}
}

// nextNotMultiple returns a bcrypt-alphabet character whose index is not a
// multiple of m.
func nextNotMultiple(c byte, m int) byte {
	i := strings.IndexByte(bcryptAlphabet, c)
	return bcryptAlphabet[(i/m*m+1)%len(bcryptAlphabet)]
}

// TestCryptHashOpenSSL checks md5crypt, apr1 and SHA-crypt hashes made by
// openssl passwd, when it is installed.
func TestCryptHashOpenSSL(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed")
	}
	for _, alg := range []string{"-1", "-apr1", "-5", "-6"} {
		for i := 0; i < 8; i++ {
			out, err := exec.Command("openssl", "passwd", alg, "-salt", "s"+strings.Repeat("x", i), "pw"+strings.Repeat("z", i)).Output()
			if err != nil {
				t.Skipf("openssl passwd %s: %v", alg, err)
			}
			h := strings.TrimSpace(string(out))
			if v := CryptHash([]byte(h)); v != Valid {
				t.Errorf("openssl passwd %s: %s is %v, want valid", alg, h, v)
			}
			last := h[len(h)-1]
			j := strings.IndexByte(cryptAlphabet, last)
			bad := h[:len(h)-1] + string(cryptAlphabet[len(cryptAlphabet)-1-j%8])
			if v := CryptHash([]byte(bad)); v != Invalid {
				t.Errorf("openssl passwd %s with last character changed: %s is %v, want invalid", alg, bad, v)
			}
		}
	}
}

func TestCryptHashUnknown(t *testing.T) {
	for _, s := range []string{"$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", "plain", "$y$j9T$abc$def"} {
		if v := CryptHash([]byte(s)); v != Unknown {
			t.Errorf("%s: %v, want unknown", s, v)
		}
	}
}
