package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/viper"
	gitleaksconfig "github.com/zricethezav/gitleaks/v8/config"
)

// gitleaksLoad reads a config file with gitleaks' own loader (viper, then
// Translate), as `gitleaks --config` does.
func gitleaksLoad(t *testing.T, path string) gitleaksconfig.Config {
	t.Helper()
	viper.Reset()
	viper.SetConfigFile(path)
	viper.SetConfigType("toml")
	if err := viper.ReadInConfig(); err != nil {
		t.Fatal(err)
	}
	var vc gitleaksconfig.ViperConfig
	if err := viper.Unmarshal(&vc); err != nil {
		t.Fatal(err)
	}
	cfg, err := vc.Translate()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// gitleaksViews loads a config with gitleaks' loader in a child process
// (this test binary, running TestGitleaksLoadHelper): gitleaks counts
// [extend] levels in a package variable that is never reset, so a second
// load in the same process stops extending.
func gitleaksViews(t *testing.T, path string) (map[string]ruleView, []string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestGitleaksLoadHelper$")
	cmd.Env = append(os.Environ(), "LEAKGUARD_GITLEAKS_LOAD="+path)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("gitleaks loader: %v\n%s", err, out)
	}
	i := bytes.IndexByte(out, '{')
	if i < 0 {
		t.Fatalf("gitleaks loader printed no views: %s", out)
	}
	var v struct {
		Rules  map[string]ruleView
		Global []string
	}
	if err := json.NewDecoder(bytes.NewReader(out[i:])).Decode(&v); err != nil {
		t.Fatalf("gitleaks loader: %v", err)
	}
	return v.Rules, v.Global
}

// TestGitleaksLoadHelper is the child process of gitleaksViews.
func TestGitleaksLoadHelper(t *testing.T) {
	path := os.Getenv("LEAKGUARD_GITLEAKS_LOAD")
	if path == "" {
		t.Skip("run by gitleaksViews")
	}
	g := gitleaksLoad(t, path)
	views := map[string]ruleView{}
	for id, r := range g.Rules {
		v := ruleView{Description: r.Description, SecretGroup: r.SecretGroup, Entropy: r.Entropy,
			Keywords: sorted(r.Keywords), Tags: sorted(r.Tags)}
		if r.Regex != nil {
			v.Regex = r.Regex.String()
		}
		if r.Path != nil {
			v.Path = r.Path.String()
		}
		for _, a := range r.Allowlists {
			v.Allowlists = append(v.Allowlists, viewGitleaksAllowlist(a))
		}
		for _, rq := range r.RequiredRules {
			v.Required = append(v.Required, fmt.Sprintf("%s:%v:%v", rq.RuleID, deref(rq.WithinLines), deref(rq.WithinColumns)))
		}
		views[id] = v
	}
	var global []string
	for _, a := range g.Allowlists {
		global = append(global, viewGitleaksAllowlist(a))
	}
	out, err := json.Marshal(map[string]any{"Rules": views, "Global": global})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("%s\n", out)
}

// ruleView is what must agree between the two loaders for one rule.
type ruleView struct {
	Regex, Path, Description string
	SecretGroup              int
	Entropy                  float64
	Keywords, Tags           []string
	Allowlists               []string
	Required                 []string
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	if out == nil {
		out = []string{}
	}
	return out
}

func viewGitleaksAllowlist(a *gitleaksconfig.Allowlist) string {
	var res, paths []string
	for _, r := range a.Regexes {
		res = append(res, r.String())
	}
	for _, p := range a.Paths {
		paths = append(paths, p.String())
	}
	return fmt.Sprintf("cond=%v target=%q regexes=%q paths=%q stop=%q commits=%q", a.MatchCondition.String(), a.RegexTarget,
		joinOr(res), joinOr(paths), sorted(a.StopWords), sorted(a.Commits))
}

func joinOr(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return "(?:" + strings.Join(s, "|") + ")"
}

func viewAllowlist(a *Allowlist) string {
	var commits []string
	for c := range a.Commits {
		commits = append(commits, c)
	}
	return fmt.Sprintf("cond=%v target=%q regexes=%q paths=%q stop=%q commits=%q", a.Condition.String(), a.RegexTarget,
		a.regexes.src, a.paths.src, sorted(a.StopWords), sorted(commits))
}

// TestLoaderMatchesGitleaks loads user configurations with gitleaks'
// loader and with ours and compares every rule and allowlist.
func TestLoaderMatchesGitleaks(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "base.toml")
	if err := os.WriteFile(base, []byte(`
[[rules]]
id = "base-rule"
regex = '''base_[a-z0-9]{16}'''
keywords = ["base_"]
[allowlist]
paths = ['''^vendor/''']
`), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"plain rules and deprecated allowlists": `
title = "t"
[[rules]]
id = "my-token"
description = "My token"
regex = '''(?i)my_token\s*=\s*([a-z0-9]{20})'''
secretGroup = 1
entropy = 3.0
keywords = ["My_Token"]
tags = ["a", "b"]
path = '''\.env$'''
[rules.allowlist]
regexes = ['''^test''']
stopwords = ["Example", "dummy"]
[allowlist]
description = "global"
paths = ['''\.md$''', '''^docs/''']
commits = ["ABCDEF1"]
`,
		"extend default, disable and override": `
[extend]
useDefault = true
disabledRules = ["generic-api-key", "aws-access-token"]
[[rules]]
id = "github-pat"
entropy = 4.5
keywords = ["extra"]
tags = ["mine"]
[[rules.allowlists]]
condition = "AND"
regexTarget = "line"
regexes = ['''fixture''']
paths = ['''_test\.go$''']
[[allowlists]]
targetRules = ["github-pat", "slack-bot-token"]
regexTarget = "match"
regexes = ['''(?i)example''']
`,
		"extend path and composite rules": `
[extend]
path = "` + base + `"
[[rules]]
id = "primary"
regex = '''user=([a-z]{8})'''
keywords = ["user="]
[[rules.required]]
id = "secondary"
withinLines = 2
[[rules]]
id = "secondary"
regex = '''pass=([a-z]{8})'''
keywords = ["pass="]
skipReport = true
`,
	}
	for name, cfg := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".toml")
			if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
				t.Fatal(err)
			}
			want, wantGlobal := gitleaksViews(t, path)
			ours, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]ruleView{}
			for _, r := range ours.Rules {
				if _, ok := want[r.ID]; !ok && r.Origin == OriginLeakguard {
					continue // leakguard's own default rules extend gitleaks'
				}
				v := ruleView{Description: r.Description, Regex: r.Regex, SecretGroup: r.SecretGroup, Entropy: r.Entropy,
					Keywords: sorted(r.Keywords), Tags: sorted(r.Tags)}
				if r.Path != nil {
					v.Path = r.Path.String()
				}
				for _, a := range r.Allowlists {
					v.Allowlists = append(v.Allowlists, viewAllowlist(a))
				}
				for _, rq := range r.Required {
					v.Required = append(v.Required, fmt.Sprintf("%s:%v:%v", rq.RuleID, deref(rq.WithinLines), deref(rq.WithinColumns)))
				}
				got[r.ID] = v
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("rules differ from gitleaks' loader (-gitleaks +leakguard):\n%s", diff)
			}
			var gotGlobal []string
			for _, a := range ours.Allowlists {
				gotGlobal = append(gotGlobal, viewAllowlist(a))
			}
			// leakguard's default set may add global allowlists of its own
			// after gitleaks'.
			if len(gotGlobal) > len(wantGlobal) {
				gotGlobal = gotGlobal[:len(wantGlobal)]
			}
			if diff := cmp.Diff(wantGlobal, gotGlobal); diff != "" {
				t.Errorf("global allowlists differ (-gitleaks +leakguard):\n%s", diff)
			}
		})
	}
}

func deref(p *int) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprint(*p)
}

// TestBadConfigErrors checks that errors name the file, the rule and the
// field.
func TestBadConfigErrors(t *testing.T) {
	tests := []struct {
		name, cfg string
		want      []string
	}{
		{"bad regex", "[[rules]]\nid = \"r1\"\nregex = '''(unclosed'''\n", []string{"bad.toml", `rule "r1"`, "regex"}},
		{"bad secret group", "[[rules]]\nid = \"r2\"\nregex = '''a(b)'''\nsecretGroup = 3\n", []string{`rule "r2"`, "secretGroup"}},
		{"no id", "[[rules]]\nregex = '''abc'''\n", []string{"id"}},
		{"bad condition", "[[rules]]\nid = \"r3\"\nregex = '''abc'''\n[[rules.allowlists]]\ncondition = \"XOR\"\nregexes = ['''a''']\n", []string{`rule "r3"`, "condition"}},
		{"empty allowlist", "[[allowlists]]\ndescription = \"nothing\"\n", []string{"allowlists[0]"}},
		{"missing required", "[[rules]]\nid = \"r4\"\nregex = '''abc'''\n[[rules.required]]\nid = \"nope\"\n", []string{`rule "r4"`, "required", "nope"}},
		{"bad toml", "[[rules]\n", []string{"bad.toml"}},
		{"unknown target", "[[rules]]\nid = \"r5\"\nregex = '''abc'''\n[[allowlists]]\ntargetRules = [\"zzz\"]\nregexes = ['''a''']\n", []string{"targetRules", "zzz"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.cfg), "bad.toml")
			if err == nil {
				t.Fatal("got no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}
