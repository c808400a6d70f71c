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

func (g *Guard) claude(a Agent, ev *event, hits []Hit) Answer {
	switch ev.Event {
	case "UserPromptSubmit":
		if len(hits) == 0 {
			return Answer{Stdout: empty}
		}
		r := reason("the prompt", hits, "The prompt was not sent. "+advice)
		return Answer{Stdout: encode(claudeOut{Decision: "block", Reason: r}), Stderr: r, Hits: hits, Decision: Blocked}
	case "PreToolUse":
		return g.claudePreToolUse(a, ev, hits)
	case "PostToolUse":
		return g.claudePostToolUse(a, ev, hits)
	case "PermissionRequest":
		if len(hits) == 0 {
			return Answer{Stdout: empty}
		}
		r := reason("the "+toolLabel(ev.Tool)+" call", hits, advice)
		out := claudeOut{Specific: &claudeSpecific{HookEventName: ev.Event, Decision: &permissionDecision{Behavior: "deny", Message: r}}}
		return Answer{Stdout: encode(out), Stderr: r, Hits: hits, Decision: Blocked}
	case "SessionStart", "SessionEnd", "Stop", "SubagentStart", "SubagentStop", "Notification",
		"PreCompact", "PostCompact", "PostToolUseFailure", "PermissionDenied":
		// Observe-only here: blocking a Stop would make the agent go on.
		return answer(empty, observe(ev, hits, advice))
	}
	return g.failure(a, fmt.Errorf("unknown %s hook event %s", a, quoteName(ev.Event)))
}

// answer wraps stdout with a verdict's reason, hits and decision.
func answer(stdout []byte, v verdict) Answer {
	return Answer{Stdout: stdout, Stderr: v.reason, Hits: v.hits, Decision: v.kind}
}

// quoteName quotes an event name for an error message only when it looks
// like one (letters only, as every agent's event names are, at most 40):
// the field comes from the event, and anything else it holds (a token,
// which has digits or '_', fits in 40 bytes) is not echoed back.
func quoteName(s string) string {
	ok := len(s) > 0 && len(s) <= 40
	for i := 0; ok && i < len(s); i++ {
		c := s[i]
		ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
	}
	if !ok {
		return fmt.Sprintf("(a name of %d bytes, not shown)", len(s))
	}
	return fmt.Sprintf("%q", s)
}

func (g *Guard) claudePreToolUse(a Agent, ev *event, hits []Hit) Answer {
	v := g.preTool(ev, hits)
	d := ""
	switch v.kind {
	case "", Allowed:
		return answer(empty, v)
	case Blocked:
		d = "deny"
	case Asked:
		d = "ask"
		if a == Codex {
			// Codex rejects "ask" as unsupported and runs the call.
			d, v.kind = "deny", Blocked
			v.reason += " (Codex hooks cannot ask, so the call was denied; --read-policy allow lets it through.)"
		}
	}
	out := claudeOut{Specific: &claudeSpecific{HookEventName: "PreToolUse", PermissionDecision: d, PermissionDecisionReason: v.reason}}
	return answer(encode(out), v)
}

func (g *Guard) claudePostToolUse(a Agent, ev *event, hits []Hit) Answer {
	if len(hits) == 0 {
		return Answer{Stdout: empty}
	}
	block := func(r string) Answer {
		return Answer{Stdout: encode(claudeOut{Decision: "block", Reason: r}), Stderr: r, Hits: hits, Decision: Blocked}
	}
	inResp, _ := within(hits, "/tool_response")
	if len(inResp) == 0 {
		return block(reason("the "+toolLabel(ev.Tool)+" call", hits, "They are already in the conversation; rotate them."+rotateAt(hits)+" "+advice))
	}
	if a == Codex || len(ev.Response) == 0 {
		return block(reason("the "+toolLabel(ev.Tool)+" output", hits,
			"This agent's hooks cannot replace a tool's output, so the secrets are in the conversation: rotate them, and do not repeat them."+rotateAt(hits)))
	}
	red, n, err := g.red.JSON(ev.Response)
	if err != nil || n == 0 {
		return block(reason("the "+toolLabel(ev.Tool)+" output", hits, "The output could not be redacted; treat the secrets as exposed and rotate them."+rotateAt(hits)))
	}
	r := reason("the "+toolLabel(ev.Tool)+" output", hits,
		fmt.Sprintf("leakguard replaced %d of them with [REDACTED:...] placeholders in what you see; do not try to recover them.", n))
	// updatedToolOutput must have the tool's own shape (Bash's is an
	// object with stdout and stderr; a plain string is ignored): the
	// redacted tool_response is that shape, with only strings changed.
	spec := &claudeSpecific{HookEventName: "PostToolUse"}
	if strings.HasPrefix(ev.Tool, "mcp__") {
		spec.UpdatedMCPToolOutput = red
	} else {
		spec.UpdatedToolOutput = red
	}
	return Answer{Stdout: encode(claudeOut{Decision: "block", Reason: r, Specific: spec}), Stderr: r, Hits: hits, Decision: Redacted}
}
