package agent

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Gemini CLI's hook output (geminicli.com/docs/hooks/reference):
//   - BeforeTool: decision "deny" with a reason the model sees.
//   - AfterTool: decision "deny" hides the tool's output, and the reason
//     replaces it: leakguard puts the output there with its secrets
//     replaced by placeholders.
//   - BeforeAgent: decision "deny" drops the prompt (it stays out of the
//     history). leakguard lets it go on instead, because BeforeModel
//     redacts it: hookSpecificOutput.llm_request overrides the outgoing
//     request's messages (text parts only; tool results never appear
//     there, AfterTool handles them).
//   - Exit status 2 blocks any event, stderr being the reason.
type geminiOut struct {
	Decision      string          `json:"decision,omitempty"`
	Reason        string          `json:"reason,omitempty"`
	SystemMessage string          `json:"systemMessage,omitempty"`
	Specific      *geminiSpecific `json:"hookSpecificOutput,omitempty"`
}

type geminiSpecific struct {
	HookEventName string          `json:"hookEventName"`
	LLMRequest    json.RawMessage `json:"llm_request,omitempty"`
}

func (g *Guard) gemini(ev *event, hits []Hit) Answer {
	switch ev.Event {
	case "BeforeAgent":
		if len(hits) == 0 {
			return Answer{Stdout: empty}
		}
		r := reason("the prompt", hits, "leakguard replaces them with placeholders in every request to the model (BeforeModel); they stay in the local history: rotate them."+rotateAt(hits))
		return Answer{Stdout: encode(geminiOut{SystemMessage: r}), Stderr: r, Hits: hits, Decision: Allowed}
	case "BeforeModel":
		in, _ := within(hits, "/llm_request")
		if len(in) == 0 {
			return Answer{Stdout: empty}
		}
		red, n, err := g.red.JSON(ev.LLMRequest)
		if err != nil || n == 0 {
			r := reason("the request to the model", in, "It could not be redacted, so it was not sent.")
			return Answer{Stdout: encode(geminiOut{Decision: "deny", Reason: r}), Stderr: r, Hits: in, Decision: Blocked}
		}
		r := reason("the request to the model", in, fmt.Sprintf("leakguard replaced %d of them with placeholders before it was sent.", n))
		out := geminiOut{Specific: &geminiSpecific{HookEventName: "BeforeModel", LLMRequest: red}}
		return Answer{Stdout: encode(out), Stderr: r, Hits: in, Decision: Redacted}
	case "BeforeTool":
		v := g.preTool(ev, hits)
		switch v.kind {
		case "", Allowed:
			return answer(empty, v)
		case Asked:
			// Gemini's BeforeTool has no "ask": a read of secrets is denied
			// with the reason, which the model can pass on to the person.
			v.kind = Blocked
			v.reason += " Gemini CLI hooks cannot ask, so the call was denied; --read-policy allow lets it through."
		}
		return answer(encode(geminiOut{Decision: "deny", Reason: v.reason}), v)
	case "AfterTool":
		in, _ := within(hits, "/tool_response")
		if len(in) == 0 {
			return answer(empty, observe(ev, hits, "They are already in the conversation; rotate them."+rotateAt(hits)))
		}
		var resp struct {
			LLMContent json.RawMessage `json:"llmContent"`
		}
		_ = json.Unmarshal(ev.Response, &resp)
		content := resp.LLMContent
		if len(content) == 0 {
			content = ev.Response
		}
		text := rawString(content)
		if text == "" {
			text = string(content)
		}
		red, n := g.red.Text([]byte(text))
		var b strings.Builder
		b.WriteString(reason("the "+toolLabel(ev.Tool)+" output", in,
			fmt.Sprintf("leakguard replaced %d of them with [REDACTED:...] placeholders; do not try to recover them. The output:", n)))
		b.WriteString("\n")
		b.Write(red)
		r := b.String()
		return Answer{Stdout: encode(geminiOut{Decision: "deny", Reason: r}), Stderr: reason("the "+toolLabel(ev.Tool)+" output", in, "Redacted."), Hits: in, Decision: Redacted}
	case "AfterAgent", "AfterModel", "BeforeToolSelection", "SessionStart", "SessionEnd", "Notification", "PreCompress":
		return answer(empty, observe(ev, hits, advice))
	}
	return g.failure(Gemini, fmt.Errorf("unknown gemini hook event %s", quoteName(ev.Event)))
}
