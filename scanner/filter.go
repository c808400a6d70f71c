package scanner

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// IgnoreList holds .gitleaksignore fingerprints: path:rule:line, or
// commit:path:rule:line for findings in git history. A nil IgnoreList
// ignores nothing.
type IgnoreList struct {
	entries map[string]struct{}
}

// ParseIgnore reads a .gitleaksignore file. Blank lines and lines starting
// with # are skipped; backslashes in paths become slashes, as gitleaks
// normalises them. Malformed lines are returned as warnings.
func ParseIgnore(r io.Reader) (*IgnoreList, []string, error) {
	l := &IgnoreList{entries: map[string]struct{}{}}
	var warnings []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, ":")
		switch len(parts) {
		case 3:
			parts[0] = strings.ReplaceAll(parts[0], `\`, "/")
		case 4:
			parts[1] = strings.ReplaceAll(parts[1], `\`, "/")
		default:
			// The line is not quoted: it may be a secret pasted by mistake.
			warnings = append(warnings, fmt.Sprintf("line %d: not a fingerprint (%d fields; want path:rule:line or commit:path:rule:line)", n, len(parts)))
			continue
		}
		l.entries[strings.Join(parts, ":")] = struct{}{}
	}
	return l, warnings, sc.Err()
}

// LoadIgnore reads the ignore file at path.
func LoadIgnore(path string) (*IgnoreList, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("load ignore file %s: %w", path, err)
	}
	defer f.Close()
	l, w, err := ParseIgnore(f)
	if err != nil {
		return nil, nil, fmt.Errorf("load ignore file %s: %w", path, err)
	}
	return l, w, nil
}

// Len returns the number of fingerprints.
func (l *IgnoreList) Len() int {
	if l == nil {
		return 0
	}
	return len(l.entries)
}

// Ignores reports whether f's global or commit fingerprint is listed,
// with its path relative to the scan root (the fingerprint leakguard
// reports) or as it was given on the command line (gitleaks' shape).
func (l *IgnoreList) Ignores(f Finding) bool {
	if l == nil || len(l.entries) == 0 {
		return false
	}
	paths := []string{f.FingerprintPath()}
	if f.Path != paths[0] {
		paths = append(paths, f.Path)
	}
	for _, p := range paths {
		if _, ok := l.entries[fmt.Sprintf("%s:%s:%d", p, f.RuleID, f.StartLine)]; ok {
			return true
		}
		if f.Commit != nil && f.Commit.SHA != "" {
			if _, ok := l.entries[fmt.Sprintf("%s:%s:%s:%d", f.Commit.SHA, p, f.RuleID, f.StartLine)]; ok {
				return true
			}
		}
	}
	return false
}

// Baseline is a previous report whose findings are not reported again.
// A nil Baseline contains nothing.
type Baseline struct {
	keys map[baselineKey][]string // secrets ("" when the report was redacted)
}

type baselineKey struct {
	rule, path, commit string
	line               int
}

// baselineEntry is the subset of both report shapes a baseline needs.
type baselineEntry struct {
	// gitleaks' report shape
	RuleID    string
	File      string
	Commit    string
	StartLine int
	Secret    string
	// leakguard's JSON shape
	RuleIDL   string `json:"ruleId"`
	Path      string `json:"path"`
	StartLn   int    `json:"startLine"`
	SecretL   string `json:"secret"`
	CommitObj *struct {
		SHA string `json:"sha"`
	} `json:"commit"`
}

// ParseBaseline reads a JSON report: a gitleaks report (an array of
// findings) or a leakguard report (an object with a findings array).
func ParseBaseline(data []byte) (*Baseline, error) {
	data = bytes.TrimSpace(data)
	var raw []json.RawMessage
	switch {
	case len(data) > 0 && data[0] == '[':
		if err := json.Unmarshal(data, &raw); err != nil {
			return nil, fmt.Errorf("baseline: not a gitleaks JSON report: %w", err)
		}
	case len(data) > 0 && data[0] == '{':
		var obj struct {
			Findings []json.RawMessage `json:"findings"`
		}
		if err := json.Unmarshal(data, &obj); err != nil {
			return nil, fmt.Errorf("baseline: not a leakguard JSON report: %w", err)
		}
		raw = obj.Findings
	default:
		return nil, fmt.Errorf("baseline: not a JSON report")
	}
	b := &Baseline{keys: map[baselineKey][]string{}}
	for i, r := range raw {
		var e baselineEntry
		if err := json.Unmarshal(r, &e); err != nil {
			return nil, fmt.Errorf("baseline: finding %d: %w", i, err)
		}
		k := baselineKey{rule: e.RuleID, path: e.File, commit: e.Commit, line: e.StartLine}
		secret := e.Secret
		if e.RuleIDL != "" {
			k = baselineKey{rule: e.RuleIDL, path: e.Path, line: e.StartLn}
			if e.CommitObj != nil {
				k.commit = e.CommitObj.SHA
			}
			secret = e.SecretL
		}
		if looksRedacted(secret) {
			secret = ""
		}
		b.keys[k] = append(b.keys[k], secret)
	}
	return b, nil
}

// LoadBaseline reads the report at path.
func LoadBaseline(path string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load baseline %s: %w", path, err)
	}
	b, err := ParseBaseline(data)
	if err != nil {
		return nil, fmt.Errorf("load baseline %s: %w", path, err)
	}
	return b, nil
}

func looksRedacted(s string) bool {
	return s == "" || s == "REDACTED" || strings.Contains(s, "*****")
}

// Contains reports whether f was already in the baseline: same rule,
// path, commit and line, and the same secret unless the baseline was
// redacted. A finding that stands for several rules' matches (AlsoMatched)
// is in the baseline when any of those rules' findings is.
func (b *Baseline) Contains(f Finding) bool {
	if b == nil {
		return false
	}
	k := baselineKey{path: f.Path, line: f.StartLine}
	if f.Commit != nil {
		k.commit = f.Commit.SHA
	}
	for _, rule := range append([]string{f.RuleID}, f.AlsoMatched...) {
		k.rule = rule
		for _, s := range b.keys[k] {
			if s == "" || s == f.Secret {
				return true
			}
		}
	}
	return false
}

// Redact masks a secret for display: secrets of 12 characters or more keep
// their first 4, shorter ones keep nothing.
func Redact(secret string) string {
	if utf8.RuneCountInString(secret) >= 12 {
		i := 0
		for n := 0; n < 4; n++ {
			_, size := utf8.DecodeRuneInString(secret[i:])
			i += size
		}
		return secret[:i] + "*****"
	}
	return "*****"
}
