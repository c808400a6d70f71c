package hooks

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// Policy modes.
const (
	ModeBlock = "block" // a finding stops the commit or push
	ModeWarn  = "warn"  // findings are reported; the commit goes ahead
)

// ErrPolicyConfig is wrapped by every ParsePolicyConfig validation error.
var ErrPolicyConfig = errors.New("hooks: invalid [hooks] config")

// Policy is what a hook does with findings and with its own failures.
type Policy struct {
	Mode               string // ModeBlock or ModeWarn
	HonourAllowMarkers bool   // inline leakguard:allow / gitleaks:allow markers count
	FailClosed         bool   // an error in the hook (bad config, unreadable object) blocks
	// DenyBypass denies an agent's tool calls that switch a gate off (git
	// --no-verify, core.hooksPath overrides, leakguard hook uninstall,
	// writes to .git/hooks or to an agent's hook settings). The agent hook
	// applies it; people are never stopped by it.
	DenyBypass bool
}

// DefaultPolicy is the policy for a commit by an agent or by a person. Agents get
// the strict one: every finding blocks, allow markers added in the same commit do
// not count (an agent can write a marker as easily as a secret), and an error
// blocks. People get findings blocking and markers honoured; an error blocks
// too (a hook that could not check must not read as a pass), and a person
// can still commit or push with git's --no-verify, or set
// human = { failClosed = false } to be warned instead.
func DefaultPolicy(agent bool) Policy {
	if agent {
		return Policy{Mode: ModeBlock, HonourAllowMarkers: false, FailClosed: true, DenyBypass: true}
	}
	return Policy{Mode: ModeBlock, HonourAllowMarkers: true, FailClosed: true}
}

// Blocks reports whether findings stop the commit under p.
func (p Policy) Blocks() bool { return p.Mode != ModeWarn }

// PolicyOverride is one [hooks] sub-table; nil fields keep the default.
type PolicyOverride struct {
	Mode         *string `toml:"mode"`
	AllowMarkers *bool   `toml:"allowMarkers"`
	FailClosed   *bool   `toml:"failClosed"`
	DenyBypass   *bool   `toml:"denyBypass"`
}

// AuditConfig is the [hooks] audit table.
type AuditConfig struct {
	Path    string `toml:"path"`    // "" is DefaultAuditPath()
	Enabled *bool  `toml:"enabled"` // nil means enabled
}

// PolicyConfig is the parsed [hooks] table:
//
//	[hooks]
//	human = { mode = "block", allowMarkers = true }
//	agent = { mode = "block", allowMarkers = false, failClosed = true, denyBypass = true }
//	agentAuthors = ['^ci-bot <', '@bots\.example\.com>$']
//	audit = { path = "~/.local/state/leakguard/audit.jsonl", enabled = true }
type PolicyConfig struct {
	Human        PolicyOverride `toml:"human"`
	Agent        PolicyOverride `toml:"agent"`
	AgentAuthors []string       `toml:"agentAuthors"` // regexes on "Name <email>", for AgentSignals.Patterns
	Audit        AuditConfig    `toml:"audit"`
}

// Policy returns the policy for an agent or a person: the default with this
// config's overrides applied.
func (c PolicyConfig) Policy(agent bool) Policy {
	p := DefaultPolicy(agent)
	o := c.Human
	if agent {
		o = c.Agent
	}
	if o.Mode != nil {
		p.Mode = *o.Mode
	}
	if o.AllowMarkers != nil {
		p.HonourAllowMarkers = *o.AllowMarkers
	}
	if o.FailClosed != nil {
		p.FailClosed = *o.FailClosed
	}
	if o.DenyBypass != nil && agent {
		p.DenyBypass = *o.DenyBypass
	}
	return p
}

// quoteWord quotes s when it is a short word (a typo of a mode), and
// otherwise says only how long it is: a value pasted in the wrong place may
// be a secret.
func quoteWord(s string) string {
	if len(s) <= 12 && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_") == "" {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("a value of %d characters (not shown)", len(s))
}

// ParsePolicyConfig reads the [hooks] table from a TOML document (other tables are
// ignored) and validates it: modes are "block" or "warn", agentAuthors compile as
// regular expressions, and unknown keys inside [hooks] are errors. A document
// without [hooks] gives the zero PolicyConfig, which yields the default policies.
func ParsePolicyConfig(data []byte) (PolicyConfig, error) {
	var doc struct {
		Hooks PolicyConfig `toml:"hooks"`
	}
	md, err := toml.Decode(string(data), &doc)
	if err != nil {
		return PolicyConfig{}, fmt.Errorf("%w: %v", ErrPolicyConfig, err)
	}
	var unknown []string
	for _, k := range md.Undecoded() {
		if len(k) > 0 && k[0] == "hooks" {
			unknown = append(unknown, k.String())
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return PolicyConfig{}, fmt.Errorf("%w: unknown keys %s", ErrPolicyConfig, strings.Join(unknown, ", "))
	}
	c := doc.Hooks
	for _, t := range []struct {
		name string
		o    PolicyOverride
	}{{"hooks.human", c.Human}, {"hooks.agent", c.Agent}} {
		if t.o.Mode != nil && *t.o.Mode != ModeBlock && *t.o.Mode != ModeWarn {
			return PolicyConfig{}, fmt.Errorf("%w: %s.mode = %s, want %q or %q", ErrPolicyConfig, t.name, quoteWord(*t.o.Mode), ModeBlock, ModeWarn)
		}
	}
	for i, p := range c.AgentAuthors {
		if _, err := regexp.Compile(p); err != nil {
			// Neither the pattern nor Go's error (which quotes it) is
			// shown: errors reach stderr and the audit log.
			var se *syntax.Error
			if errors.As(err, &se) {
				err = fmt.Errorf("error parsing regexp: %s", se.Code)
			}
			return PolicyConfig{}, fmt.Errorf("%w: hooks.agentAuthors[%d] (a pattern of %d characters, not shown): %v", ErrPolicyConfig, i, len(p), err)
		}
	}
	return c, nil
}
