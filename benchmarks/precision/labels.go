package precision

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
)

// Labels a finding can have.
const (
	Real    = "real"    // a live secret
	Fixture = "fixture" // a test fixture or a documented example
	FP      = "fp"      // not a secret
)

// A Label is one triaged finding: a row of a label file.
type Label struct {
	Finding
	Label  string
	Reason string
}

const labelHeader = "# tool\tpath\tline\trule\tsecret-sha256\tlabel\treason"

// ReadLabels reads a label file; a missing file holds no labels.
func ReadLabels(path string) ([]Label, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Label
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 7 {
			return nil, fmt.Errorf("%s:%d: %d columns, want 7", path, n, len(c))
		}
		ln, err := strconv.Atoi(c[2])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: line %q: %w", path, n, c[2], err)
		}
		switch c[5] {
		case Real, Fixture, FP:
		default:
			return nil, fmt.Errorf("%s:%d: label %q: want real, fixture or fp", path, n, c[5])
		}
		out = append(out, Label{Finding: Finding{Tool: c[0], Path: c[1], Line: ln, Rule: c[3], Hash: c[4]}, Label: c[5], Reason: c[6]})
	}
	return out, sc.Err()
}

// WriteLabels writes labels sorted, one row each.
func WriteLabels(w io.Writer, ls []Label) error {
	sort.Slice(ls, func(i, j int) bool { return less(ls[i].Finding, ls[j].Finding) })
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, labelHeader)
	for _, l := range ls {
		fmt.Fprintf(bw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", l.Tool, l.Path, l.Line, l.Rule, l.Hash, l.Label, clean(l.Reason))
	}
	return bw.Flush()
}

func clean(s string) string {
	return strings.NewReplacer("\t", " ", "\n", " ").Replace(s)
}

// Diff matches findings with labels: the findings no label names, and the
// labels no finding has.
func Diff(fs []Finding, ls []Label) (unlabelled []Finding, stale []Label) {
	have := map[string]bool{}
	for _, f := range fs {
		have[f.Key()] = true
	}
	known := map[string]bool{}
	for _, l := range ls {
		known[l.Key()] = true
		if !have[l.Key()] {
			stale = append(stale, l)
		}
	}
	for _, f := range fs {
		if !known[f.Key()] {
			unlabelled = append(unlabelled, f)
		}
	}
	return unlabelled, stale
}
