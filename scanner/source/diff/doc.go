// Package diff is a Source stage of leakguard's pipeline: it parses unified
// diffs (git diff, git show / git log -p, git format-patch mail, plain
// diff -u) and yields, for every file, the lines the diff adds as one
// scanner.Fragment whose Origin.LineMap holds each added line's number in
// the new file. Removed and context lines, deleted files and binary patches
// are never scanned. Commit metadata is taken from format-patch mail
// headers and git log headers when the input has them, and commit messages
// are yielded as fragments of kind scanner.KindCommitMessage.
//
// It imports scanner (for Fragment and Origin) and the standard library,
// never the CLI or git.
package diff
