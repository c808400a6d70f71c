package hooks

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Decision is what a hook decided.
type Decision string

// Decisions recorded in the audit log.
const (
	DecisionAllowed Decision = "allowed"
	DecisionBlocked Decision = "blocked"
	DecisionError   Decision = "error"
	// Gateways (model-API proxy, MCP guard): a message whose secrets were
	// replaced before it went on, and a secret seen and let through (a
	// model's output when masking is off).
	DecisionRedacted Decision = "redacted"
	DecisionFlagged  Decision = "flagged"
	// The agent hook: the person is asked before the call runs.
	DecisionAsked Decision = "asked"
)

// AuditEvent is one hook decision. It has no field for secrets or matched text:
// findings are recorded by rule id and fingerprint only.
type AuditEvent struct {
	Time         time.Time // zero means now
	Repo         string    // work tree (or git dir) path
	Hook         string    // pre-commit, commit-msg, pre-push, ..., agent-hook
	Commit       string    // the commit id, when there is one
	Tree         string    // the staged tree id, before the commit exists
	Decision     Decision
	Agent        bool
	AgentName    string
	Signal       string   // Agent.Signal
	Session      string   // the agent's session id, when a gateway knows it
	SponsorName  string   // git user.name: the person answerable for the commit
	SponsorEmail string   // git user.email
	RuleIDs      []string // rules that matched
	Fingerprints []string // finding fingerprints (commit:path:rule:line)
	Error        string   // for DecisionError
	// The agent hook's fields: the hook event, the tool, the directory it
	// ran in, and the OS user running it.
	Event string
	Tool  string
	Cwd   string
	User  string
}

// auditLine fixes the JSON field names and order of a log line.
type auditLine struct {
	Time         string   `json:"time"`
	Repo         string   `json:"repo,omitempty"`
	Hook         string   `json:"hook"`
	Commit       string   `json:"commit,omitempty"`
	Tree         string   `json:"tree,omitempty"`
	Decision     Decision `json:"decision"`
	Agent        bool     `json:"agent"`
	AgentName    string   `json:"agentName,omitempty"`
	Signal       string   `json:"signal,omitempty"`
	Session      string   `json:"session,omitempty"`
	SponsorName  string   `json:"sponsorName,omitempty"`
	SponsorEmail string   `json:"sponsorEmail,omitempty"`
	RuleIDs      []string `json:"ruleIds,omitempty"`
	Fingerprints []string `json:"fingerprints,omitempty"`
	Error        string   `json:"error,omitempty"`
	Event        string   `json:"event,omitempty"`
	Tool         string   `json:"tool,omitempty"`
	Cwd          string   `json:"cwd,omitempty"`
	User         string   `json:"user,omitempty"`
}

// Audit appends hook decisions to a JSON-lines file. A nil *Audit records
// nothing (the log is disabled). Record is safe for concurrent use, also across
// processes: each event is one write to a file opened with O_APPEND.
type Audit struct {
	Path string
}

// DefaultAuditPath is $XDG_STATE_HOME/leakguard/audit.jsonl, or
// ~/.local/state/leakguard/audit.jsonl.
func DefaultAuditPath() (string, error) {
	if x := os.Getenv("XDG_STATE_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "leakguard", "audit.jsonl"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find audit log location: %w", err)
	}
	return filepath.Join(home, ".local", "state", "leakguard", "audit.jsonl"), nil
}

// Audit returns the audit log this config asks for: nil when disabled, the
// configured path (with ~ expanded) or DefaultAuditPath otherwise.
func (c AuditConfig) Audit() (*Audit, error) {
	if c.Enabled != nil && !*c.Enabled {
		return nil, nil
	}
	p := c.Path
	if p == "" {
		d, err := DefaultAuditPath()
		if err != nil {
			return nil, err
		}
		return &Audit{Path: d}, nil
	}
	if p == "~" || strings.HasPrefix(p, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, fmt.Errorf("expand audit path %s: %w", p, err)
		}
		p = filepath.Join(home, p[1:])
	}
	return &Audit{Path: p}, nil
}

// Record appends ev as one JSON line. The file is created with mode 0600 and its
// directories with 0700.
func (a *Audit) Record(ev AuditEvent) error {
	if a == nil || a.Path == "" {
		return nil
	}
	switch ev.Decision {
	case DecisionAllowed, DecisionBlocked, DecisionError, DecisionRedacted, DecisionFlagged, DecisionAsked:
	default:
		return fmt.Errorf("audit: invalid decision %q", ev.Decision)
	}
	if ev.Time.IsZero() {
		ev.Time = time.Now()
	}
	b, err := json.Marshal(auditLine{
		Time: ev.Time.UTC().Format(time.RFC3339), Repo: ev.Repo, Hook: ev.Hook, Commit: ev.Commit, Tree: ev.Tree,
		Decision: ev.Decision, Agent: ev.Agent, AgentName: ev.AgentName, Signal: ev.Signal, Session: ev.Session,
		SponsorName: ev.SponsorName, SponsorEmail: ev.SponsorEmail,
		RuleIDs: ev.RuleIDs, Fingerprints: ev.Fingerprints, Error: ev.Error,
		Event: ev.Event, Tool: ev.Tool, Cwd: ev.Cwd, User: ev.User,
	})
	if err != nil {
		return fmt.Errorf("audit: encode event: %w", err)
	}
	b = append(b, '\n')
	if err := os.MkdirAll(filepath.Dir(a.Path), 0o700); err != nil {
		return fmt.Errorf("audit: create directory for %s: %w", a.Path, err)
	}
	f, err := os.OpenFile(a.Path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("audit: open %s: %w", a.Path, err)
	}
	_, werr := f.Write(b)
	cerr := f.Close()
	if werr != nil {
		return fmt.Errorf("audit: write %s: %w", a.Path, werr)
	}
	if cerr != nil {
		return fmt.Errorf("audit: close %s: %w", a.Path, cerr)
	}
	return nil
}

// ParseAuditLine reads one line of the audit log.
func ParseAuditLine(line []byte) (AuditEvent, error) {
	var l auditLine
	if err := json.Unmarshal(line, &l); err != nil {
		return AuditEvent{}, fmt.Errorf("audit: %w", err)
	}
	t, err := time.Parse(time.RFC3339, l.Time)
	if err != nil {
		return AuditEvent{}, fmt.Errorf("audit: time %q: %w", l.Time, err)
	}
	return AuditEvent{
		Time: t, Repo: l.Repo, Hook: l.Hook, Commit: l.Commit, Tree: l.Tree, Decision: l.Decision,
		Agent: l.Agent, AgentName: l.AgentName, Signal: l.Signal, SponsorName: l.SponsorName, SponsorEmail: l.SponsorEmail,
		RuleIDs: l.RuleIDs, Fingerprints: l.Fingerprints, Error: l.Error,
		Session: l.Session, Event: l.Event, Tool: l.Tool, Cwd: l.Cwd, User: l.User,
	}, nil
}
