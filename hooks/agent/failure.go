package agent

// failure answers an event the guard could not handle: blocked unless
// FailOpen, in each agent's blocking form. Claude Code, Codex, Junie,
// Gemini CLI, Windsurf and Kiro get exit status 2, which blocks whatever
// the event (stderr is the reason), with a block answer on stdout where
// the agent reads one; Cursor, Copilot and Cline read a deny or cancel in
// the JSON.
func (g *Guard) failure(a Agent, err error) Answer {
	msg := "leakguard agent-hook: " + err.Error()
	if g.opts.FailOpen {
		return Answer{Stdout: empty, Stderr: msg + " (allowed: --on-error allow)", Decision: Failed}
	}
	msg += " (blocked: --on-error block)"
	ans := Answer{Stderr: msg, Decision: Failed}
	switch a {
	case Cursor:
		f := false
		ans.Stdout = encode(cursorOut{Continue: &f, Permission: "deny", UserMessage: msg, AgentMessage: msg})
	case Copilot:
		ans.Stdout = encode(copilotOut{PermissionDecision: "deny", PermissionDecisionReason: msg})
	case Cline:
		ans.Stdout = encode(clineOut{Cancel: true, ErrorMessage: msg})
	case Gemini:
		ans.Stdout, ans.Exit = encode(geminiOut{Decision: "deny", Reason: msg}), 2
	case Windsurf, Kiro:
		ans.Stdout, ans.Exit = nil, 2
	default:
		ans.Stdout, ans.Exit = encode(claudeOut{Decision: "block", Reason: msg}), 2
	}
	return ans
}

// Fail answers an event that could not be handled for a reason outside the
// guard (no rules, unreadable stdin, a timeout), by the same fail-closed
// or fail-open rule as Handle.
func (g *Guard) Fail(a Agent, err error) Answer { return g.failure(a, err) }
