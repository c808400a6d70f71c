// Package transcript reads AI coding agents' session logs and hook payloads
// as JSON: it is a Source (the first stage of the pipeline) for
// `leakguard transcript`, and the JSON walker the agent hooks and the
// redactor share.
//
// In: JSONL files (one JSON value a line: Claude Code, Codex, Gemini CLI and
// Cursor agent session logs, OpenAI-style message lists), plain .json
// conversation exports, or one JSON document in memory. Out: one
// scanner.Fragment per decoded JSON string value, with an Origin naming the
// file, the JSONL line, the JSON Pointer of the string and, where the log
// says so, the role, the tool and the session. A string that itself holds a
// JSON object or array is walked too, its pointer continuing after '#'
// (/tool_calls/0/function/arguments#/password). A line that is not JSON is
// yielded whole as raw text.
//
// The walker is iterative (an explicit stack, no recursion), so nesting depth
// costs memory in proportion to the input and never the goroutine stack; a
// document is held in memory one JSONL line (or one .json file) at a time.
//
// Imports: scanner (Fragment, Origin) and the standard library. It must not
// import detectors, the CLI or anything that scans.
package transcript
