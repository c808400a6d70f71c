package mcp

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

func TestHTTPRelay(t *testing.T) {
	secret := fakeGitHubToken(3)
	var mu sync.Mutex
	var got []string
	var sessions []string
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Method+" "+string(body))
		sessions = append(sessions, r.Header.Get("Mcp-Session-Id"))
		mu.Unlock()
		if r.Method == http.MethodGet {
			w.Header().Set("Content-Type", "text/event-stream")
			io.WriteString(w, "id: 1\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"data\":\"log "+secret+"\"}}\n\n")
			return
		}
		var m message
		json.Unmarshal(body, &m)
		switch m.Method {
		case "initialize":
			w.Header().Set("Mcp-Session-Id", "sess-42")
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"jsonrpc":"2.0","id":`+string(m.ID)+`,"result":{}}`)
		case "tools/call":
			w.Header().Set("Content-Type", "text/event-stream")
			io.WriteString(w, "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progress\":1}}\n\n")
			w.(http.Flusher).Flush()
			io.WriteString(w, "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":"+string(m.ID)+",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"key "+secret+"\"}]}}\n\n")
		default:
			w.WriteHeader(http.StatusAccepted)
		}
	}))
	defer up.Close()
	target, _ := url.Parse(up.URL + "/mcp")
	g := testGuard(t, nil)
	local := httptest.NewServer(g.NewHTTP(target, nil))
	defer local.Close()

	do := func(method, body string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, local.URL+"/mcp", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("Mcp-Session-Id", "sess-42")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	init := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}`
	resp, body := do("POST", init)
	if resp.Header.Get("Mcp-Session-Id") != "sess-42" || body != `{"jsonrpc":"2.0","id":1,"result":{}}` {
		t.Errorf("initialize: session %q, body %s", resp.Header.Get("Mcp-Session-Id"), body)
	}
	_, body = do("POST", `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"read","arguments":{}}}`)
	if strings.Contains(body, secret) || !strings.Contains(body, "[REDACTED:github-pat:") || !strings.Contains(body, "notifications/progress") {
		t.Errorf("tools/call stream = %q", body)
	}
	if !strings.HasPrefix(body, "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progress\":1}}\n\n") {
		t.Errorf("clean event changed: %q", body)
	}
	resp, body = do("POST", `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"write","arguments":{"c":"`+secret+`"}}}`)
	if resp.StatusCode != 200 || !strings.Contains(body, `"id":3`) || !strings.Contains(body, `"code":-32602`) || strings.Contains(body, secret) {
		t.Errorf("denied call: %d %s", resp.StatusCode, body)
	}
	_, body = do("GET", "")
	if strings.Contains(body, secret) || !strings.HasPrefix(body, "id: 1\ndata: ") {
		t.Errorf("GET stream = %q", body)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, g := range got {
		if strings.Contains(g, secret) {
			t.Errorf("the server got the secret: %s", g)
		}
	}
	if len(got) != 3 || got[0] != "POST "+init {
		t.Errorf("server got %q", got)
	}
	for _, s := range sessions {
		if s != "sess-42" {
			t.Errorf("Mcp-Session-Id not passed: %q", sessions)
		}
	}
}
