package rules

import (
	_ "embed"
	"fmt"
	"sync"
)

// precompiledDefault is the default rule set in precompiled form,
// generated from the TOML sources by `go generate ./rules` (see
// WriteDefault); TestPrecompiledDefaultUpToDate fails when it is stale.
//
//go:embed zz_default.bin
var precompiledDefault string

var (
	defaultOnce sync.Once
	defaultV    *precompiled
	defaultErr  error
)

func loadDefault() (*precompiled, error) {
	defaultOnce.Do(func() {
		defaultV, defaultErr = decodePrecompiled(precompiledDefault)
		if defaultErr != nil {
			defaultErr = fmt.Errorf("default rules: %w", defaultErr)
		}
	})
	return defaultV, defaultErr
}

// Default returns the default rule set: gitleaks' default configuration
// followed by leakguard's own rules. It is decoded from its precompiled
// form (no TOML is parsed), once, and shared; it must not be modified.
// Rule regexes are compiled on first use.
func Default() (*Set, error) {
	p, err := loadDefault()
	if err != nil {
		return nil, err
	}
	return p.set, nil
}

// GitleaksDefault returns gitleaks' own default configuration, as embedded
// in the gitleaks module this build was generated from: the first part of
// Default's rules and global allowlists. The rules are shared with Default
// and must not be modified.
func GitleaksDefault() (*Set, error) {
	p, err := loadDefault()
	if err != nil {
		return nil, err
	}
	return &Set{
		Title:      "gitleaks config",
		Rules:      p.set.Rules[:p.gitleaksRules:p.gitleaksRules],
		Allowlists: p.set.Allowlists[:p.gitleaksAllowlists:p.gitleaksAllowlists],
	}, nil
}

func defaultSet() (*Set, error) { return Default() }
