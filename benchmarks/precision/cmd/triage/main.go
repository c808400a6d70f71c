// Command triage groups, labels and checks the findings of leakguard and
// gitleaks on a checkout of real code (see package precision).
//
//	triage groups -root DIR -leakguard L.json -gitleaks G.json -labels F.tsv [-samples N] [-all]
//	triage label  -root DIR -leakguard L.json -gitleaks G.json -labels F.tsv
//	              -label real|fixture|fp -reason TEXT [-tool T] [-rule RE] [-path RE] [-text RE] [-pattern RE] [-dry]
//	triage check  -root DIR -leakguard L.json -gitleaks G.json -labels F.tsv
//	triage prune  -root DIR -leakguard L.json -gitleaks G.json -labels F.tsv
//	triage table  [-min N] F.tsv...
//
// Reports are gitleaks-shaped JSON with the secrets in them (leakguard
// --format gitleaks-json --show-secrets; gitleaks --report-format json);
// triage hashes the secrets and prints them masked. groups prints the
// findings no label names, grouped by rule, path class, secret shape and
// what precedes the secret. label labels the unlabelled findings that match
// every criterion given (regular expressions; -text is matched against the
// finding's line, -pattern against its group). check fails when a finding
// has no label or a label no finding; prune drops the labels no finding
// has (after a change of the rules: label what is new, then prune). table prints the per-rule table of
// label files as Markdown.
//
// EXIT STATUS: 0 on success, 1 when check finds a difference, 2 on a usage
// or input error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/leakguard/leakguard/benchmarks/precision"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

var errDiffer = errors.New("findings differ from the labels")

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: triage groups|label|check|table ...")
		return 2
	}
	var err error
	switch args[0] {
	case "groups", "label", "check", "prune":
		err = runFindings(args[0], args[1:], stdout, stderr)
	case "table":
		err = runTable(args[1:], stdout, stderr)
	default:
		err = fmt.Errorf("unknown command %q", args[0])
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errDiffer):
		fmt.Fprintln(stderr, "triage:", err)
		return 1
	case errors.Is(err, flag.ErrHelp):
		return 2
	}
	fmt.Fprintln(stderr, "triage:", err)
	return 2
}

func runFindings(cmd string, args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fl.SetOutput(stderr)
	root := fl.String("root", "", "the scanned directory")
	lgPath := fl.String("leakguard", "", "leakguard's report (--format gitleaks-json --show-secrets)")
	glPath := fl.String("gitleaks", "", "gitleaks' report (--report-format json)")
	labelsPath := fl.String("labels", "", "the label file (TSV)")
	samples := fl.Int("samples", 4, "groups: lines shown per group")
	all := fl.Bool("all", false, "groups: labelled findings too")
	label := fl.String("label", "", "label: real, fixture or fp")
	reason := fl.String("reason", "", "label: why")
	tool := fl.String("tool", "", "label: only this tool's findings")
	rule := fl.String("rule", "", "label: rule id (regexp, whole id)")
	pathRE := fl.String("path", "", "label: path (regexp)")
	textRE := fl.String("text", "", "label: the finding's line (regexp)")
	patRE := fl.String("pattern", "", "label: the finding's group (regexp)")
	dry := fl.Bool("dry", false, "label: print what would be labelled")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *root == "" || *labelsPath == "" || (*lgPath == "" && *glPath == "") {
		return errors.New("-root, -labels and a report are required")
	}
	var fs []precision.Finding
	for _, r := range []struct{ tool, path string }{{"leakguard", *lgPath}, {"gitleaks", *glPath}} {
		if r.path == "" {
			continue
		}
		got, err := precision.ReadReport(r.path, r.tool, *root)
		if err != nil {
			return err
		}
		fs = append(fs, got...)
	}
	precision.Sort(fs)
	ls, err := precision.ReadLabels(*labelsPath)
	if err != nil {
		return err
	}
	unlabelled, stale := precision.Diff(fs, ls)
	switch cmd {
	case "groups":
		show := unlabelled
		if *all {
			show = fs
		}
		fmt.Fprintf(stdout, "%d findings, %d unlabelled\n", len(fs), len(unlabelled))
		precision.PrintGroups(stdout, show, *samples)
		return nil
	case "label":
		switch *label {
		case precision.Real, precision.Fixture, precision.FP:
		default:
			return fmt.Errorf("-label %q: want real, fixture or fp", *label)
		}
		if *reason == "" {
			return errors.New("-reason is required")
		}
		match, err := matcher(*tool, *rule, *pathRE, *textRE, *patRE)
		if err != nil {
			return err
		}
		n := 0
		for _, f := range unlabelled {
			if !match(f) {
				continue
			}
			n++
			if *dry {
				fmt.Fprintf(stdout, "%s %s:%d %s %s\n", f.Tool, f.Path, f.Line, f.Rule, precision.Mask(f.Secret))
				continue
			}
			ls = append(ls, precision.Label{Finding: f, Label: *label, Reason: *reason})
		}
		fmt.Fprintf(stdout, "%d findings labelled %s\n", n, *label)
		if *dry || n == 0 {
			return nil
		}
		return writeLabels(*labelsPath, ls)
	}
	if cmd == "prune" {
		if len(stale) == 0 {
			return nil
		}
		gone := map[string]bool{}
		for _, l := range stale {
			gone[l.Key()] = true
			fmt.Fprintf(stdout, "pruned: %s %s:%d %s (%s)\n", l.Tool, l.Path, l.Line, l.Rule, l.Label)
		}
		kept := ls[:0]
		for _, l := range ls {
			if !gone[l.Key()] {
				kept = append(kept, l)
			}
		}
		return writeLabels(*labelsPath, kept)
	}
	// check
	t := precision.Tally(ls)
	for _, tool := range []string{"leakguard", "gitleaks"} {
		if c := t[tool][""]; c != nil {
			fmt.Fprintf(stdout, "%-9s findings %d  real %d  fixture %d  fp %d\n", tool, c.Findings, c.Real, c.Fixture, c.FP)
		}
	}
	for _, f := range unlabelled {
		fmt.Fprintf(stdout, "new: %s %s:%d %s %s\n", f.Tool, f.Path, f.Line, f.Rule, precision.Mask(f.Secret))
	}
	for _, l := range stale {
		fmt.Fprintf(stdout, "gone: %s %s:%d %s (%s: %s)\n", l.Tool, l.Path, l.Line, l.Rule, l.Label, l.Reason)
	}
	if len(unlabelled)+len(stale) > 0 {
		return fmt.Errorf("%w: %d new, %d gone (%s)", errDiffer, len(unlabelled), len(stale), *labelsPath)
	}
	return nil
}

func matcher(tool, rule, pathRE, textRE, patRE string) (func(precision.Finding) bool, error) {
	var res [4]*regexp.Regexp
	for i, s := range []string{"^(?:" + rule + ")$", pathRE, textRE, patRE} {
		if s == "" || s == "^(?:)$" {
			continue
		}
		re, err := regexp.Compile(s)
		if err != nil {
			return nil, err
		}
		res[i] = re
	}
	return func(f precision.Finding) bool {
		if tool != "" && f.Tool != tool {
			return false
		}
		for i, s := range []string{f.Rule, f.Path, f.Text, precision.Pattern(f)} {
			if res[i] != nil && !res[i].MatchString(s) {
				return false
			}
		}
		return true
	}, nil
}

func writeLabels(path string, ls []precision.Label) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := precision.WriteLabels(f, ls); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func runTable(args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("table", flag.ContinueOnError)
	fl.SetOutput(stderr)
	min := fl.Int("min", 1, "rows for rules with at least this many findings (or a false positive)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() == 0 {
		return errors.New("table: label files required")
	}
	var all []precision.Label
	var names []string
	var sets [][]precision.Label
	for _, p := range fl.Args() {
		if !strings.HasSuffix(p, ".tsv") {
			return fmt.Errorf("table: %s: not a label file (.tsv)", p)
		}
		ls, err := precision.ReadLabels(p)
		if err != nil {
			return err
		}
		all = append(all, ls...)
		names = append(names, strings.TrimSuffix(filepath.Base(p), ".tsv"))
		sets = append(sets, ls)
	}
	precision.PrintRepos(stdout, names, sets)
	fmt.Fprintln(stdout)
	precision.PrintTable(stdout, all, *min)
	return nil
}
