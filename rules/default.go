package rules

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"sync"

	gitleaksconfig "github.com/zricethezav/gitleaks/v8/config"
)

// leakguardRules holds leakguard's own rules, loaded on top of gitleaks'
// defaults.
//
//go:embed leakguard.toml
var leakguardRules []byte

// catalogFS holds leakguard's rule catalog, one file per domain (ai.toml,
// cloud.toml, ...), loaded after leakguard.toml in file-name order.
//
//go:embed catalog/*.toml
var catalogFS embed.FS

// ownSource is one file of leakguard's own rules.
type ownSource struct {
	name string // "leakguard.toml", "catalog/ai.toml"
	data []byte
}

// ownSources returns leakguard's own rule files in load order.
func ownSources() ([]ownSource, error) {
	out := []ownSource{{name: "leakguard.toml", data: leakguardRules}}
	names, err := fs.Glob(catalogFS, "catalog/*.toml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for _, n := range names {
		data, err := catalogFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, ownSource{name: n, data: data})
	}
	return out, nil
}

// ownRuleSets parses each of leakguard's own rule files.
func ownRuleSets() ([]*Set, []string, error) {
	srcs, err := ownSources()
	if err != nil {
		return nil, nil, err
	}
	var sets []*Set
	var names []string
	for _, src := range srcs {
		s, err := parse(src.data, OriginLeakguard, maxExtendDepth)
		if err != nil {
			return nil, nil, fmt.Errorf("leakguard default rules: %s: %w", src.name, err)
		}
		sets = append(sets, s)
		names = append(names, src.name)
	}
	return sets, names, nil
}

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
	own, names, err := ownRuleSets()
	if err != nil {
		return nil, err
	}
	s := &Set{Title: "leakguard default rules", Allowlists: g.Allowlists}
	seen := map[string]string{}
	for _, r := range g.Rules {
		seen[r.ID] = "gitleaks"
		s.Rules = append(s.Rules, r)
	}
	for i, o := range own {
		for _, r := range o.Rules {
			if by, dup := seen[r.ID]; dup {
				return nil, fmt.Errorf("leakguard default rules: %s: rule %q: id: also defined by %s", names[i], r.ID, by)
			}
			seen[r.ID] = names[i]
			s.Rules = append(s.Rules, r)
		}
		s.Allowlists = append(s.Allowlists, o.Allowlists...)
	}
	return s, nil
}
