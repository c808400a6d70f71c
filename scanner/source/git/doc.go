// Package git is a Source stage of leakguard's pipeline for git
// repositories: what a commit would record (Staged), and history (History:
// every reachable commit of the chosen refs or range, each unique blob
// scanned once, findings attributed to the commit that introduced them,
// commit messages scanned too). It also reads the ref lines git hands to
// pre-push and pre-receive hooks (PrePushRevs, PreReceiveRevs).
//
// History has two engines. With a git binary on PATH the default
// (EngineDiff) streams `git log -p -U0 -c -M` through the diff parser and
// scans only the lines each commit adds (for merges: the lines no parent
// has), then keeps each (path, rule, secret) at its earliest commit.
// EngineBlob streams `git log --raw -c -M` and `git cat-file --batch`,
// scans every unique (blob, path) once, whole, and attributes a finding to
// a commit when no parent's version of the path holds it; the go-git
// fallback (no git binary) always uses it. Measured on a generated 10,595-
// commit history (benchmarks/git.sh), the diff engine reads ~16 MB of added
// lines where the blob engine reads ~400 MB of file versions. The git
// binary inherits the environment git sets in hooks (GIT_QUARANTINE_PATH,
// GIT_OBJECT_DIRECTORY, GIT_ALTERNATE_OBJECT_DIRECTORIES).
//
// It imports scanner, scanner/source/diff, rules and go-git; never the CLI.
package git
