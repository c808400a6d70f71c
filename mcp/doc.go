// Package mcp is the MCP guard: it relays JSON-RPC between an agent and an
// MCP server, over stdio (newline-delimited messages) or streamable HTTP
// (POST with JSON or SSE answers, GET streams), and keeps secrets out of
// both directions' dangerous halves. A tools/call whose arguments carry a
// secret is denied with a JSON-RPC error and never reaches the server;
// whatever the server sends the agent (tool results, resources/read
// contents, prompts/get messages, notifications) has its secrets replaced
// by placeholders. A message that needs no change is relayed byte for
// byte; ids and order are kept; notifications and cancellations pass.
//
// Pipeline stage: a gate. In: JSON-RPC messages. Out: the same messages
// (redacted through scanner/redact, the only way it looks at bytes), error
// replies for denied calls, audit events (hooks.AuditEvent).
//
// Imports: scanner/redact, hooks (the audit log), proxy/sse. It must not
// import the CLI.
package mcp
