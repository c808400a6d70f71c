// Package redact rewrites text and JSON with every secret replaced by a
// placeholder, [REDACTED:<rule-id>:<8 hex digits of HMAC-SHA256(key, secret)>],
// so that the same secret reads the same everywhere it was and can be
// correlated without being seen, and nobody without the per-user key can
// test a guess at it (see Placeholder and LoadKey).
//
// Pipeline stage: beside the scanner, after detection. In: bytes (text, one
// JSON document, or JSONL) and a compiled detector. Out: the same bytes with
// secrets replaced. JSON keeps its structure: replacements happen inside the
// decoded string values (and inside JSON held in strings) and the strings
// are encoded again, so the output parses as the input did; strings without
// secrets are copied byte for byte.
//
// Imports: detectors (to find secrets) and scanner/source/transcript (its
// JSON walker). It must not import the CLI.
package redact
