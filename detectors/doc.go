// Package detectors is the match half of leakguard's one pipeline: it
// compiles a rules.Set into an immutable Detector whose Detect finds the
// secrets in bytes. It does no I/O and knows nothing about files, lines or
// reports: Detect takes bytes and a Target (path and commit, for path rules
// and allowlists) and returns Matches, byte spans in the input.
//
// Detect runs these stages, each in one place, for every entry point of
// leakguard (scan, diff, git, transcripts, agent hooks, git hooks, redact,
// the proxy and the MCP guard all reach it through scanner.Scanner):
//
//  1. detection: one keyword automaton (detectors/keywords) over every
//     rule's keywords reports where each keyword occurs; each hit opens a
//     window sized from the rule's regular expression, and the rule's regex
//     is confirmed only inside its windows; then the secret group, Shannon
//     entropy, allowlists (regexes, stop words, paths) and composite
//     ([[rules.required]]) rules apply as in gitleaks. Inline allow markers
//     are flagged (Match.Marked), not applied: that is a policy, and the
//     caller's filter (scanner.Filter) decides.
//  2. decoding (Options.Decode): base64, hex, percent-encoded and escaped
//     spans, nested and bounded (detectors/decode), are decoded and scanned
//     in their line; what they reveal is a Match at the encoded span, with
//     the chain of encodings.
//  3. validation (Options.Validate): checksums and structure
//     (detectors/validate), and the generic rules' precision checks. A
//     match that fails takes the less specific matches of its text with it.
//  4. merge: overlapping matches of one secret become one Match, named after
//     the most specific rule (Specificity), the others in Match.Also; the
//     decoded view wins over the raw text when decoding changed the secret.
//
// Allowlists that list commits apply once a history finding has its commit
// (CommitAllowed). It imports rules and its own subpackages only.
package detectors
