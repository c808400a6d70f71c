package agent

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Claude Code's hook output (code.claude.com/docs/en/hooks), which Codex
// mirrors (openai/codex codex-rs/hooks/schema/generated/*.command.output.schema.json):
//   - UserPromptSubmit, PostToolUse: top-level decision "block" and reason.
//   - PreToolUse: hookSpecificOutput.permissionDecision allow|deny|ask and
//     permissionDecisionReason.
//   - PostToolUse: hookSpecificOutput.updatedMCPToolOutput replaces an MCP
//     tool's output; Claude Code also takes updatedToolOutput for built-in
//     tools. Codex accepts neither replacement, so its answer only blocks.
//   - PermissionRequest: hookSpecificOutput.decision.behavior allow|deny.
//   - Exit status 2 blocks the event and shows stderr to the model; stdout
//     JSON is read only on exit 0.
type claudeOut struct {
	Decision string          `json:"decision,omitempty"`
	Reason   string          `json:"reason,omitempty"`
	Specific *claudeSpecific `json:"hookSpecificOutput,omitempty"`
}

type claudeSpecific struct {
	HookEventName            string              `json:"hookEventName"`
	PermissionDecision       string              `json:"permissionDecision,omitempty"`
	PermissionDecisionReason string              `json:"permissionDecisionReason,omitempty"`
	UpdatedToolOutput        json.RawMessage     `json:"updatedToolOutput,omitempty"`
	UpdatedMCPToolOutput     json.RawMessage     `json:"updatedMCPToolOutput,omitempty"`
	Decision                 *permissionDecision `json:"decision,omitempty"`
}

type permissionDecision struct {
	Behavior string `json:"behavior"`
	Message  string `json:"message,omitempty"`
}

// Cursor's hook output (cursor.com/docs/agent/hooks): before* events that
// gate an action answer permission allow|deny|ask with user_message and
// agent_message; beforeReadFile answers permission only; beforeSubmitPrompt
// answers continue; after* events are observe-only.
type cursorOut struct {
	Continue     *bool  `json:"continue,omitempty"`
	Permission   string `json:"permission,omitempty"`
	UserMessage  string `json:"user_message,omitempty"`
	AgentMessage string `json:"agent_message,omitempty"`
}

const advice = "Remove the secret, or pass it through an environment variable or a secrets manager instead of the conversation."

var empty = []byte("{}\n")

func (g *Guard) claude(a Agent, ev *event, hits []Hit) Answer {
	switch ev.Event {
	case "UserPromptSubmit":
		if len(hits) == 0 {
			return Answer{Stdout: empty}
		}
		r := reason("the prompt", hits, "The prompt was not sent. "+advice)
		return Answer{Stdout: encode(claudeOut{Decision: "block", Reason: r}), Stderr: r, Hits: hits}
	case "PreToolUse":
		return g.claudePreToolUse(a, ev, hits)
	case "PostToolUse":
		return g.claudePostToolUse(a, ev, hits)
	case "PermissionRequest":
		if len(hits) == 0 {
			return Answer{Stdout: empty}
		}
		r := reason("the "+toolLabel(ev.ToolName)+" call", hits, advice)
		out := claudeOut{Specific: &claudeSpecific{HookEventName: ev.Event, Decision: &permissionDecision{Behavior: "deny", Message: r}}}
		return Answer{Stdout: encode(out), Stderr: r, Hits: hits}
	case "SessionStart", "SessionEnd", "Stop", "SubagentStart", "SubagentStop", "Notification",
		"PreCompact", "PostCompact", "PostToolUseFailure", "PermissionDenied":
		// Observe-only here: blocking a Stop would make the agent go on.
		a := Answer{Stdout: empty, Hits: hits}
		if len(hits) > 0 {
			a.Stderr = reason("the "+ev.Event+" event", hits, advice)
		}
		return a
	}
	return g.failure(a, fmt.Errorf("unknown %s hook event %q", a, ev.Event))
}

func toolLabel(name string) string {
	if name == "" {
		return "tool"
	}
	return name
}

func (g *Guard) claudePreToolUse(a Agent, ev *event, hits []Hit) Answer {
	deny := func(d Decision, r string, hits []Hit) Answer {
		if a == Codex && d == Ask {
			d = Deny // Codex honours deny only
		}
		out := claudeOut{Specific: &claudeSpecific{HookEventName: "PreToolUse", PermissionDecision: string(d), PermissionDecisionReason: r}}
		return Answer{Stdout: encode(out), Stderr: r, Hits: hits}
	}
	hits = dropRemoved(hits)
	if len(hits) > 0 {
		return deny(Deny, reason("the "+toolLabel(ev.ToolName)+" call", hits, "The call was denied. "+advice), hits)
	}
	if ev.ToolName == "Read" {
		var in struct {
			FilePath string `json:"file_path"`
		}
		if json.Unmarshal(ev.ToolInput, &in) == nil && in.FilePath != "" {
			if fh := g.scanFile(in.FilePath); len(fh) > 0 && g.opts.ReadPolicy != Allow {
				r := reason("the file "+in.FilePath, fh, "Reading it would put them in the conversation.")
				return deny(g.opts.ReadPolicy, r, fh)
			} else if len(fh) > 0 {
				return Answer{Stdout: empty, Stderr: reason("the file "+in.FilePath, fh, "Read allowed by --read-policy allow."), Hits: fh}
			}
		}
	}
	return Answer{Stdout: empty}
}

func (g *Guard) claudePostToolUse(a Agent, ev *event, hits []Hit) Answer {
	if len(hits) == 0 {
		return Answer{Stdout: empty}
	}
	inResp, _ := within(hits, "/tool_response")
	if len(inResp) == 0 {
		r := reason("the "+toolLabel(ev.ToolName)+" call", hits, "They are already in the conversation; rotate them. "+advice)
		return Answer{Stdout: encode(claudeOut{Decision: "block", Reason: r}), Stderr: r, Hits: hits}
	}
	if a == Codex || len(ev.ToolResponse) == 0 {
		r := reason("the "+toolLabel(ev.ToolName)+" output", hits,
			"This agent's hooks cannot replace a tool's output, so the secrets are in the conversation: rotate them, and do not repeat them.")
		return Answer{Stdout: encode(claudeOut{Decision: "block", Reason: r}), Stderr: r, Hits: hits}
	}
	red, n, err := g.red.JSON(ev.ToolResponse)
	if err != nil || n == 0 {
		r := reason("the "+toolLabel(ev.ToolName)+" output", hits, "The output could not be redacted; treat the secrets as exposed and rotate them.")
		return Answer{Stdout: encode(claudeOut{Decision: "block", Reason: r}), Stderr: r, Hits: hits}
	}
	r := reason("the "+toolLabel(ev.ToolName)+" output", hits,
		fmt.Sprintf("leakguard replaced %d of them with [REDACTED:...] placeholders in what you see; do not try to recover them.", n))
	spec := &claudeSpecific{HookEventName: "PostToolUse"}
	if strings.HasPrefix(ev.ToolName, "mcp__") {
		spec.UpdatedMCPToolOutput = red
	} else {
		spec.UpdatedToolOutput = red
	}
	return Answer{Stdout: encode(claudeOut{Decision: "block", Reason: r, Specific: spec}), Stderr: r, Hits: hits}
}

func (g *Guard) cursor(ev *event, hits []Hit) Answer {
	switch ev.Event {
	case "beforeSubmitPrompt":
		if len(hits) == 0 {
			t := true
			return Answer{Stdout: encode(cursorOut{Continue: &t})}
		}
		r := reason("the prompt", hits, "The prompt was not sent. "+advice)
		f := false
		return Answer{Stdout: encode(cursorOut{Continue: &f, UserMessage: r}), Stderr: r, Hits: hits}
	case "beforeShellExecution", "beforeMCPExecution", "preToolUse":
		if len(hits) == 0 {
			return Answer{Stdout: encode(cursorOut{Permission: "allow"})}
		}
		r := reason("the "+cursorAction(ev), hits, "It was denied. "+advice)
		return Answer{Stdout: encode(cursorOut{Permission: "deny", UserMessage: r, AgentMessage: r}), Stderr: r, Hits: hits}
	case "beforeReadFile", "beforeTabFileRead":
		fh := hits
		if ev.Content == nil && ev.FilePath != "" {
			fh = append(fh, g.scanFile(ev.FilePath)...)
		}
		if len(fh) == 0 || g.opts.ReadPolicy == Allow {
			a := Answer{Stdout: encode(cursorOut{Permission: "allow"}), Hits: fh}
			if len(fh) > 0 {
				a.Stderr = reason("the file "+ev.FilePath, fh, "Read allowed by --read-policy allow.")
			}
			return a
		}
		// beforeReadFile answers permission only: "ask" is not part of it.
		r := reason("the file "+ev.FilePath, fh, "The read was denied.")
		return Answer{Stdout: encode(cursorOut{Permission: "deny"}), Stderr: r, Hits: fh}
	case "afterFileEdit", "afterTabFileEdit", "afterShellExecution", "afterMCPExecution", "afterAgentResponse",
		"afterAgentThought", "postToolUse", "postToolUseFailure", "stop", "sessionStart", "sessionEnd",
		"subagentStart", "subagentStop", "preCompact":
		a := Answer{Stdout: empty, Hits: hits}
		if len(hits) > 0 {
			a.Stderr = reason("the "+ev.Event+" event", hits, "Cursor cannot block or redact this event; rotate the secrets. "+advice)
		}
		return a
	}
	return g.failure(Cursor, fmt.Errorf("unknown cursor hook event %q", ev.Event))
}

func cursorAction(ev *event) string {
	switch ev.Event {
	case "beforeShellExecution":
		return "shell command"
	case "beforeMCPExecution":
		return "MCP call " + ev.ToolName
	}
	return toolLabel(ev.ToolName) + " call"
}

// failure answers an event the guard could not handle: blocked unless
// FailOpen. Claude Code and Codex get exit status 2, which blocks whatever
// the event, with a valid JSON block answer on stdout as well.
func (g *Guard) failure(a Agent, err error) Answer {
	msg := "leakguard agent-hook: " + err.Error()
	if g.opts.FailOpen {
		return Answer{Stdout: empty, Stderr: msg + " (allowed: --on-error allow)"}
	}
	msg += " (blocked: --on-error block)"
	if a == Cursor {
		f := false
		return Answer{Stdout: encode(cursorOut{Continue: &f, Permission: "deny", UserMessage: msg, AgentMessage: msg}), Stderr: msg}
	}
	return Answer{Stdout: encode(claudeOut{Decision: "block", Reason: msg}), Exit: 2, Stderr: msg}
}

// Fail answers an event that could not be handled for a reason outside the
// guard (no rules, unreadable stdin), by the same fail-closed or fail-open
// rule as Handle.
func (g *Guard) Fail(a Agent, err error) Answer { return g.failure(a, err) }

// dropRemoved drops the hits in the text an edit replaces (Edit's and
// MultiEdit's old_string): an edit that takes a secret out of a file is
// what should happen, and denying it would keep the secret there.
func dropRemoved(hits []Hit) []Hit {
	out := hits[:0:0]
	for _, h := range hits {
		if strings.HasPrefix(h.Where, "/tool_input/") && (strings.HasSuffix(h.Where, "/old_string") || strings.Contains(h.Where, "/old_string#")) {
			continue
		}
		out = append(out, h)
	}
	return out
}
