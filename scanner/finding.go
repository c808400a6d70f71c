package scanner

import "time"

// Finding is one secret found in one place. Line and column numbers are
// 1-based; columns count bytes, as gitleaks does.
type Finding struct {
	RuleID      string
	Description string
	Tags        []string

	// What the secret is and what to do about it, from the rule
	// (rules.Rule.Provider, Severity, Revoke); empty for a rule without
	// them. rules.NextStep(Provider, Revoke) words the advice.
	Provider string
	Severity string
	Revoke   string

	Kind        Kind
	Path        string
	StartLine   int
	EndLine     int
	StartColumn int
	EndColumn   int

	// Match is the text the rule's regex matched; Secret is the part of it
	// that is the secret (the rule's secret group).
	Match   string
	Secret  string
	Entropy float64
	// Line is the full text of the line(s) holding the match. It is used by
	// filters and human output and never written to machine reports.
	Line string

	Commit *CommitInfo

	// Transcript and hook-payload locations (see Origin).
	JSONLine int
	JSONPath string
	Role     string
	Tool     string
	Session  string

	// Agent names the AI coding agent that made the finding's commit and
	// the signal that said so (e.g. "claude (trailer:Co-Authored-By)"),
	// when the CLI recognised one; "" otherwise.
	Agent string

	// AlsoMatched lists the other rules that matched this secret at this
	// place (the finding names the most specific one).
	AlsoMatched []string

	// Encoding is the chain of encodings the secret was found through
	// ("base64", "base64+percent"); "" for plain text.
	Encoding string

	// Marked is set when the finding's line carries an inline allow
	// marker; Filter decides whether that suppresses it. Not reported.
	Marked bool

	// SpanStart and SpanEnd are byte offsets, in the data of the fragment
	// the source yielded, of the text a rewriter replaces to remove the
	// secret (for a decoded secret, the whole encoded span). Not reported.
	SpanStart, SpanEnd int

	// Rel is Path relative to the scan root, which fingerprints use ("":
	// Path is already relative to it). Not reported.
	Rel string

	// Validation is "valid" or "invalid" when a validator checked the
	// secret's checksum or structure ("invalid" appears only with
	// --report-invalid), and "" when none could tell.
	Validation string

	// Fingerprint is gitleaks-compatible: path:rule:line, or
	// commit:path:rule:line for findings in git history, with the path
	// relative to the scan root.
	Fingerprint string

	// Repository names the repository a multi-repository sweep (leakguard
	// git --repos) read the finding from, as its list names it; "" for
	// every other scan. Findings of different repositories never merge.
	Repository string
}

// FingerprintPath is the path fingerprints use: relative to the scan root.
func (f *Finding) FingerprintPath() string {
	if f.Rel != "" {
		return f.Rel
	}
	return f.Path
}

// Summary describes a finished scan for reporters.
type Summary struct {
	Fragments int64 // fragments scanned
	Bytes     int64 // bytes scanned
	Skipped   int64 // inputs skipped (binary, too large, unreadable)
	Errors    int64 // inputs that could not be read

	// Notices are what the reader of the report must know about how the
	// scan was made (a range whose head changes its own configuration:
	// the base's was used). Reports carry them.
	Notices []string
	// Filled by the command that ran the scan, for the summary line; zero
	// when unknown.
	Files    int64         // files (or other named inputs) read
	Commits  int64         // commits scanned (git)
	Objects  int64         // file versions scanned (git)
	Duration time.Duration // wall time of the scan

	// Partial, when not empty, says why the report does not cover the whole
	// input ("interrupted by SIGINT", "timed out after 30s", an error); the
	// findings are those found before that happened.
	Partial string
}

// A Reporter writes findings in one format. Findings are sorted by path,
// line, column and rule before Write is called, and Write is called once per
// scan.
type Reporter interface {
	Write(findings []Finding, summary Summary) error
}
