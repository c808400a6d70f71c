package rules

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"hash/fnv"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
)

// Example templates. A rule's examples and negatives are templates, so
// that the repository never holds a string shaped like a real secret: the
// fake secret is produced when the example is checked. A template is text
// with directives in double braces:
//
//	{{hex:32}}        32 characters from a named alphabet; a length may be
//	{{alnum:20-40}}   a range, drawn from the seed
//	{{[a-z0-9_]:16}}  16 characters from a character class (ranges and
//	                  single characters, no negation)
//	{{uuid}}          a random version-4 UUID ({{UUID}}: upper case)
//	{{pw}}            a human-style password (word, symbol, digits, letters)
//	{{pick:a|b|c}}    one of the alternatives (literal text)
//	{{base64:T}}      the standard base64 encoding of template T
//	{{base64url:T}}   unpadded URL-safe base64 of T ({{base64raw:T}}:
//	                  unpadded standard)
//	{{hexof:T}}       hex encoding of T
//	{{url:T}}         T percent-encoded as a URL query value
//	{{toupper:T}}     T upper-cased ({{tolower:T}}: lower-cased)
//	{{crc62:T}}       T followed by the CRC-32 of T in six base-62 digits
//	{{crc32hex:T}}    T followed by the CRC-32 of T in eight hex digits
//
// A template that begins with {{path:P}} is checked as the content of a
// file at path P (for rules restricted to paths, such as .pgpass or
// gradle.properties); the directive itself is not part of the text. A
// template that is only {{path:P}} is an empty file at P (for path-only
// rules).
//
// Named alphabets: hex, HEX, alnum (base 62), lower, upper, digits,
// lowernum, uppernum, b64, b64url, b32 (RFC 4648), b58 (bitcoin).
//
// "{{" begins a directive only when a directive's name (or "[") follows
// it at once, so "${{ secrets.X }}" and "{{ .Values.x }}" stay literal. The
// expansion is deterministic: the same template and seed give the same
// text.

var alphabets = map[string]string{
	"hex":      "0123456789abcdef",
	"HEX":      "0123456789ABCDEF",
	"alnum":    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
	"lower":    "abcdefghijklmnopqrstuvwxyz",
	"upper":    "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
	"digits":   "0123456789",
	"lowernum": "abcdefghijklmnopqrstuvwxyz0123456789",
	"uppernum": "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
	"b64":      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
	"b64url":   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
	"b32":      "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
	"b58":      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz",
}

// transforms take a template argument.
var transforms = map[string]func(string) string{
	"base64":    func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) },
	"base64url": func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) },
	"base64raw": func(s string) string { return base64.RawStdEncoding.EncodeToString([]byte(s)) },
	"hexof":     func(s string) string { return hex.EncodeToString([]byte(s)) },
	"url":       url.QueryEscape,
	"toupper":   strings.ToUpper,
	"tolower":   strings.ToLower,
	"crc62":     func(s string) string { return s + crc62(s) },
	"crc32hex":  func(s string) string { return fmt.Sprintf("%s%08x", s, crc32.ChecksumIEEE([]byte(s))) },
}

// noArg directives take no argument.
var noArg = map[string]bool{"uuid": true, "UUID": true, "pw": true}

// IsTemplate reports whether s holds at least one directive.
func IsTemplate(s string) bool {
	if strings.Contains(s, "{{path:") {
		return true
	}
	for i := 0; ; {
		j := strings.Index(s[i:], "{{")
		if j < 0 {
			return false
		}
		i += j
		if directiveAt(s, i) {
			return true
		}
		i += 2
	}
}

// directiveAt reports whether the "{{" at s[i:] begins a directive.
func directiveAt(s string, i int) bool {
	rest := s[i+2:]
	if strings.HasPrefix(rest, "[") {
		return true
	}
	n := 0
	for n < len(rest) && (rest[n] >= 'a' && rest[n] <= 'z' || rest[n] >= 'A' && rest[n] <= 'Z' || rest[n] >= '0' && rest[n] <= '9') {
		n++
	}
	if n == 0 || n == len(rest) || (rest[n] != ':' && !strings.HasPrefix(rest[n:], "}}")) {
		return false
	}
	name := rest[:n]
	_, a := alphabets[name]
	_, t := transforms[name]
	return a || t || noArg[name] || name == "pick"
}

// Expand expands template tmpl with a generator seeded by seed.
func Expand(tmpl, seed string) (string, error) {
	h := fnv.New64a()
	h.Write([]byte(seed))
	s := h.Sum64()
	r := rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15))
	return expand(tmpl, r)
}

func expand(s string, r *rand.Rand) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "{{")
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		j += i
		if !directiveAt(s, j) {
			b.WriteString(s[i : j+2])
			i = j + 2
			continue
		}
		b.WriteString(s[i:j])
		end, err := closing(s, j)
		if err != nil {
			return "", err
		}
		out, err := directive(s[j+2:end], r)
		if err != nil {
			return "", err
		}
		b.WriteString(out)
		i = end + 2
	}
	return b.String(), nil
}

// closing returns the index of the "}}" that closes the directive opened
// at s[open:], counting nested directives.
func closing(s string, open int) (int, error) {
	depth := 0
	for i := open; i+1 < len(s); {
		switch {
		case s[i] == '{' && s[i+1] == '{' && directiveAt(s, i):
			depth++
			i += 2
		case s[i] == '}' && s[i+1] == '}':
			depth--
			if depth == 0 {
				return i, nil
			}
			i += 2
		default:
			i++
		}
	}
	return 0, fmt.Errorf("example template %q: unclosed {{ at byte %d", s, open)
}

func directive(d string, r *rand.Rand) (string, error) {
	if strings.HasPrefix(d, "[") {
		k := strings.LastIndex(d, "]:")
		if k < 0 {
			return "", fmt.Errorf("example template: {{%s}}: a character class needs ]:length", d)
		}
		set, err := charClass(d[1:k])
		if err != nil {
			return "", fmt.Errorf("example template: {{%s}}: %v", d, err)
		}
		return draw(set, d[k+2:], r, d)
	}
	name, arg, hasArg := strings.Cut(d, ":")
	switch {
	case noArg[name]:
		if hasArg {
			return "", fmt.Errorf("example template: {{%s}} takes no argument", name)
		}
		switch name {
		case "uuid", "UUID":
			u := uuid(r)
			if name == "UUID" {
				u = strings.ToUpper(u)
			}
			return u, nil
		default:
			return password(r), nil
		}
	case name == "pick":
		alts := strings.Split(arg, "|")
		return alts[r.IntN(len(alts))], nil
	case alphabets[name] != "":
		return draw(alphabets[name], arg, r, d)
	case transforms[name] != nil:
		inner, err := expand(arg, r)
		if err != nil {
			return "", err
		}
		return transforms[name](inner), nil
	}
	return "", fmt.Errorf("example template: unknown directive {{%s}}", d)
}

// draw returns a string of characters from set, its length given by n
// ("16" or "16-24").
func draw(set, n string, r *rand.Rand, d string) (string, error) {
	lo, hi, err := lengths(n)
	if err != nil {
		return "", fmt.Errorf("example template: {{%s}}: %v", d, err)
	}
	size := lo
	if hi > lo {
		size += r.IntN(hi - lo + 1)
	}
	b := make([]byte, size)
	for i := range b {
		b[i] = set[r.IntN(len(set))]
	}
	return string(b), nil
}

func lengths(n string) (int, int, error) {
	a, c, isRange := strings.Cut(n, "-")
	lo, err := strconv.Atoi(a)
	if err != nil || lo < 1 || lo > 4096 {
		return 0, 0, fmt.Errorf("length %q is not a number from 1 to 4096", n)
	}
	if !isRange {
		return lo, lo, nil
	}
	hi, err := strconv.Atoi(c)
	if err != nil || hi < lo || hi > 4096 {
		return 0, 0, fmt.Errorf("length range %q is not N-M with N <= M <= 4096", n)
	}
	return lo, hi, nil
}

// charClass expands a regex-like class body ("a-z0-9_-") to its members.
func charClass(c string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(c); i++ {
		if i+2 < len(c) && c[i+1] == '-' {
			if c[i] > c[i+2] {
				return "", fmt.Errorf("bad range %q", c[i:i+3])
			}
			for x := c[i]; x <= c[i+2]; x++ {
				b.WriteByte(x)
			}
			i += 2
			continue
		}
		b.WriteByte(c[i])
	}
	if b.Len() == 0 {
		return "", fmt.Errorf("empty character class")
	}
	return b.String(), nil
}

func uuid(r *rand.Rand) string {
	var u [16]byte
	for i := range u {
		u[i] = byte(r.IntN(256))
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	h := hex.EncodeToString(u[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

var passwordWords = []string{"Maple", "Falcon", "Copper", "Harbor", "Willow", "Saturn", "Quill", "Juniper", "Bramble", "Cinder"}

func password(r *rand.Rand) string {
	w := passwordWords[r.IntN(len(passwordWords))]
	sym := "!#@%_-+."[r.IntN(8)]
	d, _ := draw(alphabets["digits"], "3-5", r, "pw")
	t, _ := draw(alphabets["alnum"], "4-6", r, "pw")
	return w + string(sym) + d + t
}

// crc62 is CRC-32 (IEEE) of s in six base-62 digits (0-9A-Za-z), the
// checksum GitHub's and npm's tokens end with.
func crc62(s string) string {
	n := crc32.ChecksumIEEE([]byte(s))
	set := alphabets["alnum"]
	b := make([]byte, 6)
	for i := 5; i >= 0; i-- {
		b[i] = set[n%62]
		n /= 62
	}
	return string(b)
}

// Example is an expanded example or negative: the text and, when the
// template began with {{path:P}}, the path it is checked at.
type Example struct {
	Path string
	Text string
}

// SplitPath separates a leading {{path:P}} directive from a template.
func SplitPath(tmpl string) (path, rest string) {
	const open = "{{path:"
	if !strings.HasPrefix(tmpl, open) {
		return "", tmpl
	}
	end := strings.Index(tmpl, "}}")
	if end < 0 {
		return "", tmpl
	}
	return tmpl[len(open):end], tmpl[end+2:]
}

// ExampleCases returns the rule's examples, expanded.
func (r *Rule) ExampleCases() ([]Example, error) { return r.expandAll(r.Examples, "example") }

// NegativeCases returns the rule's negatives, expanded.
func (r *Rule) NegativeCases() ([]Example, error) { return r.expandAll(r.Negatives, "negative") }

func (r *Rule) expandAll(ts []string, kind string) ([]Example, error) {
	out := make([]Example, 0, len(ts))
	for i, t := range ts {
		path, body := SplitPath(t)
		s, err := Expand(body, fmt.Sprintf("%s/%s/%d", r.ID, kind, i))
		if err != nil {
			return nil, fmt.Errorf("rule %q: %ss[%d]: %w", r.ID, kind, i, err)
		}
		out = append(out, Example{Path: path, Text: s})
	}
	return out, nil
}
