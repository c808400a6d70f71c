// Package precision is the triage of leakguard's and gitleaks' findings on
// real code that no one on the project wrote: the Go toolchain source, the
// module cache and large public repositories, each at a pinned commit.
//
// Findings are read from gitleaks-shaped JSON reports (leakguard
// --format gitleaks-json, gitleaks --report-format json), grouped by rule
// and by the pattern of their line so that a person can review them in
// batches, and labelled: real (a live secret), fixture (a test fixture or a
// documented example) or fp (not a secret at all). Labels are data: one TSV
// per repository under benchmarks/precision/, naming each finding by tool,
// path, line, rule and a hash of its secret; the secret itself is never
// written. Check compares a run with the labels, so that any new or lost
// finding shows.
//
// It reads reports and the scanned files; it imports nothing of leakguard.
package precision
