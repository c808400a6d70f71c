package rules

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// Errors returned by the loader, grouped so callers can test for them.
var (
	ErrNoRules = errors.New("rules: no rules")
	ErrConfig  = errors.New("rules: invalid configuration")
)

// Origin names where a rule came from.
const (
	OriginGitleaks  = "gitleaks"  // gitleaks' default configuration
	OriginLeakguard = "leakguard" // leakguard's own default rules
)

// Rule is a compiled detection rule. A Rule is immutable once loaded and
// safe for concurrent use; its regular expression is compiled the first
// time Regexp is called, so that a scan pays only for rules that become
// candidates.
type Rule struct {
	ID          string
	Description string
	// Regex is the rule's regular expression source ("" for path-only rules).
	Regex string
	// Path, when set, restricts the rule to files whose path matches it; a
	// rule with a Path and no Regex reports the file itself.
	Path        *regexp.Regexp
	SecretGroup int
	Entropy     float64
	// Keywords are lowercased; the rule is a candidate only for input that
	// contains one of them (case-insensitively). No keywords: always a
	// candidate.
	Keywords   []string
	Tags       []string
	Allowlists []*Allowlist
	Required   []Required
	SkipReport bool

	// leakguard extensions.
	Validate  string   // name of a structural validator, if any
	Examples  []string // inputs the rule must report
	Negatives []string // inputs the rule must not report
	Origin    string   // OriginGitleaks, OriginLeakguard or a config path

	// What the secret is and what to do about it (leakguard extensions;
	// gitleaks' default rules get them from gitleaks_meta.toml). All may
	// be empty for a user's rule.
	Provider string // who issues the credential ("GitHub", "DeepSeek")
	Severity string // one of Severities
	Docs     string // the provider's documentation of the credential's format
	Revoke   string // the provider's page for revoking or rotating it

	once  sync.Once
	re    *regexp.Regexp
	reErr error
}

// Required names a rule that must also match near a composite rule's
// match ([[rules.required]]).
type Required struct {
	RuleID        string
	WithinLines   *int
	WithinColumns *int
}

// Regexp returns the rule's compiled regular expression, or nil for a
// path-only rule. It panics if the expression does not compile; loaders
// validate user rules eagerly and the default set is tested, so that
// cannot happen for a Rule obtained from this package.
func (r *Rule) Regexp() *regexp.Regexp {
	if r.Regex == "" {
		return nil
	}
	r.once.Do(func() { r.re, r.reErr = regexp.Compile(r.Regex) })
	if r.reErr != nil {
		panic(fmt.Sprintf("rules: rule %s: regex: %v", r.ID, r.reErr))
	}
	return r.re
}

// IsGeneric reports whether the rule is a generic one (its id contains
// "generic", gitleaks' convention): such a rule gives way to a specific
// rule matching the same secret, and its secrets get the generic
// precision checks.
func (r *Rule) IsGeneric() bool {
	return strings.Contains(strings.ToLower(r.ID), "generic")
}

// compile compiles the regex now and reports an error naming the rule.
func (r *Rule) compile() error {
	if r.Regex == "" {
		return nil
	}
	r.once.Do(func() { r.re, r.reErr = regexp.Compile(r.Regex) })
	if r.reErr != nil {
		return fmt.Errorf("rule %q: regex: %w", r.ID, regexError(r.reErr))
	}
	if r.SecretGroup > r.re.NumSubexp() {
		return fmt.Errorf("rule %q: secretGroup: %d is more than the regex's %d groups", r.ID, r.SecretGroup, r.re.NumSubexp())
	}
	return nil
}

// clone returns a copy of r that shares nothing mutable with it.
func (r *Rule) clone() *Rule {
	c := &Rule{
		ID: r.ID, Description: r.Description, Regex: r.Regex, Path: r.Path,
		SecretGroup: r.SecretGroup, Entropy: r.Entropy,
		Keywords:   append([]string(nil), r.Keywords...),
		Tags:       append([]string(nil), r.Tags...),
		Allowlists: append([]*Allowlist(nil), r.Allowlists...),
		Required:   append([]Required(nil), r.Required...),
		SkipReport: r.SkipReport, Validate: r.Validate,
		Examples: r.Examples, Negatives: r.Negatives, Origin: r.Origin,
		Provider: r.Provider, Severity: r.Severity, Docs: r.Docs, Revoke: r.Revoke,
	}
	return c
}

// Condition says how an allowlist's checks combine.
type Condition int

// Allowlist conditions.
const (
	ConditionOr Condition = iota
	ConditionAnd
)

func (c Condition) String() string {
	if c == ConditionAnd {
		return "AND"
	}
	return "OR"
}

// Allowlist says what a rule (or every rule) must not report. Its
// regular expressions are compiled the first time they are used, so that
// loading a large configuration stays cheap.
type Allowlist struct {
	Description string
	Condition   Condition
	// Commits are lowercased commit SHAs.
	Commits map[string]struct{}
	// RegexTarget is "" (the secret), "match" or "line".
	RegexTarget string
	// StopWords are lowercased; a secret containing one is allowed.
	StopWords []string

	paths, regexes lazyRegexp
	pathList       []string
}

// lazyRegexp is an alternation of patterns compiled on first use.
type lazyRegexp struct {
	src  string // "" when there are no patterns
	once sync.Once
	re   *regexp.Regexp
}

func (l *lazyRegexp) get() *regexp.Regexp {
	if l.src == "" {
		return nil
	}
	l.once.Do(func() { l.re = regexp.MustCompile(l.src) })
	return l.re
}

// HasCommits, HasPaths, HasRegexes and HasStopWords say which checks the
// allowlist has.
func (a *Allowlist) HasCommits() bool   { return len(a.Commits) > 0 }
func (a *Allowlist) HasPaths() bool     { return a.paths.src != "" }
func (a *Allowlist) HasRegexes() bool   { return a.regexes.src != "" }
func (a *Allowlist) HasStopWords() bool { return len(a.StopWords) > 0 }

// PathPatterns returns the allowlist's path patterns, in order.
func (a *Allowlist) PathPatterns() []string { return a.pathList }

// Paths returns the alternation of the allowlist's path patterns, or nil.
func (a *Allowlist) Paths() *regexp.Regexp { return a.paths.get() }

// Regexes returns the alternation of the allowlist's regexes, or nil.
func (a *Allowlist) Regexes() *regexp.Regexp { return a.regexes.get() }

// CommitAllowed reports whether sha is one of the allowlist's commits.
func (a *Allowlist) CommitAllowed(sha string) bool {
	if sha == "" || len(a.Commits) == 0 {
		return false
	}
	_, ok := a.Commits[strings.ToLower(sha)]
	return ok
}

// PathAllowed reports whether path matches one of the allowlist's paths.
func (a *Allowlist) PathAllowed(path string) bool {
	return path != "" && a.HasPaths() && a.Paths().MatchString(path)
}

// RegexAllowed reports whether target matches one of the allowlist's
// regexes. As in gitleaks, an empty target never matches, and neither does
// a regex that matches only the empty string.
func (a *Allowlist) RegexAllowed(target []byte) bool {
	if len(target) == 0 || !a.HasRegexes() {
		return false
	}
	return len(a.Regexes().Find(target)) > 0
}

// Set is a compiled rule set: the rules in report order and the global
// allowlists.
type Set struct {
	Title       string
	Description string
	// Path is the configuration file the set was loaded from ("" for the
	// default set).
	Path       string
	Rules      []*Rule
	Allowlists []*Allowlist
}

// Rule returns the rule with the given id, or nil.
func (s *Set) Rule(id string) *Rule {
	for _, r := range s.Rules {
		if r.ID == id {
			return r
		}
	}
	return nil
}
