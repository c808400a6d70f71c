package precision

import (
	"fmt"
	"io"
	"sort"
)

// Count is the labels of one tool's findings for one rule (or in total).
type Count struct {
	Findings, Real, Fixture, FP int
}

func (c *Count) add(label string) {
	c.Findings++
	switch label {
	case Real:
		c.Real++
	case Fixture:
		c.Fixture++
	case FP:
		c.FP++
	}
}

// FPRate is the share of findings that are not secrets.
func (c Count) FPRate() float64 {
	if c.Findings == 0 {
		return 0
	}
	return float64(c.FP) / float64(c.Findings)
}

// Tally counts labels per tool and rule; the rule "" holds the tool's total.
func Tally(ls []Label) map[string]map[string]*Count {
	t := map[string]map[string]*Count{}
	for _, l := range ls {
		if t[l.Tool] == nil {
			t[l.Tool] = map[string]*Count{"": {}}
		}
		if t[l.Tool][l.Rule] == nil {
			t[l.Tool][l.Rule] = &Count{}
		}
		t[l.Tool][l.Rule].add(l.Label)
		t[l.Tool][""].add(l.Label)
	}
	return t
}

// PrintTable writes the per-rule table as Markdown: one row per tool and
// rule with at least min findings or a false positive, most findings
// first, the other rules in one row, and each tool's total.
func PrintTable(w io.Writer, ls []Label, min int) {
	t := Tally(ls)
	fmt.Fprintln(w, "| tool | rule | findings | real | fixture/example | false positive | FP rate |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|")
	for _, tool := range []string{"leakguard", "gitleaks"} {
		rs := t[tool]
		if rs == nil {
			continue
		}
		var ids []string
		for id := range rs {
			if id != "" {
				ids = append(ids, id)
			}
		}
		sort.Slice(ids, func(i, j int) bool {
			a, b := rs[ids[i]], rs[ids[j]]
			if a.Findings != b.Findings {
				return a.Findings > b.Findings
			}
			return ids[i] < ids[j]
		})
		other, n := &Count{}, 0
		for _, id := range ids {
			c := rs[id]
			if c.Findings >= min || c.FP > 0 {
				row(w, tool, "`"+id+"`", c)
				continue
			}
			n++
			other.Findings += c.Findings
			other.Real += c.Real
			other.Fixture += c.Fixture
			other.FP += c.FP
		}
		if n > 0 {
			row(w, tool, fmt.Sprintf("%d other rules", n), other)
		}
		row(w, tool, "**all rules**", rs[""])
	}
}

func row(w io.Writer, tool, rule string, c *Count) {
	fmt.Fprintf(w, "| %s | %s | %d | %d | %d | %d | %.1f%% |\n", tool, rule, c.Findings, c.Real, c.Fixture, c.FP, 100*c.FPRate())
}

// PrintRepos writes one row per label file: each tool's findings and false
// positives.
func PrintRepos(w io.Writer, names []string, sets [][]Label) {
	fmt.Fprintln(w, "| material | leakguard findings | leakguard false positives | gitleaks findings | gitleaks false positives |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|")
	for i, ls := range sets {
		t := Tally(ls)
		var lg, gl Count
		if c := t["leakguard"][""]; c != nil {
			lg = *c
		}
		if c := t["gitleaks"][""]; c != nil {
			gl = *c
		}
		fmt.Fprintf(w, "| %s | %d | %d | %d | %d |\n", names[i], lg.Findings, lg.FP, gl.Findings, gl.FP)
	}
}
