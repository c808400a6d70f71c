package rules

import "testing"

// TestKeysAnyCase: gitleaks reads keys through viper, which ignores their
// case; so do we.
func TestKeysAnyCase(t *testing.T) {
	s, err := Parse([]byte(`
[[rules]]
ID = "x"
Regex = '''a(b+)'''
SECRETGROUP = 1
Keywords = ["A"]
[[rules.Allowlists]]
StopWords = ["bb"]
RegexTarget = "match"
Regexes = ['''zzz''']
`), "case.toml")
	if err != nil {
		t.Fatal(err)
	}
	r := s.Rule("x")
	if r == nil || r.SecretGroup != 1 || len(r.Keywords) != 1 || r.Keywords[0] != "a" {
		t.Fatalf("got rule %+v", r)
	}
	if len(r.Allowlists) != 1 || len(r.Allowlists[0].StopWords) != 1 || r.Allowlists[0].RegexTarget != "match" || !r.Allowlists[0].HasRegexes() {
		t.Fatalf("got allowlists %+v", r.Allowlists)
	}
}
