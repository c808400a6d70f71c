// Package report is the last stage of leakguard's pipeline: it writes the
// sorted Findings of a scan, and its Summary, in one of several formats
// (see Formats and New): human text, leakguard's own JSON, gitleaks-compatible
// JSON, SARIF 2.1.0, CSV, JUnit XML and GitHub Actions workflow commands.
//
// Every reporter masks secrets unless Options.ShowSecrets is set: the
// secret itself, and every occurrence of any reported secret in the match,
// the line and the commit message. Output is deterministic: the same
// findings always produce the same bytes.
//
// This package imports scanner and rules only. It never touches os.Stdout,
// a terminal or the CLI; callers pass an io.Writer and say whether to use
// colour.
package report
