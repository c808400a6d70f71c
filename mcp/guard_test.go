package mcp

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/hooks"
	"github.com/leakguard/leakguard/internal/fake"
	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
	"github.com/leakguard/leakguard/scanner/redact"
)

var (
	detOnce sync.Once
	det     *detectors.Detector
	detErr  error
)

func testGuard(t testing.TB, audit Recorder) *Guard {
	t.Helper()
	detOnce.Do(func() {
		set, err := rules.Default()
		if err != nil {
			detErr = err
			return
		}
		det, detErr = detectors.Compile(set, detectors.DefaultOptions())
	})
	if detErr != nil {
		t.Fatal(detErr)
	}
	return New(&redact.Redactor{Scanner: scanner.New(det, scanner.Options{Workers: 1, Filter: scanner.Filter{KeepMarked: true}})}, Options{Audit: audit, MaxMessage: 1 << 20})
}

func fakeGitHubToken(seed int64) string { return fake.GitHubPAT(seed) }

type memAudit struct {
	mu  sync.Mutex
	evs []hooks.AuditEvent
}

func (m *memAudit) Record(ev hooks.AuditEvent) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.evs = append(m.evs, ev)
	return nil
}

// fakeServer answers each request line with answer(line) and records the
// lines it got.
type fakeServer struct {
	mu  sync.Mutex
	got []string
}

func (s *fakeServer) run(in io.Reader, out io.WriteCloser, answer func(line string) []string) {
	defer out.Close()
	sc := bufio.NewScanner(in)
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		s.mu.Lock()
		s.got = append(s.got, sc.Text())
		s.mu.Unlock()
		for _, a := range answer(sc.Text()) {
			io.WriteString(out, a+"\n")
		}
	}
}

func (s *fakeServer) lines() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.got...)
}

func TestStdioRelay(t *testing.T) {
	secret := fakeGitHubToken(1)
	audit := &memAudit{}
	g := testGuard(t, audit)
	srv := &fakeServer{}
	result := func(id, text string) string {
		b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": json.RawMessage(id), "result": map[string]any{
			"content": []any{map[string]any{"type": "text", "text": text}}}})
		return string(b)
	}
	answer := func(line string) []string {
		var m struct {
			ID     json.RawMessage
			Method string
		}
		json.Unmarshal([]byte(line), &m)
		switch m.Method {
		case "initialize":
			return []string{`{"jsonrpc":"2.0","id":` + string(m.ID) + `,  "result":{"protocolVersion":"2025-06-18","capabilities":{}}}`}
		case "tools/call":
			return []string{
				`{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":0.5}}`,
				result(string(m.ID), "contents of .env:\nGITHUB_TOKEN="+secret+"\n"),
			}
		case "resources/read":
			b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": json.RawMessage(m.ID), "result": map[string]any{
				"contents": []any{map[string]any{"uri": "file:///x/.env", "mimeType": "text/plain", "text": "T=" + secret}}}})
			return []string{string(b)}
		}
		return nil
	}
	agentIn, agentW := io.Pipe()
	agentR, agentOut := io.Pipe()
	serverIn, serverInW := io.Pipe()
	serverOutR, serverOut := io.Pipe()
	go srv.run(serverIn, serverOut, answer)
	done := make(chan error, 1)
	go func() {
		done <- g.Stdio(context.Background(), agentIn, agentOut, serverInW, serverOutR)
		agentOut.Close()
	}()

	sent := []string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18"}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
		`{ "jsonrpc" : "2.0", "id" : "a-2", "method" : "tools/call", "params" : {"name":"read_file","arguments":{"path":"/x/.env"}} }`,
		`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"write_file","arguments":{"path":"/x/y","content":"token=` + secret + `"}}}`,
		`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":3}}`,
		`{"jsonrpc":"2.0","id":4,"method":"resources/read","params":{"uri":"file:///x/.env"}}`,
	}
	// Like a client, wait for each request's answer before the next one
	// (notifications get none): how many lines each message brings back.
	answers := []int{1, 0, 2, 1, 0, 1}
	var got []string
	rd := bufio.NewReader(agentR)
	for i, s := range sent {
		io.WriteString(agentW, s+"\n")
		for range answers[i] {
			line, err := rd.ReadString('\n')
			if err != nil {
				t.Fatalf("after message %d: %v", i, err)
			}
			got = append(got, strings.TrimSuffix(line, "\n"))
		}
	}
	agentW.Close()
	if rest, _ := io.ReadAll(rd); len(rest) > 0 {
		t.Errorf("unexpected messages: %s", rest)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	all := strings.Join(got, "\n")
	if strings.Contains(all, secret) {
		t.Fatalf("the secret reached the agent:\n%s", all)
	}
	// The server saw every message but the denied call, byte for byte.
	wantServer := []string{sent[0], sent[1], sent[2], sent[4], sent[5]}
	if s := srv.lines(); strings.Join(s, "\n") != strings.Join(wantServer, "\n") {
		t.Errorf("server got:\n%s\nwant:\n%s", strings.Join(s, "\n"), strings.Join(wantServer, "\n"))
	}
	if len(got) != 5 {
		t.Fatalf("agent got %d messages, want 5:\n%s", len(got), all)
	}
	if want := `{"jsonrpc":"2.0","id":1,  "result":{"protocolVersion":"2025-06-18","capabilities":{}}}`; got[0] != want {
		t.Errorf("clean answer changed: got %s, want %s", got[0], want)
	}
	if !strings.Contains(got[1], "notifications/progress") {
		t.Errorf("notification not passed in order: %s", got[1])
	}
	var res struct {
		ID     json.RawMessage
		Result struct{ Content []struct{ Text string } }
	}
	if err := json.Unmarshal([]byte(got[2]), &res); err != nil || string(res.ID) != `"a-2"` ||
		!strings.Contains(res.Result.Content[0].Text, "GITHUB_TOKEN=[REDACTED:github-pat:") {
		t.Errorf("tool result = %s (%v)", got[2], err)
	}
	var deny struct {
		ID    json.RawMessage
		Error struct {
			Code    int
			Message string
		}
	}
	if err := json.Unmarshal([]byte(got[3]), &deny); err != nil || string(deny.ID) != "3" || deny.Error.Code != ErrorCode ||
		!strings.Contains(deny.Error.Message, "github-pat") {
		t.Errorf("denial = %s", got[3])
	}
	if !strings.Contains(got[4], `"text":"T=[REDACTED:github-pat:`) {
		t.Errorf("resources/read contents = %s", got[4])
	}
	var decisions []string
	for _, ev := range audit.evs {
		decisions = append(decisions, ev.Hook+" "+string(ev.Decision))
	}
	want := "mcp:tools/call result redacted,mcp:tools/call write_file blocked,mcp:resources/read result redacted"
	if strings.Join(decisions, ",") != want {
		t.Errorf("audit = %q, want %q", decisions, want)
	}
}

func TestFromAgentBatchAndNonJSON(t *testing.T) {
	secret := fakeGitHubToken(2)
	g := testGuard(t, nil)
	clean := `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`
	bad := `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"x","arguments":{"k":"` + secret + `"}}}`
	fwd, reply := g.FromAgent([]byte("[" + clean + "," + bad + "]"))
	if string(fwd) != "["+clean+"]" || !strings.Contains(string(reply), `"id":2`) || strings.Contains(string(fwd)+string(reply), secret) {
		t.Errorf("batch: forward %s, reply %s", fwd, reply)
	}
	if fwd, _ := g.FromAgent([]byte("not json " + secret)); fwd != nil {
		t.Errorf("a non-JSON line with a secret went on: %s", fwd)
	}
	if fwd, _ := g.FromAgent([]byte("not json")); string(fwd) != "not json" {
		t.Errorf("a clean non-JSON line was changed: %q", fwd)
	}
}

func TestTooLongMessageFailsRequest(t *testing.T) {
	g := testGuard(t, nil)
	long := `{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"x","arguments":{"k":"` + strings.Repeat("a", 2<<20) + `"}}}`
	var out strings.Builder
	srv := &fakeServer{}
	serverIn, serverInW := io.Pipe()
	serverOutR, serverOut := io.Pipe()
	go srv.run(serverIn, serverOut, func(string) []string { return nil })
	err := g.Stdio(context.Background(), strings.NewReader(long+"\n"), &out, serverInW, serverOutR)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"id":9`) || !strings.Contains(out.String(), "too long") {
		t.Errorf("agent got %q, want an error for id 9", out.String())
	}
	if n := len(srv.lines()); n != 0 {
		t.Errorf("server got %d lines", n)
	}
}
