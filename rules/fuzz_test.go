package rules_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/internal/fake"
	"github.com/leakguard/leakguard/rules"
)

var (
	fuzzDetOnce sync.Once
	fuzzDet     *detectors.Detector
	fuzzDetErr  error
)

func defaultDetector(t testing.TB) *detectors.Detector {
	t.Helper()
	fuzzDetOnce.Do(func() {
		set, err := rules.Default()
		if err != nil {
			fuzzDetErr = err
			return
		}
		fuzzDet, fuzzDetErr = detectors.Compile(set, detectors.DefaultOptions())
	})
	if fuzzDetErr != nil {
		t.Fatal(fuzzDetErr)
	}
	return fuzzDet
}

// configSeeds are .gitleaks.toml shapes users write: rules with every
// field, allowlists (global, per rule, targeted, the deprecated forms),
// [[rules.required]], [extend], and configs that do not load, with fake
// keys (built here) where users paste them: in an allowlist's regexes and
// stop words, in a rule's examples, in a regex that does not compile.
func configSeeds() []string {
	key, pat := fake.AWSKeyID(11), fake.GitHubPAT(12)
	return []string{
		`title = "mine"
[extend]
useDefault = true
disabledRules = ["generic-api-key"]
[[rules]]
id = "internal-token"
description = "Internal token"
regex = '''(?i)\b(itk_[a-z0-9]{32})\b'''
secretGroup = 1
entropy = 3.5
keywords = ["itk_"]
tags = ["internal"]
examples = ['t = "itk_` + fake.Alnum(13, 32) + `"']
[[rules.allowlists]]
condition = "AND"
regexTarget = "line"
regexes = ['''test''']
paths = ['''(^|/)testdata/''']
stopwords = ["example"]
`,
		`[[allowlists]]
description = "known"
regexes = ['''` + key + `''']
stopwords = ["` + pat + `"]
commits = ["0123456789abcdef0123456789abcdef01234567"]
[[allowlists]]
targetRules = ["aws-access-token"]
paths = ['''\.md$''']
`,
		`[allowlist]
description = "deprecated global"
regexes = ['''^dummy''']
[[rules]]
id = "r"
regex = '''k=([A-Z0-9]{20})'''
secretGroup = 1
[rules.allowlist]
regexes = ['''AAAA''']
[[rules]]
id = "composite"
regex = '''secret=(\w+)'''
[[rules.required]]
id = "r"
withinLines = 2
withinColumns = 40
`,
		`[[rules]]
id = "path-only"
path = '''(^|/)id_rsa$'''
`,
		"[[rules]]\nid = \"bad\"\nregex = '''(" + key + "'''\n",
		"[[rules]]\nid = \"bad-allow\"\nregex = '''x'''\n[[rules.allowlists]]\nregexes = ['''[" + pat + "''']\n",
		"[extend]\npath = \"does-not-exist.toml\"\n",
		"[[rules]\nid = \"" + key + "\n",
		"title = 3\n",
	}
}

// FuzzParse feeds configuration files to the loader. On any input: no
// panic, errors wrap ErrConfig, and no secret of the input is quoted in
// full in an error (errors reach stderr and the audit log); a config that
// loads has rules with ids, unique, whose regexes compile, and compiles
// into a detector.
func FuzzParse(f *testing.F) {
	for _, s := range configSeeds() {
		f.Add([]byte(s))
	}
	det := defaultDetector(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		stop := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("Parse runs over 10 s on %d bytes", len(data))) })
		defer stop.Stop()
		set, err := rules.Parse(data, "fuzz.toml")
		if err != nil {
			if !errors.Is(err, rules.ErrConfig) {
				t.Fatalf("error does not wrap ErrConfig: %v", err)
			}
			for _, m := range det.Detect(data, detectors.Target{}) {
				s := string(data[m.SecretStart:m.SecretEnd])
				if m.Encoding != "" {
					s = string(m.DecodedSecret)
				}
				if len(s) >= 8 && strings.Contains(err.Error(), s) {
					t.Fatalf("error quotes a secret (%s) in full: %s", m.Rule.ID, strings.ReplaceAll(err.Error(), s, "<secret>"))
				}
			}
			return
		}
		ids := map[string]bool{}
		for _, r := range set.Rules {
			if r.ID == "" {
				t.Fatal("a rule with no id loaded")
			}
			if ids[r.ID] {
				t.Fatalf("rule %q loaded twice", r.ID)
			}
			ids[r.ID] = true
			if r.Regex == "" && r.Path == nil {
				t.Fatalf("rule %q has neither regex nor path", r.ID)
			}
			r.Regexp() // panics if a regex got through uncompiled
		}
		if _, err := detectors.Compile(set, detectors.DefaultOptions()); err != nil && !errors.Is(err, rules.ErrNoRules) {
			t.Fatalf("loaded, but does not compile: %v", err)
		}
	})
}

// TestParseArrayTableWithIndexKey: "[[rules.00]]" made the TOML decoder
// panic (go-toml v2.2.3, found by FuzzParse); it is a config error.
func TestParseArrayTableWithIndexKey(t *testing.T) {
	for _, in := range []string{"[[rules.00]]", "[[rules.0]]\n[[rules.0]]", "[[allowlists.1]]"} {
		_, err := rules.Parse([]byte(in), "bad.toml")
		if !errors.Is(err, rules.ErrConfig) {
			t.Errorf("%q: got %v, want ErrConfig", in, err)
		}
	}
}

// TestParseNilAllowlistTable: a [[rules.Allowlists]] table (capital A,
// empty) decodes to a nil entry; it is a config error, not a panic (found
// by FuzzParse in CI).
func TestParseNilAllowlistTable(t *testing.T) {
	for _, in := range []string{
		"[[rules]]\nid = \"x\"\nregex = \"a\"\n[[rules.Allowlists]]",
		"    [[rules]]  #0\n[[rules.Allowlists]]",
		"[[Allowlists]]",
	} {
		_, err := rules.Parse([]byte(in), "bad.toml")
		if !errors.Is(err, rules.ErrConfig) {
			t.Errorf("%q: got %v, want ErrConfig", in, err)
		}
	}
}
