package mcp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"

	"github.com/leakguard/leakguard/proxy/sse"
)

// HTTP is a local endpoint for MCP's streamable HTTP transport that relays
// to one server URL: POSTed messages are checked (a denied tools/call is
// answered here, as JSON), and the server's answers (JSON, or SSE streams
// from POST and GET) reach the agent redacted, event by event. Headers
// (Mcp-Session-Id, MCP-Protocol-Version, Authorization, Last-Event-ID) pass
// both ways. An HTTP is an http.Handler, safe for concurrent use.
type HTTP struct {
	g      *Guard
	target *url.URL
	rp     *httputil.ReverseProxy
}

// NewHTTP relays to target with transport (nil: http.DefaultTransport's
// clone, verifying certificates).
func (g *Guard) NewHTTP(target *url.URL, transport http.RoundTripper) *HTTP {
	if transport == nil {
		transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	h := &HTTP{g: g, target: target}
	h.rp = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL = &url.URL{Scheme: target.Scheme, Host: target.Host, Path: target.Path, RawPath: target.RawPath, RawQuery: target.RawQuery}
			pr.Out.Host = target.Host
			pr.Out.Header.Del("Accept-Encoding")
		},
		Transport:      transport,
		FlushInterval:  -1,
		ModifyResponse: h.modifyResponse,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
				return
			}
			http.Error(w, fmt.Sprintf("leakguard mcp: MCP server %s: %v", target.Host, err), http.StatusBadGateway)
		},
	}
	return h
}

func (h *HTTP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		body, err := io.ReadAll(io.LimitReader(r.Body, int64(h.g.opts.MaxMessage)+1))
		if err != nil {
			http.Error(w, "leakguard mcp: read request: "+err.Error(), http.StatusBadRequest)
			return
		}
		if len(body) > h.g.opts.MaxMessage {
			http.Error(w, "leakguard mcp: message too long to scan; not sent to the MCP server", http.StatusRequestEntityTooLarge)
			return
		}
		fwd, reply := h.g.FromAgent(body)
		if reply != nil || fwd == nil {
			// A denied call (or a batch holding one) is answered here and
			// nothing of it goes on.
			if len(reply) == 0 {
				w.WriteHeader(http.StatusAccepted)
				return
			}
			if fwd != nil {
				reply = deniedWithBatch(reply, fwd)
			}
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(len(reply)))
			w.Write(reply)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
	}
	h.rp.ServeHTTP(w, r)
}

// deniedWithBatch: a batch with a call denied is denied whole over HTTP
// (one POST, one answer), its other requests answered with an error too.
func deniedWithBatch(reply, rest []byte) []byte {
	var replies, others []json.RawMessage
	json.Unmarshal(reply, &replies)
	json.Unmarshal(rest, &others)
	for _, o := range others {
		var m message
		if json.Unmarshal(o, &m) == nil && m.isRequest() {
			replies = append(replies, errorReply(m.ID, ErrorCode, "leakguard: not sent: another call of its batch carries a secret"))
		}
	}
	out, _ := json.Marshal(replies)
	return out
}

func (h *HTTP) modifyResponse(resp *http.Response) error {
	if resp.Body == nil || resp.Body == http.NoBody {
		return nil
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	switch mt {
	case "application/json":
		data, err := io.ReadAll(io.LimitReader(resp.Body, int64(h.g.opts.MaxMessage)+1))
		resp.Body.Close()
		if err != nil {
			return fmt.Errorf("read MCP server answer: %w", err)
		}
		if len(data) > h.g.opts.MaxMessage {
			return fmt.Errorf("MCP server answer too long to scan")
		}
		out, _ := h.g.FromServer(data)
		h.g.answered(data)
		resp.Body = io.NopCloser(bytes.NewReader(out))
		resp.ContentLength = int64(len(out))
		resp.Header.Set("Content-Length", strconv.Itoa(len(out)))
	case "text/event-stream":
		resp.Body = &sseBody{g: h.g, src: resp.Body, r: sse.NewReader(resp.Body, h.g.opts.MaxMessage)}
	}
	return nil
}

// sseBody redacts an SSE stream of JSON-RPC messages event by event.
type sseBody struct {
	g       *Guard
	src     io.ReadCloser
	r       *sse.Reader
	pending []byte
	err     error
}

func (b *sseBody) Read(p []byte) (int, error) {
	for len(b.pending) == 0 && b.err == nil {
		ev, err := b.r.Next()
		switch {
		case err == nil && ev.HasData:
			out, changed := b.g.FromServer(ev.Data)
			b.g.answered(ev.Data)
			b.pending = ev.Raw
			if changed {
				b.pending = ev.WithData(out)
			}
		case err == nil:
			b.pending = ev.Raw
		case errors.Is(err, sse.ErrTooLong):
			// Too long to scan: withheld, and the stream ends.
			b.err = fmt.Errorf("leakguard mcp: an event of the MCP server's stream was too long to scan")
		default:
			b.err = err
		}
	}
	if len(b.pending) > 0 {
		n := copy(p, b.pending)
		b.pending = b.pending[n:]
		return n, nil
	}
	return 0, b.err
}

func (b *sseBody) Close() error { return b.src.Close() }
