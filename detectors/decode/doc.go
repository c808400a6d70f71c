// Package decode is the decoding stage of leakguard's pipeline, run beside
// detection: it finds spans of a fragment that hide text under an encoding
// (base64, base64url, hex, percent/URL encoding, JSON string escapes and
// \u/\x escapes) and returns their decoded bytes as Segments, so that the
// detectors can be run over the decoded text and a finding can be mapped
// back to the encoded span it came from.
//
// In: the raw bytes of one fragment and Options. Out: Segments, each the
// decoded bytes of one span with the span's offsets in the input, the
// encoding (nested encodings joined with "+") and the nesting depth. A
// decoded segment is searched again, up to Options.MaxDepth levels; nested
// segments carry the offsets of the outermost encoded span.
//
// Only spans that plausibly hide text secrets are kept: a candidate is
// decoded and dropped unless the result is mostly printable text (at least
// 90% printable ASCII or UTF-8 characters and no NUL byte). Hashes, binary
// blobs and identifiers that merely look like base64 or hex are dropped by
// that check.
//
// Work is bounded. A first pass finds candidates without decoding: runs of
// the base64 alphabet are found by probing every MinLen-th byte (text with
// no long alphabet runs is skipped, not read), '%' and '\\' are found with
// bytes.IndexByte. Candidate finding and decoding are linear in the input;
// one segment holds at most MaxSegment decoded bytes (longer runs are cut
// into several segments); the bytes produced for one input never exceed
// Options.MaxTotal; nesting is handled with a work list, not recursion.
//
// The package does no I/O and imports only the standard library.
package decode
