package detectors

import (
	"flag"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"regexp/syntax"
	"sort"
	"strings"
	"testing"

	"github.com/spf13/viper"
	gitleaksconfig "github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/detect"

	"github.com/leakguard/leakguard/rules"
)

var fullTree = flag.Bool("full-tree", false, "run the differential test over the whole Go source tree")

// oracle returns gitleaks' own detector over its default config, loaded
// through its own loader, with decoding off.
func oracle(t testing.TB) *detect.Detector {
	t.Helper()
	v := viper.New()
	v.SetConfigType("toml")
	if err := v.ReadConfig(strings.NewReader(gitleaksconfig.DefaultConfig)); err != nil {
		t.Fatal(err)
	}
	var vc gitleaksconfig.ViperConfig
	if err := v.Unmarshal(&vc); err != nil {
		t.Fatal(err)
	}
	cfg, err := vc.Translate()
	if err != nil {
		t.Fatal(err)
	}
	d := detect.NewDetector(cfg)
	d.MaxDecodeDepth = 0
	return d
}

func ours(t testing.TB) *Detector {
	t.Helper()
	set, err := rules.GitleaksDefault()
	if err != nil {
		t.Fatal(err)
	}
	d, err := Compile(set, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

type key struct {
	rule, secret string
	line         int
}

// compare runs both detectors over input and returns the gitleaks findings
// leakguard missed, and the number gitleaks reported.
func compare(t testing.TB, o *detect.Detector, d *Detector, input string) (missed []key, total int) {
	t.Helper()
	got := map[key]bool{}
	sc := newScratch(len(d.rules))
	data := []byte(input)
	// A match stands for the other rules' matches of its secret (Also):
	// gitleaks reports those separately.
	for _, m := range d.Detect(data, Target{}) {
		for _, x := range append([]Match{m}, m.Also...) {
			line, _ := sc.position(data, x.Start)
			got[key{x.Rule.ID, string(data[x.SecretStart:x.SecretEnd]), line}] = true
		}
	}
	for _, f := range o.DetectString(input) {
		total++
		k := key{f.RuleID, f.Secret, f.StartLine}
		if !got[k] {
			missed = append(missed, k)
		}
	}
	return missed, total
}

// generatedInputs builds, for every default rule, strings its regex
// matches, in several contexts, plus documents that put them near long
// lines and window edges.
func generatedInputs(t testing.TB, perRule int) []string {
	set, err := rules.GitleaksDefault()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	prefixes := []string{"", "x = ", "\t\"", "token: '", "export API_KEY=", "{\"auth\": \""}
	suffixes := []string{"", "\n", "\"\n", "';\n", " // done\n"}
	var inputs []string
	var doc strings.Builder
	for _, r := range set.Rules {
		if r.Regex == "" {
			continue
		}
		re, err := syntax.Parse(r.Regex, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < perRule; i++ {
			var b strings.Builder
			genMatch(rng, re, &b)
			s := prefixes[rng.Intn(len(prefixes))] + b.String() + suffixes[rng.Intn(len(suffixes))]
			inputs = append(inputs, s)
			doc.WriteString(s)
			if rng.Intn(3) == 0 {
				doc.WriteString(strings.Repeat("filler text without much in it ", rng.Intn(200)))
			}
			doc.WriteString("\n")
		}
	}
	inputs = append(inputs, doc.String())
	// The same document as one minified line.
	inputs = append(inputs, strings.ReplaceAll(doc.String(), "\n", " "))
	return inputs
}

func TestDifferentialGenerated(t *testing.T) {
	o, d := oracle(t), ours(t)
	perRule := 8
	if testing.Short() {
		perRule = 2
	}
	var missed []key
	total := 0
	for _, in := range generatedInputs(t, perRule) {
		m, n := compare(t, o, d, in)
		missed = append(missed, m...)
		total += n
	}
	report(t, "generated", missed, total)
}

func TestDifferentialGoSource(t *testing.T) {
	root := filepath.Join(goroot(), "src")
	limit := 8 << 20
	if *fullTree {
		limit = 1 << 40
	} else if testing.Short() {
		limit = 1 << 20
	}
	o, d := oracle(t), ours(t)
	pool := generatedInputs(t, 2)
	pool = pool[:len(pool)-2] // the two whole documents
	rng := rand.New(rand.NewSource(2))
	var missed []key
	total, bytes := 0, 0
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || bytes >= limit {
			return nil
		}
		if !strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, ".txt") && !strings.HasSuffix(p, ".s") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		bytes += len(b)
		// Plant generated matches in the real text: between lines and in
		// the middle of lines.
		text := string(b)
		for i := 0; i < 3 && len(text) > 0; i++ {
			at := rng.Intn(len(text))
			if rng.Intn(2) == 0 {
				if j := strings.IndexByte(text[at:], '\n'); j >= 0 {
					at += j + 1
				}
			}
			text = text[:at] + pool[rng.Intn(len(pool))] + text[at:]
		}
		m, n := compare(t, o, d, text)
		for _, k := range m {
			t.Logf("%s: %v", p, k)
		}
		missed = append(missed, m...)
		total += n
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("scanned %d bytes of Go source", bytes)
	report(t, "go-source", missed, total)
}

func report(t *testing.T, name string, missed []key, total int) {
	t.Helper()
	agree := total - len(missed)
	t.Logf("%s: gitleaks reported %d findings; leakguard reported %d of them (%.2f%%)", name, total, agree, 100*float64(agree)/float64(max(total, 1)))
	if len(missed) > 0 {
		sort.Slice(missed, func(i, j int) bool { return fmt.Sprint(missed[i]) < fmt.Sprint(missed[j]) })
		for i, k := range missed {
			if i == 30 {
				break
			}
			t.Errorf("missed %s on line %d: %q", k.rule, k.line, k.secret)
		}
		t.Errorf("%s: %d of %d gitleaks findings missed", name, len(missed), total)
	}
}
