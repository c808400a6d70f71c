// Package agent speaks AI coding agents' hook protocols: it reads one hook
// event (the JSON an agent writes to a hook command's stdin), scans every
// string in it, and answers in the agent's own JSON: block a prompt, deny or
// ask about a tool call, replace a tool's output with placeholders where the
// protocol allows it. It also installs leakguard's hook entries into the
// agents' settings files and removes them.
//
// Pipeline stage: a gate in front of the model's context, beside the git
// hooks. In: the event bytes, a compiled detector, a policy. Out: an Answer
// (stdout JSON, exit status, a human message for stderr); settings files.
//
// Protocols (as documented by each agent, see protocol.go):
//   - Claude Code: UserPromptSubmit, PreToolUse, PostToolUse, PermissionRequest
//     and the observe-only events, in settings.json "hooks".
//   - Codex: the same event names and fields (codex-rs/hooks output schemas),
//     without tool-output replacement and without "ask", in hooks.json.
//   - Cursor: beforeSubmitPrompt, beforeShellExecution, beforeMCPExecution,
//     beforeReadFile, preToolUse, and the after* events, in hooks.json.
//
// Imports: detectors, scanner (masking), scanner/redact and
// scanner/source/transcript (the JSON walker); never the CLI.
package agent
