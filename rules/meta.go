package rules

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	toml "github.com/pelletier/go-toml/v2"
)

// Severities are the values a rule's severity may take, most severe first:
//
//	critical  the credential controls an account, its infrastructure or its
//	          money (cloud root keys, private keys, payment secret keys,
//	          source-hosting tokens that can write);
//	high      it reads or writes the account's data or spends its quota
//	          (most API keys and tokens);
//	medium    its reach is narrow (read-only, one webhook, one project's
//	          ingest key, a password hash that can be cracked offline);
//	low       it identifies more than it authorises (client ids, public
//	          keys that are meant to stay private).
var Severities = []string{"critical", "high", "medium", "low"}

func validSeverity(s string) bool { return slices.Contains(Severities, s) }

// gitleaksMetaTOML describes gitleaks' default rules, whose definitions
// come from the gitleaks module: provider, severity and the revoke page, by
// rule id.
//
//go:embed gitleaks_meta.toml
var gitleaksMetaTOML []byte

type metaSyntax struct {
	Provider string `toml:"provider"`
	Severity string `toml:"severity"`
	Docs     string `toml:"docs"`
	Revoke   string `toml:"revoke"`
}

var (
	gitleaksMetaOnce sync.Once
	gitleaksMetaV    map[string]metaSyntax
	gitleaksMetaErr  error
)

// gitleaksMeta returns the table in gitleaks_meta.toml, keyed by rule id.
func gitleaksMeta() (map[string]metaSyntax, error) {
	gitleaksMetaOnce.Do(func() {
		var t struct {
			Rules map[string]metaSyntax `toml:"rules"`
		}
		if err := toml.Unmarshal(gitleaksMetaTOML, &t); err != nil {
			gitleaksMetaErr = fmt.Errorf("gitleaks_meta.toml: %w", err)
			return
		}
		for id, m := range t.Rules {
			if m.Severity != "" && !validSeverity(m.Severity) {
				gitleaksMetaErr = fmt.Errorf("gitleaks_meta.toml: rule %q: severity %q is not one of %s", id, m.Severity, strings.Join(Severities, ", "))
				return
			}
		}
		gitleaksMetaV = t.Rules
	})
	return gitleaksMetaV, gitleaksMetaErr
}

// applyGitleaksMeta fills a rule's empty metadata fields from the table of
// gitleaks' rules, so that gitleaks' defaults, configurations that extend
// them and copies of gitleaks' configuration all carry it.
func applyGitleaksMeta(r *Rule) {
	table, err := gitleaksMeta()
	if err != nil {
		return // TestGitleaksMeta keeps the embedded table valid
	}
	m, ok := table[r.ID]
	if !ok {
		return
	}
	for _, f := range [][2]*string{{&r.Provider, &m.Provider}, {&r.Severity, &m.Severity}, {&r.Docs, &m.Docs}, {&r.Revoke, &m.Revoke}} {
		if *f[0] == "" {
			*f[0] = *f[1]
		}
	}
}

// NextStep says what to do about a finding of this rule: revoke or rotate
// the credential where its provider says, or, for a rule that cannot name
// the issuer, where it was issued.
func (r *Rule) NextStep() string {
	return NextStep(r.Provider, r.Revoke)
}

// NextStep is Rule.NextStep for a finding that carries only the rule's
// provider and revoke page.
func NextStep(provider, revoke string) string {
	what := "the credential"
	if provider != "" {
		what = "the " + provider + " credential"
	}
	if revoke != "" {
		return "revoke or rotate " + what + " (" + revoke + "), then replace it where it is used"
	}
	return "revoke or rotate " + what + " where it was issued, then replace it where it is used"
}

// CommittedNote is the general form of HistoryNote, for help text that is
// not about one finding.
const CommittedNote = "A secret that was committed or shared stays in every clone, fork and cache of the history: deleting the line or the file does not remove it, rotating it does."

// HistoryNote is what a report says about a finding in a commit: the
// secret stays in every clone and fork of the history whatever the tree
// says now.
const HistoryNote = "this secret is in git history: deleting the line (or the file) does not remove it from existing clones, forks or caches, so rotating it is the fix"
