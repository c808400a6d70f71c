package proxy

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// Provider names a model API family.
type Provider string

// The providers the proxy knows.
const (
	Anthropic Provider = "anthropic"
	OpenAI    Provider = "openai"
	Gemini    Provider = "gemini"
)

// DefaultUpstreams are the providers' public endpoints.
var DefaultUpstreams = map[Provider]string{
	Anthropic: "https://api.anthropic.com",
	OpenAI:    "https://api.openai.com",
	Gemini:    "https://generativelanguage.googleapis.com",
}

// Route tells which provider's API a request is for: by path for the
// APIs' own endpoints (messages, chat/completions, responses,
// models/...:generateContent), else by the provider's authentication
// header. ok is false when neither tells.
func Route(r *http.Request) (p Provider, ok bool) {
	path := r.URL.Path
	switch {
	case strings.HasPrefix(path, "/v1/messages"), strings.HasPrefix(path, "/v1/complete"):
		return Anthropic, true
	case strings.Contains(path, "/chat/completions"), strings.HasPrefix(path, "/v1/responses"),
		strings.HasPrefix(path, "/responses"), strings.HasPrefix(path, "/v1/embeddings"):
		return OpenAI, true
	case strings.HasPrefix(path, "/v1beta/"), strings.HasPrefix(path, "/v1alpha/"),
		strings.Contains(path, ":generateContent"), strings.Contains(path, ":streamGenerateContent"),
		strings.Contains(path, ":countTokens"):
		return Gemini, true
	}
	h := r.Header
	switch {
	case h.Get("Anthropic-Version") != "" || h.Get("X-Api-Key") != "":
		return Anthropic, true
	case h.Get("X-Goog-Api-Key") != "" || r.URL.Query().Has("key"):
		return Gemini, true
	case h.Get("Authorization") != "":
		return OpenAI, true
	}
	return "", false
}

// target is the upstream URL for a request to p: the configured upstream,
// or the provider's public endpoint.
func (px *Proxy) target(p Provider) (*url.URL, error) {
	if px.opts.Upstream != nil {
		return px.opts.Upstream, nil
	}
	return url.Parse(DefaultUpstreams[p])
}

// errorBody is an error in the provider's own error shape, so that the
// agent shows the message.
func errorBody(p Provider, status int, msg string) []byte {
	var v any
	switch p {
	case Anthropic:
		typ := "invalid_request_error"
		switch {
		case status == http.StatusRequestEntityTooLarge:
			typ = "request_too_large"
		case status >= 500:
			typ = "api_error"
		}
		v = map[string]any{"type": "error", "error": map[string]any{"type": typ, "message": msg}}
	case Gemini:
		v = map[string]any{"error": map[string]any{"code": status, "message": msg, "status": geminiStatus(status)}}
	default:
		typ := "invalid_request_error"
		if status >= 500 {
			typ = "server_error"
		}
		v = map[string]any{"error": map[string]any{"message": msg, "type": typ, "code": "leakguard"}}
	}
	b, _ := json.Marshal(v)
	return b
}

func geminiStatus(status int) string {
	switch {
	case status == http.StatusBadRequest, status == http.StatusRequestEntityTooLarge:
		return "INVALID_ARGUMENT"
	case status == http.StatusNotFound:
		return "NOT_FOUND"
	case status == http.StatusGatewayTimeout:
		return "DEADLINE_EXCEEDED"
	default:
		return "UNAVAILABLE"
	}
}
