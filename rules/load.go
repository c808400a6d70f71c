package rules

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	toml "github.com/pelletier/go-toml/v2"
)

// maxExtendDepth is how many configs deep [extend] may go, as in gitleaks.
const maxExtendDepth = 2

// Parse compiles a configuration file's TOML. name is used in errors and as
// the rules' Origin; dir resolves a relative [extend] path (gitleaks
// resolves it against the working directory, so dir is usually "").
func Parse(data []byte, name string) (*Set, error) {
	return parse(data, name, 0)
}

// Load reads and compiles the configuration file at path.
func Load(path string) (*Set, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load rules %s: %w", path, err)
	}
	s, err := Parse(data, path)
	if err != nil {
		return nil, err
	}
	s.Path = path
	return s, nil
}

func parse(data []byte, name string, depth int) (*Set, error) {
	var fs fileSyntax
	if err := unmarshalTOML(data, &fs); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrConfig, name, err)
	}
	s, err := translate(&fs, name, depth)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrConfig, name, err)
	}
	return s, nil
}

// unmarshalTOML is toml.Unmarshal, with the decoder's panics on some
// malformed input (go-toml v2.2.3 panics on "[[rules.00]]") turned into an
// error: a bad config is an error to report, never a crash of the gate
// reading it. The panic's text names no part of the input.
func unmarshalTOML(data []byte, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed TOML (the decoder failed: %v)", r)
		}
	}()
	return toml.Unmarshal(data, v)
}

// translate mirrors gitleaks' ViperConfig.Translate: rules, allowlists,
// extension and validation, in the same order and with the same merge
// semantics.
func translate(fs *fileSyntax, name string, depth int) (*Set, error) {
	s := &Set{Title: fs.Title, Description: fs.Description}
	eager := name != OriginGitleaks && name != OriginLeakguard
	byID := map[string]*Rule{}
	targeted := map[string][]*Allowlist{}
	var order []string

	for i := range fs.Rules {
		vr := &fs.Rules[i]
		r := &Rule{
			ID: vr.ID, Description: vr.Description, Regex: vr.Regex,
			SecretGroup: vr.SecretGroup, Entropy: vr.Entropy,
			Tags: vr.Tags, SkipReport: vr.SkipReport,
			Validate: vr.Validate, Examples: vr.Examples, Negatives: vr.Negatives,
			Origin:   name,
			Provider: vr.Provider, Severity: strings.ToLower(vr.Severity), Docs: vr.Docs, Revoke: vr.Revoke,
		}
		applyGitleaksMeta(r)
		id := vr.ID
		if strings.TrimSpace(id) == "" {
			id = fmt.Sprintf("#%d", i+1)
		}
		if r.Severity != "" && !validSeverity(r.Severity) {
			return nil, fmt.Errorf("rule %q: severity: %q is not one of %s", id, vr.Severity, strings.Join(Severities, ", "))
		}
		for _, ts := range [][]string{vr.Examples, vr.Negatives} {
			for _, t := range ts {
				_, body := SplitPath(t)
				if _, err := Expand(body, ""); err != nil {
					return nil, fmt.Errorf("rule %q: %v", id, err)
				}
			}
		}
		if vr.Path != "" {
			p, err := regexp.Compile(vr.Path)
			if err != nil {
				return nil, fmt.Errorf("rule %q: path: %v", id, regexError(err))
			}
			r.Path = p
		}
		for _, k := range vr.Keywords {
			r.Keywords = append(r.Keywords, strings.ToLower(k))
		}
		if vr.AllowList != nil {
			if len(vr.Allowlists) > 0 {
				return nil, fmt.Errorf("rule %q: allowlist: [rules.allowlist] is deprecated and cannot be used alongside [[rules.allowlists]]", id)
			}
			vr.Allowlists = append(vr.Allowlists, vr.AllowList)
		}
		for j, a := range vr.Allowlists {
			al, err := compileAllowlist(a, eager)
			if err != nil {
				return nil, fmt.Errorf("rule %q: allowlists[%d]: %v", id, j, err)
			}
			r.Allowlists = append(r.Allowlists, al)
		}
		for _, rq := range vr.Required {
			if rq.ID == "" {
				return nil, fmt.Errorf("rule %q: required: rule id is empty", id)
			}
			r.Required = append(r.Required, Required{RuleID: rq.ID, WithinLines: rq.WithinLines, WithinColumns: rq.WithinColumns})
		}
		if _, dup := byID[r.ID]; !dup {
			order = append(order, r.ID)
		}
		byID[r.ID] = r
	}
	for _, id := range order {
		for _, rq := range byID[id].Required {
			if _, ok := byID[rq.RuleID]; !ok {
				return nil, fmt.Errorf("rule %q: required: rule id %q does not exist", id, rq.RuleID)
			}
		}
	}

	if fs.AllowList != nil {
		if len(fs.Allowlists) > 0 {
			return nil, errors.New("allowlist: [allowlist] is deprecated and cannot be used alongside [[allowlists]]")
		}
		fs.Allowlists = append(fs.Allowlists, *fs.AllowList)
	}
	for i := range fs.Allowlists {
		ga := &fs.Allowlists[i]
		al, err := compileAllowlist(&ga.allowlistSyntax, eager)
		if err != nil {
			return nil, fmt.Errorf("allowlists[%d]: %v", i, err)
		}
		if len(ga.TargetRules) > 0 {
			for _, id := range ga.TargetRules {
				targeted[id] = append(targeted[id], al)
			}
		} else {
			s.Allowlists = append(s.Allowlists, al)
		}
	}

	if depth < maxExtendDepth {
		ext := fs.Extend
		if ext.Path != "" && ext.UseDefault {
			return nil, errors.New("extend: path and useDefault cannot both be set")
		}
		var base *Set
		switch {
		case ext.UseDefault:
			d, err := defaultSet()
			if err != nil {
				return nil, err
			}
			base = d
		case ext.Path != "":
			data, err := os.ReadFile(ext.Path)
			if err != nil {
				return nil, fmt.Errorf("extend: path: %v", err)
			}
			b, err := parse(data, ext.Path, depth+1)
			if err != nil {
				return nil, fmt.Errorf("extend: path: %v", err)
			}
			base = b
		}
		if base != nil {
			order = extend(byID, order, &s.Allowlists, base, ext.DisabledRules)
		}
	}

	for _, id := range order {
		s.Rules = append(s.Rules, byID[id])
	}
	if depth == 0 {
		for _, r := range s.Rules {
			if err := validateRule(r); err != nil {
				return nil, err
			}
		}
		ids := make([]string, 0, len(targeted))
		for id := range targeted {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			r, ok := byID[id]
			if !ok {
				return nil, fmt.Errorf("allowlists: targetRules: rule id %q does not exist", id)
			}
			r.Allowlists = append(r.Allowlists, targeted[id]...)
		}
	}
	return s, nil
}

// extend merges base into the rules being loaded the way gitleaks'
// Config.extend does: base rules are added unless disabled; a rule defined
// in both is the base rule with the current one's non-zero fields on top
// and its tags, keywords and allowlists appended. Global allowlists are
// appended, and the rule order is sorted by id afterwards, as gitleaks does.
func extend(byID map[string]*Rule, order []string, allow *[]*Allowlist, base *Set, disabled []string) []string {
	off := map[string]bool{}
	for _, id := range disabled {
		off[id] = true
	}
	for _, b := range base.Rules {
		if off[b.ID] {
			continue
		}
		cur, ok := byID[b.ID]
		if !ok {
			byID[b.ID] = b.clone()
			order = append(order, b.ID)
			continue
		}
		m := b.clone()
		if cur.Description != "" {
			m.Description = cur.Description
		}
		if cur.Entropy != 0 {
			m.Entropy = cur.Entropy
		}
		if cur.SecretGroup != 0 {
			m.SecretGroup = cur.SecretGroup
		}
		if cur.Regex != "" {
			m.Regex = cur.Regex
		}
		if cur.Path != nil {
			m.Path = cur.Path
		}
		for _, f := range [][2]*string{{&m.Provider, &cur.Provider}, {&m.Severity, &cur.Severity}, {&m.Docs, &cur.Docs}, {&m.Revoke, &cur.Revoke}} {
			if *f[1] != "" {
				*f[0] = *f[1]
			}
		}
		m.Tags = append(m.Tags, cur.Tags...)
		m.Keywords = append(m.Keywords, cur.Keywords...)
		m.Allowlists = append(m.Allowlists, cur.Allowlists...)
		m.Origin = cur.Origin
		byID[b.ID] = m
	}
	*allow = append(*allow, base.Allowlists...)
	sort.Strings(order)
	return order
}

func validateRule(r *Rule) error {
	if strings.TrimSpace(r.ID) == "" {
		return fmt.Errorf("rule with description %q: id: missing or empty", r.Description)
	}
	if r.Regex == "" && r.Path == nil {
		return fmt.Errorf("rule %q: regex: both regex and path are empty, the rule would have no effect", r.ID)
	}
	// The default rules are compiled lazily (and tested); user rules now.
	if r.Origin == OriginGitleaks || r.Origin == OriginLeakguard {
		return nil
	}
	return r.compile()
}

func compileAllowlist(a *allowlistSyntax, eager bool) (*Allowlist, error) {
	if a == nil { // an empty table the TOML decoder left nil ([[rules.Allowlists]])
		return nil, errors.New("must contain at least one check for: commits, paths, regexes, or stopwords")
	}
	al := &Allowlist{Description: a.Description}
	switch strings.ToUpper(a.Condition) {
	case "AND", "&&":
		al.Condition = ConditionAnd
	case "", "OR", "||":
		al.Condition = ConditionOr
	default:
		return nil, fmt.Errorf("condition: unknown %q (expected \"and\" or \"or\")", a.Condition)
	}
	switch a.RegexTarget {
	case "", "secret":
	case "match", "line":
		al.RegexTarget = a.RegexTarget
	default:
		return nil, fmt.Errorf("regexTarget: unknown %q (expected \"match\" or \"line\")", a.RegexTarget)
	}
	if len(a.Commits) == 0 && len(a.Paths) == 0 && len(a.Regexes) == 0 && len(a.StopWords) == 0 {
		return nil, errors.New("must contain at least one check for: commits, paths, regexes, or stopwords")
	}
	if len(a.Commits) > 0 {
		al.Commits = map[string]struct{}{}
		for _, c := range a.Commits {
			al.Commits[strings.TrimSpace(strings.ToLower(c))] = struct{}{}
		}
	}
	var err error
	al.pathList = append([]string(nil), a.Paths...)
	if al.paths.src, err = joinRegexes(a.Paths, eager); err != nil {
		return nil, fmt.Errorf("paths: %v", err)
	}
	if al.regexes.src, err = joinRegexes(a.Regexes, eager); err != nil {
		return nil, fmt.Errorf("regexes: %v", err)
	}
	seen := map[string]bool{}
	for _, w := range a.StopWords {
		w = strings.ToLower(w)
		if !seen[w] {
			seen[w] = true
			al.StopWords = append(al.StopWords, w)
		}
	}
	sort.Strings(al.StopWords)
	return al, nil
}

// joinRegexes joins patterns into one alternation, as gitleaks does. With
// eager set (user configurations) each pattern is compiled now so that an
// error names it; the default rules are compiled on first use (and
// tested).
func joinRegexes(patterns []string, eager bool) (string, error) {
	if len(patterns) == 0 {
		return "", nil
	}
	if eager {
		for i, p := range patterns {
			if _, err := regexp.Compile(p); err != nil {
				return "", fmt.Errorf("entry %d of %d: %v", i+1, len(patterns), regexError(err))
			}
		}
	}
	return "(?:" + strings.Join(patterns, "|") + ")", nil
}

// Find returns the configuration file a scan of root should use, the way
// gitleaks finds one: an explicit path, then $LEAKGUARD_CONFIG (or
// $GITLEAKS_CONFIG), then .leakguard.toml or .gitleaks.toml at the scan
// root. It returns "" when the default set applies.
func Find(explicit, root string) string {
	return FindEnv(explicit, root, os.Getenv)
}

// FindEnv is Find with the environment given as a function.
func FindEnv(explicit, root string, getenv func(string) string) string {
	if explicit != "" {
		return explicit
	}
	for _, env := range []string{"LEAKGUARD_CONFIG", "GITLEAKS_CONFIG"} {
		if p := getenv(env); p != "" {
			return p
		}
	}
	if root == "" {
		return ""
	}
	if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
		return ""
	}
	for _, n := range []string{".leakguard.toml", ".gitleaks.toml"} {
		p := filepath.Join(root, n)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	return ""
}

// Resolve loads the configuration Find names, or the default set.
func Resolve(explicit, root string) (*Set, error) {
	return ResolveEnv(explicit, root, os.Getenv)
}

// ResolveEnv is Resolve with the environment given as a function.
func ResolveEnv(explicit, root string, getenv func(string) string) (*Set, error) {
	if p := FindEnv(explicit, root, getenv); p != "" {
		return Load(p)
	}
	return Default()
}
