package hooks

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/internal/fake"
	"github.com/leakguard/leakguard/rules"
)

// FuzzParsePolicyConfig reads the [hooks] table of a .gitleaks.toml,
// seeded with every key it has and with the rules beside it. On any
// input: no panic; errors wrap ErrPolicyConfig and quote no secret of the
// input in full; a config read has modes "block" or "warn" only and
// agentAuthors that compile, and its policies keep the agent's stricter
// defaults where it says nothing.
func FuzzParsePolicyConfig(f *testing.F) {
	key := fake.AWSKeyID(61)
	for _, s := range []string{
		"[hooks.human]\nmode = \"warn\"\nallowMarkers = true\n[hooks.agent]\nmode = \"block\"\nfailClosed = true\ndenyBypass = true\n",
		"[hooks]\nagentAuthors = ['''^Claude <noreply@anthropic\\.com>$''', '''\\[bot\\]''']\n[hooks.audit]\npath = \"~/audit.jsonl\"\nenabled = false\n",
		"title = 'x'\n[[rules]]\nid = 'a'\nregex = '''" + key + "'''\n[hooks.human]\nfailClosed = false\n",
		"[hooks.agent]\nmode = \"" + key + "\"\n",
		"[hooks]\nagentAuthors = ['''(" + key + "''']\n",
		"[hooks]\nunknown = 1\n[hooks.human]\nmode = 3\n",
		"[hooks\nmode = \"" + key + "\n",
	} {
		f.Add([]byte(s))
	}
	set, err := rules.Default()
	if err != nil {
		f.Fatal(err)
	}
	det, err := detectors.Compile(set, detectors.DefaultOptions())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParsePolicyConfig(data)
		if err != nil {
			if !errors.Is(err, ErrPolicyConfig) {
				t.Fatalf("error does not wrap ErrPolicyConfig: %v", err)
			}
			for _, m := range det.Detect(data, detectors.Target{}) {
				s := string(data[m.SecretStart:m.SecretEnd])
				if len(s) >= 8 && strings.Contains(err.Error(), s) {
					t.Fatalf("error quotes a secret (%s) in full: %s", m.Rule.ID, strings.ReplaceAll(err.Error(), s, "<secret>"))
				}
			}
			return
		}
		for _, o := range []PolicyOverride{c.Human, c.Agent} {
			if o.Mode != nil && *o.Mode != ModeBlock && *o.Mode != ModeWarn {
				t.Fatalf("mode %q read", *o.Mode)
			}
		}
		for _, p := range c.AgentAuthors {
			if _, err := regexp.Compile(p); err != nil {
				t.Fatalf("agentAuthors %q read, does not compile", p)
			}
		}
		if c.Agent == (PolicyOverride{}) && c.Policy(true) != DefaultPolicy(true) {
			t.Fatal("an agent policy the config does not touch differs from the default")
		}
	})
}

// TestPolicyConfigErrorsQuoteNoSecret: a [hooks] mode or agentAuthors
// pattern holding a key was quoted in full in the config error, which
// reaches stderr and the audit log (found by FuzzParsePolicyConfig).
func TestPolicyConfigErrorsQuoteNoSecret(t *testing.T) {
	key := fake.AWSKeyID(62)
	for _, in := range []string{
		"[hooks.agent]\nmode = \"" + key + "\"\n",
		"[hooks]\nagentAuthors = ['''(" + key + "''']\n",
	} {
		_, err := ParsePolicyConfig([]byte(in))
		if err == nil {
			t.Fatalf("%q: no error", in)
		}
		if strings.Contains(err.Error(), key) || strings.Contains(err.Error(), key[4:]) {
			t.Errorf("error quotes the key: %s", strings.ReplaceAll(err.Error(), key, "<secret>"))
		}
	}
	if _, err := ParsePolicyConfig([]byte("[hooks.human]\nmode = \"blok\"\n")); err == nil || !strings.Contains(err.Error(), `"blok"`) {
		t.Errorf("a typo of a mode is not quoted: %v", err)
	}
}
