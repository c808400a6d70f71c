// Package gate is the git-hook gate: it turns one run of a hook
// (pre-commit, commit-msg or pre-push, with what git passed it) into a
// Verdict. It gathers the evidence (the staged changes, the message, the
// pushed commits), decides whether the commit is an AI agent's, picks the
// policy and the configuration that apply (for agents, the committed
// versions at HEAD), runs the one detection pipeline (scanner), applies the
// policy, and records the decision in the audit log.
//
// It prints nothing: the CLI turns a Verdict into messages and an exit
// status. It imports scanner, its git source, rules, detectors and hooks;
// never the CLI.
package gate
