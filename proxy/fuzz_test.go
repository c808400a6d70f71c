package proxy

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/leakguard/leakguard/scanner"
)

// recordingTransport answers every request upstream in process and keeps
// the body it got.
type recordingTransport struct {
	mu   sync.Mutex
	body []byte
	got  bool
}

func (rt *recordingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	var b []byte
	if r.Body != nil {
		b, _ = io.ReadAll(r.Body)
		r.Body.Close()
	}
	rt.mu.Lock()
	rt.body, rt.got = b, true
	rt.mu.Unlock()
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(`{"ok":true}`)), Request: r}, nil
}

// proxyPaths are the endpoints of each provider's API the proxy serves.
var proxyPaths = []string{"/v1/messages", "/v1/chat/completions", "/v1/responses", "/v1beta/models/gemini-2.5-pro:generateContent"}

// providerTokens are the secrets the pipeline finds in b's raw bytes that
// the JSON redactor is held to: not in a member name, not found by a
// generic rule through its member name (the redactor reads each string
// value alone; see mcp's FuzzGuardMessages).
func providerTokens(t *testing.T, px *Proxy, b []byte) []string {
	t.Helper()
	fs, err := px.red.Scanner.Findings(context.Background(), scanner.Fragment{Data: b, Origin: scanner.Origin{Kind: scanner.KindStdin}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				names = append(names, k)
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	var v any
	if json.Unmarshal(b, &v) == nil {
		walk(v)
	}
	var out []string
next:
	for _, f := range fs {
		if len(f.Secret) < 8 || strings.Contains(f.RuleID, "generic") {
			continue
		}
		for _, n := range names {
			if strings.Contains(n, f.Secret) {
				continue next
			}
		}
		out = append(out, f.Secret)
	}
	return out
}

// FuzzRequestBodies sends model-API requests through the proxy, each
// provider's shape (Anthropic Messages with a session in its metadata,
// OpenAI chat and responses with tool calls whose arguments are JSON in a
// string, Gemini contents), plain or gzipped. On any body: no panic; a
// body that is JSON goes upstream as JSON; no provider token of a body
// goes upstream in full; a body that is not JSON (or not gzip when it
// says so) is refused with an error in the provider's JSON naming no
// secret, or (where the proxy's reader is lenient) redacted.
func FuzzRequestBodies(f *testing.F) {
	tok := fakeGitHubToken(51)
	seeds := []string{
		`{"model":"claude-sonnet-4-5","max_tokens":1024,"metadata":{"user_id":"user_abc_account__session_0b0e5b6e-1f1c-4c57-9d3b-3a7c1c0b9e11"},"system":[{"type":"text","text":"You are a coding agent."}],"messages":[{"role":"user","content":[{"type":"text","text":"deploy with ` + tok + `"},{"type":"tool_result","tool_use_id":"toolu_1","content":"GITHUB_TOKEN=` + tok + `"}]}],"stream":true}`,
		`{"model":"gpt-5","messages":[{"role":"system","content":"x"},{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"bash","arguments":"{\"cmd\":\"echo ` + tok + `\"}"}}]},{"role":"tool","tool_call_id":"call_1","content":"` + tok + `"}]}`,
		`{"model":"gpt-5","input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"k ` + tok + `"}]},{"type":"function_call_output","call_id":"c","output":"{\"token\":\"` + tok + `\"}"}]}`,
		`{"contents":[{"role":"user","parts":[{"text":"use ` + tok + `"}]}],"systemInstruction":{"parts":[{"text":"s"}]}}`,
		`not json ` + tok,
		`{"model":"m","messages":[]}`,
	}
	for i, s := range seeds {
		f.Add(uint8(i), false, []byte(s))
		f.Add(uint8(i), true, []byte(s))
	}
	rt := &recordingTransport{}
	up, _ := url.Parse("https://upstream.invalid")
	px := New(testRedactor(f), Options{Upstream: up, Transport: rt, MaxBody: 1 << 20})
	f.Fuzz(func(t *testing.T, pi uint8, gz bool, body []byte) {
		path := proxyPaths[int(pi)%len(proxyPaths)]
		sent := body
		if gz {
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			zw.Write(body)
			zw.Close()
			sent = b.Bytes()
		}
		req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:1"+path, bytes.NewReader(sent))
		req.Header.Set("Content-Type", "application/json")
		if gz {
			req.Header.Set("Content-Encoding", "gzip")
		}
		rt.mu.Lock()
		rt.body, rt.got = nil, false
		rt.mu.Unlock()
		w := httptest.NewRecorder()
		px.ServeHTTP(w, req)
		rt.mu.Lock()
		got, forwarded := rt.body, rt.got
		rt.mu.Unlock()
		tokens := providerTokens(t, px, body)
		for _, s := range tokens {
			if forwarded && bytes.Contains(got, []byte(s)) {
				t.Fatalf("a secret (%s) went upstream", scanner.Redact(s))
			}
		}
		if !json.Valid(body) {
			if forwarded {
				// The proxy's JSON reader is more lenient than
				// encoding/json in places that hold no string (a
				// number's leading zeros): what it forwards is
				// redacted, as checked above.
				return
			}
			if w.Code < 400 || !json.Valid(w.Body.Bytes()) {
				t.Fatalf("refused with status %d and body %q", w.Code, w.Body.Bytes())
			}
			for _, s := range tokens {
				if strings.Contains(w.Body.String(), s) {
					t.Fatalf("the error names a secret (%s)", scanner.Redact(s))
				}
			}
			return
		}
		if !forwarded {
			t.Fatalf("a JSON body was not forwarded: status %d, %s", w.Code, w.Body.Bytes())
		}
		if !json.Valid(got) {
			t.Fatalf("JSON in, not JSON upstream: %q", got)
		}
	})
}

// TestGzipBodyOfItsOwnLengthGoesOnDecompressed: a gzipped body with no
// secret whose decompressed length equalled its compressed length went
// upstream still compressed, with its Content-Encoding removed: a corrupt
// request (found by FuzzRequestBodies).
func TestGzipBodyOfItsOwnLengthGoesOnDecompressed(t *testing.T) {
	// Find a JSON body whose gzip is as long as itself.
	var body, zipped []byte
	for n := 1; n < 400 && body == nil; n++ {
		b := []byte(`{"model":"m","messages":[{"role":"user","content":"` + strings.Repeat("ab", n) + `"}]}`)
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write(b)
		zw.Close()
		if z.Len() == len(b) {
			body, zipped = b, z.Bytes()
		}
	}
	if body == nil {
		t.Fatal("no body of its own gzipped length in this range")
	}
	rt := &recordingTransport{}
	up, _ := url.Parse("https://upstream.invalid")
	px := New(testRedactor(t), Options{Upstream: up, Transport: rt})
	req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:1/v1/messages", bytes.NewReader(zipped))
	req.Header.Set("Content-Encoding", "gzip")
	px.ServeHTTP(httptest.NewRecorder(), req)
	if !bytes.Equal(rt.body, body) {
		t.Errorf("upstream got %q, want the decompressed body %q", rt.body, body)
	}
}
