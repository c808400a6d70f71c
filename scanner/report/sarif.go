package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
)

// SARIF writes a SARIF 2.1.0 log with one run. The driver's rules are the
// rules that have results, in the order of Options.Rules, followed by any
// rule a finding names that Options.Rules lacks, sorted by id. Each result
// is an error-level result with one physical location (the snippet is the
// masked match), partial fingerprints and, for findings in git history,
// the commit in its properties.
//
// Columns are written in UTF-16 code units (run.columnKind), converted
// from the finding's byte columns using its line; endColumn is exclusive,
// as SARIF defines it.
type SARIF struct {
	w    io.Writer
	opts Options
}

// SARIF constants.
const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	toolName     = "leakguard"
	toolURI      = "https://github.com/leakguard/leakguard"
	// fingerprintKey names leakguard's stable partial fingerprint; the
	// version changes if its recipe does.
	fingerprintKey = "leakguard/v1"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	Invocations        []sarifInvocation           `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifactURI `json:"originalUriBaseIds,omitempty"`
	ColumnKind         string                      `json:"columnKind"`
	Results            []sarifResult               `json:"results"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string    `json:"level"`
	Message sarifText `json:"message"`
}

// sarifArtifactURI is an artifactLocation with no base (originalUriBaseIds
// entries are absolute).
type sarifArtifactURI struct {
	URI string `json:"uri"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	ShortDescription     sarifText       `json:"shortDescription"`
	Help                 *sarifText      `json:"help,omitempty"`
	HelpURI              string          `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           sarifRuleProps  `json:"properties"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags     []string `json:"tags"`
	Provider string   `json:"provider,omitempty"`
	Severity string   `json:"severity,omitempty"`
	// SecuritySeverity is GitHub code scanning's 0.0-10.0 score.
	SecuritySeverity string `json:"security-severity,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          *sarifResultProps `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

// srcRoot is the uriBaseId of paths relative to the scan root.
const srcRoot = "SRCROOT"

// sarifRegion's zero fields are left out: SARIF requires lines and columns
// to be at least 1 when present.
type sarifRegion struct {
	StartLine   int        `json:"startLine,omitempty"`
	StartColumn int        `json:"startColumn,omitempty"`
	EndLine     int        `json:"endLine,omitempty"`
	EndColumn   int        `json:"endColumn,omitempty"`
	Snippet     *sarifText `json:"snippet,omitempty"`
}

type sarifResultProps struct {
	Tags        []string `json:"tags,omitempty"`
	Kind        string   `json:"kind,omitempty"`
	Fingerprint string   `json:"fingerprint,omitempty"`
	CommitSHA   string   `json:"commitSha,omitempty"`
	Author      string   `json:"author,omitempty"`
	Email       string   `json:"email,omitempty"`
	Date        string   `json:"date,omitempty"`
	Message     string   `json:"commitMessage,omitempty"`
	JSONLine    int      `json:"jsonLine,omitempty"`
	JSONPath    string   `json:"jsonPath,omitempty"`
	Role        string   `json:"role,omitempty"`
	Tool        string   `json:"tool,omitempty"`
	Session     string   `json:"session,omitempty"`
}

// Write implements scanner.Reporter.
func (s *SARIF) Write(findings []scanner.Finding, summary scanner.Summary) error {
	ruleList, index := sarifRules(s.opts.Rules, findings)
	red := newRedactor(findings, s.opts.ShowSecrets, s.opts.maskFor(mask))
	results := make([]sarifResult, 0, len(findings))
	for _, raw := range findings {
		f := red.finding(raw)
		r := sarifResult{
			RuleID:    f.RuleID,
			RuleIndex: index[f.RuleID],
			Level:     "error",
			Message:   sarifText{Text: sarifMessage(f)},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: s.artifact(f),
				Region:           region(raw, f.Match),
			}}},
			// The fingerprint hashes the raw secret, so it is computed from
			// the unredacted finding; only the hash is written.
			PartialFingerprints: map[string]string{fingerprintKey: stableFingerprint(raw)},
			Properties:          resultProps(f),
		}
		if f.Commit != nil && f.Commit.SHA != "" {
			r.PartialFingerprints["commitSha"] = f.Commit.SHA
		}
		results = append(results, r)
	}
	log := sarifLog{
		Schema:  sarifSchema,
		Version: sarifVersion,
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: sarifDriver{
				Name:           toolName,
				InformationURI: toolURI,
				Version:        s.opts.ToolVersion,
				Rules:          ruleList,
			}},
			Invocations:        []sarifInvocation{invocation(summary)},
			OriginalURIBaseIDs: s.baseIDs(),
			ColumnKind:         "utf16CodeUnits",
			Results:            results,
		}},
	}
	enc := json.NewEncoder(s.w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(log); err != nil {
		return fmt.Errorf("write sarif report: %w", err)
	}
	return nil
}

// sarifRules returns the driver rules for findings and each rule id's index
// among them.
func sarifRules(known []*rules.Rule, findings []scanner.Finding) ([]sarifRule, map[string]int) {
	used := make(map[string]*scanner.Finding)
	for i := range findings {
		if _, ok := used[findings[i].RuleID]; !ok {
			used[findings[i].RuleID] = &findings[i]
		}
	}
	list := []sarifRule{}
	index := make(map[string]int)
	add := func(id, desc string, tags []string, provider, severity, revoke string) {
		index[id] = len(list)
		if desc == "" {
			desc = id
		}
		t := append([]string(nil), tags...)
		if !slices.Contains(t, "security") {
			t = append(t, "security")
		}
		help := "To fix: " + rules.NextStep(provider, revoke) + ". " + rules.CommittedNote
		list = append(list, sarifRule{
			ID:                   id,
			ShortDescription:     sarifText{Text: desc},
			Help:                 &sarifText{Text: help},
			HelpURI:              revoke,
			DefaultConfiguration: sarifRuleConfig{Level: "error"},
			Properties:           sarifRuleProps{Tags: t, Provider: provider, Severity: severity, SecuritySeverity: securitySeverity[severity]},
		})
	}
	for _, r := range known {
		if f, ok := used[r.ID]; ok {
			if _, done := index[r.ID]; !done {
				add(r.ID, r.Description, r.Tags, firstNonEmpty(r.Provider, f.Provider), firstNonEmpty(r.Severity, f.Severity), firstNonEmpty(r.Revoke, f.Revoke))
			}
		}
	}
	var missing []string
	for id := range used {
		if _, ok := index[id]; !ok {
			missing = append(missing, id)
		}
	}
	slices.Sort(missing)
	for _, id := range missing {
		f := used[id]
		add(id, f.Description, f.Tags, f.Provider, f.Severity, f.Revoke)
	}
	return list, index
}

// securitySeverity maps a rule's severity to GitHub code scanning's
// security-severity score (critical is above 9.0, high 7.0 to 8.9, medium
// 4.0 to 6.9, low below 4.0).
var securitySeverity = map[string]string{"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// sarifMessage says what was found where, without the secret.
func sarifMessage(f scanner.Finding) string {
	what := f.Description
	if what == "" {
		what = "Secret"
	}
	msg := fmt.Sprintf("%s (%s) found in %s", what, f.RuleID, location(f))
	if f.Commit != nil && f.Commit.SHA != "" {
		msg += " at commit " + shortSHA(f.Commit.SHA)
	}
	if f.Agent != "" {
		msg += ", made by an AI coding agent: " + f.Agent
	}
	msg += ". To fix: " + rules.NextStep(f.Provider, f.Revoke) + "."
	if f.Commit != nil && f.Commit.SHA != "" {
		msg += " Note: " + rules.HistoryNote + "."
	}
	return msg
}

// invocation records whether the scan covered its whole input (a partial
// report, or one with unreadable inputs, is an unsuccessful execution with
// a notification saying what is missing) and the summary's notices.
func invocation(sum scanner.Summary) sarifInvocation {
	inv := sarifInvocation{ExecutionSuccessful: sum.Partial == "" && sum.Errors == 0}
	// Notices say how the scan was made (warnings; the scan itself ran).
	for _, n := range sum.Notices {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{Level: "warning", Message: sarifText{Text: n}})
	}
	if sum.Partial != "" {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level: "error", Message: sarifText{Text: "partial report: " + sum.Partial + "; the results are those found before the scan stopped."},
		})
	}
	if sum.Errors > 0 {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level: "error", Message: sarifText{Text: plural(int(sum.Errors), "input") + " could not be read; the scan is incomplete."},
		})
	}
	return inv
}

// baseIDs defines SRCROOT when the scan root is known.
func (s *SARIF) baseIDs() map[string]sarifArtifactURI {
	if s.opts.Root == "" {
		return nil
	}
	return map[string]sarifArtifactURI{srcRoot: {URI: fileURI(s.opts.Root, true)}}
}

// artifact locates a finding's file. Relative paths are relative to the
// scan root (uriBaseId SRCROOT, when the root is known); an absolute path
// under the root is made relative to it, and any other absolute path
// becomes a file: URI. SARIF forbids relative references that start with
// a slash. A finding without a path (stdin, a commit message) is located
// in an artifact named after its kind.
func (s *SARIF) artifact(f scanner.Finding) sarifArtifact {
	p := f.Path
	if p == "" {
		p = string(f.Kind)
		if p == "" {
			p = string(scanner.KindStdin)
		}
		return sarifArtifact{URI: relURI(p)}
	}
	if isAbsPath(p) {
		if rel, ok := under(s.opts.Root, p); ok {
			return sarifArtifact{URI: relURI(rel), URIBaseID: srcRoot}
		}
		return sarifArtifact{URI: fileURI(p, false)}
	}
	a := sarifArtifact{URI: relURI(strings.TrimPrefix(p, "./"))}
	if s.opts.Root != "" {
		a.URIBaseID = srcRoot
	}
	return a
}

// isAbsPath reports whether a slash-separated path is absolute, on Unix
// or Windows (a drive letter or a UNC path).
func isAbsPath(p string) bool {
	p = strings.ReplaceAll(p, "\\", "/")
	return strings.HasPrefix(p, "/") || (len(p) >= 3 && p[1] == ':' && p[2] == '/')
}

// under returns p relative to root when p is inside it.
func under(root, p string) (string, bool) {
	if root == "" {
		return "", false
	}
	r := strings.TrimSuffix(strings.ReplaceAll(root, "\\", "/"), "/") + "/"
	p = strings.ReplaceAll(p, "\\", "/")
	if strings.HasPrefix(p, r) && len(p) > len(r) {
		return p[len(r):], true
	}
	return "", false
}

// relURI escapes a relative slash-separated path as a URI reference. A
// first segment holding a colon would read as a scheme, so it gets "./".
func relURI(p string) string {
	u := (&url.URL{Path: p}).String()
	if strings.HasPrefix(u, "/") {
		u = "." + u
	}
	return u
}

// fileURI turns an absolute path into a file: URI; dir adds the trailing
// slash a base URI needs.
func fileURI(p string, dir bool) string {
	p = strings.ReplaceAll(p, "\\", "/")
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/x -> /C:/x
	}
	if dir && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// region returns the region of the unredacted finding f, or nil when it has
// no line; snippet is its (redacted) match.
func region(f scanner.Finding, snippet string) *sarifRegion {
	if f.StartLine <= 0 {
		return nil
	}
	r := &sarifRegion{StartLine: f.StartLine, EndLine: max(f.EndLine, f.StartLine)}
	lines := strings.Split(f.Line, "\n")
	if f.StartColumn > 0 {
		r.StartColumn = utf16Column(lines[0], f.StartColumn)
	}
	if f.EndColumn > 0 {
		// EndColumn is the 1-based column of the match's last byte; SARIF's
		// endColumn is the column after the region.
		r.EndColumn = utf16Column(lines[len(lines)-1], f.EndColumn+1)
	}
	if snippet != "" {
		r.Snippet = &sarifText{Text: snippet}
	}
	return r
}

// utf16Column converts a 1-based byte column of line into a 1-based column
// in UTF-16 code units. When the line does not reach that far (the
// finding's line is unknown), the byte column is returned.
func utf16Column(line string, byteCol int) int {
	if byteCol-1 > len(line) {
		return byteCol
	}
	col := 1
	for _, r := range line[:byteCol-1] {
		if r >= 0x10000 && r <= utf8.MaxRune {
			col += 2
		} else {
			col++
		}
	}
	return col
}

// stableFingerprint identifies a finding across scans even when its line
// moves: a SHA-256 over the rule id, the path and the SHA-256 of the
// secret. The raw secret never appears in it.
func stableFingerprint(f scanner.Finding) string {
	secret := sha256.Sum256([]byte(f.Secret))
	h := sha256.New()
	h.Write([]byte(f.RuleID))
	h.Write([]byte{0})
	h.Write([]byte(f.Path))
	h.Write([]byte{0})
	h.Write([]byte(hex.EncodeToString(secret[:])))
	return hex.EncodeToString(h.Sum(nil))
}

func resultProps(f scanner.Finding) *sarifResultProps {
	p := &sarifResultProps{
		Tags: f.Tags, Kind: string(f.Kind), Fingerprint: f.Fingerprint,
		JSONLine: f.JSONLine, JSONPath: f.JSONPath, Role: f.Role, Tool: f.Tool, Session: f.Session,
	}
	if c := f.Commit; c != nil {
		p.CommitSHA, p.Author, p.Email, p.Date, p.Message = c.SHA, c.Author, c.Email, c.Date, c.Message
	}
	return p
}
