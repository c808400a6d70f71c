package quality

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Finding is the part of a gitleaks-shaped finding the scorer reads.
// leakguard's --format gitleaks-json and gitleaks' --report-format json
// both write an array of these.
type Finding struct {
	RuleID    string
	File      string
	StartLine int
	EndLine   int
	Secret    string
	Match     string
}

// ReadFindings reads a gitleaks JSON report.
func ReadFindings(r io.Reader) ([]Finding, error) {
	var fs []Finding
	if err := json.NewDecoder(r).Decode(&fs); err != nil {
		return nil, fmt.Errorf("read findings: %w", err)
	}
	return fs, nil
}

// Counts are the tallies behind recall and precision.
type Counts struct {
	Secrets  int // labelled secrets
	Found    int // labelled secrets reported at least once
	Findings int // findings
	TP       int // findings that hit a labelled secret
}

// Recall is Found/Secrets (0 when there are no secrets).
func (c Counts) Recall() float64 { return ratio(c.Found, c.Secrets) }

// Precision is TP/Findings (1 when there are no findings).
func (c Counts) Precision() float64 {
	if c.Findings == 0 {
		return 1
	}
	return ratio(c.TP, c.Findings)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Report is a scored run.
type Report struct {
	Overall   Counts
	ByType    map[string]*Counts // per secret type: Secrets, Found, TP
	ByContext map[string]*Counts // per context: all four
	// NegativeHits counts findings on each kind of hard negative.
	NegativeHits map[string]int
	// Unlabelled counts findings that hit no label, by rule id.
	Unlabelled map[string]int
	// Missed lists labelled secrets no finding hit.
	Missed []Label
}

// Score matches findings to labels. A finding hits a label when it is in
// the same file, its start line lies within the label's lines, and its
// secret overlaps the label's secret (or the plain secret, for encoded
// ones). root is the directory the scanner was pointed at; finding paths
// are taken relative to it.
func Score(labels []Label, findings []Finding, root string) *Report {
	rep := &Report{
		ByType: map[string]*Counts{}, ByContext: map[string]*Counts{},
		NegativeHits: map[string]int{}, Unlabelled: map[string]int{},
	}
	byFile := map[string][]int{}
	ctxOf := map[string]string{}
	for i, l := range labels {
		byFile[l.File] = append(byFile[l.File], i)
		ctxOf[l.File] = l.Context
		if l.Negative {
			continue
		}
		rep.Overall.Secrets++
		counts(rep.ByType, l.Type).Secrets++
		counts(rep.ByContext, l.Context).Secrets++
	}
	found := make([]bool, len(labels))
	for _, f := range findings {
		file := relPath(f.File, root)
		ctx := ctxOf[file]
		if ctx == "" {
			ctx = "(unlabelled file)"
		}
		rep.Overall.Findings++
		counts(rep.ByContext, ctx).Findings++
		hit, neg := -1, -1
		for _, i := range byFile[file] {
			if !hits(f, labels[i]) {
				continue
			}
			if labels[i].Negative {
				neg = i
				continue
			}
			hit = i
			if !found[i] {
				break
			}
		}
		switch {
		case hit >= 0:
			rep.Overall.TP++
			counts(rep.ByContext, ctx).TP++
			counts(rep.ByType, labels[hit].Type).TP++
			found[hit] = true
		case neg >= 0:
			rep.NegativeHits[labels[neg].Type]++
		default:
			rep.Unlabelled[f.RuleID]++
		}
	}
	for i, l := range labels {
		if l.Negative {
			continue
		}
		if found[i] {
			rep.Overall.Found++
			counts(rep.ByType, l.Type).Found++
			counts(rep.ByContext, l.Context).Found++
		} else {
			rep.Missed = append(rep.Missed, l)
		}
	}
	return rep
}

func counts(m map[string]*Counts, k string) *Counts {
	c := m[k]
	if c == nil {
		c = &Counts{}
		m[k] = c
	}
	return c
}

// relPath makes a reported path relative to the scan root, slash-separated.
func relPath(p, root string) string {
	p = filepath.ToSlash(filepath.Clean(p))
	if root != "" {
		r := filepath.ToSlash(filepath.Clean(root))
		if rel, ok := strings.CutPrefix(p, r+"/"); ok {
			return rel
		}
	}
	return strings.TrimPrefix(p, "./")
}

// hits reports whether finding f is on label l.
func hits(f Finding, l Label) bool {
	end := l.EndLine
	if end < l.Line {
		end = l.Line
	}
	fs, fe := f.StartLine, f.EndLine
	if fe < fs {
		fe = fs
	}
	if fe < l.Line || fs > end {
		return false
	}
	sec := stripArmor(f.Secret)
	return overlaps(sec, stripArmor(l.Secret)) || (l.Plain != "" && overlaps(sec, stripArmor(l.Plain)))
}

// armor matches PEM BEGIN/END lines, which every key shares: a finding
// must overlap a key's body, not just its header.
var armor = regexp.MustCompile(`-----(?:BEGIN|END)[ A-Z0-9_-]*-----`)

func stripArmor(s string) string {
	if !strings.Contains(s, "-----") {
		return s
	}
	return armor.ReplaceAllString(s, "")
}

// overlaps reports whether a and b share a substring of at least 8 bytes,
// or all of the shorter one when it is shorter than that.
func overlaps(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	need := min(8, len(a))
	if strings.Contains(b, a) {
		return true
	}
	// Longest common substring by dynamic programming over a's bytes.
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			if a[i-1] == b[j-1] {
				cur[j] = prev[j-1] + 1
				if cur[j] >= need {
					return true
				}
			} else {
				cur[j] = 0
			}
		}
		prev, cur = cur, prev
	}
	return false
}

// Print writes the report as plain-text tables.
func (r *Report) Print(w io.Writer, name string) {
	fmt.Fprintf(w, "== %s ==\n", name)
	fmt.Fprintf(w, "overall: recall %.3f (%d/%d)  precision %.3f (%d/%d)\n\n",
		r.Overall.Recall(), r.Overall.Found, r.Overall.Secrets, r.Overall.Precision(), r.Overall.TP, r.Overall.Findings)
	fmt.Fprintf(w, "%-28s %8s %9s\n", "secret type", "recall", "found")
	for _, k := range sortedKeys(r.ByType) {
		c := r.ByType[k]
		fmt.Fprintf(w, "%-28s %8.3f %4d/%-4d\n", k, c.Recall(), c.Found, c.Secrets)
	}
	fmt.Fprintf(w, "\n%-18s %8s %9s %10s %9s\n", "context", "recall", "found", "precision", "tp/find")
	for _, k := range sortedKeys(r.ByContext) {
		c := r.ByContext[k]
		fmt.Fprintf(w, "%-18s %8.3f %4d/%-4d %10.3f %4d/%-4d\n", k, c.Recall(), c.Found, c.Secrets, c.Precision(), c.TP, c.Findings)
	}
	if len(r.NegativeHits) > 0 {
		fmt.Fprintf(w, "\nfalse positives on hard negatives:\n")
		for _, k := range sortedKeys(r.NegativeHits) {
			fmt.Fprintf(w, "  %-28s %d\n", k, r.NegativeHits[k])
		}
	}
	if len(r.Unlabelled) > 0 {
		fmt.Fprintf(w, "\nfindings on unlabelled text, by rule:\n")
		for _, k := range sortedKeys(r.Unlabelled) {
			fmt.Fprintf(w, "  %-40s %d\n", k, r.Unlabelled[k])
		}
	}
	fmt.Fprintln(w)
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
