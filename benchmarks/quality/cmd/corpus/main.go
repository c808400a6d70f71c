// Command corpus generates the labelled detection-quality corpus and scores
// scanner reports against it.
//
//	corpus gen [-seed N] [-files N] DIR     (files in DIR/corpus, labels in DIR/labels.json)
//	corpus score -labels DIR/labels.json -root DIR/corpus [-name NAME] [-missed N]
//	             [-min-recall R] [-min-precision P] REPORT.json
//
// EXIT STATUS: 0 on success, 1 when a score is below -min-recall or
// -min-precision, 2 on a usage or input error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/leakguard/leakguard/benchmarks/quality"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: corpus gen|score ...")
		return 2
	}
	var err error
	switch args[0] {
	case "gen":
		err = runGen(args[1:], stdout)
	case "score":
		err = runScore(args[1:], stdout)
	default:
		err = fmt.Errorf("unknown command %q", args[0])
	}
	if err != nil {
		fmt.Fprintln(stderr, "corpus:", err)
		var below *belowError
		if errors.As(err, &below) {
			return 1
		}
		return 2
	}
	return 0
}

func runGen(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	seed := fs.Uint64("seed", 1, "generator seed")
	files := fs.Int("files", 20, "files per context")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("gen: want one output directory")
	}
	c := quality.Generate(quality.Options{Seed: *seed, FilesPerContext: *files})
	if err := c.Write(fs.Arg(0)); err != nil {
		return err
	}
	pos, size := 0, 0
	for _, l := range c.Labels {
		if !l.Negative {
			pos++
		}
	}
	for _, f := range c.Files {
		size += len(f.Data)
	}
	fmt.Fprintf(stdout, "corpus: %d files, %d bytes, %d secrets, %d hard negatives, %d contexts, seed %d\n",
		len(c.Files), size, pos, len(c.Labels)-pos, len(quality.Contexts()), *seed)
	return nil
}

func runScore(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("score", flag.ContinueOnError)
	labelsPath := fs.String("labels", "", "labels.json of the corpus")
	root := fs.String("root", "", "directory the scanner scanned")
	name := fs.String("name", "scanner", "name printed above the tables")
	missed := fs.Int("missed", 0, "list up to N missed secrets")
	minRecall := fs.Float64("min-recall", 0, "fail (exit 1) when overall recall is below this")
	minPrecision := fs.Float64("min-precision", 0, "fail (exit 1) when overall precision is below this")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *labelsPath == "" {
		return fmt.Errorf("score: want -labels and one report file")
	}
	lf, err := os.Open(*labelsPath)
	if err != nil {
		return err
	}
	defer lf.Close()
	labels, err := quality.ReadLabels(lf)
	if err != nil {
		return err
	}
	rf, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer rf.Close()
	findings, err := quality.ReadFindings(rf)
	if err != nil {
		return err
	}
	rep := quality.Score(labels, findings, *root)
	rep.Print(stdout, *name)
	for i, l := range rep.Missed {
		if i == *missed {
			break
		}
		fmt.Fprintf(stdout, "missed %s:%d %s (%s)\n", l.File, l.Line, l.Type, l.Context)
	}
	if r := rep.Overall.Recall(); r < *minRecall {
		return &belowError{fmt.Sprintf("%s: recall %.3f is below %.3f", *name, r, *minRecall)}
	}
	if p := rep.Overall.Precision(); p < *minPrecision {
		return &belowError{fmt.Sprintf("%s: precision %.3f is below %.3f", *name, p, *minPrecision)}
	}
	return nil
}

// belowError reports a score under a required minimum (exit status 1).
type belowError struct{ msg string }

func (e *belowError) Error() string { return e.msg }
