// Package proxy is the model-API gateway: a local HTTP proxy that agents
// point their model API at (ANTHROPIC_BASE_URL, OPENAI_BASE_URL,
// GOOGLE_GEMINI_BASE_URL). Every request body is redacted through the one
// pipeline (scanner/redact, which keeps JSON valid and every content block
// in its shape) before it goes upstream over verified TLS; responses stream
// back event by event, and a secret the model writes is flagged in the
// audit log (or masked, with Options.MaskOutput).
//
// Pipeline stage: a gate. In: HTTP requests of the Anthropic Messages,
// OpenAI Chat Completions and Responses, and Gemini generateContent APIs.
// Out: the same requests with secrets replaced by placeholders, audit
// events (hooks.AuditEvent: rule ids and placeholders, never a secret).
//
// Imports: scanner/redact (the only way it looks at bytes), hooks (the
// audit log) and proxy/sse. It must not import the CLI.
package proxy
