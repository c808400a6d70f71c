// Command mcpserver is a minimal MCP server (stdio, newline-delimited
// JSON-RPC) for the agent-client end-to-end tests. It offers one tool,
// lookup(query), which appends its arguments to $MCP_LOG and answers
// "result for QUERY", followed by $MCP_SECRET when the query is "secret".
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
)

type request struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params struct {
		ProtocolVersion string          `json:"protocolVersion"`
		Name            string          `json:"name"`
		Arguments       json.RawMessage `json:"arguments"`
	} `json:"params"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var r request
		if json.Unmarshal(in.Bytes(), &r) != nil || len(r.ID) == 0 {
			continue // notifications
		}
		var result any
		switch r.Method {
		case "initialize":
			v := r.Params.ProtocolVersion
			if v == "" {
				v = "2025-06-18"
			}
			result = map[string]any{"protocolVersion": v, "capabilities": map[string]any{"tools": map[string]any{}},
				"serverInfo": map[string]any{"name": "fake", "version": "1.0.0"}}
		case "tools/list":
			result = map[string]any{"tools": []any{map[string]any{
				"name": "lookup", "description": "Look a word up.",
				"inputSchema": map[string]any{"type": "object", "properties": map[string]any{"query": map[string]any{"type": "string"}}, "required": []string{"query"}},
			}}}
		case "tools/call":
			if p := os.Getenv("MCP_LOG"); p != "" {
				if f, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); err == nil {
					fmt.Fprintf(f, "%s\n", r.Params.Arguments)
					f.Close()
				}
			}
			var a struct {
				Query string `json:"query"`
			}
			_ = json.Unmarshal(r.Params.Arguments, &a)
			text := "result for " + a.Query
			if a.Query == "secret" {
				text += ": aws_access_key_id = " + os.Getenv("MCP_SECRET")
			}
			result = map[string]any{"content": []any{map[string]any{"type": "text", "text": text}}}
		case "ping":
			result = map[string]any{}
		default:
			_ = out.Encode(map[string]any{"jsonrpc": "2.0", "id": r.ID, "error": map[string]any{"code": -32601, "message": "method not found"}})
			continue
		}
		_ = out.Encode(map[string]any{"jsonrpc": "2.0", "id": r.ID, "result": result})
	}
}
