package precision

import (
	"fmt"
	"io"
	"path"
	"regexp"
	"sort"
	"strings"
)

// Shape names the alphabet and length class of a secret, for grouping.
func Shape(s string) string {
	var lower, upper, digit, other bool
	hex := true
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z':
			lower = true
			if c > 'f' {
				hex = false
			}
		case c >= 'A' && c <= 'Z':
			upper = true
			if c > 'F' {
				hex = false
			}
		case c >= '0' && c <= '9':
			digit = true
		default:
			other = true
			hex = false
		}
	}
	n := len(s)
	size := "short"
	switch {
	case n >= 64:
		size = "64+"
	case n >= 32:
		size = "32+"
	case n >= 16:
		size = "16+"
	}
	switch {
	case strings.Contains(s, "\n"):
		return "multiline"
	case hex && digit && n >= 16:
		return fmt.Sprintf("hex%d", n)
	case identRE.MatchString(s):
		return "identifier"
	case !other && lower && upper && digit:
		return "alnum-" + size
	case !other:
		return "word-" + size
	}
	return "mixed-" + size
}

var identRE = regexp.MustCompile(`^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*[,;]?$`)

// PathClass says where in a repository a file is: test, testdata, docs,
// vendor or src.
func PathClass(p string) string {
	lp := strings.ToLower(p)
	base := path.Base(lp)
	switch {
	case strings.Contains(lp, "/vendor/") || strings.HasPrefix(lp, "vendor/") || strings.Contains(lp, "node_modules/"):
		return "vendor"
	case strings.Contains("/"+lp, "/testdata/") || strings.Contains("/"+lp, "/fixtures/") || strings.Contains("/"+lp, "/__fixtures__/") || strings.Contains("/"+lp, "/__snapshots__/"):
		return "testdata"
	case strings.HasSuffix(base, "_test.go") || strings.Contains("/"+lp, "/test/") || strings.Contains("/"+lp, "/tests/") ||
		strings.Contains(base, ".test.") || strings.Contains(base, ".spec.") || strings.HasPrefix(base, "test_"):
		return "test"
	case strings.HasSuffix(base, ".md") || strings.HasSuffix(base, ".rst") || strings.HasSuffix(base, ".txt") || strings.Contains("/"+lp, "/docs/") || strings.Contains("/"+lp, "/doc/"):
		return "docs"
	}
	return "src"
}

// Pattern is the group a finding is reviewed in: rule, path class, secret
// shape and what precedes the secret on its line (words lower-cased,
// digits as 0), so that `pwd: absWork,` and `pwd: oldDir,` fall together.
func Pattern(f Finding) string {
	lead := f.Text
	first := strings.SplitN(f.Secret, "\n", 2)[0]
	if i := strings.Index(lead, first); i >= 0 && first != "" {
		lead = lead[:i]
	}
	lead = strings.TrimSpace(lead)
	if len(lead) > 24 {
		lead = lead[len(lead)-24:]
	}
	lead = digitRE.ReplaceAllString(strings.ToLower(lead), "0")
	return f.Rule + " | " + PathClass(f.Path) + " | " + Shape(f.Secret) + " | " + lead
}

var digitRE = regexp.MustCompile(`[0-9]+`)

// Mask shows the first four bytes of a secret and hides the rest.
func Mask(s string) string {
	if len(s) <= 4 {
		return strings.Repeat("*", len(s))
	}
	return s[:4] + strings.Repeat("*", min(len(s)-4, 8))
}

// PrintGroups writes the findings grouped by Pattern, largest groups
// first, with up to samples lines of each (secrets masked).
func PrintGroups(w io.Writer, fs []Finding, samples int) {
	groups := map[string][]Finding{}
	for _, f := range fs {
		p := Pattern(f)
		groups[p] = append(groups[p], f)
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if len(groups[keys[i]]) != len(groups[keys[j]]) {
			return len(groups[keys[i]]) > len(groups[keys[j]])
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		g := groups[k]
		tools := map[string]int{}
		for _, f := range g {
			tools[f.Tool]++
		}
		fmt.Fprintf(w, "== %d  %s  (leakguard %d, gitleaks %d)\n", len(g), k, tools["leakguard"], tools["gitleaks"])
		for i, f := range g {
			if i == samples {
				fmt.Fprintf(w, "   ... %d more\n", len(g)-samples)
				break
			}
			text := strings.TrimSpace(f.Text)
			if first := strings.SplitN(f.Secret, "\n", 2)[0]; first != "" {
				text = strings.ReplaceAll(text, first, Mask(first))
			}
			if len(text) > 140 {
				text = text[:140] + "..."
			}
			fmt.Fprintf(w, "   %s %s:%d  %s\n", f.Tool[:2], f.Path, f.Line, text)
		}
	}
}
