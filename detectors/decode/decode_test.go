package decode

import (
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Fake secrets, built at test time so that no line of this file holds one.
var (
	awsKeyID  = "AKIA" + "Z3MSJV4WWNKWW5FG"
	userPass  = "deploy" + ":" + "Tr0ub4dor-3-horse"
	githubPAT = "ghp_" + strings.Repeat("aB3dE6gH9jK2", 3)
	pemKey    = "-----BEGIN " + "RSA PRIVATE KEY-----\n" +
		strings.Repeat("MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n", 3) +
		"-----END " + "RSA PRIVATE KEY-----\n"
)

// withUserinfo builds a URL with a password in its userinfo.
func withUserinfo(scheme, pass, rest string) string { return scheme + "u:" + pass + "@" + rest }

func b64(s string) string    { return base64.StdEncoding.EncodeToString([]byte(s)) }
func b64raw(s string) string { return base64.RawStdEncoding.EncodeToString([]byte(s)) }
func b64url(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// seg is a Segment as the tests compare it: the encoded span as text.
type seg struct {
	Span, Data, Encoding string
	Depth                int
}

func find(t *testing.T, in string, opts Options) []seg {
	t.Helper()
	var got []seg
	for _, s := range Find([]byte(in), opts) {
		if s.Start < 0 || s.End > len(in) || s.Start >= s.End {
			t.Fatalf("segment %+v out of the input's bounds [0, %d]", s, len(in))
		}
		got = append(got, seg{in[s.Start:s.End], string(s.Data), s.Encoding, s.Depth})
	}
	return got
}

type findCase struct {
	name string
	in   string
	want []seg
}

func runCases(t *testing.T, cases []findCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := find(t, tc.in, Options{})
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Find(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestFindBase64(t *testing.T) {
	// A 32-byte digest: random-looking binary.
	digest := []byte{}
	for i := 0; i < 64; i++ {
		digest = append(digest, byte(i*97+13))
	}
	runCases(t, []findCase{
		{"kubernetes secret value", "data:\n  password: " + b64(userPass) + "\n",
			[]seg{{b64(userPass), userPass, "base64", 1}}},
		{"docker config auth", `{"auths":{"registry.example.com":{"auth":"` + b64(userPass) + `"}}}`,
			[]seg{{b64(userPass), userPass, "base64", 1}}},
		{"basic auth header", "Authorization: Basic " + b64(userPass) + "\r\n",
			[]seg{{b64(userPass), userPass, "base64", 1}}},
		{"unpadded", "token=" + b64raw(awsKeyID) + "&x=1",
			[]seg{{b64raw(awsKeyID), awsKeyID, "base64", 1}}},
		{"'=' that is not padding", "a=" + b64raw(userPass) + "=&b=1",
			[]seg{{b64raw(userPass), userPass, "base64", 1}}},
		{"url-safe alphabet", "k " + b64url("a?>~"+githubPAT+"~?>") + " k",
			[]seg{{b64url("a?>~" + githubPAT + "~?>"), "a?>~" + githubPAT + "~?>", "base64url", 1}}},
		{"pem key", "tls.key: " + b64(pemKey),
			[]seg{{b64(pemKey), pemKey, "base64", 1}}},
		{"utf-8 text", "v=" + b64("pässwörd: 秘密の鍵です"),
			[]seg{{b64("pässwörd: 秘密の鍵です"), "pässwörd: 秘密の鍵です", "base64", 1}}},
		{"binary digest dropped", "integrity: sha512-" + base64.StdEncoding.EncodeToString(digest), nil},
		{"short run ignored", "x: " + b64("user:pw") + "\n", nil},
		{"identifier dropped", "func TestFindSomethingQuiteLong(t *testing.T) {}", nil},
		{"length 4k+1 dropped", "x " + b64raw(awsKeyID) + "A" + " y", nil},
		{"mixed alphabets dropped", "x " + b64raw(awsKeyID)[:16] + "+/-_" + " y", nil},
		{"no input", "", nil},
	})
}

func TestFindHex(t *testing.T) {
	sha := strings.Repeat("9f86d081884c7d659a2feaa0c55ad015", 2)
	runCases(t, []findCase{
		{"hex text", "secret=" + hex.EncodeToString([]byte(userPass)) + ";",
			[]seg{{hex.EncodeToString([]byte(userPass)), userPass, "hex", 1}}},
		{"upper case", "K=" + strings.ToUpper(hex.EncodeToString([]byte(awsKeyID))),
			[]seg{{strings.ToUpper(hex.EncodeToString([]byte(awsKeyID))), awsKeyID, "hex", 1}}},
		{"0x prefix", "v = 0x" + hex.EncodeToString([]byte(awsKeyID)),
			[]seg{{hex.EncodeToString([]byte(awsKeyID)), awsKeyID, "hex", 1}}},
		{"sha256 dropped", "sum: " + sha + "\n", nil},
		{"git sha dropped", "commit 3f2a9c1e0b7d4a5f6e8c9b0a1d2e3f4a5b6c7d8e\n", nil},
		{"too short", "x " + hex.EncodeToString([]byte("pw=abc")) + " y", nil},
	})
}

func TestFindPercent(t *testing.T) {
	dsn := "postgres://app:" + url.QueryEscape("s3cr@t:pa/ss") + "@db.internal:5432/app"
	form := "grant_type=password&username=ops&password=" + url.QueryEscape("Tr0ub4dor&3!") + "&scope=all"
	runCases(t, []findCase{
		{"dsn", "DATABASE_URL=" + dsn + "\n",
			[]seg{{"DATABASE_URL=" + dsn, "DATABASE_URL=postgres://app:s3cr@t:pa/ss@db.internal:5432/app", "percent", 1}}},
		{"form body", "POST /token\n\n" + form,
			[]seg{{form, "grant_type=password&username=ops&password=Tr0ub4dor&3!&scope=all", "percent", 1}}},
		{"quoted", `url = "` + withUserinfo("https://", "p%40ss%2Fword", "h/x") + `"`,
			[]seg{{withUserinfo("https://", "p%40ss%2Fword", "h/x"), withUserinfo("https://", "p@ss/word", "h/x"), "percent", 1}}},
		{"invalid escapes kept", "q=100%zz%4+%41%42cdefgh",
			[]seg{{"q=100%zz%4+%41%42cdefgh", "q=100%zz%4 ABcdefgh", "percent", 1}}},
		{"plus kept in url, space in query", withUserinfo("https://", "p+w%40rd", "h/a+b?q=x+y%21"),
			[]seg{{withUserinfo("https://", "p+w%40rd", "h/a+b?q=x+y%21"), withUserinfo("https://", "p+w@rd", "h/a+b?q=x y!"), "percent", 1}}},
		{"format verbs ignored", `fmt.Sprintf("%s: %d%%", a, b)`, nil},
		{"nul dropped", "a=%00%00%00%00bcdefgh", nil},
		{"short", "a=%41b", nil},
	})
}

func TestFindEscapes(t *testing.T) {
	jsonPEM := strings.ReplaceAll(pemKey, "\n", `\n`)
	runCases(t, []findCase{
		{"pem in json", `{"private_key": "` + jsonPEM + `", "x": 1}`,
			[]seg{{jsonPEM, pemKey, "json-escape", 1}}},
		{"pem in .env", `PRIVATE_KEY="` + jsonPEM + `"` + "\nOTHER=1\n",
			[]seg{{jsonPEM, pemKey, "json-escape", 1}}},
		{"quotes and slashes", `{"cmd": "curl -H \"Authorization: Bearer x\" https:\/\/api.example.com\/v1"}`,
			[]seg{{`curl -H \"Authorization: Bearer x\" https:\/\/api.example.com\/v1`,
				`curl -H "Authorization: Bearer x" https://api.example.com/v1`, "json-escape", 1}}},
		{"unicode escapes", `"\u0041\u004b\u0049\u0041 is a prefix \ud83d\udd11"`,
			[]seg{{`\u0041\u004b\u0049\u0041 is a prefix \ud83d\udd11`, "AKIA is a prefix \U0001F511", "json-escape", 1}}},
		{"lone surrogate", `"key \ud83d alone here"`,
			[]seg{{`key \ud83d alone here`, "key \uFFFD alone here", "json-escape", 1}}},
		{"extensions", `"\x41\x4b\x49\x41 \U0001F511 it\'s"`,
			[]seg{{`\x41\x4b\x49\x41 \U0001F511 it\'s`, "AKIA \U0001F511 it's", "json-escape", 1}}},
		{"invalid escapes kept", `"C:\path\qdir\zeta \n"`,
			[]seg{{`C:\path\qdir\zeta \n`, "C:\\path\\qdir\\zeta \n", "json-escape", 1}}},
		{"two strings on a line", `{"a": "first\tvalue", "b": "second\tvalue"}`,
			[]seg{{`first\tvalue`, "first\tvalue", "json-escape", 1}, {`second\tvalue`, "second\tvalue", "json-escape", 1}}},
		{"unquoted unicode run", `key=\u0070\u0061\u0073\u0073word1 next`,
			[]seg{{`key=\u0070\u0061\u0073\u0073word1`, "key=password1", "unicode-escape", 1}}},
		{"no escape", `{"a": "plain value here"}`, nil},
		{"only trailing newlines", `fmt.Printf("usage: %s <file>\n\n", os.Args[0])`, nil},
		{"escaped backslash before n", `"C:\\temp\\n"`, []seg{{`C:\\temp\\n`, `C:\temp\n`, "json-escape", 1}}},
		{"unclosed string", `"abc\ndefghijkl` + "\n" + `more"`, nil},
		{"rune literal", `r := '\n'`, nil},
		{"nul dropped", `"abc\u0000defghij"`, nil},
	})
}

func TestFindNested(t *testing.T) {
	pct := "password=" + url.QueryEscape("p@ss w0rd/"+awsKeyID)
	b64pct := b64(pct)
	twice := b64(b64(userPass))
	jsonInJSON := `"{\"auth\": \"` + b64(userPass) + `\"}"`
	tests := []struct {
		name  string
		in    string
		depth int
		want  []seg
	}{
		{"base64 of percent", "v: " + b64pct, 0, []seg{
			{b64pct, pct, "base64", 1},
			{b64pct, "password=p@ss w0rd/" + awsKeyID, "base64+percent", 2},
		}},
		{"base64 of base64", "v: " + twice, 0, []seg{
			{twice, b64(userPass), "base64", 1},
			{twice, userPass, "base64+base64", 2},
		}},
		{"depth 1", "v: " + twice, 1, []seg{{twice, b64(userPass), "base64", 1}}},
		{"json in json", jsonInJSON, 0, []seg{
			{jsonInJSON[1 : len(jsonInJSON)-1], `{"auth": "` + b64(userPass) + `"}`, "json-escape", 1},
			{jsonInJSON[1 : len(jsonInJSON)-1], userPass, "json-escape+base64", 2},
		}},
		// At the last depth the base64 run inside the string is decoded on
		// its own rather than through the string.
		{"json in json depth 1", jsonInJSON, 1, []seg{
			{jsonInJSON[1 : len(jsonInJSON)-1], `{"auth": "` + b64(userPass) + `"}`, "json-escape", 1},
			{b64(userPass), userPass, "base64", 1},
		}},
		{"disabled", "v: " + twice, -1, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := find(t, tc.in, Options{MaxDepth: tc.depth})
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Find(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

// TestOffsetsMapToRun checks that segments found among other text carry the
// offsets of their encoded runs, in order.
func TestOffsetsMapToRun(t *testing.T) {
	parts := []string{"line one\n", "a: ", b64(userPass), "\nb: ", hex.EncodeToString([]byte(awsKeyID)),
		"\nc: \"", `x\ty\tz\tw\tv`, "\"\nd: ", "k=%41%42cdefgh", "\n"}
	in := strings.Join(parts, "")
	want := []int{}
	off := 0
	for i, p := range parts {
		if i%2 == 0 && i > 0 {
			want = append(want, off, off+len(p))
		}
		off += len(p)
	}
	var got []int
	for _, s := range Find([]byte(in), Options{}) {
		got = append(got, s.Start, s.End)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("offsets (-want +got):\n%s", diff)
	}
}

// TestWrappedBase64 checks which lines joinWrapped joins: lines of one
// width (a multiple of 4, 40 or more) and a last one not wider, flush or
// equally indented; not a column of narrower words, nor lines of
// different widths.
func TestWrappedBase64(t *testing.T) {
	text := strings.Repeat("the secret is in the second half of this text, ", 6)
	enc := base64.StdEncoding.EncodeToString([]byte(text))
	lines := func(w int, ind string) string {
		var b strings.Builder
		for s := enc; s != ""; {
			n := min(w, len(s))
			b.WriteString(ind + s[:n] + "\n")
			s = s[n:]
		}
		return b.String()
	}
	tests := []struct {
		name  string
		input string
		whole bool // one segment decoding to all of text
	}{
		{"76", lines(76, ""), true},
		{"64 indented", "data: |\n" + lines(64, "    "), true},
		{"crlf", strings.ReplaceAll(lines(76, ""), "\n", "\r\n"), true},
		{"narrow", lines(36, ""), false},
		{"uneven indentation", lines(76, "  ")[:80] + "  " + lines(76, "  ")[80:], false},
		{"not a multiple of 4", lines(74, ""), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			segs := Find([]byte(tt.input), Options{MaxDepth: 1})
			whole := false
			for _, s := range segs {
				if string(s.Data) == text {
					whole = true
					if s.End-s.Start < len(enc) || s.Encoding != "base64" {
						t.Errorf("segment at [%d, %d) %s, want the whole block as base64", s.Start, s.End, s.Encoding)
					}
				}
			}
			if whole != tt.whole {
				t.Errorf("decoded whole: %v, want %v (%d segments)", whole, tt.whole, len(segs))
			}
		})
	}
}
