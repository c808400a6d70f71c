package transcript

import "bytes"

// DefaultMaxEmbedded is how many levels of JSON held inside JSON strings the
// walker descends into by default.
const DefaultMaxEmbedded = 16

// maxTools bounds the tool-call ids a Walker remembers.
const maxTools = 1 << 16

// Value is one decoded JSON string value.
type Value struct {
	// Data is the decoded string. It may alias the document given to Walk
	// and is never reused by the walker, so it may be kept.
	Data []byte
	// Pointer is the JSON Pointer of the string; inside a string that holds
	// JSON, the pointer continues after '#': /tool_calls/0/function/arguments#/password.
	Pointer string
	// Line is the input line the string starts on (for an embedded string,
	// the line of the string that holds it).
	Line int
	// Role, Tool and Session describe where the string sits in the
	// conversation, as far as the document says.
	Role, Tool, Session string
	// Embedded counts the JSON-in-string levels above this string.
	Embedded int
	// Name is the raw token of the member name the string is the value
	// of, quotes included (nil for an array element): see MemberContext.
	Name []byte
}

// Walker decodes and visits every string value of JSON documents. It
// remembers tool-call ids and the session id from one document to the next,
// so that a tool result logged on a later line than its call still names
// the tool: use one Walker per file. A Walker is not safe for concurrent use.
type Walker struct {
	// MaxEmbedded is how many levels of JSON inside strings are walked; 0
	// means DefaultMaxEmbedded, a negative value none.
	MaxEmbedded int
	// MaxDepth bounds object and array nesting; 0 means DefaultMaxDepth.
	MaxDepth int

	parsers []*parser // one per embedding level
	tools   map[string]string
	session string
	arena   []byte
}

// Session returns the session id seen last.
func (w *Walker) Session() string { return w.session }

func (w *Walker) parser(level int) *parser {
	for len(w.parsers) <= level {
		md := w.MaxDepth
		if md <= 0 {
			md = DefaultMaxDepth
		}
		w.parsers = append(w.parsers, &parser{maxDepth: md})
	}
	return w.parsers[level]
}

func (w *Walker) maxEmbedded() int {
	switch {
	case w.MaxEmbedded == 0:
		return DefaultMaxEmbedded
	case w.MaxEmbedded < 0:
		return 0
	}
	return w.MaxEmbedded
}

// Walk parses doc, one JSON value, and calls visit for each of its string
// values (member names excluded) in document order, each string followed
// by the strings of the JSON it holds, if any. line is the input line doc
// starts on. If doc is not valid JSON, Walk returns an error wrapping
// ErrSyntax (or ErrTooDeep) before visiting anything. Walk stops at visit's
// first error and returns it.
func (w *Walker) Walk(doc []byte, line int, visit func(Value) error) error {
	p := w.parser(0)
	if err := p.parse(doc); err != nil {
		return err
	}
	w.arena = nil
	return w.visitDoc(0, p, line, "", where{}, visit)
}

type where struct{ role, tool string }

func (w *Walker) visitDoc(level int, p *parser, line int, prefix string, outer where, visit func(Value) error) error {
	if level == 0 {
		w.noteSession(p)
	}
	docTool := w.registerTools(p)
	for i := range p.strs {
		t := p.strs[i]
		data := p.buf[t.start+1 : t.end-1]
		if t.esc {
			n := len(w.arena)
			w.arena = appendUnescaped(w.arena, data)
			data = w.arena[n:len(w.arena):len(w.arena)]
		}
		ctx := where{role: w.role(p, t.obj), tool: w.tool(p, t.obj)}
		if ctx.role == "" {
			ctx.role = outer.role
		}
		if ctx.tool == "" {
			ctx.tool = outer.tool
		}
		if ctx.tool == "" {
			ctx.tool = docTool
		}
		v := Value{Data: data, Pointer: prefix + t.path, Line: line + t.line, Role: ctx.role, Tool: ctx.tool, Session: w.session, Embedded: level}
		if t.ne > t.ns {
			v.Name = p.buf[t.ns:t.ne]
		}
		if err := visit(v); err != nil {
			return err
		}
		if level >= w.maxEmbedded() || !looksJSON(data) {
			continue
		}
		child := w.parser(level + 1)
		if child.parse(data) != nil {
			continue
		}
		if err := w.visitDoc(level+1, child, v.Line, v.Pointer+"#", ctx, visit); err != nil {
			return err
		}
	}
	return nil
}

// looksJSON is a cheap test for an object or array.
func looksJSON(b []byte) bool {
	b = bytes.TrimSpace(b)
	if len(b) < 2 {
		return false
	}
	f, l := b[0], b[len(b)-1]
	return (f == '{' && l == '}') || (f == '[' && l == ']')
}

// noteSession takes the session id from the document's root object, or
// from the payload of a session-meta record.
func (w *Walker) noteSession(p *parser) {
	if !p.rootObj || len(p.objs) == 0 {
		return
	}
	root := &p.objs[0]
	if root.session != "" {
		w.session = root.session
		return
	}
	if root.typ != "session_meta" && root.typ != "session" {
		return
	}
	for i := 1; i < len(p.objs); i++ {
		o := &p.objs[i]
		if o.parent == 0 && o.key == kPayload {
			switch {
			case o.session != "":
				w.session = o.session
			case o.id != "":
				w.session = o.id
			}
			return
		}
	}
}

// toolName returns the tool an object calls, if it is a tool call.
func toolName(o *objInfo) string {
	if o.name == "" {
		return ""
	}
	if o.hasArgs || o.key == kFunction || isToolType(o.typ) {
		return o.name
	}
	return ""
}

func isToolType(t string) bool {
	switch t {
	case "tool_use", "server_tool_use", "mcp_tool_use", "function_call", "custom_tool_call", "local_shell_call", "function", "tool_call":
		return true
	}
	return false
}

// registerTools remembers the ids of the tool calls in p and returns the
// one tool the document is about, if it names exactly one.
func (w *Walker) registerTools(p *parser) string {
	one, many := "", false
	seen := func(n string) {
		if one == "" {
			one = n
		} else if one != n {
			many = true
		}
	}
	for i := range p.objs {
		o := &p.objs[i]
		n := toolName(o)
		if n == "" {
			if ref := firstNonEmpty(o.ref, o.callID); ref != "" && w.tools[ref] != "" {
				seen(w.tools[ref])
			}
			continue
		}
		seen(n)
		w.addTool(o.id, n)
		w.addTool(o.callID, n)
		if o.key == kFunction && o.parent >= 0 {
			w.addTool(p.objs[o.parent].id, n)
			w.addTool(p.objs[o.parent].callID, n)
		}
	}
	if many {
		return ""
	}
	return one
}

func (w *Walker) addTool(id, name string) {
	if id == "" {
		return
	}
	if w.tools == nil || len(w.tools) >= maxTools {
		w.tools = map[string]string{}
	}
	w.tools[id] = name
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// role finds the role of a string in object i: the nearest role member,
// or a tool call's or result's type, or the root object's type.
func (w *Walker) role(p *parser, i int32) string {
	for ; i >= 0; i = p.objs[i].parent {
		o := &p.objs[i]
		if o.role != "" {
			return o.role
		}
		switch o.typ {
		case "tool_use", "server_tool_use", "mcp_tool_use", "function_call", "custom_tool_call", "local_shell_call":
			return "assistant"
		case "tool_result", "function_call_output", "custom_tool_call_output", "mcp_tool_result":
			return "tool"
		case "user", "assistant", "system", "developer", "gemini", "model":
			return o.typ // Gemini CLI and Claude Code records carry the role as their type
		}
	}
	if p.rootObj && len(p.objs) > 0 {
		switch t := p.objs[0].typ; t {
		case "user", "assistant", "system", "developer", "tool", "gemini", "model":
			return t
		}
	}
	return ""
}

// tool finds the tool of a string in object i: the nearest tool call, or
// the call a tool result refers to.
func (w *Walker) tool(p *parser, i int32) string {
	for ; i >= 0; i = p.objs[i].parent {
		o := &p.objs[i]
		if n := toolName(o); n != "" {
			return n
		}
		if ref := firstNonEmpty(o.ref, o.callID); ref != "" {
			if n := w.tools[ref]; n != "" {
				return n
			}
		}
	}
	return ""
}
