// Command gencorpus writes a benchmark corpus: text copied from the Go
// toolchain's sources (or -src) up to -size bytes, with fake secrets
// planted at seeded places, into OUT/tree, and the list of planted secrets
// into OUT/expected.json.
//
//	gencorpus -out /tmp/corpus -size 256MB [-seed 1] [-secrets 70] [-src DIR]
//	gencorpus -stdin-sample FILE [-seed 1]   # 2-line input with one token
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/leakguard/leakguard/benchmarks/corpus"
)

func main() { os.Exit(run(os.Args[1:], os.Stderr)) }

func run(args []string, stderr io.Writer) int {
	fl := flag.NewFlagSet("gencorpus", flag.ContinueOnError)
	fl.SetOutput(stderr)
	out := fl.String("out", "", "output directory (written: OUT/tree, OUT/expected.json)")
	size := fl.String("size", "256MB", "corpus size (KB, MB, GB)")
	seed := fl.Uint64("seed", 1, "seed for the planted secrets and their places")
	secrets := fl.Int("secrets", 70, "number of secrets to plant (cycles through the formats)")
	src := fl.String("src", "", "source directory (default: $(go env GOROOT)/src)")
	sample := fl.String("stdin-sample", "", "only write a 2-line input holding one GitHub token to this file")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *sample != "" {
		if err := os.WriteFile(*sample, corpus.StdinSample(*seed), 0o600); err != nil {
			fmt.Fprintln(stderr, "gencorpus:", err)
			return 1
		}
		return 0
	}
	if *out == "" || fl.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: gencorpus -out DIR [-size 256MB] [-seed N] [-secrets N] [-src DIR]")
		return 2
	}
	n, err := corpus.ParseSize(*size)
	if err != nil {
		fmt.Fprintln(stderr, "gencorpus:", err)
		return 2
	}
	if *src == "" {
		if *src, err = goroot(); err != nil {
			fmt.Fprintln(stderr, "gencorpus:", err)
			return 2
		}
	}
	exp, err := corpus.Generate(context.Background(), os.DirFS(*src), filepath.Join(*out, "tree"),
		corpus.Options{Size: n, Seed: *seed, Secrets: *secrets})
	if err != nil {
		fmt.Fprintln(stderr, "gencorpus:", err)
		return 1
	}
	if err := exp.WriteFile(filepath.Join(*out, "expected.json")); err != nil {
		fmt.Fprintln(stderr, "gencorpus:", err)
		return 1
	}
	fmt.Fprintf(stderr, "gencorpus: %d files, %.1f MB, %d secrets planted in %s\n",
		exp.Files, float64(exp.Bytes)/(1<<20), exp.Total, filepath.Join(*out, "tree"))
	return 0
}

func goroot() (string, error) {
	b, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOROOT: %w (pass -src)", err)
	}
	return filepath.Join(strings.TrimSpace(string(b)), "src"), nil
}
