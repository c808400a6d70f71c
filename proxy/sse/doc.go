// Package sse reads and rewrites server-sent events (text/event-stream) one
// event at a time, keeping each event's bytes as they arrived so that a
// gateway can pass an event it did not change through byte for byte.
//
// Pipeline stage: none; it is the framing the gateways (proxy, mcp) read
// model and MCP streams with before they hand strings to the pipeline.
// Imports: the standard library only.
package sse
