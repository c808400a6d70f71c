package rules

import (
	_ "embed"
	"fmt"
	"sync"

	gitleaksconfig "github.com/zricethezav/gitleaks/v8/config"
)

// leakguardRules holds leakguard's own rules, loaded on top of gitleaks'
// defaults.
//
//go:embed leakguard.toml
var leakguardRules []byte

var (
	defaultOnce sync.Once
	defaultSetV *Set
	defaultErr  error
)

// GitleaksDefault compiles gitleaks' own default configuration, as embedded
// in the gitleaks module this build depends on.
func GitleaksDefault() (*Set, error) {
	return parse([]byte(gitleaksconfig.DefaultConfig), OriginGitleaks, maxExtendDepth)
}

// Default returns the default rule set: gitleaks' default configuration
// followed by leakguard's own rules. The set is built once and shared; it
// must not be modified.
func Default() (*Set, error) {
	defaultOnce.Do(func() { defaultSetV, defaultErr = buildDefault() })
	return defaultSetV, defaultErr
}

func defaultSet() (*Set, error) { return Default() }

func buildDefault() (*Set, error) {
	g, err := GitleaksDefault()
	if err != nil {
		return nil, fmt.Errorf("gitleaks default config: %w", err)
	}
	own, err := parse(leakguardRules, OriginLeakguard, maxExtendDepth)
	if err != nil {
		return nil, fmt.Errorf("leakguard default rules: %w", err)
	}
	s := &Set{Title: "leakguard default rules", Allowlists: g.Allowlists}
	seen := map[string]bool{}
	for _, r := range g.Rules {
		seen[r.ID] = true
		s.Rules = append(s.Rules, r)
	}
	for _, r := range own.Rules {
		if seen[r.ID] {
			return nil, fmt.Errorf("leakguard default rules: rule %q: id: also defined by gitleaks", r.ID)
		}
		s.Rules = append(s.Rules, r)
	}
	s.Allowlists = append(s.Allowlists, own.Allowlists...)
	return s, nil
}
