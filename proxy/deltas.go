package proxy

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// A delta is a piece of text the model streams: one event's share of a
// content block (its key) at path in the event's JSON. final says the block
// ends with this event.
type delta struct {
	key   string
	path  []any // string member names and int indexes
	text  string
	final bool
}

// decodeEvent parses an event's JSON data keeping numbers as written.
func decodeEvent(data []byte) (any, bool) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		return nil, false
	}
	return v, true
}

func obj(v any, k string) map[string]any {
	m, _ := v.(map[string]any)
	if m == nil {
		return nil
	}
	o, _ := m[k].(map[string]any)
	return o
}

func arr(v any, k string) []any {
	m, _ := v.(map[string]any)
	a, _ := m[k].([]any)
	return a
}

func str(v any, k string) (string, bool) {
	m, _ := v.(map[string]any)
	s, ok := m[k].(string)
	return s, ok
}

func num(v any, k string) string {
	m, _ := v.(map[string]any)
	switch n := m[k].(type) {
	case json.Number:
		return n.String()
	case string:
		return n
	}
	return ""
}

// deltas lists the text deltas of one streamed event of provider p.
func deltas(p Provider, ev any) []delta {
	switch p {
	case Anthropic:
		// {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"..."}}
		if t, _ := str(ev, "type"); t != "content_block_delta" {
			return nil
		}
		d := obj(ev, "delta")
		for _, k := range []string{"text", "partial_json", "thinking"} {
			if s, ok := str(d, k); ok {
				return []delta{{key: num(ev, "index"), path: []any{"delta", k}, text: s}}
			}
		}
	case OpenAI:
		// Responses: {"type":"response.output_text.delta","item_id":"..","content_index":0,"delta":".."}
		if t, ok := str(ev, "type"); ok {
			if s, ok := str(ev, "delta"); ok && len(t) > 6 && t[len(t)-6:] == ".delta" {
				id, _ := str(ev, "item_id")
				return []delta{{key: id + "/" + num(ev, "content_index") + "/" + num(ev, "summary_index"), path: []any{"delta"}, text: s}}
			}
			return nil
		}
		// Chat: {"choices":[{"index":0,"delta":{"content":"..","tool_calls":[{"index":0,"function":{"arguments":".."}}]}}]}
		var out []delta
		for i, ch := range arr(ev, "choices") {
			ci := num(ch, "index")
			fin := false
			if m, _ := ch.(map[string]any); m != nil && m["finish_reason"] != nil {
				fin = true
			}
			d := obj(ch, "delta")
			for _, k := range []string{"content", "reasoning_content", "refusal"} {
				if s, ok := str(d, k); ok {
					out = append(out, delta{key: "c" + ci + k, path: []any{"choices", i, "delta", k}, text: s, final: fin})
				}
			}
			for j, tc := range arr(d, "tool_calls") {
				if s, ok := str(obj(tc, "function"), "arguments"); ok {
					out = append(out, delta{key: "c" + ci + "t" + num(tc, "index"), path: []any{"choices", i, "delta", "tool_calls", j, "function", "arguments"}, text: s, final: fin})
				}
			}
		}
		return out
	case Gemini:
		// {"candidates":[{"content":{"parts":[{"text":".."}]},"finishReason":"STOP","index":0}]}
		var out []delta
		for i, c := range arr(ev, "candidates") {
			_, fin := str(c, "finishReason")
			for j, part := range arr(obj(c, "content"), "parts") {
				if s, ok := str(part, "text"); ok {
					key := "g" + strconv.Itoa(i)
					if th, _ := part.(map[string]any)["thought"].(bool); th {
						key += "t"
					}
					out = append(out, delta{key: key, path: []any{"candidates", i, "content", "parts", j, "text"}, text: s, final: fin})
				}
			}
		}
		return out
	}
	return nil
}

// setPath sets the string at path in v (as deltas found it).
func setPath(v any, path []any, s string) {
	for i, step := range path {
		last := i == len(path)-1
		switch k := step.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return
			}
			if last {
				m[k] = s
				return
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				return
			}
			if last {
				a[k] = s
				return
			}
			v = a[k]
		}
	}
}
