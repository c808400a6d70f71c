// Package scanner is the middle stage of leakguard's pipeline: it takes
// Fragments from a Source, runs the compiled detectors over them on a pool
// of workers, resolves each detectors.Match into a Finding (line, column,
// fingerprint, commit metadata), applies the filters (inline allow markers,
// .gitleaksignore fingerprints, baselines) and hands the sorted Findings to
// a Reporter.
//
// Sources live in scanner/source, reporters in scanner/report. This package
// imports detectors and rules only; it never imports the CLI, a terminal or a
// progress bar (progress is reported through the Progress interface).
package scanner
