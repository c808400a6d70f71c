package proxy

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leakguard/leakguard/hooks"
	"github.com/leakguard/leakguard/proxy/sse"
)

// streams are one response of each API whose text carries secret split
// across two deltas.
func streams(secret string) map[string]struct {
	path   string
	events []string
} {
	a, b := secret[:10], secret[10:]
	return map[string]struct {
		path   string
		events []string
	}{
		"anthropic": {"/v1/messages", []string{
			"event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m1\",\"content\":[]}}\n\n",
			"event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
			"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Here: " + a + "\"}}\n\n",
			"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + b + " done\\nnext line\"}}\n\n",
			"event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
			"event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
		}},
		"openai chat": {"/v1/chat/completions", []string{
			"data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Here: " + a + "\"}}]}\n\n",
			"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + b + " done\\nnext\"}}]}\n\n",
			"data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
			"data: [DONE]\n\n",
		}},
		"openai responses": {"/v1/responses", []string{
			"event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"item_id\":\"i1\",\"output_index\":0,\"content_index\":0,\"delta\":\"Here: " + a + "\"}\n\n",
			"event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"item_id\":\"i1\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + b + " done\\nnext\"}\n\n",
			"event: response.output_text.done\ndata: {\"type\":\"response.output_text.done\",\"item_id\":\"i1\",\"text\":\"Here: " + secret + " done\\nnext\"}\n\n",
		}},
		"gemini": {"/v1beta/models/g:streamGenerateContent?alt=sse", []string{
			"data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Here: " + a + "\"}]},\"index\":0}]}\r\n\r\n",
			"data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"" + b + " done\\nnext\"}]},\"finishReason\":\"STOP\",\"index\":0}]}\r\n\r\n",
		}},
	}
}

func sseHandler(events []string, between func()) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i, ev := range events {
			io.WriteString(w, ev)
			w.(http.Flusher).Flush()
			if i == 0 && between != nil {
				between()
			}
		}
	}
}

func streamText(t *testing.T, p Provider, stream string) string {
	t.Helper()
	r := sse.NewReader(strings.NewReader(stream), 0)
	var text strings.Builder
	for {
		ev, err := r.Next()
		if err != nil {
			break
		}
		if !ev.HasData || string(ev.Data) == "[DONE]" {
			continue
		}
		v, ok := decodeEvent(ev.Data)
		if !ok {
			t.Fatalf("event data is not JSON: %q", ev.Data)
		}
		for _, d := range deltas(p, v) {
			text.WriteString(d.text)
		}
	}
	return text.String()
}

func TestOutputSecretFlaggedStreamUnchanged(t *testing.T) {
	secret := fakeGitHubToken(10)
	for name, tc := range streams(secret) {
		t.Run(name, func(t *testing.T) {
			up := newUpstream(t, sseHandler(tc.events, nil))
			audit := &memAudit{}
			_, url := newTestProxy(t, up, Options{Audit: audit})
			_, body := post(t, url, tc.path, `{"stream":true}`, nil)
			if want := strings.Join(tc.events, ""); body != want {
				t.Errorf("stream changed without --mask-output:\n got %q\nwant %q", body, want)
			}
			evs := audit.events()
			if len(evs) != 1 || evs[0].Decision != hooks.DecisionFlagged || !reflect.DeepEqual(evs[0].RuleIDs, []string{"github-pat"}) {
				t.Errorf("audit = %+v, want one flagged github-pat", evs)
			}
		})
	}
}

func TestOutputSecretMasked(t *testing.T) {
	secret := fakeGitHubToken(11)
	for name, tc := range streams(secret) {
		t.Run(name, func(t *testing.T) {
			p := map[string]Provider{"anthropic": Anthropic, "gemini": Gemini}[name]
			if p == "" {
				p = OpenAI
			}
			up := newUpstream(t, sseHandler(tc.events, nil))
			audit := &memAudit{}
			_, url := newTestProxy(t, up, Options{Audit: audit, MaskOutput: true})
			_, body := post(t, url, tc.path, `{"stream":true}`, nil)
			if strings.Contains(body, secret) || strings.Contains(body, secret[10:]) {
				t.Fatalf("the secret reached the agent:\n%s", body)
			}
			want := "Here: " + placeholderIn(body) + " done\nnext"
			if got := streamText(t, p, body); got != want && got != want+" line" {
				t.Errorf("streamed text = %q, want %q", got, want)
			}
			if evs := audit.events(); len(evs) != 1 || evs[0].Decision != hooks.DecisionRedacted {
				t.Errorf("audit = %+v, want one redacted", evs)
			}
		})
	}
}

// TestStreamNotBuffered: the first event reaches the agent while the
// upstream still holds the rest back.
func TestStreamNotBuffered(t *testing.T) {
	for _, mask := range []bool{false, true} {
		release := make(chan struct{})
		tc := streams(fakeGitHubToken(12))["anthropic"]
		up := newUpstream(t, sseHandler(tc.events, func() {
			select {
			case <-release:
			case <-time.After(10 * time.Second):
			}
		}))
		_, url := newTestProxy(t, up, Options{MaskOutput: mask})
		resp, err := http.Post(url+"/v1/messages", "application/json", strings.NewReader(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		got := make(chan string, 1)
		go func() {
			ev, _ := sse.NewReader(resp.Body, 0).Next()
			got <- string(ev.Raw)
		}()
		select {
		case ev := <-got:
			if ev != tc.events[0] {
				t.Errorf("first event = %q, want %q", ev, tc.events[0])
			}
		case <-time.After(5 * time.Second):
			t.Errorf("mask=%v: the first event did not arrive before the upstream sent the rest: the proxy buffers", mask)
		}
		close(release)
		resp.Body.Close()
	}
}

func TestUpstreamDropsMidStream(t *testing.T) {
	tc := streams(fakeGitHubToken(13))["anthropic"]
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ok" {
			w.Write([]byte(`{}`))
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, tc.events[0]+tc.events[1][:20])
		w.(http.Flusher).Flush()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	_, url := newTestProxy(t, up, Options{})
	resp, err := http.Post(url+"/v1/messages", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := io.ReadAll(resp.Body)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Error("a stream cut upstream ended cleanly at the agent; want an error so it retries")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the agent hangs after the upstream dropped the stream")
	}
	// The proxy lives on.
	r2, err := http.Post(url+"/v1/messages/count_tokens", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatalf("proxy gone after a dropped stream: %v", err)
	}
	r2.Body.Close()
}

func TestSlowUpstreamAgentTimeout(t *testing.T) {
	cancelled := make(chan struct{})
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
			close(cancelled)
		case <-time.After(20 * time.Second):
		}
	})
	_, url := newTestProxy(t, up, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", url+"/v1/messages", strings.NewReader(`{}`))
	start := time.Now()
	_, err := http.DefaultClient.Do(req)
	if err == nil {
		t.Fatal("want the agent's own timeout")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the agent waited %v past its 300ms timeout", d)
	}
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Error("the upstream request was not cancelled when the agent gave up")
	}
}

func TestNonStreamedOutput(t *testing.T) {
	secret := fakeGitHubToken(14)
	resp := mustJSON(t, map[string]any{"content": []any{map[string]any{"type": "text", "text": "key " + secret}}})
	for _, mask := range []bool{false, true} {
		up := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, resp)
		})
		audit := &memAudit{}
		_, url := newTestProxy(t, up, Options{Audit: audit, MaskOutput: mask})
		_, body := post(t, url, "/v1/messages", `{}`, nil)
		if mask == strings.Contains(body, secret) {
			t.Errorf("mask=%v: body %s", mask, body)
		}
		if mask && !json.Valid([]byte(body)) {
			t.Errorf("masked body is not JSON: %s", body)
		}
		if evs := audit.events(); len(evs) != 1 {
			t.Errorf("mask=%v: audit = %+v", mask, evs)
		}
	}
}

func TestReleasable(t *testing.T) {
	pemHead := "-----BEGIN " + "RSA PRIVATE KEY-----\n"
	tests := []struct {
		in        string
		final     bool
		rel, rest string
	}{
		{"abc", false, "", "abc"},
		{"a\nb", false, "a\n", "b"},
		{"a\nb", true, "a\nb", ""},
		{"x\n" + pemHead + "MII\n", false, "x\n", pemHead + "MII\n"},
	}
	for _, tt := range tests {
		rel, rest := releasable(tt.in, tt.final)
		if rel != tt.rel || rest != tt.rest {
			t.Errorf("releasable(%q, %v) = %q, %q; want %q, %q", tt.in, tt.final, rel, rest, tt.rel, tt.rest)
		}
	}
	_ = bufio.NewReader
}
