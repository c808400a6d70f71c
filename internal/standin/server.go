package standin

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
)

// API names the protocol of a request.
type API string

// The APIs served.
const (
	Anthropic       API = "anthropic"        // POST /v1/messages
	AnthropicTokens API = "anthropic-tokens" // POST /v1/messages/count_tokens
	ChatCompletions API = "chat"             // POST /v1/chat/completions
	Responses       API = "responses"        // POST /v1/responses
	Gemini          API = "gemini"           // POST /v1beta/models/M:generateContent, :streamGenerateContent
	GeminiTokens    API = "gemini-tokens"    // POST /v1beta/models/M:countTokens
	Models          API = "models"           // GET .../models
	Unknown         API = "unknown"          // anything else: answered 404, still recorded
)

// Request is one request the server received, as it came (a gzip body is
// inflated).
type Request struct {
	API    API
	Method string
	Path   string // with the query
	Header http.Header
	Body   []byte
	Stream bool
	Model  string
	Tools  []string // names of the tools the request declares; a Responses namespace's as "NS/NAME" too
}

// HasTool reports whether the request declares a tool of that name.
func (r *Request) HasTool(name string) bool {
	for _, t := range r.Tools {
		if t == name {
			return true
		}
	}
	return false
}

// Call is one tool call the model makes.
type Call struct {
	// ID is the call id; empty means one is made up ("toolu_standin_N",
	// "call_standin_N").
	ID   string
	Name string
	// Args is the call's arguments, marshalled to a JSON object (nil is
	// {}). Raw, when set, is used instead, verbatim: a JSON object for the
	// function APIs, or the free-form input of a Responses custom tool.
	Args any
	Raw  string
	// Custom makes a Responses API call a custom_tool_call (free-form
	// input: Codex's apply_patch) instead of a function_call.
	Custom bool
	// Namespace is the Responses API namespace of the tool (Codex groups
	// an MCP server's tools in one: "mcp__SERVER").
	Namespace string
}

// Turn is one model answer: text, then tool calls. A turn with calls ends
// with stop reason tool_use / tool_calls; one without, end_turn / stop.
type Turn struct {
	Text  string
	Calls []Call
}

// Script chooses the answer to a model request. It is called with the
// server's lock held, once per request, in arrival order.
type Script func(r *Request) Turn

// Sequence plays turns in order to the requests that declare tools (an
// agent's main loop), and answers "done" once they are used up. Requests
// without tools (titles, summaries, classifiers) get side's answer, or the
// text "ok" when side is nil; they do not use up a turn.
func Sequence(side Script, turns ...Turn) Script {
	next := 0
	return func(r *Request) Turn {
		if len(r.Tools) == 0 {
			if side != nil {
				return side(r)
			}
			return Turn{Text: "ok"}
		}
		if next < len(turns) {
			next++
			return turns[next-1]
		}
		return Turn{Text: "done"}
	}
}

// Server is a running stand-in. Its methods are safe for concurrent use.
type Server struct {
	// URL is http://127.0.0.1:PORT, without a trailing slash.
	URL string

	mu     sync.Mutex
	script Script
	reqs   []*Request
	ids    int
	srv    *http.Server
	ln     net.Listener
}

// Start serves script on a free loopback port until Close.
func Start(script Script) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("standin: listen: %w", err)
	}
	s := &Server{URL: "http://" + ln.Addr().String(), script: script, ln: ln}
	s.srv = &http.Server{Handler: s}
	go s.srv.Serve(ln)
	return s, nil
}

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }

// Requests returns the requests received so far, oldest first.
func (s *Server) Requests() []*Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Request(nil), s.reqs...)
}

// ModelRequests returns the requests of one API (all model APIs when api
// is "").
func (s *Server) ModelRequests(api API) []*Request {
	var out []*Request
	for _, r := range s.Requests() {
		if (api == "" && r.API != Models && r.API != Unknown) || r.API == api {
			out = append(out, r)
		}
	}
	return out
}

// Saw reports whether text reached the server in any request body: in the
// raw bytes, or in a JSON string value once decoded (strings that are
// themselves JSON, such as Chat Completions tool arguments, are decoded
// too).
func (s *Server) Saw(text string) bool {
	for _, r := range s.Requests() {
		if Contains(r.Body, text) {
			return true
		}
	}
	return false
}

// Contains reports whether text is in body, raw or inside a (possibly
// nested) JSON string.
func Contains(body []byte, text string) bool {
	if bytes.Contains(body, []byte(text)) {
		return true
	}
	var v any
	if json.Unmarshal(body, &v) != nil {
		return false
	}
	return walkStrings(v, 0, func(s string) bool { return strings.Contains(s, text) })
}

func walkStrings(v any, depth int, f func(string) bool) bool {
	switch x := v.(type) {
	case string:
		if f(x) {
			return true
		}
		if depth < 4 {
			t := strings.TrimSpace(x)
			if strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") || strings.HasPrefix(t, `"`) {
				var inner any
				if json.Unmarshal([]byte(t), &inner) == nil {
					return walkStrings(inner, depth+1, f)
				}
			}
		}
	case []any:
		for _, e := range x {
			if walkStrings(e, depth, f) {
				return true
			}
		}
	case map[string]any:
		for k, e := range x {
			if f(k) || walkStrings(e, depth, f) {
				return true
			}
		}
	}
	return false
}

// ServeHTTP records the request and answers it.
func (s *Server) ServeHTTP(w http.ResponseWriter, hr *http.Request) {
	body, err := readBody(hr)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r := &Request{API: classify(hr), Method: hr.Method, Path: hr.URL.RequestURI(), Header: hr.Header.Clone(), Body: body}
	parse(r, hr)
	s.mu.Lock()
	s.reqs = append(s.reqs, r)
	var turn Turn
	model := r.API == Anthropic || r.API == ChatCompletions || r.API == Responses || r.API == Gemini
	if model {
		turn = s.script(r)
		for i := range turn.Calls {
			if turn.Calls[i].ID == "" {
				s.ids++
				prefix := "call_standin_"
				if r.API == Anthropic {
					prefix = "toolu_standin_"
				}
				turn.Calls[i].ID = fmt.Sprintf("%s%d", prefix, s.ids)
			}
		}
		s.ids++
	}
	id := s.ids
	s.mu.Unlock()

	switch r.API {
	case Anthropic:
		anthropicReply(w, r, turn, id)
	case AnthropicTokens:
		writeJSON(w, map[string]any{"input_tokens": tokens(body)})
	case ChatCompletions:
		chatReply(w, r, turn, id)
	case Responses:
		responsesReply(w, r, turn, id)
	case Gemini:
		geminiReply(w, r, turn)
	case GeminiTokens:
		writeJSON(w, map[string]any{"totalTokens": tokens(body)})
	case Models:
		writeJSON(w, map[string]any{"object": "list", "data": []any{}, "models": []any{}})
	default:
		http.Error(w, "standin: no such endpoint", http.StatusNotFound)
	}
}

func readBody(hr *http.Request) ([]byte, error) {
	var rd io.Reader = hr.Body
	if hr.Header.Get("Content-Encoding") == "gzip" {
		z, err := gzip.NewReader(hr.Body)
		if err != nil {
			return nil, fmt.Errorf("standin: gzip body: %w", err)
		}
		rd = z
	}
	return io.ReadAll(rd)
}

func classify(hr *http.Request) API {
	p := hr.URL.Path
	switch {
	case hr.Method == http.MethodGet && strings.HasSuffix(p, "/models"):
		return Models
	case hr.Method != http.MethodPost:
		return Unknown
	case strings.HasSuffix(p, "/messages/count_tokens"):
		return AnthropicTokens
	case strings.HasSuffix(p, "/messages"):
		return Anthropic
	case strings.HasSuffix(p, "/chat/completions"):
		return ChatCompletions
	case strings.HasSuffix(p, "/responses"):
		return Responses
	case strings.HasSuffix(p, ":countTokens"):
		return GeminiTokens
	case strings.HasSuffix(p, ":generateContent"), strings.HasSuffix(p, ":streamGenerateContent"):
		return Gemini
	}
	return Unknown
}

// parse fills Stream, Model and Tools from the body.
func parse(r *Request, hr *http.Request) {
	var b struct {
		Model  string            `json:"model"`
		Stream bool              `json:"stream"`
		Tools  []json.RawMessage `json:"tools"`
	}
	_ = json.Unmarshal(r.Body, &b)
	r.Model, r.Stream = b.Model, b.Stream
	if r.API == Gemini {
		p := hr.URL.Path
		r.Stream = strings.HasSuffix(p, ":streamGenerateContent")
		if i := strings.LastIndex(p, "/models/"); i >= 0 {
			r.Model = strings.TrimSuffix(strings.TrimSuffix(p[i+len("/models/"):], ":streamGenerateContent"), ":generateContent")
		}
	}
	for _, raw := range b.Tools {
		var t struct {
			Type     string `json:"type"`
			Name     string `json:"name"`
			Function struct {
				Name string `json:"name"`
			} `json:"function"`
			FunctionDeclarations []struct {
				Name string `json:"name"`
			} `json:"functionDeclarations"`
		}
		if json.Unmarshal(raw, &t) != nil {
			continue
		}
		switch {
		case len(t.FunctionDeclarations) > 0:
			for _, d := range t.FunctionDeclarations {
				r.Tools = append(r.Tools, d.Name)
			}
		case t.Function.Name != "":
			r.Tools = append(r.Tools, t.Function.Name)
		case t.Name != "":
			r.Tools = append(r.Tools, t.Name)
		case t.Type != "":
			r.Tools = append(r.Tools, t.Type)
		}
		if t.Type == "namespace" {
			var ns struct {
				Tools []struct {
					Name string `json:"name"`
				} `json:"tools"`
			}
			_ = json.Unmarshal(raw, &ns)
			for _, n := range ns.Tools {
				r.Tools = append(r.Tools, t.Name+"/"+n.Name)
			}
		}
	}
}

// tokens is a rough token count: bytes / 4.
func tokens(body []byte) int { return len(body)/4 + 1 }

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// sse writes one server-sent event (event may be "") and flushes.
func sse(w http.ResponseWriter, event string, v any) {
	b, _ := json.Marshal(v)
	if event != "" {
		fmt.Fprintf(w, "event: %s\n", event)
	}
	fmt.Fprintf(w, "data: %s\n\n", b)
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}

func startSSE(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
}

// args returns a call's arguments as a JSON object.
func (c Call) args() json.RawMessage {
	if c.Raw != "" && !c.Custom {
		return json.RawMessage(c.Raw)
	}
	if c.Args == nil {
		return json.RawMessage("{}")
	}
	b, err := json.Marshal(c.Args)
	if err != nil {
		return json.RawMessage("{}")
	}
	return b
}
