// Command plantcheck counts how many of a corpus' planted secrets a JSON
// report found. It prints one line of four numbers:
//
//	FINDINGS FOUND SAME_RULE TOTAL
//
// the findings in the report, the planted secrets with a finding at their
// file:line, those of them reported by the planted rule, and the number
// planted. With -v it lists the missed secrets on standard error. Without
// -expected it prints only FINDINGS.
//
//	plantcheck -expected OUT/expected.json -report report.json
//	plantcheck -report report.json
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
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *repPath == "" || fl.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: plantcheck [-expected FILE] -report FILE [-v]")
		return 2
	}
	f, err := os.Open(*repPath)
	if err != nil {
		fmt.Fprintln(stderr, "plantcheck:", err)
		return 1
	}
	defer f.Close()
	locs, err := corpus.ParseReport(f)
	if err != nil {
		fmt.Fprintf(stderr, "plantcheck: %s: %v\n", *repPath, err)
		return 1
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
