package proxy

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/hooks"
)

func post(t *testing.T, url, path, body string, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("POST", url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// requests of each API, each with the secret where agents put file
// contents and tool output.
func apiRequests(secret string) map[string]struct {
	path string
	body map[string]any
} {
	return map[string]struct {
		path string
		body map[string]any
	}{
		"anthropic messages": {"/v1/messages", map[string]any{
			"model": "claude-x", "max_tokens": 100, "stream": true,
			"system":   []any{map[string]any{"type": "text", "text": "you are helpful"}},
			"metadata": map[string]any{"user_id": "user_ab_account_00000000-0000-0000-0000-000000000000_session_11111111-2222-3333-4444-555555555555"},
			"messages": []any{
				map[string]any{"role": "user", "content": "read config"},
				map[string]any{"role": "assistant", "content": []any{map[string]any{"type": "tool_use", "id": "t1", "name": "Read", "input": map[string]any{"file_path": "/x/.env"}}}},
				map[string]any{"role": "user", "content": []any{map[string]any{"type": "tool_result", "tool_use_id": "t1",
					"content": []any{map[string]any{"type": "text", "text": "GITHUB_TOKEN=" + secret + "\nother=1\n"}}}}},
			}}},
		"openai chat": {"/v1/chat/completions", map[string]any{
			"model": "gpt-x", "stream": true,
			"messages": []any{
				map[string]any{"role": "system", "content": "be brief"},
				map[string]any{"role": "assistant", "tool_calls": []any{map[string]any{"id": "c1", "type": "function", "function": map[string]any{"name": "shell", "arguments": `{"cmd":"export T=` + secret + `"}`}}}},
				map[string]any{"role": "tool", "tool_call_id": "c1", "content": "token: " + secret},
			}}},
		"openai responses": {"/v1/responses", map[string]any{
			"model": "gpt-x", "instructions": "x",
			"input": []any{
				map[string]any{"type": "message", "role": "user", "content": []any{map[string]any{"type": "input_text", "text": "my key is " + secret}}},
				map[string]any{"type": "function_call_output", "call_id": "c1", "output": "GITHUB_TOKEN=" + secret},
			}}},
		"gemini generateContent": {"/v1beta/models/gemini-x:streamGenerateContent?alt=sse", map[string]any{
			"systemInstruction": map[string]any{"parts": []any{map[string]any{"text": "sys"}}},
			"contents": []any{
				map[string]any{"role": "user", "parts": []any{map[string]any{"text": "see " + secret}}},
				map[string]any{"role": "user", "parts": []any{map[string]any{"functionResponse": map[string]any{"name": "read_file", "response": map[string]any{"output": "GITHUB_TOKEN=" + secret}}}}},
			}}},
	}
}

// restore puts the secret back in place of its placeholder.
func restore(v any, placeholder, secret string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = restore(e, placeholder, secret)
		}
	case []any:
		for i, e := range x {
			x[i] = restore(e, placeholder, secret)
		}
	case string:
		return strings.ReplaceAll(x, placeholder, secret)
	}
	return v
}

func TestSecretNeverReachesUpstream(t *testing.T) {
	secret := fakeGitHubToken(1)
	for name, tc := range apiRequests(secret) {
		t.Run(name, func(t *testing.T) {
			up := newUpstream(t, nil)
			audit := &memAudit{}
			_, url := newTestProxy(t, up, Options{Audit: audit})
			in := mustJSON(t, tc.body)
			resp, _ := post(t, url, tc.path, in, map[string]string{"User-Agent": "claude-cli/9.9 (test)"})
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			got := up.got()
			if len(got) != 1 {
				t.Fatalf("upstream got %d requests, want 1", len(got))
			}
			if strings.Contains(got[0], secret) {
				t.Fatalf("the secret reached the upstream: %s", got[0])
			}
			if !strings.Contains(got[0], "[REDACTED:github-pat:") {
				t.Fatalf("no placeholder upstream: %s", got[0])
			}
			// Same JSON, every block in its shape: the placeholder is the
			// only difference.
			var outV, inV any
			if err := json.Unmarshal([]byte(got[0]), &outV); err != nil {
				t.Fatalf("upstream body is not JSON: %v", err)
			}
			json.Unmarshal([]byte(in), &inV)
			ph := placeholderIn(got[0])
			if !reflect.DeepEqual(restore(outV, ph, secret), inV) {
				t.Errorf("upstream body differs beyond the placeholder:\n got %s\nwant %s", got[0], in)
			}
			evs := audit.events()
			if len(evs) != 1 {
				t.Fatalf("got %d audit events, want 1: %+v", len(evs), evs)
			}
			ev := evs[0]
			if ev.Decision != hooks.DecisionRedacted || ev.AgentName != "claude-cli" || !reflect.DeepEqual(ev.RuleIDs, []string{"github-pat"}) ||
				!reflect.DeepEqual(ev.Fingerprints, []string{ph}) {
				t.Errorf("audit event = %+v", ev)
			}
			if strings.Contains(mustJSON(t, ev), secret) {
				t.Errorf("the audit event holds the secret")
			}
			if name == "anthropic messages" && ev.Session != "11111111-2222-3333-4444-555555555555" {
				t.Errorf("session = %q, want the one in metadata.user_id", ev.Session)
			}
		})
	}
}

func placeholderIn(s string) string {
	i := strings.Index(s, "[REDACTED:")
	if i < 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], ']')
	return s[i : i+j+1]
}

func TestCleanBodyForwardedByteForByte(t *testing.T) {
	up := newUpstream(t, nil)
	audit := &memAudit{}
	_, url := newTestProxy(t, up, Options{Audit: audit})
	in := "{ \"model\" : \"m\",\n  \"messages\":[{\"role\":\"user\",\"content\":\"caf\\u00e9 \\/ hi\"}]}"
	post(t, url, "/v1/messages", in, nil)
	if got := up.got(); len(got) != 1 || got[0] != in {
		t.Errorf("upstream got %q, want %q", got, in)
	}
	if evs := audit.events(); len(evs) != 0 {
		t.Errorf("audit events for a clean request: %+v", evs)
	}
}

func TestPlaceholderStableAcrossTurns(t *testing.T) {
	secret := fakeGitHubToken(2)
	up := newUpstream(t, nil)
	_, url := newTestProxy(t, up, Options{})
	hdr := map[string]string{"X-Claude-Code-Session-Id": "sess-1"}
	turn1 := mustJSON(t, map[string]any{"messages": []any{map[string]any{"role": "user", "content": "t=" + secret}}})
	turn2 := mustJSON(t, map[string]any{"messages": []any{
		map[string]any{"role": "user", "content": "t=" + secret},
		map[string]any{"role": "assistant", "content": "ok"},
		map[string]any{"role": "user", "content": "again " + secret + " please"}}})
	post(t, url, "/v1/messages", turn1, hdr)
	post(t, url, "/v1/messages", turn2, hdr)
	got := up.got()
	p1, p2 := placeholderIn(got[0]), placeholderIn(got[1])
	if p1 == "" || p1 != p2 || strings.Count(got[1], p1) != 2 {
		t.Errorf("placeholders differ across turns: %q, %q (turn 2: %s)", p1, p2, got[1])
	}
}

func TestBodiesItCannotScanAreNotForwarded(t *testing.T) {
	secret := fakeGitHubToken(3)
	big := `{"messages":[{"role":"user","content":"` + strings.Repeat("a", 2<<20) + `"}]}`
	tests := []struct {
		name     string
		body     string
		encoding string
		status   int
	}{
		{"malformed JSON", `{"messages":[{"role":"user","content":"` + secret + `"}`, "", 400},
		{"not JSON", "token " + secret + "\n", "", 400},
		{"too large", big, "", 413},
		{"unknown encoding", `{"a":1}`, "br", 415},
		{"bad gzip", `not gzip`, "gzip", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := newUpstream(t, nil)
			audit := &memAudit{}
			_, url := newTestProxy(t, up, Options{Audit: audit, MaxBody: 1 << 20})
			resp, body := post(t, url, "/v1/messages", tt.body, map[string]string{"Content-Encoding": tt.encoding})
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d (%s)", resp.StatusCode, tt.status, body)
			}
			if !strings.Contains(body, "leakguard proxy:") || !strings.Contains(body, "not forwarded") {
				t.Errorf("error body does not say why: %s", body)
			}
			var e struct {
				Type  string
				Error struct{ Type, Message string }
			}
			if json.Unmarshal([]byte(body), &e) != nil || e.Type != "error" || e.Error.Message == "" {
				t.Errorf("error is not in Anthropic's shape: %s", body)
			}
			if n := len(up.got()); n != 0 {
				t.Errorf("upstream got %d requests", n)
			}
			if evs := audit.events(); len(evs) != 1 || evs[0].Decision != hooks.DecisionError {
				t.Errorf("audit = %+v, want one error", evs)
			}
		})
	}
}

func TestOnErrorAllowStillRedactsText(t *testing.T) {
	secret := fakeGitHubToken(4)
	up := newUpstream(t, nil)
	_, url := newTestProxy(t, up, Options{AllowUnscanned: true})
	resp, _ := post(t, url, "/v1/messages", "token "+secret+"\n", nil)
	got := up.got()
	if resp.StatusCode != 200 || len(got) != 1 || strings.Contains(got[0], secret) || !strings.Contains(got[0], "[REDACTED:") {
		t.Errorf("status %d, upstream got %q", resp.StatusCode, got)
	}
}

func TestGzipRequestScanned(t *testing.T) {
	secret := fakeGitHubToken(5)
	up := newUpstream(t, nil)
	_, url := newTestProxy(t, up, Options{})
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write([]byte(`{"messages":[{"role":"user","content":"k=` + secret + `"}]}`))
	zw.Close()
	post(t, url, "/v1/messages", zb.String(), map[string]string{"Content-Encoding": "gzip"})
	got := up.got()
	if len(got) != 1 || strings.Contains(got[0], secret) || !strings.Contains(got[0], "[REDACTED:github-pat:") {
		t.Errorf("upstream got %q", got)
	}
}

func TestRoute(t *testing.T) {
	tests := []struct {
		path string
		hdr  string
		want Provider
		ok   bool
	}{
		{"/v1/messages", "", Anthropic, true},
		{"/v1/messages/count_tokens", "", Anthropic, true},
		{"/v1/chat/completions", "", OpenAI, true},
		{"/v1/responses", "", OpenAI, true},
		{"/v1beta/models/gemini-2.5-pro:streamGenerateContent", "", Gemini, true},
		{"/v1/models", "X-Api-Key", Anthropic, true},
		{"/v1/models", "Authorization", OpenAI, true},
		{"/v1/models", "X-Goog-Api-Key", Gemini, true},
		{"/elsewhere", "", "", false},
	}
	for _, tt := range tests {
		r, _ := http.NewRequest("GET", "http://x"+tt.path, nil)
		if tt.hdr != "" {
			r.Header.Set(tt.hdr, "k")
		}
		if got, ok := Route(r); got != tt.want || ok != tt.ok {
			t.Errorf("Route(%s, %s) = %q, %v; want %q, %v", tt.path, tt.hdr, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCheckUpstreamAndListen(t *testing.T) {
	if _, err := CheckUpstream("http://127.0.0.1:9", false); err == nil {
		t.Error("plain-http upstream accepted without --insecure-upstream")
	}
	if _, err := CheckUpstream("http://127.0.0.1:9", true); err != nil {
		t.Error(err)
	}
	if _, err := CheckUpstream("https://api.example.com", false); err != nil {
		t.Error(err)
	}
	for _, a := range []string{"127.0.0.1:0", "[::1]:80", "localhost:8787"} {
		if err := CheckListen(a, false); err != nil {
			t.Errorf("CheckListen(%s): %v", a, err)
		}
	}
	for _, a := range []string{"0.0.0.0:8787", ":8787", "192.0.2.1:1", "example.com:1"} {
		if err := CheckListen(a, false); err == nil {
			t.Errorf("CheckListen(%s) accepted a non-loopback address", a)
		}
	}
}

func TestUpstreamCertificateVerified(t *testing.T) {
	up := newUpstream(t, nil)
	u, _ := CheckUpstream(up.URL, false)
	// The default transport: the stand-in's self-signed certificate is not
	// trusted, so nothing is sent.
	px := New(testRedactor(t), Options{Upstream: u})
	srvURL := serve(t, px)
	resp, body := post(t, srvURL, "/v1/messages", `{"messages":[]}`, nil)
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(body, "certificate") {
		t.Errorf("status %d, body %s; want 502 naming the certificate", resp.StatusCode, body)
	}
	if n := len(up.got()); n != 0 {
		t.Errorf("upstream got %d requests over an unverified connection", n)
	}
}
