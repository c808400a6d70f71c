// Package scanner is the finding half of leakguard's one pipeline: it takes
// Fragments from a Source (or in memory, for gates), runs the detector's
// pipeline (detectors.Detector.Detect: detection, decoding, validation,
// merge) over them on a pool of workers, resolves each Match into a Finding
// (line, column, fingerprint relative to the scan root, commit metadata,
// the span a rewriter replaces), applies the Filter (inline allow markers
// under the caller's policy, .gitleaksignore fingerprints, baselines) and
// Dedupe (one finding per secret per place across fragments), and hands
// the sorted Findings to a Reporter, a gate or a rewriter
// (scanner/redact).
//
// Every entry point uses it; none re-implements a stage. A caller that
// learns more about findings after the scan (git history attributes each to
// the commit that introduced it) scans Unfiltered and applies
// Filter.Finish itself.
//
// Sources live in scanner/source, reporters in scanner/report. This package
// imports detectors and rules only; it never imports the CLI, a terminal or a
// progress bar (progress is reported through the Progress interface).
package scanner
