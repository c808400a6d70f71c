package rules

import (
	"embed"
	"fmt"
	"io"
	"io/fs"
	"sort"
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

//go:generate go run ./internal/gendefault -o zz_default.bin

// WriteDefault builds the default rule set from its sources, gitleaks'
// default configuration (its TOML text, gitleaksConfig) and leakguard's
// own rule files embedded in this package, and writes its precompiled
// form, which Default decodes. It is what `go generate ./rules` runs.
func WriteDefault(w io.Writer, gitleaksConfig string) error {
	s, ng, na, err := buildDefault(gitleaksConfig)
	if err != nil {
		return err
	}
	_, err = w.Write(appendPrecompiled(nil, s, ng, na))
	return err
}

// buildDefault parses the default set's sources: gitleaks' configuration,
// then leakguard's own files in load order (ownSources, so every
// rules/catalog/*.toml file is included). It returns the set and how many
// of its rules and global allowlists are gitleaks'.
func buildDefault(gitleaksConfig string) (s *Set, gitleaksRules, gitleaksAllowlists int, err error) {
	g, err := parse([]byte(gitleaksConfig), OriginGitleaks, maxExtendDepth)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("gitleaks default config: %w", err)
	}
	own, names, err := ownRuleSets()
	if err != nil {
		return nil, 0, 0, err
	}
	s = &Set{Title: "leakguard default rules", Allowlists: g.Allowlists}
	seen := map[string]string{}
	for _, r := range g.Rules {
		seen[r.ID] = "gitleaks"
		s.Rules = append(s.Rules, r)
	}
	for i, o := range own {
		for _, r := range o.Rules {
			if by, dup := seen[r.ID]; dup {
				return nil, 0, 0, fmt.Errorf("leakguard default rules: %s: rule %q: id: also defined by %s", names[i], r.ID, by)
			}
			seen[r.ID] = names[i]
			s.Rules = append(s.Rules, r)
		}
		s.Allowlists = append(s.Allowlists, o.Allowlists...)
	}
	return s, len(g.Rules), len(g.Allowlists), nil
}
