package transcript

import (
	"strings"

	"github.com/leakguard/leakguard/scanner"
)

// Dedupe drops the findings that a string holding JSON repeats from the
// strings inside it: when the same rule finds the same secret on the same
// line both in a string and inside the JSON that string holds (where it is
// escaped once more), only the inner, more precise, finding is kept. Order
// is preserved.
func Dedupe(fs []scanner.Finding) []scanner.Finding {
	type key struct {
		path, rule string
		line       int
	}
	groups := map[key][]int{}
	for i, f := range fs {
		k := key{f.Path, f.RuleID, f.JSONLine}
		groups[k] = append(groups[k], i)
	}
	drop := make([]bool, len(fs))
	for _, idx := range groups {
		if len(idx) < 2 {
			continue
		}
		for _, i := range idx {
			for _, j := range idx {
				if i != j && strings.HasPrefix(fs[j].JSONPath, fs[i].JSONPath+"#") && covers(fs[i].Secret, fs[j].Secret) {
					drop[i] = true
				}
			}
		}
	}
	out := fs[:0]
	for i, f := range fs {
		if !drop[i] {
			out = append(out, f)
		}
	}
	return out
}

// covers reports whether outer, a secret found in a string holding JSON,
// holds inner, found inside that JSON, as it is or escaped as JSON.
func covers(outer, inner string) bool {
	if inner == "" || strings.Contains(outer, inner) {
		return true
	}
	q := AppendQuoted(nil, []byte(inner))
	return strings.Contains(outer, string(q[1:len(q)-1]))
}
