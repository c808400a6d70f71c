package detectors

import (
	"fmt"
	"io/fs"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakguard/leakguard/detectors/dfa"
	"github.com/leakguard/leakguard/rules"
)

// confirmRules returns the default rules that have a regex, compiled.
func confirmRules(t testing.TB) (*Detector, []*crule) {
	t.Helper()
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	d, err := Compile(set, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []*crule
	for _, c := range d.rules {
		if c.r.Regex != "" {
			out = append(out, c)
		}
	}
	return d, out
}

// goSpans is what the confirm stage must agree with.
func goSpans(c *crule, text []byte) []int {
	out := []int{}
	for _, loc := range c.r.Regexp().FindAllIndex(text, -1) {
		out = append(out, loc...)
	}
	return out
}

// confirmAnswers runs the DFA alone on text: its spans, and whether it
// answered (false: the confirm stage would have asked Go's regexp).
func confirmAnswers(sc *scratch, c *crule, text []byte) ([]int, bool) {
	re := c.confirmer()
	if re == nil {
		return nil, false
	}
	cache := sc.dfaCache(c, re)
	if cache == nil {
		return nil, false
	}
	got, ok := re.AppendAll(cache, nil, text)
	if got == nil {
		got = []int{}
	}
	return got, ok
}

// mutate returns text with random small edits: bytes dropped, repeated,
// case-flipped, or replaced by delimiters, non-ASCII or invalid UTF-8.
func mutate(rng *rand.Rand, text string) string {
	b := []byte(text)
	inserts := []string{" ", "\n", "'", "\"", "=", ":", "_", "-", "é", "\u212a", "\u017f", "\xff", "\xe2\x82", "\\n", "0", "Z"}
	for n := rng.Intn(4); n > 0 && len(b) > 0; n-- {
		i := rng.Intn(len(b))
		switch rng.Intn(5) {
		case 0:
			b = append(b[:i], b[i+1:]...)
		case 1:
			b = slices.Insert(b, i, []byte(inserts[rng.Intn(len(inserts))])...)
		case 2:
			if c := b[i]; 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
				b[i] ^= 0x20
			}
		case 3:
			b = slices.Insert(b, i, b[i])
		case 4: // letters that case-fold to a non-ASCII rune
			switch b[i] | 0x20 {
			case 'k':
				b = slices.Replace(b, i, i+1, []byte("\u212a")...)
			case 's':
				b = slices.Replace(b, i, i+1, []byte("\u017f")...)
			}
		}
	}
	return string(b)
}

// confirmInputs generates, for one rule, strings around and near its
// matches.
func confirmInputs(rng *rand.Rand, re *syntax.Regexp, n int) []string {
	contexts := []string{"", "x = ", "\t\"", "token: '", "é ", "\xff", "api_key=", "{\"auth\": \"", "\n\n"}
	var out []string
	for range n {
		var b strings.Builder
		genMatch(rng, re, &b)
		m := b.String()
		pre := contexts[rng.Intn(len(contexts))]
		post := contexts[rng.Intn(len(contexts))]
		out = append(out, pre+m+post, mutate(rng, pre+m+post), m+" "+m, mutate(rng, m)+"\n"+m)
	}
	return out
}

// TestConfirmAgreesWithRegexp compares the confirm stage's DFA with Go's
// regexp.FindAllIndex for every default rule, on generated matches and
// mutations of them in several contexts (a bounded share with -short;
// FuzzConfirm explores further).
func TestConfirmAgreesWithRegexp(t *testing.T) {
	_, crs := confirmRules(t)
	perRule := 12
	if testing.Short() {
		perRule = 3
	}
	rng := rand.New(rand.NewSource(3))
	sc := newScratch(len(crs) + 1024)
	var refused []string
	answered, total := 0, 0
	for _, c := range crs {
		if c.confirmer() == nil {
			refused = append(refused, c.r.ID)
			continue
		}
		re, err := parseRegex(c.r.Regex)
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range confirmInputs(rng, re, perRule) {
			total++
			got, ok := confirmAnswers(sc, c, []byte(in))
			if !ok {
				continue
			}
			answered++
			if want := goSpans(c, []byte(in)); !slices.Equal(got, want) {
				t.Errorf("rule %s on %q: got %v, want %v", c.r.ID, in, got, want)
			}
		}
	}
	t.Logf("%d rules, %d inputs, the DFA answered %d (the rest had invalid UTF-8 it does not model); refused: %v",
		len(crs), total, answered, refused)
	// The suffix checks' anchored DFAs against Go's ^(?:S), at every
	// offset of the same inputs.
	branches, checked := 0, 0
	for _, c := range crs {
		sfx := c.suffix()
		if sfx == nil {
			continue
		}
		re, _ := parseRegex(c.r.Regex)
		inputs := confirmInputs(rng, re, perRule/3+1)
		for bi := range sfx.branches {
			b := &sfx.branches[bi]
			re, _ := b.compiled()
			pre := b.prefixDFA()
			if pre == nil || re == nil {
				t.Errorf("rule %s: suffix branch %d has no DFA", c.r.ID, bi)
				continue
			}
			branches++
			pc := pre.NewCache(1 << 20)
			for _, in := range inputs {
				for off := 0; off < len(in); off++ {
					text := []byte(in[off:])
					got, ok := pre.End(pc, text)
					if !ok {
						continue
					}
					checked++
					want := -1
					if loc := re.FindIndex(text); loc != nil {
						want = loc[1]
					}
					if got != want {
						t.Fatalf("rule %s suffix %d on %q: got end %d, want %d", c.r.ID, bi, text, got, want)
					}
				}
			}
		}
	}
	t.Logf("%d suffix branches, %d anchored searches compared", branches, checked)
	if len(refused) > len(crs)/50 {
		t.Errorf("the DFA refuses %d of %d rules (%v), want at most 2%%", len(refused), len(crs), refused)
	}
	if answered < total*3/4 {
		t.Errorf("the DFA answered %d of %d inputs, want at least 3/4", answered, total)
	}
}

// FuzzConfirm feeds random inputs to every default rule's DFA and to Go's
// regexp; their spans must agree whenever the DFA answers.
func FuzzConfirm(f *testing.F) {
	_, crs := confirmRules(f)
	rng := rand.New(rand.NewSource(5))
	for i, c := range crs {
		if i%7 != 0 {
			continue
		}
		re, err := parseRegex(c.r.Regex)
		if err != nil {
			f.Fatal(err)
		}
		for _, in := range confirmInputs(rng, re, 1)[:2] {
			f.Add(uint16(i), []byte(in))
		}
	}
	sc := newScratch(len(crs) + 1024)
	f.Fuzz(func(t *testing.T, which uint16, text []byte) {
		c := crs[int(which)%len(crs)]
		got, ok := confirmAnswers(sc, c, text)
		if !ok {
			return
		}
		if want := goSpans(c, text); !slices.Equal(got, want) {
			t.Errorf("rule %s on %q: got %v, want %v", c.r.ID, text, got, want)
		}
	})
}

// BenchmarkConfirmCompile compiles every default rule's DFA (what a long
// scan pays once per rule it confirms).
func BenchmarkConfirmCompile(b *testing.B) {
	set, err := rules.Default()
	if err != nil {
		b.Fatal(err)
	}
	var res []*syntax.Regexp
	for _, r := range set.Rules {
		if r.Regex != "" {
			re, err := parseRegex(r.Regex)
			if err != nil {
				b.Fatal(err)
			}
			res = append(res, re)
		}
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, re := range res {
			if _, err := dfa.Compile(re); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestConfirmPathsAgree runs the whole detector with the DFAs always on
// and always off (Go's regexp alone): the matches must be the same, on
// generated matches of every default rule and on Go source.
func TestConfirmPathsAgree(t *testing.T) {
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	perRule := 4
	if testing.Short() {
		perRule = 1
	}
	rng := rand.New(rand.NewSource(11))
	var doc strings.Builder
	for _, r := range set.Rules {
		if r.Regex == "" {
			continue
		}
		re, err := parseRegex(r.Regex)
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range confirmInputs(rng, re, perRule) {
			doc.WriteString(in)
			doc.WriteString("\n")
		}
	}
	// (Not the document as one line: allowlists that look at the line would
	// run over all of it at every match, whatever the confirm stage.)
	inputs := []string{doc.String()}
	if src := goSourceForTest(t, 1<<20); src != "" {
		inputs = append(inputs, src)
	}
	run := func(dfaOn bool) [][]Match {
		saved, savedPre := dfaAfter, prefixDFAAfter
		defer func() { dfaAfter, prefixDFAAfter = saved, savedPre }()
		if dfaOn {
			dfaAfter, prefixDFAAfter = 0, 0
		} else {
			dfaAfter, prefixDFAAfter = math.MaxInt64, math.MaxInt64
		}
		d, err := Compile(set, DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		var out [][]Match
		for _, in := range inputs {
			out = append(out, d.Detect([]byte(in), Target{Path: "x.go"}))
		}
		return out
	}
	withDFA, withGo := run(true), run(false)
	total := 0
	for i := range inputs {
		total += len(withGo[i])
		if diff := cmp.Diff(spans(withGo[i]), spans(withDFA[i])); diff != "" {
			t.Errorf("input %d: matches differ (-Go regexp +DFA):\n%s", i, diff)
		}
	}
	if total < len(set.Rules) {
		t.Fatalf("only %d matches in all: the inputs prove little", total)
	}
	t.Logf("%d matches agree on %d inputs", total, len(inputs))
}

func spans(ms []Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, fmt.Sprintf("%s %d-%d secret %d-%d", m.Rule.ID, m.Start, m.End, m.SecretStart, m.SecretEnd))
	}
	return out
}

// goSourceForTest returns up to n bytes of the Go toolchain's .go files,
// or "" without a Go tree.
func goSourceForTest(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	root := filepath.Join(goroot(), "src", "net", "http")
	_ = filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || b.Len() >= n || !strings.HasSuffix(p, ".go") {
			return nil
		}
		if data, err := os.ReadFile(p); err == nil {
			b.Write(data)
		}
		return nil
	})
	return b.String()
}
