// Package hooks installs, chains, upgrades and removes leakguard's git hooks, tells
// commits made by AI coding agents from commits made by people, chooses the policy a
// hook applies, and keeps the audit log of hook decisions.
//
// Pipeline stage: the gate in front of the scanner. Nothing here scans: the hook
// scripts this package writes call `leakguard hook run <hook>`, and the CLI does the
// scanning with the scanner package. This package answers "where do hooks live",
// "is this commit an agent's", "which policy applies" and "record what was decided".
//
// In: a repository directory, the environment, a commit message and author, a TOML
// config. Out: files in the hooks directory, git config changes (for --global),
// [Result], [StatusReport], [Location], [Identity], [Agent], [Policy], and JSON
// lines in the audit log.
//
// Main entry points: [Install], [Uninstall], [Status], [Locate], [Identities],
// [DetectAgent], [DefaultPolicy], [ParsePolicyConfig] and [Audit.Record].
//
// Imports: the standard library, go-git (config parsing) and BurntSushi/toml only.
// It must not import scanner, detectors, rules or the CLI: those sit above or beside
// it, and the hook scripts reach them through the leakguard binary.
//
// The git binary is the ground truth for where hooks live (core.hooksPath, linked
// worktrees, submodules, bare repositories); when it is not on PATH the same answer
// is derived by reading .git files and config files.
package hooks
