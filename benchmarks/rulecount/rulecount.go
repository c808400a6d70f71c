// Package rulecount builds rule sets of a given size for the benchmark of
// throughput against the number of rules (benchmarks/rulecount.sh and
// BenchmarkRuleCount): the first n rules of leakguard's default set, and,
// past its size, copies of its rules whose literal letters are permuted.
//
// A copy keeps its rule's shape (classes, counts, alternations, secret
// group, entropy) and gets new literals and keywords, as a rule for a new
// provider would: the letters of every literal in its regex and of its
// keywords go through one random permutation of the alphabet (upper case
// follows lower case), so each keyword still occurs in the regex where it
// did. Copies have no allowlists.
package rulecount

import (
	"fmt"
	"math/rand"
	"regexp/syntax"
	"strings"

	"github.com/leakguard/leakguard/rules"
)

// Set returns a rule set of n rules: the default set's first n, then
// copies (see the package comment), made from seed.
func Set(n int, seed int64) (*rules.Set, error) {
	def, err := rules.Default()
	if err != nil {
		return nil, err
	}
	out := &rules.Set{Title: fmt.Sprintf("%d rules", n), Allowlists: def.Allowlists}
	for _, r := range def.Rules {
		if len(out.Rules) == n {
			return out, nil
		}
		out.Rules = append(out.Rules, r)
	}
	out.Rules = append(out.Rules, Copies(def.Rules, n-len(out.Rules), seed)...)
	return out, nil
}

// Copies returns n copies of base's rules that have a regex and keywords,
// taken in turn.
func Copies(base []*rules.Rule, n int, seed int64) []*rules.Rule {
	var src []*rules.Rule
	for _, r := range base {
		if r.Regex != "" && len(r.Keywords) > 0 && len(r.Required) == 0 && !r.SkipReport {
			src = append(src, r)
		}
	}
	rng := rand.New(rand.NewSource(seed))
	var out []*rules.Rule
	for i := 0; len(out) < n && len(src) > 0; i++ {
		b := src[i%len(src)]
		perm := rng.Perm(26)
		c, ok := copyRule(b, perm, len(out))
		if ok {
			out = append(out, c)
		}
	}
	return out
}

func mapRune(perm []int, r rune) rune {
	switch {
	case 'a' <= r && r <= 'z':
		return 'a' + rune(perm[r-'a'])
	case 'A' <= r && r <= 'Z':
		return 'A' + rune(perm[r-'A'])
	}
	return r
}

func mapLiterals(perm []int, re *syntax.Regexp) {
	if re.Op == syntax.OpLiteral {
		for i, r := range re.Rune {
			re.Rune[i] = mapRune(perm, r)
		}
	}
	for _, s := range re.Sub {
		mapLiterals(perm, s)
	}
}

func copyRule(b *rules.Rule, perm []int, k int) (*rules.Rule, bool) {
	re, err := syntax.Parse(b.Regex, syntax.Perl)
	if err != nil {
		return nil, false
	}
	mapLiterals(perm, re)
	c := &rules.Rule{
		ID:          fmt.Sprintf("%s-copy-%d", b.ID, k),
		Description: "copy of " + b.ID + " with permuted literals",
		Regex:       re.String(),
		SecretGroup: b.SecretGroup,
		Entropy:     b.Entropy,
		Origin:      "rulecount",
	}
	for _, kw := range b.Keywords {
		c.Keywords = append(c.Keywords, strings.Map(func(r rune) rune { return mapRune(perm, r) }, kw))
	}
	return c, true
}

// WriteConfig writes a gitleaks-schema configuration whose rules are
// Set(n, seed)'s: the default set (extended, with the rules past the n-th
// disabled) and the copies.
func WriteConfig(w *strings.Builder, n int, seed int64) error {
	set, err := Set(n, seed)
	if err != nil {
		return err
	}
	def, err := rules.Default()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "title = %q\n\n[extend]\nuseDefault = true\n", set.Title)
	if n < len(def.Rules) {
		w.WriteString("disabledRules = [\n")
		for _, r := range def.Rules[n:] {
			fmt.Fprintf(w, "    %q,\n", r.ID)
		}
		w.WriteString("]\n")
	}
	for _, r := range set.Rules {
		if r.Origin != "rulecount" {
			continue
		}
		fmt.Fprintf(w, "\n[[rules]]\nid = %q\ndescription = %q\nregex = '''%s'''\n", r.ID, r.Description, r.Regex)
		if r.SecretGroup > 0 {
			fmt.Fprintf(w, "secretGroup = %d\n", r.SecretGroup)
		}
		if r.Entropy > 0 {
			fmt.Fprintf(w, "entropy = %g\n", r.Entropy)
		}
		w.WriteString("keywords = [")
		for i, k := range r.Keywords {
			if i > 0 {
				w.WriteString(", ")
			}
			fmt.Fprintf(w, "%q", k)
		}
		w.WriteString("]\n")
	}
	return nil
}
