package agent

import "fmt"

// GitHub Copilot CLI's command hooks (docs.github.com, "Copilot CLI hooks
// reference"; .github/hooks/*.json): the event name is not in the input,
// so the installed command passes it (--event). preToolUse answers
// permissionDecision allow|deny|ask with permissionDecisionReason;
// userPromptSubmitted and postToolUse outputs are ignored, so a secret
// there can only be reported.
type copilotOut struct {
	PermissionDecision       string `json:"permissionDecision,omitempty"`
	PermissionDecisionReason string `json:"permissionDecisionReason,omitempty"`
}

func (g *Guard) copilot(ev *event, hits []Hit) Answer {
	switch ev.Event {
	case "preToolUse":
		v := g.preTool(ev, hits)
		switch v.kind {
		case "", Allowed:
			return answer(empty, v)
		case Asked:
			return answer(encode(copilotOut{PermissionDecision: "ask", PermissionDecisionReason: v.reason}), v)
		}
		return answer(encode(copilotOut{PermissionDecision: "deny", PermissionDecisionReason: v.reason}), v)
	case "userPromptSubmitted", "postToolUse", "sessionStart", "sessionEnd", "errorOccurred", "agentStop", "subagentStop", "notification", "permissionRequest":
		return answer(empty, observe(ev, hits, "Copilot CLI ignores this hook's answer, so leakguard cannot block or redact it; rotate the secrets. "+advice))
	case "":
		return g.failure(Copilot, fmt.Errorf("copilot hook event not named (install passes --event)"))
	}
	return g.failure(Copilot, fmt.Errorf("unknown copilot hook event %s", quoteName(ev.Event)))
}
