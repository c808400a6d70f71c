package agent

import (
	"fmt"
)

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

func (g *Guard) cursor(ev *event, hits []Hit) Answer {
	switch ev.Event {
	case "beforeSubmitPrompt":
		if len(hits) == 0 {
			t := true
			return Answer{Stdout: encode(cursorOut{Continue: &t})}
		}
		r := reason("the prompt", hits, "The prompt was not sent. "+advice)
		f := false
		return Answer{Stdout: encode(cursorOut{Continue: &f, UserMessage: r}), Stderr: r, Hits: hits, Decision: Blocked}
	case "beforeShellExecution", "beforeMCPExecution", "preToolUse":
		if ev.Tool == "" && ev.Event == "beforeShellExecution" {
			ev.Tool = "shell"
		}
		v := g.preTool(ev, hits)
		switch v.kind {
		case "", Allowed:
			return answer(encode(cursorOut{Permission: "allow"}), v)
		case Asked:
			return answer(encode(cursorOut{Permission: "ask", UserMessage: v.reason, AgentMessage: v.reason}), v)
		}
		if len(hits) > 0 {
			v.reason = reason("the "+cursorAction(ev), v.hits, "It was denied. "+advice)
		}
		return answer(encode(cursorOut{Permission: "deny", UserMessage: v.reason, AgentMessage: v.reason}), v)
	case "beforeReadFile", "beforeTabFileRead":
		fh := hits
		if ev.Content == nil && ev.FilePath != "" {
			fh = append(fh, g.readHits(&toolCall{Reads: []string{g.abs(ev.Cwd, ev.FilePath)}})...)
		}
		if len(fh) == 0 {
			return Answer{Stdout: encode(cursorOut{Permission: "allow"})}
		}
		if g.opts.ReadPolicy == Allow {
			return Answer{Stdout: encode(cursorOut{Permission: "allow"}), Hits: fh, Decision: Allowed,
				Stderr: reason("the file "+ev.FilePath, fh, "Read allowed by --read-policy allow.")}
		}
		// beforeReadFile answers permission only: "ask" is not part of it.
		r := reason("the file "+ev.FilePath, fh, "The read was denied.")
		return Answer{Stdout: encode(cursorOut{Permission: "deny"}), Stderr: r, Hits: fh, Decision: Blocked}
	case "afterFileEdit", "afterTabFileEdit", "afterShellExecution", "afterMCPExecution", "afterAgentResponse",
		"afterAgentThought", "postToolUse", "postToolUseFailure", "stop", "sessionStart", "sessionEnd",
		"subagentStart", "subagentStop", "preCompact":
		return answer(empty, observe(ev, hits, "Cursor cannot block or redact this event; rotate the secrets. "+advice))
	}
	return g.failure(Cursor, fmt.Errorf("unknown cursor hook event %s", quoteName(ev.Event)))
}

func cursorAction(ev *event) string {
	switch ev.Event {
	case "beforeShellExecution":
		return "shell command"
	case "beforeMCPExecution":
		return "MCP call " + ev.Tool
	}
	return toolLabel(ev.Tool) + " call"
}
