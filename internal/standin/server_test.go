package standin

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

func post(t *testing.T, url, body string) (string, string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: status %d: %s", url, resp.StatusCode, b)
	}
	return resp.Header.Get("Content-Type"), string(b)
}

// events splits an SSE body into its data payloads.
func events(body string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			out = append(out, d)
		}
	}
	return out
}

func TestEveryAPIPlaysTheScript(t *testing.T) {
	call := Call{Name: "Bash", Args: map[string]string{"command": "echo hi"}}
	cases := []struct {
		name, path, body string
		api              API
		sse              bool
		want             []string // substrings of the answer
	}{
		{"anthropic json", "/v1/messages", `{"model":"m","tools":[{"name":"Bash"}],"messages":[]}`, Anthropic, false,
			[]string{`"type":"tool_use"`, `"name":"Bash"`, `"input":{"command":"echo hi"}`, `"stop_reason":"tool_use"`}},
		{"anthropic sse", "/v1/messages", `{"model":"m","stream":true,"tools":[{"name":"Bash"}]}`, Anthropic, true,
			[]string{`"message_start"`, `"tool_use"`, `"partial_json":"{\"command\":\"echo hi\"}"`, `"stop_reason":"tool_use"`, `"message_stop"`}},
		{"chat json", "/v1/chat/completions", `{"model":"m","tools":[{"type":"function","function":{"name":"Bash"}}]}`, ChatCompletions, false,
			[]string{`"tool_calls"`, `"arguments":"{\"command\":\"echo hi\"}"`, `"finish_reason":"tool_calls"`}},
		{"chat stream", "/v1/chat/completions", `{"model":"m","stream":true,"tools":[{"type":"function","function":{"name":"Bash"}}]}`, ChatCompletions, true,
			[]string{`"chat.completion.chunk"`, `"tool_calls"`, `"finish_reason":"tool_calls"`, `[DONE]`}},
		{"responses sse", "/v1/responses", `{"model":"m","stream":true,"tools":[{"type":"function","name":"Bash"}]}`, Responses, true,
			[]string{`"response.created"`, `"function_call"`, `"arguments":"{\"command\":\"echo hi\"}"`, `"response.completed"`}},
		{"responses json", "/v1/responses", `{"model":"m","tools":[{"type":"function","name":"Bash"}]}`, Responses, false,
			[]string{`"object":"response"`, `"function_call"`}},
		{"gemini json", "/v1beta/models/g:generateContent", `{"tools":[{"functionDeclarations":[{"name":"Bash"}]}]}`, Gemini, false,
			[]string{`"functionCall"`, `"args":{"command":"echo hi"}`, `"finishReason":"STOP"`}},
		{"gemini sse", "/v1beta/models/g:streamGenerateContent?alt=sse", `{"tools":[{"functionDeclarations":[{"name":"Bash"}]}]}`, Gemini, true,
			[]string{`"functionCall"`, `"name":"Bash"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := Start(Sequence(nil, Turn{Calls: []Call{call}}, Turn{Text: "finished"}))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			ct, body := post(t, s.URL+c.path, c.body)
			if c.sse != strings.HasPrefix(ct, "text/event-stream") {
				t.Errorf("content type %q, want SSE %v", ct, c.sse)
			}
			if c.sse {
				for _, e := range events(body) {
					if e != "[DONE]" && !json.Valid([]byte(e)) {
						t.Errorf("invalid JSON event %q", e)
					}
				}
			} else if !json.Valid([]byte(body)) {
				t.Errorf("invalid JSON answer %q", body)
			}
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Fatalf("answer lacks %s in:\n%s", w, body)
				}
			}
			_, second := post(t, s.URL+c.path, c.body)
			if !strings.Contains(second, "finished") {
				t.Errorf("second request: got %s, want the second turn", second)
			}
			reqs := s.ModelRequests(c.api)
			if len(reqs) != 2 || !reqs[0].HasTool("Bash") || reqs[0].Stream != c.sse {
				t.Errorf("recorded %+v", reqs)
			}
		})
	}
}

func TestSideRequestsDoNotUseUpTurns(t *testing.T) {
	s, err := Start(Sequence(nil, Turn{Text: "main"}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, b := post(t, s.URL+"/v1/messages", `{"model":"haiku"}`); !strings.Contains(b, `"ok"`) {
		t.Errorf("side request: got %s", b)
	}
	if _, b := post(t, s.URL+"/v1/messages", `{"tools":[{"name":"x"}]}`); !strings.Contains(b, `"main"`) {
		t.Errorf("main request: got %s", b)
	}
	if _, b := post(t, s.URL+"/v1/messages/count_tokens", `{}`); !strings.Contains(b, "input_tokens") {
		t.Errorf("count_tokens: got %s", b)
	}
}

func TestSawFindsEscapedAndNestedText(t *testing.T) {
	s, err := Start(Sequence(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// The text only appears after two JSON decodings: a string holding
	// JSON arguments whose value has an escaped newline.
	inner, _ := json.Marshal(map[string]string{"command": "line1\nsecret-part\nline3"})
	outer, _ := json.Marshal(map[string]any{"messages": []any{map[string]string{"arguments": string(inner)}}})
	post(t, s.URL+"/v1/chat/completions", string(outer))
	if !s.Saw("\nsecret-part\n") {
		t.Error("Saw missed text inside nested JSON strings")
	}
	if s.Saw("absent-text") {
		t.Error("Saw found text that was never sent")
	}
}
