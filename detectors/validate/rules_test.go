package validate_test

import (
	"testing"

	"github.com/leakguard/leakguard/detectors/validate"
	"github.com/leakguard/leakguard/rules"
)

// TestDefaultRuleValidators checks that every validator named by a default
// rule (its validate field, or ForRule for gitleaks' ids) exists, and that
// each example of a rule with a validator yields a Valid secret.
func TestDefaultRuleValidators(t *testing.T) {
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	withValidator := 0
	for _, r := range set.Rules {
		name := r.Validate
		if name == "" {
			name = validate.ForRule(r.ID)
		}
		if name == "" {
			continue
		}
		withValidator++
		f, ok := validate.Lookup(name)
		if !ok {
			t.Errorf("rule %q: validator %q is not registered", r.ID, name)
			continue
		}
		re := r.Regexp()
		cases, err := r.ExampleCases() // examples are templates (rules.Expand)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			ex := c.Text
			m := re.FindStringSubmatch(ex)
			if m == nil {
				t.Errorf("rule %q: example does not match: %q", r.ID, ex)
				continue
			}
			secret := m[0]
			if r.SecretGroup > 0 && r.SecretGroup < len(m) {
				secret = m[r.SecretGroup]
			}
			if got := f([]byte(secret)); got != validate.Valid {
				t.Errorf("rule %q: example secret %.12q...: got %v, want valid", r.ID, secret, got)
			}
		}
	}
	if withValidator < 10 {
		t.Errorf("got %d default rules with a validator, want at least 10", withValidator)
	}
}
