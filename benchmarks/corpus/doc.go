// Package corpus builds the input of leakguard's end-to-end benchmarks: a
// directory of real source text (by default the Go toolchain's own sources)
// of a requested size, with fake secrets planted at deterministic places, and
// the list of what was planted (Expected) so that a benchmark run can check
// how many of the planted secrets each scanner reports.
//
// It sits beside the pipeline, not in it: it reads an fs.FS, writes a
// directory and parses scanners' JSON reports. It imports only the standard
// library; it must not import the CLI, scanner or detectors, so that the
// benchmark input does not depend on the code it measures. (One test
// imports detectors/validate to check that planted secrets pass leakguard's
// structural validators, which would otherwise drop them.)
//
// Secrets are generated at run time from a seeded generator. Nothing this
// package writes belongs in the repository.
package corpus
