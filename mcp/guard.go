package mcp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/leakguard/leakguard/hooks"
	"github.com/leakguard/leakguard/scanner/redact"
)

// Recorder takes audit events; *hooks.Audit is one.
type Recorder interface {
	Record(hooks.AuditEvent) error
}

// DefaultMaxMessage bounds one JSON-RPC message.
const DefaultMaxMessage = 64 << 20

// ErrorCode is the JSON-RPC error code of a denied tool call (the spec's
// "invalid params").
const ErrorCode = -32602

// Options tune a Guard.
type Options struct {
	// MaxMessage bounds one message; 0 means DefaultMaxMessage.
	MaxMessage int
	// Audit receives one event per message denied or changed.
	Audit Recorder
	// Log receives one line per message denied or changed, never a secret.
	Log io.Writer
}

// Guard decides about messages. It is safe for concurrent use.
type Guard struct {
	red  *redact.Redactor
	opts Options

	mu      sync.Mutex
	pending map[string]string // request id (raw JSON) → method, agent to server
}

// New returns a Guard that scans with red (its Replace is ignored).
func New(red *redact.Redactor, opts Options) *Guard {
	if opts.MaxMessage <= 0 {
		opts.MaxMessage = DefaultMaxMessage
	}
	return &Guard{red: red, opts: opts, pending: map[string]string{}}
}

// message is the part of a JSON-RPC message the guard reads.
type message struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
}

func (m *message) isRequest() bool { return m.Method != "" && len(m.ID) > 0 && string(m.ID) != "null" }

// found collects what a redaction replaced.
type found struct {
	rules, placeholders map[string]bool
}

func (g *Guard) redactor() (*redact.Redactor, *found) {
	f := &found{rules: map[string]bool{}, placeholders: map[string]bool{}}
	r := *g.red
	r.Replace = func(rule, secret string) string {
		ph := redact.Placeholder(rule, secret)
		f.rules[rule] = true
		f.placeholders[ph] = true
		return ph
	}
	return &r, f
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// FromAgent decides about one message (or batch) from the agent. forward
// is what goes to the server (msg itself, or nil when nothing does);
// reply, when set, goes back to the agent at once (the errors of denied
// calls). A message that is not JSON goes on as it came if it holds no
// secret, and is dropped if it does.
func (g *Guard) FromAgent(msg []byte) (forward, reply []byte) {
	trimmed := bytes.TrimSpace(msg)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var batch []json.RawMessage
		if json.Unmarshal(trimmed, &batch) == nil {
			var keep []json.RawMessage
			var replies []json.RawMessage
			for _, m := range batch {
				if r := g.agentMessage(m); r != nil {
					replies = append(replies, r)
					continue
				}
				keep = append(keep, m)
			}
			if len(replies) == 0 {
				return msg, nil
			}
			if len(keep) > 0 {
				forward, _ = json.Marshal(keep)
			}
			reply, _ = json.Marshal(replies)
			return forward, reply
		}
	}
	var m message
	if json.Unmarshal(trimmed, &m) != nil {
		red, f := g.redactor()
		if _, n := red.Text(msg); n > 0 {
			g.record("agent", "", hooks.DecisionBlocked, f, "a message that is not JSON-RPC carries a secret: dropped")
			return nil, nil
		}
		return msg, nil
	}
	if r := g.agentMessage(trimmed); r != nil {
		return nil, r
	}
	return msg, nil
}

// agentMessage returns the error reply when one message from the agent
// is denied, nil when it may go on.
func (g *Guard) agentMessage(raw []byte) []byte {
	var m message
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	if m.isRequest() {
		g.mu.Lock()
		if len(g.pending) < 1<<16 {
			g.pending[string(m.ID)] = m.Method
		}
		g.mu.Unlock()
	}
	if m.Method != "tools/call" || len(m.Params) == 0 {
		return nil
	}
	red, f := g.redactor()
	if _, n, err := red.JSON(m.Params); err != nil || n == 0 {
		return nil
	}
	g.mu.Lock()
	delete(g.pending, string(m.ID))
	g.mu.Unlock()
	var p struct {
		Name string `json:"name"`
	}
	json.Unmarshal(m.Params, &p)
	rules := keys(f.rules)
	g.record("tools/call "+p.Name, "", hooks.DecisionBlocked, f, "")
	if !m.isRequest() {
		return []byte{} // a notification: nothing to answer, nothing sent
	}
	reply, _ := json.Marshal(map[string]any{
		"jsonrpc": "2.0",
		"id":      m.ID,
		"error": map[string]any{
			"code": ErrorCode,
			"message": fmt.Sprintf("leakguard: the arguments of tool %q carry a secret (%s); the call was not sent to the MCP server. Refer to the secret by its placeholder or by where it is stored, never by value.",
				p.Name, strings.Join(rules, ", ")),
			"data": map[string]any{"rules": rules, "placeholders": keys(f.placeholders)},
		},
	})
	return reply
}

// FromServer returns one message (or batch) from the server as it must
// reach the agent: msg itself when it holds no secret, else a copy with
// each secret replaced (and changed true).
func (g *Guard) FromServer(msg []byte) (out []byte, changed bool) {
	red, f := g.redactor()
	out, n, err := red.JSON(msg)
	if err != nil {
		out, n = red.Text(msg)
	}
	if n == 0 {
		return msg, false
	}
	g.record(g.methodOf(msg), "", hooks.DecisionRedacted, f, "")
	return out, true
}

// methodOf names what a server message answers (the request's method), or
// its own method.
func (g *Guard) methodOf(msg []byte) string {
	var m message
	if json.Unmarshal(bytes.TrimSpace(msg), &m) != nil {
		return "server message"
	}
	if m.Method != "" {
		return m.Method
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if meth, ok := g.pending[string(m.ID)]; ok {
		return meth + " result"
	}
	return "result"
}

// answered forgets a request once its response passed.
func (g *Guard) answered(msg []byte) {
	var m message
	if json.Unmarshal(bytes.TrimSpace(msg), &m) != nil || m.Method != "" || len(m.ID) == 0 {
		return
	}
	g.mu.Lock()
	delete(g.pending, string(m.ID))
	g.mu.Unlock()
}

func (g *Guard) record(what, session string, d hooks.Decision, f *found, msg string) {
	rules := keys(f.rules)
	if g.opts.Log != nil {
		verb := "redacted"
		if d == hooks.DecisionBlocked {
			verb = "denied"
		}
		fmt.Fprintf(g.opts.Log, "leakguard mcp: %s %s: %s\n", verb, what, strings.Join(rules, ", "))
	}
	if g.opts.Audit == nil {
		return
	}
	ev := hooks.AuditEvent{Hook: "mcp:" + what, Decision: d, Agent: true, Session: session,
		RuleIDs: rules, Fingerprints: keys(f.placeholders), Error: msg}
	if err := g.opts.Audit.Record(ev); err != nil && g.opts.Log != nil {
		fmt.Fprintf(g.opts.Log, "leakguard mcp: audit: %v\n", err)
	}
}
