// Command gendefault writes the regex analysis of leakguard's default
// rules as Go source (detectors/zz_default_analysis.go) and, with
// -keywords, their keyword automaton (detectors/zz_default_keywords.bin).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/rules"
)

func main() {
	out := flag.String("o", "zz_default_analysis.go", "output file")
	kwOut := flag.String("keywords", "", "also write the keyword automaton's binary form here")
	flag.Parse()
	set, err := rules.Default()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendefault:", err)
		os.Exit(1)
	}
	var buf bytes.Buffer
	if err := detectors.WriteDefaultAnalyses(&buf, set); err != nil {
		fmt.Fprintln(os.Stderr, "gendefault:", err)
		os.Exit(1)
	}
	src, err := format.Source(buf.Bytes())
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendefault:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gendefault:", err)
		os.Exit(1)
	}
	if *kwOut != "" {
		var kw bytes.Buffer
		if err := detectors.WriteDefaultKeywords(&kw, set); err != nil {
			fmt.Fprintln(os.Stderr, "gendefault:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(*kwOut, kw.Bytes(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gendefault:", err)
			os.Exit(1)
		}
	}
}
