// Package detectors is the detection stage of leakguard's pipeline: it
// compiles a rules.Set into an immutable Detector and finds Matches in
// bytes. It does no I/O and knows nothing about files, lines or reports:
// Detect takes bytes and a Target (path and commit, for path rules and
// allowlists) and returns byte spans.
//
// The engine: one keyword automaton (detectors/keywords) over every rule's
// keywords, matched case-insensitively over the raw input, reports where each
// keyword occurs. Each hit opens a window sized from the rule's regular
// expression (its maximum match length, as regexp/syntax bounds it, clamped
// to line ends); a rule's regex runs only inside its merged windows. Then the
// secret group, Shannon entropy, allowlists (regexes, stopwords, paths,
// commits), the inline allow marker and composite ([[rules.required]]) rules
// are applied as gitleaks applies them.
//
// It imports rules and its own subpackages only.
package detectors
