package standin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

func usage() map[string]any {
	return map[string]any{"input_tokens": 10, "output_tokens": 10, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
}

// anthropicReply answers a Messages request, as JSON or as the SSE event
// stream (message_start, content_block_start/delta/stop, message_delta,
// message_stop).
func anthropicReply(w http.ResponseWriter, r *Request, t Turn, id int) {
	msgID := fmt.Sprintf("msg_standin_%d", id)
	model := r.Model
	if model == "" {
		model = "standin"
	}
	stop := "end_turn"
	if len(t.Calls) > 0 {
		stop = "tool_use"
	}
	var blocks []map[string]any
	if t.Text != "" || len(t.Calls) == 0 {
		blocks = append(blocks, map[string]any{"type": "text", "text": t.Text})
	}
	for _, c := range t.Calls {
		blocks = append(blocks, map[string]any{"type": "tool_use", "id": c.ID, "name": c.Name, "input": c.args()})
	}
	if !r.Stream {
		writeJSON(w, map[string]any{
			"id": msgID, "type": "message", "role": "assistant", "model": model,
			"content": blocks, "stop_reason": stop, "stop_sequence": nil, "usage": usage(),
		})
		return
	}
	startSSE(w)
	sse(w, "message_start", map[string]any{"type": "message_start", "message": map[string]any{
		"id": msgID, "type": "message", "role": "assistant", "model": model, "content": []any{},
		"stop_reason": nil, "stop_sequence": nil, "usage": usage(),
	}})
	for i, b := range blocks {
		switch b["type"] {
		case "text":
			sse(w, "content_block_start", map[string]any{"type": "content_block_start", "index": i, "content_block": map[string]any{"type": "text", "text": ""}})
			if t.Text != "" {
				sse(w, "content_block_delta", map[string]any{"type": "content_block_delta", "index": i, "delta": map[string]any{"type": "text_delta", "text": t.Text}})
			}
		case "tool_use":
			sse(w, "content_block_start", map[string]any{"type": "content_block_start", "index": i, "content_block": map[string]any{
				"type": "tool_use", "id": b["id"], "name": b["name"], "input": map[string]any{},
			}})
			sse(w, "content_block_delta", map[string]any{"type": "content_block_delta", "index": i, "delta": map[string]any{
				"type": "input_json_delta", "partial_json": string(b["input"].(json.RawMessage)),
			}})
		}
		sse(w, "content_block_stop", map[string]any{"type": "content_block_stop", "index": i})
	}
	sse(w, "message_delta", map[string]any{"type": "message_delta", "delta": map[string]any{"stop_reason": stop, "stop_sequence": nil}, "usage": map[string]any{"output_tokens": 10}})
	sse(w, "message_stop", map[string]any{"type": "message_stop"})
}

// chatReply answers a Chat Completions request, as JSON or as chunks
// ending in data: [DONE].
func chatReply(w http.ResponseWriter, r *Request, t Turn, id int) {
	cid := fmt.Sprintf("chatcmpl-standin-%d", id)
	created := time.Now().Unix()
	finish := "stop"
	if len(t.Calls) > 0 {
		finish = "tool_calls"
	}
	var calls []map[string]any
	for _, c := range t.Calls {
		calls = append(calls, map[string]any{"id": c.ID, "type": "function", "function": map[string]any{"name": c.Name, "arguments": string(c.args())}})
	}
	use := map[string]any{"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}
	if !r.Stream {
		msg := map[string]any{"role": "assistant", "content": t.Text}
		if len(calls) > 0 {
			msg["tool_calls"] = calls
		}
		writeJSON(w, map[string]any{
			"id": cid, "object": "chat.completion", "created": created, "model": r.Model,
			"choices": []any{map[string]any{"index": 0, "message": msg, "finish_reason": finish}}, "usage": use,
		})
		return
	}
	startSSE(w)
	chunk := func(delta map[string]any, fin any) map[string]any {
		return map[string]any{"id": cid, "object": "chat.completion.chunk", "created": created, "model": r.Model,
			"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": fin}}}
	}
	sse(w, "", chunk(map[string]any{"role": "assistant", "content": ""}, nil))
	if t.Text != "" {
		sse(w, "", chunk(map[string]any{"content": t.Text}, nil))
	}
	for i, c := range calls {
		c["index"] = i
		sse(w, "", chunk(map[string]any{"tool_calls": []any{c}}, nil))
	}
	last := chunk(map[string]any{}, finish)
	last["usage"] = use
	sse(w, "", last)
	fmt.Fprint(w, "data: [DONE]\n\n")
}

// responsesReply answers a Responses request: the SSE events
// response.created, response.output_item.added/done (with
// response.output_text.delta for text) and response.completed, or the
// response object as JSON.
func responsesReply(w http.ResponseWriter, r *Request, t Turn, id int) {
	rid := fmt.Sprintf("resp_standin_%d", id)
	var items []map[string]any
	if t.Text != "" || len(t.Calls) == 0 {
		items = append(items, map[string]any{
			"type": "message", "id": fmt.Sprintf("msg_standin_%d", id), "role": "assistant", "status": "completed",
			"content": []any{map[string]any{"type": "output_text", "text": t.Text, "annotations": []any{}}},
		})
	}
	for i, c := range t.Calls {
		if c.Custom {
			items = append(items, map[string]any{"type": "custom_tool_call", "id": fmt.Sprintf("ctc_standin_%d_%d", id, i),
				"call_id": c.ID, "name": c.Name, "input": c.Raw, "status": "completed"})
			continue
		}
		item := map[string]any{"type": "function_call", "id": fmt.Sprintf("fc_standin_%d_%d", id, i),
			"call_id": c.ID, "name": c.Name, "arguments": string(c.args()), "status": "completed"}
		if c.Namespace != "" {
			item["namespace"] = c.Namespace
		}
		items = append(items, item)
	}
	resp := func(status string, output []map[string]any) map[string]any {
		m := map[string]any{"id": rid, "object": "response", "created_at": time.Now().Unix(), "status": status, "model": r.Model, "output": output}
		if status == "completed" {
			m["usage"] = map[string]any{"input_tokens": 10, "input_tokens_details": map[string]any{"cached_tokens": 0},
				"output_tokens": 10, "output_tokens_details": map[string]any{"reasoning_tokens": 0}, "total_tokens": 20}
		}
		return m
	}
	if !r.Stream {
		writeJSON(w, resp("completed", items))
		return
	}
	startSSE(w)
	seq := 0
	ev := func(typ string, m map[string]any) {
		m["type"] = typ
		m["sequence_number"] = seq
		seq++
		sse(w, typ, m)
	}
	ev("response.created", map[string]any{"response": resp("in_progress", []map[string]any{})})
	for i, it := range items {
		ev("response.output_item.added", map[string]any{"output_index": i, "item": it})
		if it["type"] == "message" && t.Text != "" {
			ev("response.output_text.delta", map[string]any{"item_id": it["id"], "output_index": i, "content_index": 0, "delta": t.Text})
		}
		ev("response.output_item.done", map[string]any{"output_index": i, "item": it})
	}
	ev("response.completed", map[string]any{"response": resp("completed", items)})
}

// geminiReply answers generateContent with one GenerateContentResponse,
// and streamGenerateContent with one chunk (alt=sse as an event, else a
// JSON array).
func geminiReply(w http.ResponseWriter, r *Request, t Turn) {
	var parts []map[string]any
	if t.Text != "" || len(t.Calls) == 0 {
		parts = append(parts, map[string]any{"text": t.Text})
	}
	for _, c := range t.Calls {
		parts = append(parts, map[string]any{"functionCall": map[string]any{"id": c.ID, "name": c.Name, "args": c.args()}})
	}
	resp := map[string]any{
		"candidates":    []any{map[string]any{"content": map[string]any{"role": "model", "parts": parts}, "finishReason": "STOP", "index": 0}},
		"usageMetadata": map[string]any{"promptTokenCount": 10, "candidatesTokenCount": 10, "totalTokenCount": 20},
		"modelVersion":  r.Model,
	}
	switch {
	case !r.Stream:
		writeJSON(w, resp)
	case strings.Contains(r.Path, "alt=sse"):
		startSSE(w)
		sse(w, "", resp)
	default:
		writeJSON(w, []any{resp})
	}
}
