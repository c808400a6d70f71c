package corpus

import (
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strings"
)

// Location is where a scanner reported a finding.
type Location struct {
	Rule string
	File string
	Line int
}

// Field names accepted for each part of a Location, compared without case
// and without '_': gitleaks writes RuleID/File/StartLine; other reports use
// rule_id, path, line and similar.
var (
	ruleKeys = []string{"ruleid", "rule"}
	fileKeys = []string{"file", "path"}
	lineKeys = []string{"startline", "line"}
)

// ParseReport reads a JSON report: either an array of finding objects (as
// gitleaks writes) or an object with a "findings" array. It returns one
// Location per finding; parts a finding lacks (a stdin finding has no file)
// stay zero, so len(result) is the number of findings.
func ParseReport(r io.Reader) ([]Location, error) {
	var raw json.RawMessage
	if err := json.NewDecoder(r).Decode(&raw); err != nil {
		return nil, fmt.Errorf("corpus: decode report: %w", err)
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		var obj map[string]json.RawMessage
		if err2 := json.Unmarshal(raw, &obj); err2 != nil {
			return nil, fmt.Errorf("corpus: decode report: want an array or an object: %w", err)
		}
		f, ok := lookup(obj, []string{"findings"})
		if !ok {
			return nil, fmt.Errorf("corpus: decode report: object has no findings array")
		}
		if string(f) != "null" {
			if err := json.Unmarshal(f, &items); err != nil {
				return nil, fmt.Errorf("corpus: decode report findings: %w", err)
			}
		}
	}
	locs := make([]Location, 0, len(items))
	for _, it := range items {
		// A part of another JSON type stays zero, like a missing one.
		var l Location
		if v, ok := lookup(it, fileKeys); ok {
			_ = json.Unmarshal(v, &l.File)
		}
		if v, ok := lookup(it, lineKeys); ok {
			_ = json.Unmarshal(v, &l.Line)
		}
		if v, ok := lookup(it, ruleKeys); ok {
			_ = json.Unmarshal(v, &l.Rule)
		}
		locs = append(locs, l)
	}
	return locs, nil
}

// lookup returns the value of the first of keys present in m, matching
// names without case and '_'.
func lookup(m map[string]json.RawMessage, keys []string) (json.RawMessage, bool) {
	for _, k := range keys {
		for name, v := range m {
			if strings.ReplaceAll(strings.ToLower(name), "_", "") == k {
				return v, true
			}
		}
	}
	return nil, false
}

// Covered counts the locations of want (with a file and line) that got
// also holds, comparing cleaned paths and lines, whatever the rule: how
// much of one scanner's report another one reproduces. It returns the
// count and the number of such locations in want, each counted once.
func Covered(want, got []Location) (found, total int) {
	type place struct {
		file string
		line int
	}
	key := func(l Location) place { return place{path.Clean(strings.ReplaceAll(l.File, `\`, "/")), l.Line} }
	have := map[place]bool{}
	for _, l := range got {
		have[key(l)] = true
	}
	seen := map[place]bool{}
	for _, l := range want {
		k := key(l)
		if l.File == "" || l.Line <= 0 || seen[k] {
			continue
		}
		seen[k] = true
		total++
		if have[k] {
			found++
		}
	}
	return found, total
}
