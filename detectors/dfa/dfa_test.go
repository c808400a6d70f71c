package dfa

import (
	"fmt"
	"math/rand"
	"regexp"
	"regexp/syntax"
	"slices"
	"testing"
)

// check compares AppendAll with Go's regexp.FindAllIndex on text.
func check(t testing.TB, expr string, re *Regexp, c *Cache, text []byte) {
	t.Helper()
	want := []int{}
	for _, loc := range regexp.MustCompile(expr).FindAllIndex(text, -1) {
		want = append(want, loc...)
	}
	got, ok := re.AppendAll(c, nil, text)
	if !ok {
		return // the caller falls back to Go's regexp
	}
	if got == nil {
		got = []int{}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%q on %q: got %v, want %v", expr, text, got, want)
	}
}

func mustCompile(t testing.TB, expr string) *Regexp {
	t.Helper()
	p, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		t.Fatal(err)
	}
	re, err := Compile(p)
	if err != nil {
		t.Fatalf("%q: %v", expr, err)
	}
	return re
}

var cases = []struct {
	expr  string
	texts []string
}{
	{`abc`, []string{"", "abc", "xabcabc", "ab", "aabcc"}},
	{`(?i)abc`, []string{"ABC aBc", "abC"}},
	{`(?i)key`, []string{"KEY kEy \u212aey", "ke"}},
	{`(?i)secret`, []string{"\u017fecret SECRET"}},
	{`a+`, []string{"aaa baa", "b"}},
	{`a+?`, []string{"aaa baa"}},
	{`a|ab`, []string{"ab abab"}},
	{`ab|a`, []string{"ab abab"}},
	{`(a|ab)(c|bcd)`, []string{"abcd", "acd abcd"}},
	{`x*y`, []string{"xxy y xy"}},
	{`[a-z]{3,5}`, []string{"abcdefghij ab abc"}},
	{`[a-z]{3,5}?`, []string{"abcdefghij ab abc"}},
	{`\bfoo\b`, []string{"foo foobar barfoo foo.", "_foo foo_"}},
	{`\Bfoo`, []string{"foo afoo"}},
	{`^foo`, []string{"foo foo", "\nfoo"}},
	{`(?m)^foo$`, []string{"foo\nfoo\nxfoo\nfoo"}},
	{`foo$`, []string{"foo\nfoo", "foofoo"}},
	{`\Afoo|bar\z`, []string{"foobar foo bar"}},
	{`[^a]+`, []string{"bcd\u00e9a\u20acb\U0001F600a"}},
	{`.+`, []string{"ab\ncd\u00e9\n"}},
	{`(?s).{2}`, []string{"a\nb\u00e9c"}},
	{`\p{Greek}+`, []string{"abc \u03b1\u03b2\u03b3 d"}},
	{`[\x{80}-\x{10FFFF}]+`, []string{"a\u0080b\u07ff\u0800\uffff\U00010000\U0010FFFF"}},
	{`(?i)[a-z0-9]{10,}`, []string{"ABCdef1234567 short"}},
	{`x(?:[\x60'"\s;]|\\[nr]|$)`, []string{"xa'x\\nx", "x", "x;"}},
	{`(?i)(?:key|token)(?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|:)[\x60'"\s=]{0,5}([\w.=-]{10,150})(?:[\x60'"\s;]|\\[nr]|$)`,
		[]string{`api_key = "aaaaaaaaaaaaaa"`, "TOKEN: 'x12345678901'\n", "token=abc"}},
	{`-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\s\S-]{64,}?KEY(?: BLOCK)?-----`,
		[]string{"-----BEGIN RSA PRIVATE KEY-----\n" + "MIIB" + string(make([]byte, 0)) + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n-----END RSA PRIVATE KEY-----"}},
	{`(a*)*b`, []string{"aab b"}},
	{`(a|)+b`, []string{"aab b"}},
	{`(?U)a+`, []string{"aaa"}},
}

func TestAgreesWithGo(t *testing.T) {
	for _, tc := range cases {
		re := mustCompile(t, tc.expr)
		c := re.NewCache(DefaultBudget)
		for _, text := range tc.texts {
			check(t, tc.expr, re, c, []byte(text))
		}
	}
}

func TestNullable(t *testing.T) {
	for _, expr := range []string{``, `a*`, `a?`, `\b`, `(a|)`, `(?:x+)?`} {
		p, _ := syntax.Parse(expr, syntax.Perl)
		if _, err := Compile(p); err != ErrNullable {
			t.Errorf("%q: got %v, want ErrNullable", expr, err)
		}
	}
}

func TestInvalidUTF8(t *testing.T) {
	// An expression whose sets hold U+FFFD gives up on invalid UTF-8; one
	// whose sets do not answers, and must agree with Go.
	re := mustCompile(t, `[^a]+`)
	if _, ok := re.AppendAll(re.NewCache(DefaultBudget), nil, []byte("b\xffc")); ok {
		t.Errorf(`[^a]+ on invalid UTF-8: got ok, want a fallback`)
	}
	for _, expr := range []string{`[a-z\x{e9}]+`, `\x{20ac}+`, `(?i)k+`} {
		re := mustCompile(t, expr)
		c := re.NewCache(DefaultBudget)
		for _, text := range []string{"ab\xe9c\xc3\xa9\xc3", "\xe2\x82\xac\xe2\x82\xe2\x82\xac\x82\xac", "k\xe2\x84\xaak\xe2\x84"} {
			got, ok := re.AppendAll(c, nil, []byte(text))
			if !ok {
				t.Errorf("%q on %q: fallback, want an answer", expr, text)
			}
			_ = got
			check(t, expr, re, c, []byte(text))
		}
	}
}

func TestCacheBudget(t *testing.T) {
	// A tiny budget makes the search give up (and clear the cache), never
	// answer wrongly.
	expr := `[a-q][^u-z]{13}x`
	re := mustCompile(t, expr)
	c := re.NewCache(256)
	rng := rand.New(rand.NewSource(1))
	text := randomText(rng, "abcdefghijklmnopqrstuvwxyz", 4000)
	if _, ok := re.AppendAll(c, nil, text); ok {
		t.Fatalf("got an answer within a 256-byte budget, want a fallback")
	}
	if c.Overflows != 1 {
		t.Errorf("got %d overflows, want 1", c.Overflows)
	}
	check(t, expr, re, re.NewCache(DefaultBudget), text)
}

func randomText(rng *rand.Rand, alphabet string, n int) []byte {
	rs := []rune(alphabet)
	var b []byte
	for len(b) < n {
		b = append(b, string(rs[rng.Intn(len(rs))])...)
	}
	return b
}

// TestRandomExpressions compares with Go on random small expressions over
// a small alphabet, where the corner cases are dense.
func TestRandomExpressions(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	atoms := []string{"a", "b", "(?i)a", "[ab]", "[^a]", ".", `\b`, `\B`, "^", "$", "(?m:^)", "(?m:$)", "\n", "é", " "}
	n := 3000
	if testing.Short() {
		n = 500
	}
	for i := 0; i < n; i++ {
		expr := randomExpr(rng, atoms, 3)
		p, err := syntax.Parse(expr, syntax.Perl)
		if err != nil {
			continue
		}
		re, err := Compile(p)
		if err != nil {
			continue
		}
		c := re.NewCache(DefaultBudget)
		for j := 0; j < 10; j++ {
			check(t, expr, re, c, randomText(rng, "ab \né", rng.Intn(24)))
		}
	}
}

func randomExpr(rng *rand.Rand, atoms []string, depth int) string {
	if depth == 0 || rng.Intn(3) == 0 {
		return atoms[rng.Intn(len(atoms))]
	}
	a, b := randomExpr(rng, atoms, depth-1), randomExpr(rng, atoms, depth-1)
	switch rng.Intn(9) {
	case 0:
		return "(?:" + a + "|" + b + ")"
	case 1:
		return "(?:" + a + ")*"
	case 2:
		return "(?:" + a + ")+?"
	case 3:
		return "(?:" + a + ")?"
	case 4:
		return fmt.Sprintf("(?:%s){%d,%d}", a, rng.Intn(2), 1+rng.Intn(3))
	case 5:
		return "(" + a + ")+"
	default:
		return a + b
	}
}
