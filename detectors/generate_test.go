package detectors

import (
	"bytes"
	"go/format"
	"os"
	"testing"

	"github.com/leakguard/leakguard/detectors/keywords"
	"github.com/leakguard/leakguard/rules"
)

// TestDefaultAnalysesUpToDate fails when zz_default_analysis.go no longer
// matches the default rules (after a gitleaks upgrade or a change to
// rules/leakguard.toml or to the analysis): run `go generate ./detectors`.
func TestDefaultAnalysesUpToDate(t *testing.T) {
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteDefaultAnalyses(&buf, set); err != nil {
		t.Fatal(err)
	}
	want, err := format.Source(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("zz_default_analysis.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("zz_default_analysis.go is stale: run go generate ./rules ./detectors")
	}
	// And the table gives what analysis would.
	for _, r := range set.Rules {
		if r.Regex == "" {
			continue
		}
		kws := ruleKeywords(r)
		a, ok := generatedAnalysis(analysisKey(r.Regex, kws))
		if !ok {
			t.Errorf("rule %s: no generated analysis", r.ID)
			continue
		}
		b := analyzeRuleNow(r.Regex, kws)
		if a.multiline != b.multiline || a.maxLen != b.maxLen || a.byKeyword != b.byKeyword || len(a.anchors) != len(b.anchors) {
			t.Errorf("rule %s: generated analysis differs", r.ID)
		}
	}
}

// TestDefaultKeywordsUpToDate fails when zz_default_keywords.bin no
// longer matches the default rules' keyword automaton: run
// `go generate ./detectors`. It also checks that Compile loads it.
func TestDefaultKeywordsUpToDate(t *testing.T) {
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteDefaultKeywords(&buf, set); err != nil {
		t.Fatal(err)
	}
	if buf.String() != defaultKeywords {
		t.Fatal("zz_default_keywords.bin is stale: run go generate ./rules ./detectors")
	}
	d, err := Compile(set, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keywords.Load(defaultKeywords, d.patterns); err != nil {
		t.Fatalf("the generated automaton does not load: %v", err)
	}
	// A set with one more keyword builds its own automaton.
	if _, err := keywords.Load(defaultKeywords, append(d.patterns[:len(d.patterns):len(d.patterns)], "one-more")); err == nil {
		t.Fatal("the generated automaton loaded for other patterns")
	}
}

// TestOwnRulesAnchorOnKeywords: every rule of leakguard's own set must be
// anchored by its keywords (each match holds one), so that it is gated and
// windowed like gitleaks' and gets the suffix check; a keyword list that
// misses one spelling the regex allows (privatekey next to private_key)
// breaks that silently.
func TestOwnRulesAnchorOnKeywords(t *testing.T) {
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range set.Rules {
		if r.Origin != rules.OriginLeakguard || r.Regex == "" {
			continue
		}
		a := analyzeRuleNow(r.Regex, ruleKeywords(r))
		if !a.byKeyword {
			t.Errorf("rule %s: some match of its regex holds none of its keywords %q", r.ID, r.Keywords)
		}
	}
}
