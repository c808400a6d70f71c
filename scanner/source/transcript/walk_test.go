package transcript

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type seen struct {
	Pointer, Data, Role, Tool, Session string
	Line                               int
}

func walkAll(t *testing.T, w *Walker, docs ...string) []seen {
	t.Helper()
	var got []seen
	for i, d := range docs {
		err := w.Walk([]byte(d), i+1, func(v Value) error {
			got = append(got, seen{v.Pointer, string(v.Data), v.Role, v.Tool, v.Session, v.Line})
			return nil
		})
		if err != nil {
			t.Fatalf("doc %d: %v", i+1, err)
		}
	}
	return got
}

func TestWalkAgentShapes(t *testing.T) {
	tests := []struct {
		name string
		docs []string
		want []seen
	}{
		{
			name: "claude code tool use then result on a later line",
			docs: []string{
				`{"sessionId":"s1","type":"assistant","message":{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"ls"}}]}}`,
				`{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"a\nb"}]},"sessionId":"s1"}`,
			},
			want: []seen{
				{"/sessionId", "s1", "assistant", "Bash", "s1", 1},
				{"/type", "assistant", "assistant", "Bash", "s1", 1},
				{"/message/role", "assistant", "assistant", "Bash", "s1", 1},
				{"/message/content/0/type", "tool_use", "assistant", "Bash", "s1", 1},
				{"/message/content/0/id", "toolu_1", "assistant", "Bash", "s1", 1},
				{"/message/content/0/name", "Bash", "assistant", "Bash", "s1", 1},
				{"/message/content/0/input/command", "ls", "assistant", "Bash", "s1", 1},
				{"/type", "user", "user", "Bash", "s1", 2},
				{"/message/role", "user", "user", "Bash", "s1", 2},
				{"/message/content/0/type", "tool_result", "tool", "Bash", "s1", 2},
				{"/message/content/0/tool_use_id", "toolu_1", "tool", "Bash", "s1", 2},
				{"/message/content/0/content", "a\nb", "tool", "Bash", "s1", 2},
				{"/sessionId", "s1", "user", "Bash", "s1", 2},
			},
		},
		{
			name: "openai tool call arguments are JSON in a string",
			docs: []string{`{"role":"assistant","tool_calls":[{"id":"call_9","type":"function","function":{"name":"login","arguments":"{\"user\":\"u\",\"password\":\"p\\\"q\"}"}}]}`},
			want: []seen{
				{"/role", "assistant", "assistant", "login", "", 1}, // the one tool the line names
				{"/tool_calls/0/id", "call_9", "assistant", "login", "", 1},
				{"/tool_calls/0/type", "function", "assistant", "login", "", 1},
				{"/tool_calls/0/function/name", "login", "assistant", "login", "", 1},
				{"/tool_calls/0/function/arguments", `{"user":"u","password":"p\"q"}`, "assistant", "login", "", 1},
				{"/tool_calls/0/function/arguments#/user", "u", "assistant", "login", "", 1},
				{"/tool_calls/0/function/arguments#/password", `p"q`, "assistant", "login", "", 1},
			},
		},
		{
			name: "codex session meta, function call and its output",
			docs: []string{
				`{"type":"session_meta","payload":{"id":"sess-c","cwd":"/w"}}`,
				`{"type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{\"command\":[\"env\"]}","call_id":"c1"}}`,
				`{"type":"response_item","payload":{"type":"function_call_output","call_id":"c1","output":"X=1"}}`,
			},
			want: []seen{
				{"/type", "session_meta", "", "", "sess-c", 1},
				{"/payload/id", "sess-c", "", "", "sess-c", 1},
				{"/payload/cwd", "/w", "", "", "sess-c", 1},
				{"/type", "response_item", "", "shell", "sess-c", 2},
				{"/payload/type", "function_call", "assistant", "shell", "sess-c", 2},
				{"/payload/name", "shell", "assistant", "shell", "sess-c", 2},
				{"/payload/arguments", `{"command":["env"]}`, "assistant", "shell", "sess-c", 2},
				{"/payload/arguments#/command/0", "env", "assistant", "shell", "sess-c", 2},
				{"/payload/call_id", "c1", "assistant", "shell", "sess-c", 2},
				{"/type", "response_item", "", "shell", "sess-c", 3},
				{"/payload/type", "function_call_output", "tool", "shell", "sess-c", 3},
				{"/payload/call_id", "c1", "tool", "shell", "sess-c", 3},
				{"/payload/output", "X=1", "tool", "shell", "sess-c", 3},
			},
		},
		{
			name: "escapes, surrogate pairs, pointer escaping, invalid UTF-8",
			docs: []string{"{\"a/b~c\":\"\\ud83d\\ude00 \\u00e9\\t\\\\\",\"lone\":\"\\ud800x\",\"raw\":\"\xff\xfe\"}"},
			want: []seen{
				{"/a~1b~0c", "😀 é\t\\", "", "", "", 1},
				{"/lone", "\uFFFDx", "", "", "", 1},
				{"/raw", "\xff\xfe", "", "", "", 1},
			},
		},
		{
			name: "pretty JSON export: lines follow the document",
			docs: []string{"{\n  \"messages\": [\n    {\"role\": \"user\",\n     \"content\": \"hi\"}\n  ]\n}"},
			want: []seen{
				{"/messages/0/role", "user", "user", "", "", 3},
				{"/messages/0/content", "hi", "user", "", "", 4},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := walkAll(t, &Walker{}, tt.docs...)
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
}

func TestWalkRejectsInvalidJSON(t *testing.T) {
	for _, doc := range []string{
		`{"type":"user","message":{"content":"trunc`, // a live session's last line
		`{"a":1} {"b":2}`,
		`{"a" 1}`,
		`[1,]x`,
		`{"a":"\x"}`,
		`{"a":"\u12"}`,
		`garbage`,
		``,
	} {
		visited := 0
		err := (&Walker{}).Walk([]byte(doc), 1, func(Value) error { visited++; return nil })
		if !errors.Is(err, ErrSyntax) {
			t.Errorf("%q: got %v, want ErrSyntax", doc, err)
		}
		if visited != 0 {
			t.Errorf("%q: visited %d strings of an invalid document", doc, visited)
		}
	}
}

func TestWalkDepth10000(t *testing.T) {
	const depth = 10000
	doc := strings.Repeat(`{"k":[`, depth) + `"deep"` + strings.Repeat(`]}`, depth)
	var got []Value
	if err := (&Walker{}).Walk([]byte(doc), 7, func(v Value) error { got = append(got, v); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || string(got[0].Data) != "deep" || got[0].Line != 7 {
		t.Fatalf("got %d values, want the one deep string", len(got))
	}
	if want := strings.Repeat("/k/0", depth); got[0].Pointer != want {
		t.Errorf("pointer has %d bytes, want %d", len(got[0].Pointer), len(want))
	}
	err := (&Walker{MaxDepth: 100}).Walk([]byte(doc), 1, func(Value) error { return nil })
	if !errors.Is(err, ErrTooDeep) {
		t.Errorf("MaxDepth 100: got %v, want ErrTooDeep", err)
	}
}

func TestWalkEmbeddedLimit(t *testing.T) {
	// Each level holds the next as an escaped JSON string.
	inner := `{"s":"bottom"}`
	doc := inner
	for i := 0; i < 5; i++ {
		doc = `{"s":` + string(AppendQuoted(nil, []byte(doc))) + `}`
	}
	tests := []struct {
		max     int
		deepest string
	}{
		{0, "/s#/s#/s#/s#/s#/s"},
		{2, "/s#/s#/s"},
		{-1, "/s"},
	}
	for _, tt := range tests {
		last := ""
		err := (&Walker{MaxEmbedded: tt.max}).Walk([]byte(doc), 1, func(v Value) error { last = v.Pointer; return nil })
		if err != nil {
			t.Fatal(err)
		}
		if last != tt.deepest {
			t.Errorf("MaxEmbedded %d: deepest %q, want %q", tt.max, last, tt.deepest)
		}
	}
}

func TestAppendQuotedRoundTrip(t *testing.T) {
	for _, s := range []string{"", "plain", "q\"b\\n\n\r\t\x01", "\xff\xfe", "😀"} {
		q := AppendQuoted(nil, []byte(s))
		var got []Value
		if err := (&Walker{}).Walk(append(append([]byte(`{"k":`), q...), '}'), 1, func(v Value) error { got = append(got, v); return nil }); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if len(got) != 1 || string(got[0].Data) != s {
			t.Errorf("%q: round trip gave %d values: %+v", s, len(got), got)
		}
	}
}
