// Package git is a Source stage of leakguard's pipeline for git
// repositories: what a commit would record (Staged), and history (History:
// every reachable commit of the chosen refs or range, each unique blob
// scanned once, findings attributed to the commit that introduced them,
// commit messages scanned too). It also reads the ref lines git hands to
// pre-push and pre-receive hooks (PrePushRevs, PreReceiveRevs).
//
// With a git binary on PATH it streams `git log --raw` and `git cat-file
// --batch` (fast, and it honours the environment git sets in hooks, such
// as GIT_QUARANTINE_PATH and GIT_ALTERNATE_OBJECT_DIRECTORIES); without one
// it reads the repository with go-git.
//
// It imports scanner, scanner/source/diff, rules and go-git; never the CLI.
package git
