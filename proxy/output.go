package proxy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/leakguard/leakguard/hooks"
	"github.com/leakguard/leakguard/proxy/sse"
	"github.com/leakguard/leakguard/scanner/redact"
)

// modifyResponse puts the output scanner between the upstream's body and
// the agent.
func (px *Proxy) modifyResponse(resp *http.Response) error {
	c := callOf(resp.Request.Context())
	if c == nil || resp.Body == nil || resp.Body == http.NoBody {
		return nil
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	rp := px.sessions.begin(c.session)
	red := *px.red
	red.Replace = rp.replace
	o := &output{px: px, c: c, src: resp.Body, red: &red, rp: rp, mask: px.opts.MaskOutput}
	switch {
	case mt == "text/event-stream":
		o.events = sse.NewReader(resp.Body, 0)
		o.texts = map[string]*strings.Builder{}
		o.held = map[string]*held{}
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		if px.opts.MaskOutput {
			return px.maskWhole(resp, o)
		}
		o.tee = &bytes.Buffer{}
	default:
		return nil
	}
	resp.Body = o
	return nil
}

// maskWhole reads a non-streamed response whole and redacts it.
func (px *Proxy) maskWhole(resp *http.Response, o *output) error {
	data, err := io.ReadAll(io.LimitReader(resp.Body, px.opts.MaxBody+1))
	if err != nil {
		resp.Body.Close()
		return fmt.Errorf("read upstream response: %w", err)
	}
	if int64(len(data)) > px.opts.MaxBody {
		// Too long to hold: flag what fits, pass the rest.
		o.tee = &bytes.Buffer{}
		o.tee.Write(data[:px.opts.MaxOutputScan])
		o.pending = data
		resp.Body = o
		return nil
	}
	resp.Body.Close()
	red, n, err := o.red.JSON(data)
	if err != nil {
		red, n = o.red.Text(data)
	}
	if n > 0 {
		data = red
		resp.Header.Del("Content-Length")
		resp.ContentLength = int64(len(data))
		resp.Header.Set("Content-Length", strconv.Itoa(len(data)))
	}
	o.src = io.NopCloser(nil)
	o.pending = data
	o.done = true
	o.finish()
	resp.Body = o
	return nil
}

// output is a response body on its way to the agent.
type output struct {
	px   *Proxy
	c    *call
	src  io.ReadCloser
	red  *redact.Redactor
	rp   *replacements
	mask bool

	events *sse.Reader
	tee    *bytes.Buffer // non-streamed: what is kept to scan

	texts  map[string]*strings.Builder // streamed deltas by block (flag)
	order  []string
	kept   int
	held   map[string]*held // streamed text not yet released (mask)
	horder []string

	pending []byte // bytes ready for the agent
	rawRest bool   // pass the rest as it comes (an event too long to scan)
	err     error  // returned once pending is drained
	done    bool
	once    sync.Once
}

// held is a block's text kept back until a line (or the block) is whole,
// with the last event that carried it, to carry the rest.
type held struct {
	text string
	ev   sse.Event
	path []any
}

func (o *output) Read(p []byte) (int, error) {
	for len(o.pending) == 0 && o.err == nil && !o.done {
		o.step()
	}
	if len(o.pending) > 0 {
		n := copy(p, o.pending)
		o.pending = o.pending[n:]
		return n, nil
	}
	if o.err != nil {
		return 0, o.err
	}
	return 0, io.EOF
}

// step reads the next piece from upstream into pending.
func (o *output) step() {
	if o.events == nil || o.rawRest {
		buf := make([]byte, 32<<10)
		var src io.Reader = o.src
		if o.events != nil {
			src = o.events.Rest()
		}
		n, err := src.Read(buf)
		if o.tee != nil && o.tee.Len() < o.px.opts.MaxOutputScan {
			o.tee.Write(buf[:min(n, o.px.opts.MaxOutputScan-o.tee.Len())])
		}
		o.pending = append(o.pending[:0], buf[:n]...)
		o.end(err)
		return
	}
	ev, err := o.events.Next()
	switch {
	case err == nil:
		o.pending = append(o.pending[:0], o.event(ev)...)
	case errors.Is(err, io.EOF):
		o.pending = o.flushHeld(o.pending[:0])
		o.end(io.EOF)
	case errors.Is(err, sse.ErrTooLong):
		// Too long to scan: pass it and what follows as it comes.
		o.pending = o.flushHeld(o.pending[:0])
		o.pending = append(o.pending, ev.Raw...)
		o.rawRest = true
		o.px.record(hooks.AuditEvent{Hook: "proxy-response:" + o.c.path, Decision: hooks.DecisionError, Agent: true,
			AgentName: o.c.agent, Session: o.c.session, Error: "response event too long to scan; passed unscanned"})
	default:
		o.pending = o.flushHeld(append(o.pending[:0], ev.Raw...))
		o.end(err)
	}
}

func (o *output) end(err error) {
	if err == nil {
		return
	}
	if errors.Is(err, io.EOF) {
		o.done = true
	} else {
		o.err = err
	}
	o.finish()
}

// event handles one streamed event and returns the bytes to send.
func (o *output) event(ev sse.Event) []byte {
	if !ev.HasData {
		return ev.Raw
	}
	v, ok := decodeEvent(ev.Data)
	if !ok {
		// [DONE] and other non-JSON data: a block boundary.
		if o.mask {
			return append(o.flushHeld(nil), ev.Raw...)
		}
		return ev.Raw
	}
	ds := deltas(o.c.provider, v)
	if !o.mask {
		for _, d := range ds {
			o.collect(d.key, d.text)
		}
		if len(ds) == 0 {
			o.red.JSON(ev.Data) // recorded through Replace
		}
		return ev.Raw
	}
	if len(ds) == 0 {
		out := o.flushHeld(nil)
		if red, n, err := o.red.JSON(ev.Data); err == nil && n > 0 {
			return append(out, ev.WithData(red)...)
		}
		return append(out, ev.Raw...)
	}
	changed := false
	for _, d := range ds {
		h := o.held[d.key]
		if h == nil {
			h = &held{}
			o.held[d.key] = h
			o.horder = append(o.horder, d.key)
		}
		all := h.text + d.text
		rel, rest := releasable(all, d.final)
		out := rel
		if rel != "" {
			out, _ = o.text(rel)
		}
		h.text, h.ev, h.path = rest, ev, d.path
		if out != d.text {
			changed = true
			setPath(v, d.path, out)
		}
	}
	if !changed {
		return ev.Raw
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ev.Raw
	}
	return ev.WithData(b)
}

func (o *output) text(s string) (string, int) {
	red, n := o.red.Text([]byte(s))
	return string(red), n
}

// releasable splits a block's held text into what can go now (whole
// lines, redacted on the way) and what waits: the last partial line, and
// from a PEM header on until its footer. A block's end, or more than 64 KiB
// held, releases everything.
func releasable(s string, final bool) (rel, rest string) {
	if final || len(s) > 64<<10 {
		return s, ""
	}
	i := strings.LastIndexByte(s, '\n')
	if i < 0 {
		return "", s
	}
	rel, rest = s[:i+1], s[i+1:]
	if b := strings.LastIndex(rel, "-----BEGIN"); b >= 0 && !strings.Contains(rel[b:], "-----END") {
		rel, rest = rel[:b], rel[b:]+rest
	}
	return rel, rest
}

// flushHeld appends events that release every block's held text.
func (o *output) flushHeld(dst []byte) []byte {
	for _, k := range o.horder {
		h := o.held[k]
		if h.text == "" {
			continue
		}
		out, _ := o.text(h.text)
		h.text = ""
		v, ok := decodeEvent(h.ev.Data)
		if !ok {
			continue
		}
		// The template event's other deltas must not repeat.
		for _, d := range deltas(o.c.provider, v) {
			setPath(v, d.path, "")
		}
		setPath(v, h.path, out)
		b, err := json.Marshal(v)
		if err != nil {
			continue
		}
		dst = append(dst, h.ev.WithData(b)...)
	}
	return dst
}

func (o *output) collect(key, text string) {
	if o.kept+len(text) > o.px.opts.MaxOutputScan {
		return
	}
	b := o.texts[key]
	if b == nil {
		b = &strings.Builder{}
		o.texts[key] = b
		o.order = append(o.order, key)
	}
	b.WriteString(text)
	o.kept += len(text)
}

// finish scans what was kept and records what the model wrote.
func (o *output) finish() {
	o.once.Do(func() {
		for _, k := range o.order {
			o.red.Text([]byte(o.texts[k].String()))
		}
		if o.tee != nil && o.tee.Len() > 0 {
			if _, _, err := o.red.JSON(o.tee.Bytes()); err != nil {
				o.red.Text(o.tee.Bytes())
			}
		}
		if !o.rp.any() {
			return
		}
		rules, fps := o.rp.lists()
		d := hooks.DecisionFlagged
		if o.mask {
			d = hooks.DecisionRedacted
		}
		o.px.record(hooks.AuditEvent{Hook: "proxy-response:" + o.c.path, Decision: d, Agent: true, AgentName: o.c.agent,
			Session: o.c.session, RuleIDs: rules, Fingerprints: fps})
		o.px.logf("model output of %s has %d secret(s) (%s): %s", o.c.path, len(fps), strings.Join(rules, ", "), d)
	})
}

func (o *output) Close() error {
	o.finish()
	return o.src.Close()
}
