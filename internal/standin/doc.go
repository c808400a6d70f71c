// Package standin is a scripted stand-in for the model APIs that coding
// agents call, served on loopback for end-to-end tests: the Anthropic
// Messages API (JSON and SSE streaming, count_tokens), OpenAI Chat
// Completions (JSON and streaming) and Responses (SSE and JSON), and
// Gemini generateContent / streamGenerateContent (JSON and alt=sse) and
// countTokens.
//
// A test starts a Server with a Script (the turns the "model" plays: text,
// tool calls), points the real client at Server.URL, and then asserts on
// what the server received: every request body is recorded (Requests), and
// Saw reports whether a string reached the model in any request, raw or
// inside a JSON string (so an escaped copy counts too).
//
// Pipeline stage: none; test support for the gates (agent hooks, proxy,
// MCP guard). In: HTTP requests. Out: scripted model answers, a record of
// the requests. Imports only the standard library; nothing in the product
// imports it.
package standin
