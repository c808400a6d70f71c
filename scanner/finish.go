package scanner

import (
	"strings"
)

// Filter is the stage after detection and before the report: inline allow
// markers, the ignore file and the baseline. Every entry point applies one,
// through Scanner or through Finish; the zero Filter honours allow markers
// and nothing else.
type Filter struct {
	// Ignore suppresses findings by gitleaks fingerprint.
	Ignore *IgnoreList
	// Baseline suppresses findings already in a previous report.
	Baseline *Baseline
	// KeepMarked reports findings on lines carrying an inline allow marker
	// (the strict policy for agents: a marker added in the same change
	// does not count).
	KeepMarked bool
	// KeepMarkedFor, when set, decides per finding instead of KeepMarked
	// (a push carries people's and agents' commits).
	KeepMarkedFor func(*Finding) bool
}

// Keep reports whether f passes the filter.
func (fl *Filter) Keep(f *Finding) bool {
	if f.Marked {
		keep := fl.KeepMarked
		if fl.KeepMarkedFor != nil {
			keep = fl.KeepMarkedFor(f)
		}
		if !keep {
			return false
		}
	}
	return !fl.Ignore.Ignores(*f) && !fl.Baseline.Contains(*f)
}

// Finish filters fs, folds the findings that name one secret at one place
// into one (Dedupe) and sorts them. It reuses fs's storage.
func (fl *Filter) Finish(fs []Finding) []Finding {
	out := fs[:0]
	for i := range fs {
		if fl.Keep(&fs[i]) {
			out = append(out, fs[i])
		}
	}
	Sort(out)
	return Dedupe(out)
}

// maxNestedGroup bounds the pairwise comparison Dedupe makes between the
// findings of one fingerprint found at nested JSON places.
const maxNestedGroup = 64

// Dedupe keeps one finding per secret per place. The detector already
// folds the matches of one secret in one fragment; across fragments, the
// same secret with the same fingerprint (path, rule, line, commit) is one
// finding: an agent transcript repeats a tool's output at two JSON paths
// of one line, and a string holding JSON is scanned both as text and as
// the strings inside it, where the secret is escaped once less. Of those
// the innermost is kept. The first of exact duplicates in the input order
// is kept (sort first for a deterministic choice); the order of the rest
// is preserved. It runs in linear
// time in the number of findings.
func Dedupe(fs []Finding) []Finding {
	if len(fs) < 2 {
		return fs
	}
	type key struct{ fp, secret, where, repo string }
	seen := make(map[key]int, len(fs))
	drop := make([]bool, len(fs))
	nested := map[string][]int{}
	for i := range fs {
		f := &fs[i]
		k := key{f.Fingerprint, f.Secret, "", f.Repository}
		if f.Kind == KindHookPayload {
			// One event's strings are places of their own: a gate
			// judges the tool's input and its output apart.
			k.where = f.JSONPath
		}
		if _, ok := seen[k]; ok {
			drop[i] = true
			continue
		}
		seen[k] = i
		if f.JSONPath != "" {
			nested[f.Fingerprint] = append(nested[f.Fingerprint], i)
		}
	}
	for _, idx := range nested {
		if len(idx) < 2 || len(idx) > maxNestedGroup {
			continue
		}
		for _, i := range idx {
			for _, j := range idx {
				if i != j && !drop[j] && strings.HasPrefix(fs[j].JSONPath, fs[i].JSONPath+"#") && covers(fs[i].Secret, fs[j].Secret) {
					drop[i] = true
					break
				}
			}
		}
	}
	out := fs[:0]
	for i := range fs {
		if !drop[i] {
			out = append(out, fs[i])
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
	return strings.Contains(outer, jsonEscape(inner))
}

// jsonEscape escapes s as the inside of a JSON string.
func jsonEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 {
				b.WriteString(`\u00`)
				b.WriteByte("0123456789abcdef"[r>>4])
				b.WriteByte("0123456789abcdef"[r&15])
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}
