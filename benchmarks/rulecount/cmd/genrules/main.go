// Command genrules writes a rules configuration of N rules for the
// rule-count benchmark (see package rulecount):
//
//	genrules -n 1000 -o rules-1000.toml
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/leakguard/leakguard/benchmarks/rulecount"
)

func main() {
	n := flag.Int("n", 700, "number of rules")
	seed := flag.Int64("seed", 1, "seed of the rule copies")
	out := flag.String("o", "", "output file (default: standard output)")
	flag.Parse()
	var b strings.Builder
	if err := rulecount.WriteConfig(&b, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "genrules:", err)
		os.Exit(2)
	}
	if *out == "" {
		fmt.Print(b.String())
		return
	}
	if err := os.WriteFile(*out, []byte(b.String()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "genrules:", err)
		os.Exit(2)
	}
}
