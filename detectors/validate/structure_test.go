package validate

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	mrand "math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

func TestBech32BIP173Vectors(t *testing.T) {
	valid := []string{
		"A12UEL5L",
		"a12uel5l",
		"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
		"split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
		"?1ezyfcl",
	}
	invalid := []string{
		"pzry9x0s0muk", // no separator
		"1pzry9x0s0muk",
		"x1b4n0q5v", // invalid data character
		"li1dgmt3",  // checksum too short
		"A1G7SGD8",  // checksum computed over upper-case HRP
		"A12uEL5L",  // mixed case
	}
	for _, s := range valid {
		if _, _, ok := bech32Decode(s); !ok {
			t.Errorf("%q: got invalid, want valid", s)
		}
	}
	for _, s := range invalid {
		if _, _, ok := bech32Decode(s); ok {
			t.Errorf("%q: got valid, want invalid", s)
		}
	}
}

// fakeAge encodes 32 bytes as an age identity, following BIP-173 with the
// test's own 8-to-5 regrouping.
func fakeAge(key []byte) string {
	var data []byte
	acc, bits := 0, 0
	for _, b := range key {
		acc = acc<<8 | int(b)
		bits += 8
		for bits >= 5 {
			bits -= 5
			data = append(data, byte(acc>>bits&31))
		}
	}
	if bits > 0 {
		data = append(data, byte(acc<<(5-bits)&31))
	}
	hrp := "age-secret-key-"
	poly := bech32Polymod(append(append(bech32HRPExpand(hrp), data...), 0, 0, 0, 0, 0, 0)) ^ 1
	for i := 0; i < 6; i++ {
		data = append(data, byte(poly>>(5*(5-i))&31))
	}
	var sb strings.Builder
	sb.WriteString(hrp + "1")
	for _, d := range data {
		sb.WriteByte(bech32Charset[d])
	}
	return strings.ToUpper(sb.String())
}

func TestAgeSecretKey(t *testing.T) {
	r := mrand.New(mrand.NewPCG(9, 10))
	for i := 0; i < 30; i++ {
		key := make([]byte, 32)
		for j := range key {
			key[j] = byte(r.IntN(256))
		}
		tok := fakeAge(key)
		if len(tok) != len("AGE-SECRET-KEY-1")+58 {
			t.Fatalf("fake age key has length %d", len(tok))
		}
		check(t, AgeSecretKey, tok, Valid)
		i := 16 + r.IntN(58)
		repl := byte('Q')
		if tok[i] == 'Q' {
			repl = 'P'
		}
		check(t, AgeSecretKey, tok[:i]+string(repl)+tok[i+1:], Invalid)
	}
	check(t, AgeSecretKey, "AGE-SECRET-KEY-1"+strings.Repeat("Q", 58), Invalid)
	check(t, AgeSecretKey, "not an age key", Unknown)
}

// macaroonV2 serialises a V2 binary macaroon with one first-party caveat.
func macaroonV2(location, id string, caveats []string, sig []byte) []byte {
	field := func(b []byte, typ byte, v string) []byte {
		b = append(b, typ)
		b = binary.AppendUvarint(b, uint64(len(v)))
		return append(b, v...)
	}
	b := []byte{2}
	if location != "" {
		b = field(b, 1, location)
	}
	b = field(b, 2, id)
	b = append(b, 0)
	for _, c := range caveats {
		b = field(b, 2, c)
		b = append(b, 0)
	}
	b = append(b, 0)
	return field(b, 6, string(sig))
}

func TestPyPIMacaroon(t *testing.T) {
	sig := make([]byte, 32)
	for i := range sig {
		sig[i] = byte(i * 7)
	}
	good := macaroonV2("pypi.org", "\x1f"+strings.Repeat("i", 40), []string{`{"version": 1, "permissions": "user"}`}, sig)
	tok := "pypi-" + base64.RawURLEncoding.EncodeToString(good)
	if !strings.HasPrefix(tok, "pypi-AgEIcHlwaS5vcmc") {
		t.Fatalf("test macaroon does not start like PyPI's: %.24s", tok)
	}
	tests := []struct {
		name string
		in   string
		want Verdict
	}{
		{"valid", tok, Valid},
		{"padded", "pypi-" + base64.URLEncoding.EncodeToString(good), Valid},
		{"truncated", tok[:len(tok)-10], Invalid},
		{"short signature", "pypi-" + base64.RawURLEncoding.EncodeToString(macaroonV2("pypi.org", "id", nil, sig[:16])), Invalid},
		{"no identifier", "pypi-" + base64.RawURLEncoding.EncodeToString([]byte{2, 1, 1, 'x', 0, 0, 6, 1, 'x'}), Invalid},
		{"filler", "pypi-AgEIcHlwaS5vcmc" + strings.Repeat("A", 60), Invalid},
		{"not pypi", "token-abc", Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, PyPIMacaroon, tt.in, tt.want) })
	}
}

func pemKeys(t *testing.T) map[string]string {
	t.Helper()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalECPrivateKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	p8, err := x509.MarshalPKCS8PrivateKey(edKey)
	if err != nil {
		t.Fatal(err)
	}
	sshBlk, err := ssh.MarshalPrivateKey(edKey, "test")
	if err != nil {
		t.Fatal(err)
	}
	sshEnc, err := ssh.MarshalPrivateKeyWithPassphrase(edKey, "test", []byte("pass"))
	if err != nil {
		t.Fatal(err)
	}
	//lint:ignore SA1019 legacy encrypted PEM is what old tools write
	legacy, err := x509.EncryptPEMBlock(rand.Reader, "RSA "+"PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey), []byte("pw"), x509.PEMCipherAES128) //nolint:staticcheck
	if err != nil {
		t.Fatal(err)
	}
	enc := func(typ string, b []byte) string { return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: b})) }
	pk := " PRIVATE KEY"
	return map[string]string{
		"rsa":       enc("RSA"+pk, x509.MarshalPKCS1PrivateKey(rsaKey)),
		"ec":        enc("EC"+pk, ecDER),
		"pkcs8":     enc(strings.TrimSpace(pk), p8),
		"openssh":   string(pem.EncodeToMemory(sshBlk)),
		"openssh-e": string(pem.EncodeToMemory(sshEnc)),
		"legacy-e":  string(pem.EncodeToMemory(legacy)),
	}
}

func TestPrivateKey(t *testing.T) {
	keys := pemKeys(t)
	for name, k := range keys {
		t.Run(name, func(t *testing.T) {
			check(t, PrivateKey, k, Valid)
			// As a JSON string value: newlines escaped.
			js, _ := json.Marshal(k)
			check(t, PrivateKey, string(js), Valid)
			// Escaped twice (JSON inside a JSON string).
			check(t, PrivateKey, strings.ReplaceAll(k, "\n", `\\n`), Valid)
			// Indented as a YAML block scalar.
			check(t, PrivateKey, strings.ReplaceAll(k, "\n", "\n    "), Valid)
			// Added lines of a unified diff.
			check(t, PrivateKey, strings.ReplaceAll(strings.TrimSuffix(k, "\n"), "\n", "\n+"), Valid)
			// Concatenated string literals, one per line.
			lines := strings.Split(strings.TrimSuffix(k, "\n"), "\n")
			check(t, PrivateKey, `"`+strings.Join(lines, `\n" +`+"\n"+`  "`)+`"`, Valid)
			// Body damaged: decodes, does not parse.
			mid := len(lines) / 2
			damaged := append(append([]string{}, lines[:mid]...), lines[mid+1:]...)
			if name != "legacy-e" {
				check(t, PrivateKey, strings.Join(damaged, "\n"), Invalid)
			}
		})
	}
	head := "-----BEGIN RSA" + " PRIVATE KEY-----\n"
	foot := "\n-----END RSA PRIVATE KEY-----"
	tests := []struct {
		name string
		in   string
		want Verdict
	}{
		{"ellipsis", head + "MIIEpAIBAAKCAQEA...\n...snip..." + foot, Invalid},
		{"redacted", head + "<REDACTED>" + foot, Invalid},
		{"filler", head + strings.Repeat("A", 64) + foot, Invalid},
		{"pgp", "-----BEGIN PGP" + " PRIVATE KEY BLOCK-----\n\nlQOYBF\n=abcd\n-----END PGP PRIVATE KEY BLOCK-----", Unknown},
		{"no pem", "nothing here", Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, PrivateKey, tt.in, tt.want) })
	}
}

func jwtOf(header, payload, sig string) string {
	e := base64.RawURLEncoding.EncodeToString
	return e([]byte(header)) + "." + e([]byte(payload)) + "." + sig
}

func TestJWT(t *testing.T) {
	sig := base64.RawURLEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	good := jwtOf(`{"alg":"HS256","typ":"JWT"}`, `{"sub":"1234567890","name":"Test","iat":1516239022}`, sig)
	tests := []struct {
		name string
		in   string
		want Verdict
	}{
		{"valid", good, Valid},
		{"json escaped", strings.ReplaceAll(good, "_", `\_`), Valid},
		{"alg none unsigned", jwtOf(`{"alg":"none"}`, `{"a":1}`, ""), Valid},
		{"unsigned but alg set", jwtOf(`{"alg":"HS256"}`, `{"a":1}`, ""), Invalid},
		{"no alg", jwtOf(`{"typ":"JWT"}`, `{"a":1}`, sig), Invalid},
		{"header not json", jwtOf(`{"alg":"HS256"`, `{"a":1}`, sig), Invalid},
		{"payload not object", jwtOf(`{"alg":"HS256"}`, `[1,2]`, sig), Invalid},
		{"payload not base64", jwtOf(`{"alg":"HS256"}`, "", sig) + "", Invalid},
		{"jwe", jwtOf(`{"alg":"RSA-OAEP","enc":"A256GCM"}`, "xx", "yy") + ".zz.ww", Valid},
		{"two parts", "eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ", Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, JWT, tt.in, tt.want) })
	}
	b64 := base64.StdEncoding.EncodeToString([]byte(good))
	check(t, JWTBase64, b64, Valid)
	check(t, JWTBase64, base64.StdEncoding.EncodeToString([]byte(jwtOf(`{"typ":"JWT"}`, `{"a":1}`, sig))), Invalid)
}

func TestLookupAndForRule(t *testing.T) {
	for _, n := range Names() {
		if f, ok := Lookup(n); !ok || f == nil {
			t.Errorf("Lookup(%q) failed", n)
		}
	}
	for id := range byRule {
		if _, ok := Lookup(ForRule(id)); !ok {
			t.Errorf("ForRule(%q) = %q, not registered", id, ForRule(id))
		}
	}
	if got := ForRule("github-pat"); got != "github-token" {
		t.Errorf("ForRule(github-pat): got %q, want %q", got, "github-token")
	}
	if got := ForRule("generic-api-key"); got != "" {
		t.Errorf("ForRule(generic-api-key): got %q, want \"\"", got)
	}
	if _, ok := Lookup("nope"); ok {
		t.Error("Lookup(nope) succeeded")
	}
}
