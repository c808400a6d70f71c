// Package source holds leakguard's Sources: the first stage of the
// pipeline. A Source turns an input (files and directories, stdin, and in
// subpackages or sibling files git history, diffs and transcripts) into
// scanner.Fragments with their Origin. Sources never detect; they import
// scanner (for Fragment and Origin) and the libraries they read with, never
// the CLI.
package source
