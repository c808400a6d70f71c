// Command plantcheck counts how many of a corpus' planted secrets a JSON
// report found. It prints one line of four numbers:
//
//	FINDINGS FOUND SAME_RULE TOTAL
//
// the findings in the report, the planted secrets with a finding at their
// file:line, those of them reported by the planted rule, and the number
// planted. With -v it lists the missed secrets on standard error. Without
// -expected it prints only FINDINGS. With -covers OTHER it prints
// "FOUND TOTAL": how many of OTHER's finding places (file:line, any rule)
// the report also has.
//
//	plantcheck -expected OUT/expected.json -report report.json
//	plantcheck -report report.json
//	plantcheck -report leakguard.json -covers gitleaks.json
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/leakguard/leakguard/benchmarks/corpus"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("plantcheck", flag.ContinueOnError)
	fl.SetOutput(stderr)
	expPath := fl.String("expected", "", "expected.json written by gencorpus")
	repPath := fl.String("report", "", "JSON report of a scanner")
	verbose := fl.Bool("v", false, "list missed secrets on stderr")
	covers := fl.String("covers", "", "another JSON report: print how many of its finding places the report has")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *repPath == "" || fl.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: plantcheck [-expected FILE] -report FILE [-v]")
		return 2
	}
	locs, err := readReport(*repPath)
	if err != nil {
		fmt.Fprintln(stderr, "plantcheck:", err)
		return 1
	}
	if *covers != "" {
		other, err := readReport(*covers)
		if err != nil {
			fmt.Fprintln(stderr, "plantcheck:", err)
			return 1
		}
		found, total := corpus.Covered(other, locs)
		fmt.Fprintf(stdout, "%d %d\n", found, total)
		return 0
	}
	if *expPath == "" {
		fmt.Fprintln(stdout, len(locs))
		return 0
	}
	exp, err := corpus.ReadExpected(*expPath)
	if err != nil {
		fmt.Fprintln(stderr, "plantcheck:", err)
		return 1
	}
	rc := exp.Recall(locs)
	fmt.Fprintf(stdout, "%d %d %d %d\n", len(locs), rc.Found, rc.SameRule, rc.Total)
	if *verbose {
		for _, m := range rc.Missed {
			fmt.Fprintf(stderr, "missed %s %s:%d\n", m.Rule, m.File, m.Line)
		}
	}
	return 0
}

func readReport(name string) ([]corpus.Location, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	locs, err := corpus.ParseReport(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return locs, nil
}
