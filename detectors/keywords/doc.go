// Package keywords is the first step of leakguard's detection stage: the
// keyword prefilter. It compiles the rules' keywords into one Aho-Corasick
// automaton (a flat DFA with ASCII case folding built into its transition
// table) and reports where every keyword occurs in a fragment, so that the
// detectors run a rule's regular expression only in windows around its
// keywords instead of over the whole fragment.
//
// In: a list of keywords once, then raw fragment bytes (never copied or
// lowercased). Out: Hits, each a keyword index and the offset just past the
// occurrence.
//
// The package imports only the standard library. It knows nothing of rules,
// files or the scanner; its tests and benchmarks import rules (for gitleaks'
// default keywords) and the Aho-Corasick libraries it was measured against.
package keywords
