package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"

	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
)

// JSON writes leakguard's own JSON report, one object:
//
//	{
//	  "version": 1,                 // schema version; bumped on incompatible change
//	  "redacted": true,             // secret and match are masked (false with --show-secrets)
//	  "findings": [                 // sorted by path, line, column, rule; [] when clean
//	    {
//	      "ruleId": "github-pat",
//	      "description": "GitHub Personal Access Token",
//	      "tags": ["..."],          // rule tags; [] when none
//	      "kind": "file",           // file, stdin, diff, blob, commit-message, transcript, hook-payload
//	      "path": "config/app.env", // slash-separated; "" for stdin
//	      "startLine": 3, "endLine": 3,       // 1-based
//	      "startColumn": 14, "endColumn": 53, // 1-based, in bytes, as gitleaks counts
//	      "match": "GITHUB_TOKEN=ghp_*****",  // what the rule matched, secrets masked
//	      "secret": "ghp_*****",              // the secret, masked
//	      "entropy": 4.6432,                  // Shannon entropy of the secret, 4 decimals
//	      "fingerprint": "config/app.env:github-pat:3", // for .gitleaksignore
//	      "validation": "valid",    // checksum/structure verdict, when a validator could tell
//	      "alsoMatched": ["curl-auth-header"], // other rules that matched this secret here
//	      "encoding": "base64",     // the encodings the secret was found through, outermost first
//	      "agent": "claude-code (trailer:Co-Authored-By)", // git: the AI agent that made the commit
//	      "commit": {               // only for findings in git history
//	        "sha": "…", "author": "…", "email": "…",
//	        "date": "2024-05-01T10:00:00Z", // RFC 3339
//	        "message": "…"          // secrets masked
//	      },
//	      "jsonLine": 14,           // transcripts and hook payloads only: JSONL line,
//	      "jsonPath": "/message/content/0/text", // JSON Pointer of the string,
//	      "role": "assistant", "tool": "Bash", "session": "…", // and its context
//	      "repository": "https://…/repo.git" // leakguard git --repos: as the list names it
//	    }
//	  ],
//	  "summary": {
//	    "findings": 1,   // number of findings
//	    "fragments": 12, // fragments scanned
//	    "bytes": 40960,  // bytes scanned
//	    "skipped": 0,    // inputs skipped (binary, too large, unreadable)
//	    "errors": 0,     // inputs that could not be read
//	    "files": 3,      // files read (when known; commits and objects for git)
//	    "partial": true, "partialReason": "interrupted by SIGINT" // only when
//	                     // the scan stopped early: the findings so far
//	  }
//	}
//
// Keys that hold no data are left out: commit when the finding is not from
// git history, and validation, alsoMatched, encoding, agent, jsonLine,
// jsonPath, role, tool, session and repository when empty.
// Every other key is always present.
type JSON struct {
	w    io.Writer
	opts Options
}

type jsonReport struct {
	Version  int           `json:"version"`
	Redacted bool          `json:"redacted"`
	Findings []jsonFinding `json:"findings"`
	Summary  jsonSummary   `json:"summary"`
}

type jsonFinding struct {
	RuleID      string   `json:"ruleId"`
	Description string   `json:"description"`
	Tags        []string `json:"tags"`
	Kind        string   `json:"kind"`
	Path        string   `json:"path"`
	StartLine   int      `json:"startLine"`
	EndLine     int      `json:"endLine"`
	StartColumn int      `json:"startColumn"`
	EndColumn   int      `json:"endColumn"`
	Match       string   `json:"match"`
	Secret      string   `json:"secret"`
	Entropy     float64  `json:"entropy"`
	Fingerprint string   `json:"fingerprint"`
	Validation  string   `json:"validation,omitempty"`
	AlsoMatched []string `json:"alsoMatched,omitempty"`
	Encoding    string   `json:"encoding,omitempty"`
	Provider    string   `json:"provider,omitempty"`
	Severity    string   `json:"severity,omitempty"`
	Revoke      string   `json:"revoke,omitempty"`
	// NextStep says what to do (rotate, where); History is set for a
	// finding in a commit: the secret stays in the history.
	NextStep string      `json:"nextStep"`
	History  string      `json:"history,omitempty"`
	Agent    string      `json:"agent,omitempty"`
	Commit   *jsonCommit `json:"commit,omitempty"`
	JSONLine int         `json:"jsonLine,omitempty"`
	JSONPath string      `json:"jsonPath,omitempty"`
	Role     string      `json:"role,omitempty"`
	Tool     string      `json:"tool,omitempty"`
	Session  string      `json:"session,omitempty"`
	// Repository: multi-repository sweeps (leakguard git --repos) only.
	Repository string `json:"repository,omitempty"`
}

type jsonCommit struct {
	SHA     string `json:"sha"`
	Author  string `json:"author"`
	Email   string `json:"email"`
	Date    string `json:"date"`
	Message string `json:"message"`
}

type jsonSummary struct {
	Findings  int   `json:"findings"`
	Fragments int64 `json:"fragments"`
	Bytes     int64 `json:"bytes"`
	Skipped   int64 `json:"skipped"`
	Errors    int64 `json:"errors"`
	// Notices: how the scan was made, when the reader must know
	// (scanner.Summary.Notices).
	Notices       []string `json:"notices,omitempty"`
	Files         int64    `json:"files,omitempty"`
	Commits       int64    `json:"commits,omitempty"`
	Objects       int64    `json:"objects,omitempty"`
	Partial       bool     `json:"partial,omitempty"`
	PartialReason string   `json:"partialReason,omitempty"`
}

// Write implements scanner.Reporter.
func (j *JSON) Write(findings []scanner.Finding, summary scanner.Summary) error {
	red := newRedactor(findings, j.opts.ShowSecrets, j.opts.maskFor(mask))
	out := jsonReport{
		Version:  1,
		Redacted: !j.opts.ShowSecrets,
		Findings: make([]jsonFinding, 0, len(findings)),
		Summary: jsonSummary{
			Findings:  len(findings),
			Fragments: summary.Fragments,
			Bytes:     summary.Bytes,
			Skipped:   summary.Skipped,
			Errors:    summary.Errors,
			Notices:   summary.Notices,
			Files:     summary.Files,
			Commits:   summary.Commits,
			Objects:   summary.Objects,
			Partial:   summary.Partial != "",
			// PartialReason says why the findings stop short.
			PartialReason: summary.Partial,
		},
	}
	for _, f := range findings {
		f = red.finding(f)
		jf := jsonFinding{
			RuleID:      f.RuleID,
			Description: f.Description,
			Tags:        nonNil(f.Tags),
			Kind:        string(f.Kind),
			Path:        f.Path,
			StartLine:   f.StartLine,
			EndLine:     f.EndLine,
			StartColumn: f.StartColumn,
			EndColumn:   f.EndColumn,
			Match:       f.Match,
			Secret:      f.Secret,
			Entropy:     math.Round(f.Entropy*1e4) / 1e4,
			Fingerprint: f.Fingerprint,
			Validation:  f.Validation,
			AlsoMatched: f.AlsoMatched,
			Encoding:    f.Encoding,
			Provider:    f.Provider,
			Severity:    f.Severity,
			Revoke:      f.Revoke,
			NextStep:    rules.NextStep(f.Provider, f.Revoke),
			Agent:       f.Agent,
			JSONLine:    f.JSONLine,
			JSONPath:    f.JSONPath,
			Role:        f.Role,
			Tool:        f.Tool,
			Session:     f.Session,
			Repository:  f.Repository,
		}
		if c := f.Commit; c != nil {
			jf.Commit = &jsonCommit{SHA: c.SHA, Author: c.Author, Email: c.Email, Date: c.Date, Message: c.Message}
			if c.SHA != "" {
				jf.History = rules.HistoryNote
			}
		}
		out.Findings = append(out.Findings, jf)
	}
	enc := json.NewEncoder(j.w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return nil
}

// nonNil returns s, or an empty slice when s is nil, so that JSON shows []
// rather than null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// ReadJSON reads a report JSON wrote (version 1), for joining the
// reports of several runs (leakguard report merge): the findings as they
// were written (masked unless the run had --show-secrets), the summary,
// and whether the report was redacted.
func ReadJSON(r io.Reader) ([]scanner.Finding, scanner.Summary, bool, error) {
	var in jsonReport
	dec := json.NewDecoder(r)
	if err := dec.Decode(&in); err != nil {
		return nil, scanner.Summary{}, false, fmt.Errorf("read json report: %w", err)
	}
	if in.Version != 1 {
		return nil, scanner.Summary{}, false, fmt.Errorf("read json report: version %d, want 1 (is it leakguard's json format?)", in.Version)
	}
	fs := make([]scanner.Finding, 0, len(in.Findings))
	for _, jf := range in.Findings {
		f := scanner.Finding{
			RuleID: jf.RuleID, Description: jf.Description, Tags: jf.Tags, Kind: scanner.Kind(jf.Kind),
			Path: jf.Path, StartLine: jf.StartLine, EndLine: jf.EndLine, StartColumn: jf.StartColumn, EndColumn: jf.EndColumn,
			Match: jf.Match, Secret: jf.Secret, Entropy: jf.Entropy, Fingerprint: jf.Fingerprint, Validation: jf.Validation,
			AlsoMatched: jf.AlsoMatched, Encoding: jf.Encoding, Provider: jf.Provider, Severity: jf.Severity, Revoke: jf.Revoke,
			Agent: jf.Agent, JSONLine: jf.JSONLine, JSONPath: jf.JSONPath, Role: jf.Role, Tool: jf.Tool, Session: jf.Session,
			Repository: jf.Repository,
		}
		if c := jf.Commit; c != nil {
			f.Commit = &scanner.CommitInfo{SHA: c.SHA, Author: c.Author, Email: c.Email, Date: c.Date, Message: c.Message}
		}
		fs = append(fs, f)
	}
	s := in.Summary
	sum := scanner.Summary{Fragments: s.Fragments, Bytes: s.Bytes, Skipped: s.Skipped, Errors: s.Errors, Notices: s.Notices,
		Files: s.Files, Commits: s.Commits, Objects: s.Objects, Partial: s.PartialReason}
	if s.Partial && sum.Partial == "" {
		sum.Partial = "partial"
	}
	return fs, sum, in.Redacted, nil
}
