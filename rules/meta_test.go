package rules

import (
	"strings"
	"testing"
)

// TestGitleaksMetaCoversGitleaksRules: the table names every gitleaks
// default rule and nothing else, so that an upgrade that adds or renames a
// rule is noticed.
func TestGitleaksMetaCoversGitleaksRules(t *testing.T) {
	table, err := gitleaksMeta()
	if err != nil {
		t.Fatal(err)
	}
	g, err := GitleaksDefault()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range g.Rules {
		seen[r.ID] = true
		if _, ok := table[r.ID]; !ok {
			t.Errorf("gitleaks rule %q has no entry in gitleaks_meta.toml", r.ID)
		}
		if r.Severity == "" {
			t.Errorf("gitleaks rule %q: no severity after loading", r.ID)
		}
		if r.Provider != "" && !strings.HasPrefix(r.Revoke, "https://") {
			t.Errorf("gitleaks rule %q names provider %q but no https revoke page", r.ID, r.Provider)
		}
	}
	for id := range table {
		if !seen[id] {
			t.Errorf("gitleaks_meta.toml: %q is not a gitleaks default rule", id)
		}
	}
}

// TestDefaultRulesCarryMetadata: every default rule has a severity, and
// every rule of the catalog names its provider, cites the documentation of
// the format and links the provider's revoke page.
func TestDefaultRulesCarryMetadata(t *testing.T) {
	srcs, err := ownSources()
	if err != nil {
		t.Fatal(err)
	}
	sets, names, err := ownRuleSets()
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) != len(srcs) {
		t.Fatalf("%d sets for %d files", len(sets), len(srcs))
	}
	for i, s := range sets {
		catalog := strings.HasPrefix(names[i], "catalog/")
		for _, r := range s.Rules {
			if !validSeverity(r.Severity) && (catalog || r.Severity != "") {
				t.Errorf("%s: rule %s: severity %q", names[i], r.ID, r.Severity)
			}
			if !catalog {
				continue
			}
			if r.Provider == "" {
				t.Errorf("%s: rule %s: no provider", names[i], r.ID)
			}
			if !strings.HasPrefix(r.Docs, "https://") {
				t.Errorf("%s: rule %s: docs %q is not an https link to the format's documentation", names[i], r.ID, r.Docs)
			}
			if r.Revoke != "" && !strings.HasPrefix(r.Revoke, "https://") {
				t.Errorf("%s: rule %s: revoke %q is not an https link", names[i], r.ID, r.Revoke)
			}
		}
	}
}

func TestSeverityIsValidated(t *testing.T) {
	_, err := Parse([]byte(`
[[rules]]
id = "x"
regex = '''x'''
severity = "urgent"
`), "bad.toml")
	if err == nil || !strings.Contains(err.Error(), "severity") {
		t.Fatalf("got %v, want a severity error", err)
	}
	s, err := Parse([]byte(`
[[rules]]
id = "x"
regex = '''x'''
severity = "HIGH"
provider = "Acme"
revoke = "https://acme.example/keys"
`), "ok.toml")
	if err != nil {
		t.Fatal(err)
	}
	if r := s.Rule("x"); r.Severity != "high" || r.NextStep() != "revoke or rotate the Acme credential (https://acme.example/keys), then replace it where it is used" {
		t.Errorf("got severity %q, next step %q", r.Severity, r.NextStep())
	}
}

// TestCopiedGitleaksRuleGetsMetadata: a user's copy of a gitleaks rule (a
// .gitleaks.toml written from gitleaks' defaults) gets the table's
// metadata; a user's own rule does not.
func TestCopiedGitleaksRuleGetsMetadata(t *testing.T) {
	s, err := Parse([]byte(`
[[rules]]
id = "github-pat"
regex = '''ghp_[0-9a-zA-Z]{36}'''
[[rules]]
id = "mine"
regex = '''mine_[a-z]{8}'''
`), "user.toml")
	if err != nil {
		t.Fatal(err)
	}
	if r := s.Rule("github-pat"); r.Provider != "GitHub" || r.Revoke == "" {
		t.Errorf("github-pat: provider %q, revoke %q", r.Provider, r.Revoke)
	}
	if r := s.Rule("mine"); r.Provider != "" || r.Severity != "" {
		t.Errorf("mine: provider %q, severity %q", r.Provider, r.Severity)
	}
}
