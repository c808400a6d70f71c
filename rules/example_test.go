package rules

import (
	"encoding/base64"
	"hash/crc32"
	"regexp"
	"strings"
	"testing"
)

func TestExpandDirectives(t *testing.T) {
	for _, c := range []struct{ tmpl, re string }{
		{"K={{hex:32}}", `^K=[0-9a-f]{32}$`},
		{"{{HEX:8}}", `^[0-9A-F]{8}$`},
		{"sk-{{alnum:20-40}}", `^sk-[0-9A-Za-z]{20,40}$`},
		{"{{[a-c_]:50}}", `^[abc_]{50}$`},
		{"{{uuid}}", `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`},
		{"{{UUID}}", `^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`},
		{"{{pick:a|b}}", `^[ab]$`},
		{"{{b32:16}}", `^[A-Z2-7]{16}$`},
		{"{{b58:30}}", `^[1-9A-HJ-NP-Za-km-z]{30}$`},
		{"{{pw}}", `^[A-Z][a-z]+[!#@%_+.-][0-9]{3,5}[0-9A-Za-z]{4,6}$`},
		{"{{toupper:ab{{lower:3}}}}", `^AB[A-Z]{3}$`},
		{"{{url:a b&c}}", `^a\+b%26c$`},
		{"{{hexof:AB}}", `^4142$`},
		// Not directives: GitHub Actions and Helm expressions stay literal.
		{"${{ secrets.TOKEN }} {{ .Values.x }} {{.Values.y}}", `^\$\{\{ secrets\.TOKEN \}\} \{\{ \.Values\.x \}\} \{\{\.Values\.y\}\}$`},
		{"{{password}}", `^\{\{password\}\}$`},
	} {
		got, err := Expand(c.tmpl, "seed")
		if err != nil {
			t.Errorf("Expand(%q): %v", c.tmpl, err)
			continue
		}
		if !regexp.MustCompile(c.re).MatchString(got) {
			t.Errorf("Expand(%q) = %q, want a match of %s", c.tmpl, got, c.re)
		}
	}
}

func TestExpandEncodings(t *testing.T) {
	got, err := Expand("{{base64:user:{{alnum:12}}}}", "s")
	if err != nil {
		t.Fatal(err)
	}
	dec, err := base64.StdEncoding.DecodeString(got)
	if err != nil || !regexp.MustCompile(`^user:[0-9A-Za-z]{12}$`).Match(dec) {
		t.Errorf("base64 expansion %q decodes to %q (%v)", got, dec, err)
	}
	got, _ = Expand("{{crc62:abc}}", "s")
	if got != "abc"+crc62("abc") || len(got) != 9 {
		t.Errorf("crc62 = %q", got)
	}
	got, _ = Expand("{{crc32hex:abc}}", "s")
	if want := "abc352441c2"; got != want || crc32.ChecksumIEEE([]byte("abc")) != 0x352441c2 {
		t.Errorf("crc32hex = %q, want %q", got, want)
	}
}

func TestExpandIsDeterministicPerSeed(t *testing.T) {
	a, _ := Expand("{{alnum:40}}", "rule/example/0")
	b, _ := Expand("{{alnum:40}}", "rule/example/0")
	c, _ := Expand("{{alnum:40}}", "rule/example/1")
	if a != b {
		t.Errorf("same seed, different text: %q, %q", a, b)
	}
	if a == c {
		t.Errorf("different seeds, same text %q", a)
	}
}

func TestExpandErrors(t *testing.T) {
	for _, tmpl := range []string{"{{hex:0}}", "{{hex:x}}", "{{hex:9-3}}", "{{hex:32", "{{uuid:4}}", "{{[z-a]:3}}", "{{[abc]}}", "{{base64:{{hex:4}}"} {
		if got, err := Expand(tmpl, "s"); err == nil {
			t.Errorf("Expand(%q) = %q, want an error", tmpl, got)
		}
	}
}

func TestBadTemplateIsALoadError(t *testing.T) {
	_, err := Parse([]byte(`
[[rules]]
id = "x"
regex = '''x_[a-f0-9]{8}'''
keywords = ["x_"]
examples = ["x_{{hex:8"]
`), "bad.toml")
	if err == nil || !strings.Contains(err.Error(), "unclosed") {
		t.Fatalf("got %v, want an unclosed-directive error", err)
	}
}

func TestIsTemplate(t *testing.T) {
	for s, want := range map[string]bool{
		"K={{hex:4}}":              true,
		"{{uuid}}":                 true,
		"${{ secrets.X }}":         false,
		"{{ .Values.password }}":   false,
		"plain text":               false,
		"{{notadirective:3}}":      false,
		"x {{ y }} and {{b64:4}}":  true,
		"'{{[A-Z0-9]:20}}'":        true,
		"{{unclosed":               false,
		"{{pick:a|b}} in the text": true,
	} {
		if got := IsTemplate(s); got != want {
			t.Errorf("IsTemplate(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestSplitPath(t *testing.T) {
	for _, c := range []struct{ in, path, rest string }{
		{"{{path:.pgpass}}db:5432:*:app:{{alnum:12}}", ".pgpass", "db:5432:*:app:{{alnum:12}}"},
		{"{{path:home/u/.kube/config}}", "home/u/.kube/config", ""},
		{"no path {{hex:4}}", "", "no path {{hex:4}}"},
	} {
		p, r := SplitPath(c.in)
		if p != c.path || r != c.rest {
			t.Errorf("SplitPath(%q) = %q, %q; want %q, %q", c.in, p, r, c.path, c.rest)
		}
	}
	r := &Rule{ID: "x", Examples: []string{"{{path:a/.pgpass}}h:5432:d:u:{{alnum:8}}"}}
	cases, err := r.ExampleCases()
	if err != nil || len(cases) != 1 || cases[0].Path != "a/.pgpass" || !regexp.MustCompile(`^h:5432:d:u:[0-9A-Za-z]{8}$`).MatchString(cases[0].Text) {
		t.Errorf("ExampleCases = %+v, %v", cases, err)
	}
}
