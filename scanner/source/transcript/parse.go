package transcript

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// Errors the walker returns, wrapped with the offset they were found at.
var (
	// ErrSyntax means the input is not one JSON value (with surrounding
	// whitespace).
	ErrSyntax = errors.New("transcript: not valid JSON")
	// ErrTooDeep means the input nests deeper than the walker's MaxDepth.
	ErrTooDeep = errors.New("transcript: JSON nested too deep")
)

// DefaultMaxDepth bounds how deep objects and arrays may nest in one
// document. It is a memory bound, not a stack bound: the walker keeps its
// own stack.
const DefaultMaxDepth = 1 << 20

// key codes: the member names the walker remembers about an object.
const (
	kOther uint8 = iota
	kRole
	kType
	kName
	kID
	kCallID   // call_id: a Codex call's own id, or a reference to one
	kRef      // tool_use_id, tool_call_id: a reference to a tool call
	kSession  // sessionId, session_id
	kArgs     // input, arguments, args, response: a tool call's payload
	kFunction // function: OpenAI's {name, arguments} inside a tool call
	kPayload  // payload: Codex's event body
)

func keyCode(k []byte) uint8 {
	switch string(k) {
	case "role":
		return kRole
	case "type":
		return kType
	case "name", "tool_name":
		return kName
	case "id":
		return kID
	case "call_id", "callId":
		return kCallID
	case "tool_use_id", "tool_call_id", "toolUseId", "toolCallId":
		return kRef
	case "sessionId", "session_id":
		return kSession
	case "input", "arguments", "args", "response", "tool_input":
		return kArgs
	case "function":
		return kFunction
	case "payload":
		return kPayload
	}
	return kOther
}

// strTok is one string value of a parsed document.
type strTok struct {
	start, end int // raw span, quotes included
	esc        bool
	obj        int32 // enclosing object, -1 for none
	line       int   // 0-based line within the document
	path       string
	// ns, ne: raw span of the member name the string is the value of,
	// quotes included; ne is 0 for array elements and the root.
	ns, ne int
}

// objInfo is what the walker remembers of one object.
type objInfo struct {
	parent  int32 // nearest enclosing object, -1 for none
	key     uint8 // code of the member this object is the value of
	hasArgs bool
	role    string
	typ     string
	name    string
	id      string
	callID  string
	ref     string
	session string
}

type frame struct {
	arr     bool
	n       int
	pathLen int
	obj     int32 // this object's index, or the enclosing object's for arrays
	key     uint8 // code of the current member (objects)
	ns, ne  int   // raw span of the current member's name (objects)
}

// parser tokenizes one JSON document iteratively.
type parser struct {
	buf      []byte
	pos      int
	line     int
	maxDepth int
	path     []byte
	frames   []frame
	strs     []strTok
	objs     []objInfo
	scratch  []byte
	noPaths  bool // redaction needs spans only
	rootObj  bool // the document is an object (objs[0] is its root)
}

func (p *parser) reset(buf []byte) {
	p.buf, p.pos, p.line = buf, 0, 0
	p.path = p.path[:0]
	p.frames = p.frames[:0]
	p.strs = p.strs[:0]
	p.objs = p.objs[:0]
}

func (p *parser) fail(what string) error {
	return fmt.Errorf("%w: %s at offset %d", ErrSyntax, what, p.pos)
}

func (p *parser) ws() {
	for p.pos < len(p.buf) {
		switch p.buf[p.pos] {
		case '\n':
			p.line++
		case ' ', '\t', '\r':
		default:
			return
		}
		p.pos++
	}
}

func (p *parser) curObj() int32 {
	if len(p.frames) == 0 {
		return -1
	}
	return p.frames[len(p.frames)-1].obj
}

func (p *parser) memberKey() uint8 {
	if len(p.frames) == 0 || p.frames[len(p.frames)-1].arr {
		return kOther
	}
	return p.frames[len(p.frames)-1].key
}

// parse reads exactly one JSON value, with whitespace around it, from buf.
func (p *parser) parse(buf []byte) error {
	p.reset(buf)
	p.ws()
	if p.pos >= len(p.buf) {
		return p.fail("empty input")
	}
	p.rootObj = p.buf[p.pos] == '{'
	if err := p.value(); err != nil {
		return err
	}
	p.ws()
	if p.pos != len(p.buf) {
		return p.fail("data after the JSON value")
	}
	return nil
}

// value parses the value at p.pos and everything nested in it.
func (p *parser) value() error {
	for {
		if p.pos >= len(p.buf) {
			return p.fail("unexpected end")
		}
		switch c := p.buf[p.pos]; c {
		case '{', '[':
			if len(p.frames) >= p.maxDepth {
				return fmt.Errorf("%w (more than %d levels)", ErrTooDeep, p.maxDepth)
			}
			f := frame{arr: c == '[', pathLen: len(p.path), obj: p.curObj()}
			if c == '{' {
				p.objs = append(p.objs, objInfo{parent: p.curObj(), key: p.memberKey()})
				f.obj = int32(len(p.objs) - 1)
			}
			p.frames = append(p.frames, f)
			p.pos++
			p.ws()
			if p.pos < len(p.buf) && p.buf[p.pos] == c+2 { // '}' or ']'
				p.pos++
				p.frames = p.frames[:len(p.frames)-1]
				break
			}
			if c == '[' {
				p.path = append(p.path, "/0"...)
			} else if err := p.member(); err != nil {
				return err
			}
			continue
		case '"':
			start := p.pos
			esc, err := p.skipString()
			if err != nil {
				return err
			}
			t := strTok{start: start, end: p.pos, esc: esc, obj: p.curObj(), line: p.line}
			if n := len(p.frames); n > 0 && !p.frames[n-1].arr {
				t.ns, t.ne = p.frames[n-1].ns, p.frames[n-1].ne
			}
			if !p.noPaths {
				t.path = string(p.path)
			}
			p.strs = append(p.strs, t)
			if t.obj >= 0 && !p.frames[len(p.frames)-1].arr {
				p.attr(t)
			}
		case 't':
			if err := p.literal("true"); err != nil {
				return err
			}
		case 'f':
			if err := p.literal("false"); err != nil {
				return err
			}
		case 'n':
			if err := p.literal("null"); err != nil {
				return err
			}
		default:
			if c != '-' && (c < '0' || c > '9') {
				return p.fail(fmt.Sprintf("unexpected %q", c))
			}
			p.number()
		}
		if p.mark() {
			p.hasArgs()
		}
		// After a value: close containers or move to the next element.
		for {
			p.ws()
			if len(p.frames) == 0 {
				return nil
			}
			if p.pos >= len(p.buf) {
				return p.fail("unexpected end")
			}
			top := &p.frames[len(p.frames)-1]
			c := p.buf[p.pos]
			if c == ',' {
				p.pos++
				p.ws()
				p.path = p.path[:top.pathLen]
				if top.arr {
					top.n++
					p.path = append(p.path, '/')
					p.path = strconv.AppendInt(p.path, int64(top.n), 10)
				} else if err := p.member(); err != nil {
					return err
				}
				break
			}
			if (top.arr && c == ']') || (!top.arr && c == '}') {
				p.pos++
				p.path = p.path[:top.pathLen]
				p.frames = p.frames[:len(p.frames)-1]
				if p.mark() {
					p.hasArgs()
				}
				continue
			}
			return p.fail(fmt.Sprintf("unexpected %q", c))
		}
	}
}

// mark reports whether the value just finished was a member whose name
// marks a tool call's arguments.
func (p *parser) mark() bool {
	return len(p.frames) > 0 && !p.frames[len(p.frames)-1].arr && p.frames[len(p.frames)-1].key == kArgs
}

func (p *parser) hasArgs() { p.objs[p.frames[len(p.frames)-1].obj].hasArgs = true }

// member reads `"key":` and points the path at the member.
func (p *parser) member() error {
	if p.pos >= len(p.buf) || p.buf[p.pos] != '"' {
		return p.fail("expected a member name")
	}
	start := p.pos
	esc, err := p.skipString()
	if err != nil {
		return err
	}
	key := p.buf[start+1 : p.pos-1]
	if esc {
		p.scratch = appendUnescaped(p.scratch[:0], key)
		key = p.scratch
	}
	top := &p.frames[len(p.frames)-1]
	top.key = keyCode(key)
	top.ns, top.ne = start, p.pos
	p.path = append(p.path, '/')
	if bytes.IndexByte(key, '~') < 0 && bytes.IndexByte(key, '/') < 0 {
		p.path = append(p.path, key...)
	} else {
		for _, b := range key {
			switch b {
			case '~':
				p.path = append(p.path, "~0"...)
			case '/':
				p.path = append(p.path, "~1"...)
			default:
				p.path = append(p.path, b)
			}
		}
	}
	p.ws()
	if p.pos >= len(p.buf) || p.buf[p.pos] != ':' {
		return p.fail("expected ':'")
	}
	p.pos++
	p.ws()
	return nil
}

// attr records a string member the walker cares about on its object.
func (p *parser) attr(t strTok) {
	code := p.frames[len(p.frames)-1].key
	if code == kOther || code == kArgs || code == kFunction || code == kPayload {
		return
	}
	o := &p.objs[t.obj]
	v := p.decodeString(t)
	switch code {
	case kRole:
		o.role = v
	case kType:
		o.typ = v
	case kName:
		o.name = v
	case kID:
		o.id = v
	case kCallID:
		o.callID = v
	case kRef:
		o.ref = v
	case kSession:
		o.session = v
	}
}

func (p *parser) decodeString(t strTok) string {
	raw := p.buf[t.start+1 : t.end-1]
	if !t.esc {
		return string(raw)
	}
	return string(appendUnescaped(nil, raw))
}

func (p *parser) literal(lit string) error {
	if !bytes.HasPrefix(p.buf[p.pos:], []byte(lit)) {
		return p.fail("bad literal")
	}
	p.pos += len(lit)
	return nil
}

func (p *parser) number() {
	p.pos++
	for p.pos < len(p.buf) {
		switch c := p.buf[p.pos]; {
		case c >= '0' && c <= '9', c == '.', c == 'e', c == 'E', c == '+', c == '-':
			p.pos++
		default:
			return
		}
	}
}

// skipString moves past the string starting at p.pos and reports whether
// it holds escapes. Bytes that are not UTF-8 are accepted as they are.
func (p *parser) skipString() (esc bool, err error) {
	i := p.pos + 1
	q := -1 // the next '"' at or after i; found again only once i passes it
	for {
		if q < i {
			k := bytes.IndexByte(p.buf[i:], '"')
			if k < 0 {
				p.pos = len(p.buf)
				return esc, p.fail("unterminated string")
			}
			q = i + k
		}
		bs := bytes.IndexByte(p.buf[i:q], '\\')
		if bs < 0 {
			p.pos = q + 1
			return esc, nil
		}
		esc = true
		i += bs
		// Validate the escape at i and move past it.
		if i+1 >= len(p.buf) {
			p.pos = len(p.buf)
			return esc, p.fail("unterminated string")
		}
		switch p.buf[i+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			i += 2
		case 'u':
			if i+6 > len(p.buf) || !isHex4(p.buf[i+2:i+6]) {
				p.pos = i
				return esc, p.fail(`bad \u escape`)
			}
			i += 6
		default:
			p.pos = i
			return esc, p.fail("bad escape")
		}
	}
}

func isHex4(b []byte) bool {
	for _, c := range b[:4] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
