// Package quality measures detection quality: a deterministic, seeded
// generator writes a labelled corpus of files in many contexts (source
// code, configs, diffs, agent transcripts, logs, Kubernetes manifests,
// minified JavaScript) holding fake secrets of many provider formats (with
// valid checksums where the format has one) next to hard negatives
// (placeholders, references, example keys, hashes, UUIDs, public keys); a
// scorer reads a gitleaks-shaped findings report and prints recall and
// precision overall, per secret type and per context.
//
// It sits beside the pipeline, not in it: it imports the standard library
// and golang.org/x/crypto only, and talks to scanners through their JSON
// reports, so the same corpus scores leakguard and gitleaks alike.
package quality
