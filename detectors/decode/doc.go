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
// the base64 alphabet are found 8 bytes at a time (SWAR, with no branch per
// word), '%' and '\\' with bytes.IndexByte; most text is read once and never
// copied. Candidate finding and decoding are linear in the input; a long
// candidate is first checked on a prefix, and decoding stops as soon as the
// result cannot be text; one segment holds at most MaxSegment decoded bytes
// (longer runs are cut into several segments); the bytes produced for one
// input never exceed Options.MaxTotal; nesting is handled with a work list,
// not recursion.
//
// Spans decoded (base64 runs of at least MinLen bytes, hex runs of at least
// 2*MinLen digits, other spans that decode to at least MinLen/2 bytes):
//   - base64 and base64url, padded or not: maximal runs of the alphabet
//     whose length a base64 encoding can have; a run that mixes "+/" with
//     "-_" is skipped; lines wrapped at one width (a multiple of 4, 40
//     columns or more, as base64(1), PEM and MIME wrap; flush or equally
//     indented) are decoded as one run, their line breaks skipped;
//   - hex: runs of an even number of hex digits, optionally after "0x";
//   - percent: runs of URL characters holding a %XX escape; '+' reads as a
//     space in a URL's query and in a run that looks like a form body;
//     invalid escapes are kept as they are;
//   - json-escape: the contents of a double-quoted string, closed on its
//     line, that holds a backslash escape (JSON's, plus \xXX, \UXXXXXXXX
//     and \'); a string whose only escapes are \n, \r or \t at its end is
//     skipped, as its decoding shows a detector nothing new;
//   - unicode-escape: outside such strings, runs of non-blank bytes holding
//     a \uXXXX, \UXXXXXXXX or \xXX escape.
//
// The package does no I/O and imports only the standard library.
package decode
