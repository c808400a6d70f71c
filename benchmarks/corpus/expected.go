package corpus

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"slices"
	"strings"
)

// Planted is one planted secret: the rule that must report it, and the
// file (slash path relative to the corpus root) and 1-based line where its
// match starts.
type Planted struct {
	Rule string `json:"rule"`
	File string `json:"file"`
	Line int    `json:"line"`
}

// Expected describes a generated corpus: its size and every planted secret.
// It never holds the secrets themselves.
type Expected struct {
	Seed  uint64 `json:"seed"`
	Bytes int64  `json:"bytes"`
	Files int    `json:"files"`
	// Counts is the number of planted secrets per rule id.
	Counts  map[string]int `json:"counts"`
	Total   int            `json:"total"`
	Secrets []Planted      `json:"secrets"`
}

func (e *Expected) sort() {
	slices.SortFunc(e.Secrets, func(a, b Planted) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), strings.Compare(a.Rule, b.Rule))
	})
}

// WriteFile writes e as indented JSON to name.
func (e *Expected) WriteFile(name string) error {
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return fmt.Errorf("corpus: encode expected: %w", err)
	}
	if err := os.WriteFile(name, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("corpus: write expected %s: %w", name, err)
	}
	return nil
}

// ReadExpected reads a file written by Expected.WriteFile.
func ReadExpected(name string) (*Expected, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("corpus: read expected: %w", err)
	}
	var e Expected
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, fmt.Errorf("corpus: decode expected %s: %w", name, err)
	}
	return &e, nil
}

// Recall is how many planted secrets a report found.
type Recall struct {
	Found int // planted secrets with a reported location at their file:line
	// SameRule counts those of Found reported by the planted rule.
	SameRule int
	Total    int
	// Missed lists the planted secrets not found, in Expected order.
	Missed []Planted
}

// Recall matches the report's locations against the planted secrets. A
// planted secret is found when a location has its line and a path that is
// its file or ends in "/" + its file, so reports may carry absolute paths
// or paths relative to any parent of the corpus.
func (e *Expected) Recall(locs []Location) Recall {
	byLine := map[int][]Location{}
	for _, l := range locs {
		if l.File == "" || l.Line <= 0 {
			continue
		}
		byLine[l.Line] = append(byLine[l.Line], l)
	}
	res := Recall{Total: len(e.Secrets)}
	for _, p := range e.Secrets {
		found, same := false, false
		for _, l := range byLine[p.Line] {
			f := path.Clean(strings.ReplaceAll(l.File, `\`, "/"))
			if f == p.File || strings.HasSuffix(f, "/"+p.File) {
				found = true
				same = same || l.Rule == p.Rule
			}
		}
		if found {
			res.Found++
		} else {
			res.Missed = append(res.Missed, p)
		}
		if same {
			res.SameRule++
		}
	}
	return res
}
