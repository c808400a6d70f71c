package rules

import (
	"bufio"
	"bytes"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/detectors/validate"
)

// These tests check leakguard's own rules as data, at the regex level plus
// what the rule itself declares (secret group, entropy, allowlists, the
// global allowlists): every example is reported and every negative is not.
// Validators and the keyword prefilter are the detector's; `leakguard rules
// check` runs examples through the whole detector.

// shannon is the Shannon entropy of s in bits per character, computed the
// way gitleaks computes a secret's entropy.
func shannon(s string) float64 {
	if s == "" {
		return 0
	}
	counts := map[rune]int{}
	for _, r := range s {
		counts[r]++
	}
	var e float64
	for _, c := range counts {
		p := float64(c) / float64(len(s))
		e -= p * math.Log2(p)
	}
	return e
}

// allowed reports whether the allowlist allows a finding with this secret,
// match and line. Commits and paths never apply to examples.
func allowed(a *Allowlist, secret, match, line string) bool {
	target := secret
	switch a.RegexTarget {
	case "match":
		target = match
	case "line":
		target = line
	}
	var checks []bool
	if a.HasCommits() {
		checks = append(checks, false)
	}
	if a.HasPaths() {
		checks = append(checks, false)
	}
	if a.HasRegexes() {
		checks = append(checks, a.RegexAllowed([]byte(target)))
	}
	if a.HasStopWords() {
		stop := false
		for _, w := range a.StopWords {
			if strings.Contains(strings.ToLower(secret), w) {
				stop = true
			}
		}
		checks = append(checks, stop)
	}
	if len(checks) == 0 {
		return false
	}
	for _, c := range checks {
		if c && a.Condition == ConditionOr {
			return true
		}
		if !c && a.Condition == ConditionAnd {
			return false
		}
	}
	return a.Condition == ConditionAnd
}

type exampleFinding struct{ match, secret string }

// findings returns what rule r reports on input, after its secret group,
// entropy, allowlists, the global allowlists and its validator.
func findings(r *Rule, global []*Allowlist, input string) []exampleFinding {
	var out []exampleFinding
	re := r.Regexp()
	for _, loc := range re.FindAllStringSubmatchIndex(input, -1) {
		match := input[loc[0]:loc[1]]
		secret := match
		if g := r.SecretGroup; g > 0 && 2*g+1 < len(loc) && loc[2*g] >= 0 {
			secret = input[loc[2*g]:loc[2*g+1]]
		}
		if r.Entropy != 0 && shannon(secret) <= r.Entropy {
			continue
		}
		lineStart := strings.LastIndexByte(input[:loc[0]], '\n') + 1
		lineEnd := len(input)
		if i := strings.IndexByte(input[loc[1]:], '\n'); i >= 0 {
			lineEnd = loc[1] + i
		}
		line := input[lineStart:lineEnd]
		skip := false
		for _, a := range append(append([]*Allowlist(nil), r.Allowlists...), global...) {
			if allowed(a, secret, match, line) {
				skip = true
				break
			}
		}
		if f, ok := validate.Lookup(r.Validate); ok && r.Validate != "" && f([]byte(secret)) == validate.Invalid {
			skip = true
		}
		if !skip {
			out = append(out, exampleFinding{match: match, secret: secret})
		}
	}
	return out
}

// ownRules returns leakguard's own rules (leakguard.toml and the catalog)
// as one set, and the default set's global allowlists.
func ownRules(t *testing.T) (*Set, []*Allowlist) {
	t.Helper()
	sets, _, err := ownRuleSets()
	if err != nil {
		t.Fatal(err)
	}
	own := &Set{}
	for _, s := range sets {
		own.Rules = append(own.Rules, s.Rules...)
		own.Allowlists = append(own.Allowlists, s.Allowlists...)
	}
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return own, def.Allowlists
}

// ownFiles returns leakguard's own rule files, for the tests that read
// them as text.
func ownFiles(t *testing.T) []ownSource {
	t.Helper()
	srcs, err := ownSources()
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) < 2 {
		t.Fatalf("got %d rule files, want leakguard.toml and the catalog", len(srcs))
	}
	return srcs
}

func TestLeakguardRuleExamples(t *testing.T) {
	own, global := ownRules(t)
	if len(own.Rules) == 0 {
		t.Fatal("leakguard.toml has no rules")
	}
	for _, r := range own.Rules {
		t.Run(r.ID, func(t *testing.T) {
			if err := r.compile(); err != nil {
				t.Fatal(err)
			}
			if len(r.Keywords) == 0 && r.Regex != "" {
				t.Error("no keywords")
			}
			for _, k := range r.Keywords {
				if k != strings.ToLower(k) {
					t.Errorf("keyword %q is not lower case", k)
				}
			}
			if len(r.Examples) == 0 || len(r.Negatives) == 0 {
				t.Errorf("got %d examples and %d negatives, want at least one of each", len(r.Examples), len(r.Negatives))
			}
			if r.Regex == "" {
				return // path-only: the detector's (rules check)
			}
			examples, err := r.ExampleCases()
			if err != nil {
				t.Fatal(err)
			}
			negatives, err := r.NegativeCases()
			if err != nil {
				t.Fatal(err)
			}
			for _, ex := range examples {
				if r.Path != nil && !r.Path.MatchString(ex.Path) {
					t.Errorf("example at path %q does not match the rule's path", ex.Path)
					continue
				}
				fs := findings(r, global, ex.Text)
				if len(fs) == 0 {
					t.Errorf("example not reported: %q", ex.Text)
					continue
				}
				for _, f := range fs {
					if !containsKeyword(f.match, r.Keywords) {
						t.Errorf("match %q contains none of the keywords %q", f.match, r.Keywords)
					}
				}
			}
			for _, neg := range negatives {
				if r.Path != nil && !r.Path.MatchString(neg.Path) {
					continue // the detector does not run the rule there
				}
				if fs := findings(r, global, neg.Text); len(fs) > 0 {
					t.Errorf("negative reported: %q (secret %q)", neg.Text, fs[0].secret)
				}
			}
		})
	}
}

func containsKeyword(match string, keywords []string) bool {
	m := strings.ToLower(match)
	for _, k := range keywords {
		if strings.Contains(m, k) {
			return true
		}
	}
	return false
}

// TestLeakguardRuleIDsAreOwn checks that no own rule reuses a gitleaks id.
func TestLeakguardRuleIDsAreOwn(t *testing.T) {
	own, _ := ownRules(t)
	g, err := GitleaksDefault()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range own.Rules {
		if g.Rule(r.ID) != nil {
			t.Errorf("rule %q is also a gitleaks rule", r.ID)
		}
		if seen[r.ID] {
			t.Errorf("rule %q is defined twice", r.ID)
		}
		seen[r.ID] = true
	}
}

// TestLeakguardExampleLinesAreTemplates keeps the repository clean under a
// scan: every line of an examples array is a template (its fake secret is
// generated when the rule is checked) or ends with the allow marker.
func TestLeakguardExampleLinesAreTemplates(t *testing.T) {
	for _, src := range ownFiles(t) {
		sc := bufio.NewScanner(bytes.NewReader(src.data))
		sc.Buffer(nil, 1<<20)
		in := false
		n := 0
		for sc.Scan() {
			n++
			l := strings.TrimSpace(sc.Text())
			switch {
			case strings.HasPrefix(l, "examples = ["):
				in = true
			case in && l == "]":
				in = false
			case in && !IsTemplate(l) && !strings.HasSuffix(l, "# leakguard:allow"):
				t.Errorf("%s:%d: example line is neither a template nor marked # leakguard:allow", src.name, n)
			}
		}
	}
}

// TestPlaceholderAllowlistCopiesMatch checks that the placeholder
// allowlist, repeated per rule, is the same everywhere.
func TestPlaceholderAllowlistCopiesMatch(t *testing.T) {
	own, _ := ownRules(t)
	var want *regexp.Regexp
	n := 0
	for _, r := range own.Rules {
		for _, a := range r.Allowlists {
			if !strings.HasPrefix(a.Description, "placeholders,") {
				continue
			}
			n++
			if want == nil {
				want = a.Regexes()
				continue
			}
			if a.Regexes().String() != want.String() {
				t.Errorf("rule %q: placeholder allowlist differs from the first copy", r.ID)
			}
		}
	}
	if n < 2 {
		t.Errorf("found %d placeholder allowlists, want several", n)
	}
}

// TestAllowlistRegexFlagsAreScoped guards against a gitleaks quirk that
// leakguard keeps for compatibility: an allowlist's regexes are joined into
// one alternation, so a leading (?i) in one of them switches on
// case-insensitivity for every regex after it. Own rules scope flags with
// (?i:...) instead.
func TestAllowlistRegexFlagsAreScoped(t *testing.T) {
	for _, src := range ownFiles(t) {
		allowlistFlagsScoped(t, src)
	}
}

func allowlistFlagsScoped(t *testing.T, src ownSource) {
	sc := bufio.NewScanner(bytes.NewReader(src.data))
	sc.Buffer(nil, 1<<20)
	inRegexes, n := false, 0
	for sc.Scan() {
		n++
		l := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(l, "regexes = ["):
			inRegexes = true
			if strings.Contains(l, "'''(?i)") {
				t.Errorf("%s:%d: allowlist regex starts with a bare (?i)", src.name, n)
			}
			if strings.HasSuffix(l, "]") {
				inRegexes = false
			}
		case inRegexes && l == "]":
			inRegexes = false
		case inRegexes && strings.HasPrefix(l, "'''(?i)"):
			t.Errorf("%s:%d: allowlist regex starts with a bare (?i)", src.name, n)
		}
	}
}
