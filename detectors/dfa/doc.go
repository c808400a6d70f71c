// Package dfa is the confirm stage of the detector: a rule's regular
// expression compiled from its regexp/syntax tree into byte-level programs
// whose DFAs are built lazily, per goroutine, as input is seen. A forward
// scan finds where each leftmost-first match ends, a reverse scan where it
// starts, so that the spans are those Go's regexp.FindAllIndex reports;
// Go's regexp then runs only on a matched span to extract capture groups.
//
// Case folding is compiled into the byte sets ((?i)k matches k, K and the
// Kelvin sign's UTF-8 bytes); runes are matched as their UTF-8 sequences.
// An expression that can match the empty string, or whose program would
// be too large, is refused (Compile's errors); a search gives up (ok is
// false) on invalid UTF-8 when one of the expression's sets holds U+FFFD,
// or when its cache outgrows its budget. The caller then uses Go's regexp,
// so answers never differ from it.
//
// Stage: inside detectors (confirm, between the keyword windows and the
// secret group). In: a parsed expression and bytes. Out: match spans. It
// imports only the standard library.
package dfa
