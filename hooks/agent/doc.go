// Package agent speaks AI coding agents' hook protocols: it reads one hook
// event (the JSON an agent writes to a hook command's stdin), scans every
// string in it through the pipeline, works out what the call does (the
// shell command's reads, writes and gate bypasses, parsed with
// mvdan.cc/sh; the files a Read tool or an edit names), and answers in the
// agent's own terms: block a prompt, deny or ask about a tool call, replace
// a tool's output (or a Gemini request) with placeholders where the
// protocol allows it, exit 2 where that is the protocol. It also installs
// leakguard's hook entries into the agents' settings files, editing them in
// place, and removes them.
//
// Pipeline stage: a gate in front of the model's context, beside the git
// hooks. In: the event bytes, a scanner (the one pipeline), a policy. Out:
// an Answer (stdout, exit status, a human message for stderr, the decision
// for the audit log); settings files.
//
// Files: guard.go (Guard, Handle, the one scanning call), event.go (every
// agent's event read into one shape), toolcall.go and shell.go (what a
// call reads, writes and switches off), gate.go (the decision), one file a
// protocol (claude.go: Claude Code, Codex, Junie; cursor.go; gemini.go;
// copilot.go; exitcode.go: Windsurf, Kiro, Cline), failure.go, install.go
// and jsonedit.go (settings edited byte for byte).
//
// Imports: scanner (and scanner/redact, scanner/source/transcript),
// detectors (for NewScanner); never the CLI.
package agent
