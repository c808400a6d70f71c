package quality

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Character sets for fake secrets.
const (
	upperSet  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	lowerSet  = "abcdefghijklmnopqrstuvwxyz"
	digitSet  = "0123456789"
	alnumSet  = digitSet + upperSet + lowerSet // base62 in GitHub's digit order
	urlSet    = alnumSet + "_-"
	hexSet    = "0123456789abcdef"
	bech32Set = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
)

// gen draws fake secrets from a seeded source. The strings it builds are
// never written into the repository, only into generated corpora.
type gen struct{ r *rand.Rand }

func newGen(seed uint64) *gen { return &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

func (g *gen) pick(set string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[g.r.IntN(len(set))]
	}
	return string(b)
}

func (g *gen) bytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(g.r.IntN(256))
	}
	return b
}

func (g *gen) oneOf(xs ...string) string { return xs[g.r.IntN(len(xs))] }

// crc62 is CRC32-IEEE of s as six base62 digits (0-9A-Za-z), the checksum
// GitHub and npm tokens end with.
func crc62(s string) string {
	n := crc32.ChecksumIEEE([]byte(s))
	b := make([]byte, 6)
	for i := 5; i >= 0; i-- {
		b[i] = alnumSet[n%62]
		n /= 62
	}
	return string(b)
}

// checksummed returns prefix + 30 random base62 + their CRC32 in base62.
func (g *gen) checksummed(prefix string) string {
	body := g.pick(alnumSet, 30)
	return prefix + body + crc62(body)
}

func (g *gen) gitlabRoutable() string {
	payload := "o:" + strconv.FormatInt(int64(g.r.IntN(1<<24)), 36) + "\nu:" + strconv.FormatInt(int64(g.r.IntN(1<<24)), 36)
	raw := append(append(g.bytes(16), payload...), byte(len(payload)))
	enc := base64.RawURLEncoding.EncodeToString(raw)
	l := strconv.FormatInt(int64(len(enc)), 36)
	s := "glpat-" + enc + ".01." + strings.Repeat("0", 2-len(l)) + l
	c := strconv.FormatUint(uint64(crc32.ChecksumIEEE([]byte(s))), 36)
	return s + strings.Repeat("0", 7-len(c)) + c
}

func (g *gen) grafana() string {
	key := "glsa_" + g.pick(alnumSet, 32)
	c := crc32.ChecksumIEEE([]byte(key))
	return fmt.Sprintf("%s_%02x%02x%02x%02x", key, byte(c), byte(c>>8), byte(c>>16), byte(c>>24))
}

func (g *gen) jwt() string {
	e := base64.RawURLEncoding.EncodeToString
	hdr := `{"alg":"HS256","typ":"JWT"}`
	payload := fmt.Sprintf(`{"sub":"%d","name":"%s","iat":%d,"exp":%d}`,
		g.r.IntN(1e9), g.oneOf("alice", "build-bot", "svc-payments", "ops"), 1.7e9+g.r.IntN(1e7), 1.8e9+g.r.IntN(1e7))
	return e([]byte(hdr)) + "." + e([]byte(payload)) + "." + e(g.bytes(32))
}

func (g *gen) pypi() string {
	field := func(b []byte, typ byte, v []byte) []byte {
		b = append(b, typ)
		b = binary.AppendUvarint(b, uint64(len(v)))
		return append(b, v...)
	}
	b := []byte{2}
	b = field(b, 1, []byte("pypi.org"))
	b = field(b, 2, append([]byte{0x1f}, g.pick(hexSet, 40)...))
	b = append(b, 0)
	cav, _ := json.Marshal(map[string]any{"version": 1, "permissions": "user"})
	b = field(b, 2, cav)
	b = append(b, 0, 0)
	b = field(b, 6, g.bytes(32))
	return "pypi-" + base64.RawURLEncoding.EncodeToString(b)
}

func (g *gen) age() string {
	key := g.bytes(32)
	var data []byte
	acc, bits := 0, 0
	for _, x := range key {
		acc = acc<<8 | int(x)
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
	values := []byte{}
	for i := 0; i < len(hrp); i++ {
		values = append(values, hrp[i]>>5)
	}
	values = append(values, 0)
	for i := 0; i < len(hrp); i++ {
		values = append(values, hrp[i]&31)
	}
	values = append(append(values, data...), 0, 0, 0, 0, 0, 0)
	poly := bech32Polymod(values) ^ 1
	for i := 0; i < 6; i++ {
		data = append(data, byte(poly>>(5*(5-i))&31))
	}
	var sb strings.Builder
	sb.WriteString(hrp + "1")
	for _, d := range data {
		sb.WriteByte(bech32Set[d])
	}
	return strings.ToUpper(sb.String())
}

func bech32Polymod(values []byte) uint32 {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i := 0; i < 5; i++ {
			if (top>>i)&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	return chk
}

var passwordWords = []string{"Maple", "river", "Falcon", "orbit", "Copper", "tundra", "Harbor", "quartz", "Willow", "ember", "Saturn", "cobalt"}

// password returns a human-style or random password.
func (g *gen) password() string {
	if g.r.IntN(2) == 0 {
		return g.pick(alnumSet+"!@#%^&*", 14+g.r.IntN(8))
	}
	w := passwordWords[g.r.IntN(len(passwordWords))]
	return w + g.oneOf("!", "#", "@", "$", "_", "-", "") + g.pick(digitSet, 3+g.r.IntN(3)) + g.pick(alnumSet, 4)
}

// urlPassword is a password that needs no escaping inside a URL userinfo.
func (g *gen) urlPassword() string {
	return g.pick(alnumSet, 10+g.r.IntN(10)) + g.oneOf("", "-", "_", "~", ".") + g.pick(alnumSet, 3)
}
