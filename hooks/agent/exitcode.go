package agent

import (
	"fmt"
	"strings"
)

// Windsurf (Cascade hooks, .windsurf/hooks.json) and Kiro (agent
// configuration "hooks") read no JSON answer: a pre-hook blocks the action
// by exiting 2, and stderr is what the agent is told.
//   - Windsurf: pre_user_prompt, pre_read_code, pre_write_code,
//     pre_run_command, pre_mcp_tool_use block; post_* observe.
//   - Kiro: preToolUse blocks (exit 2); userPromptSubmit, postToolUse,
//     agentSpawn and stop cannot block.
func (g *Guard) exitCode(a Agent, ev *event, hits []Hit) Answer {
	block := func(v verdict) Answer {
		return Answer{Exit: 2, Stderr: v.reason, Hits: v.hits, Decision: v.kind}
	}
	switch ev.Event {
	case "pre_user_prompt":
		if len(hits) == 0 {
			return Answer{}
		}
		return block(verdict{kind: Blocked, reason: reason("the prompt", hits, "The prompt was not sent. "+advice), hits: hits})
	case "pre_read_code", "pre_write_code", "pre_run_command", "pre_mcp_tool_use", "preToolUse":
		v := g.preTool(ev, hits)
		switch v.kind {
		case "", Allowed:
			return Answer{Stderr: v.reason, Hits: v.hits, Decision: v.kind}
		case Asked:
			v.kind = Blocked
			v.reason += fmt.Sprintf(" %s hooks cannot ask, so the action was blocked; --read-policy allow lets it through.", agentTitle(a))
		}
		return block(v)
	}
	if strings.HasPrefix(ev.Event, "post_") || ev.Event == "userPromptSubmit" || ev.Event == "postToolUse" || ev.Event == "agentSpawn" || ev.Event == "stop" {
		v := observe(ev, hits, agentTitle(a)+" cannot block or redact this event; rotate the secrets. "+advice)
		return Answer{Stderr: v.reason, Hits: v.hits, Decision: v.kind}
	}
	return g.failure(a, fmt.Errorf("unknown %s hook event %s", a, quoteName(ev.Event)))
}

func agentTitle(a Agent) string {
	switch a {
	case Windsurf:
		return "Windsurf"
	case Kiro:
		return "Kiro"
	}
	return string(a)
}

// Cline's hooks (docs.cline.bot/customization/hooks: executable files
// named after the hook in .clinerules/hooks/) answer JSON: cancel stops
// the action, errorMessage says why, contextModification adds text for
// the model. PreToolUse and UserPromptSubmit can cancel; PostToolUse
// cannot change the result.
type clineOut struct {
	Cancel              bool   `json:"cancel"`
	ContextModification string `json:"contextModification,omitempty"`
	ErrorMessage        string `json:"errorMessage,omitempty"`
}

func (g *Guard) cline(ev *event, hits []Hit) Answer {
	cancel := func(v verdict) Answer {
		return answer(encode(clineOut{Cancel: true, ErrorMessage: v.reason}), v)
	}
	switch ev.Event {
	case "UserPromptSubmit":
		if len(hits) == 0 {
			return Answer{Stdout: encode(clineOut{})}
		}
		return cancel(verdict{kind: Blocked, reason: reason("the prompt", hits, "The prompt was not sent. "+advice), hits: hits})
	case "PreToolUse":
		v := g.preTool(ev, hits)
		switch v.kind {
		case "", Allowed:
			return answer(encode(clineOut{}), v)
		case Asked:
			v.kind = Blocked
			v.reason += " Cline hooks cannot ask, so the call was cancelled; --read-policy allow lets it through."
		}
		return cancel(v)
	case "PostToolUse", "TaskStart", "TaskResume", "TaskCancel", "TaskComplete", "TaskError", "PreCompact", "SessionShutdown":
		v := observe(ev, hits, "Cline cannot replace a tool's result; rotate the secrets and do not repeat them. "+advice)
		return answer(encode(clineOut{ContextModification: v.reason}), v)
	}
	return g.failure(Cline, fmt.Errorf("unknown cline hook event %s", quoteName(ev.Event)))
}
