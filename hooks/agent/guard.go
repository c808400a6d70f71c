package agent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/scanner"
	"github.com/leakguard/leakguard/scanner/redact"
	"github.com/leakguard/leakguard/scanner/source/transcript"
)

// Agent names an agent whose hook protocol leakguard speaks.
type Agent string

// The agents.
const (
	ClaudeCode Agent = "claude-code"
	Codex      Agent = "codex"
	Cursor     Agent = "cursor"
	Gemini     Agent = "gemini"
	Copilot    Agent = "copilot"
	Windsurf   Agent = "windsurf"
	Kiro       Agent = "kiro"
	Cline      Agent = "cline"
	Junie      Agent = "junie"
)

// Agents lists the supported agents.
var Agents = []Agent{ClaudeCode, Codex, Cursor, Gemini, Copilot, Windsurf, Kiro, Cline, Junie}

// ErrUnknownAgent means an agent name is not one of Agents.
var ErrUnknownAgent = errors.New("agent: unknown agent")

// AgentNames is the list of agents for usage messages: "claude-code|codex|...".
func AgentNames() string {
	names := make([]string, len(Agents))
	for i, a := range Agents {
		names[i] = string(a)
	}
	return strings.Join(names, "|")
}

// ParseAgent reads an agent name.
func ParseAgent(s string) (Agent, error) {
	for _, a := range Agents {
		if string(a) == s {
			return a, nil
		}
	}
	return "", fmt.Errorf("%w %q (want %s)", ErrUnknownAgent, s, strings.ReplaceAll(AgentNames(), "|", ", "))
}

// Decision is what to do about a tool call.
type Decision string

// The decisions a policy can make.
const (
	Allow Decision = "allow"
	Ask   Decision = "ask"
	Deny  Decision = "deny"
)

// ParseDecision reads allow, ask or deny.
func ParseDecision(s string) (Decision, error) {
	switch d := Decision(s); d {
	case Allow, Ask, Deny:
		return d, nil
	}
	return "", fmt.Errorf("agent: unknown decision %q (want deny, ask or allow)", s)
}

// DefaultMaxFileSize bounds the part of a file read for a read check.
const DefaultMaxFileSize = 16 << 20

// Options tune a Guard.
type Options struct {
	// ReadPolicy decides a read of a file holding secrets, or of a known
	// secret store (~/.aws/credentials, .env, ...) whatever it holds; ""
	// means Ask.
	ReadPolicy Decision
	// FailOpen lets the agent go on when the event cannot be handled
	// (malformed, unknown, an internal error); by default it is blocked.
	FailOpen bool
	// DenyBypass denies tool calls that switch a gate off: git
	// --no-verify, core.hooksPath overrides, leakguard hook uninstall,
	// writes to .git/hooks or to an agent's hook settings. It comes from
	// the [hooks] agent policy (hooks.Policy.DenyBypass).
	DenyBypass bool
	// MaxFileSize bounds how much of a file a read check scans; 0 means
	// DefaultMaxFileSize.
	MaxFileSize int64
	// MaxEmbedded is how deep JSON held in strings is walked (see
	// transcript.Walker).
	MaxEmbedded int
	// Home is the user's home directory, for ~ and the secret stores; ""
	// means os.UserHomeDir.
	Home string
	// Event names the event when the agent does not put it in the event
	// JSON (Copilot: the installed command passes --event).
	Event string
}

// Guard answers hook events. It is safe for concurrent use if its
// scanner is.
type Guard struct {
	sc   *scanner.Scanner
	opts Options
	red  *redact.Redactor
}

// New returns a Guard that finds secrets with the pipeline of sc. The
// scanner's filter should keep allow-marked findings: an agent cannot
// suppress a finding by writing a marker next to it (NewScanner does so).
func New(sc *scanner.Scanner, opts Options) *Guard {
	if opts.ReadPolicy == "" {
		opts.ReadPolicy = Ask
	}
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	if opts.Home == "" {
		opts.Home, _ = os.UserHomeDir()
	}
	return &Guard{sc: sc, opts: opts, red: &redact.Redactor{Scanner: sc, MaxEmbedded: opts.MaxEmbedded}}
}

// NewScanner returns the scanner a Guard uses with det: one worker, and
// allow markers do not count (the strict policy for agents).
func NewScanner(det *detectors.Detector) *scanner.Scanner {
	return scanner.New(det, scanner.Options{Workers: 1, Filter: scanner.Filter{KeepMarked: true}})
}

// Hit is one secret found in an event or in a file it names, or one
// reason to stop a call that is not a secret (Rule "secret-store",
// "gate-bypass"). Secret is masked.
type Hit struct {
	Rule   string
	Secret string
	// Where is the JSON Pointer of the string in the event, or path:line
	// for a file.
	Where string
	// Finding is the pipeline's finding, secret in full: never print it.
	Finding scanner.Finding
}

// Fingerprint names a hit without its secret, for the audit log.
func (h Hit) Fingerprint() string { return h.Where + ":" + h.Rule }

// The audit decisions of an Answer.
const (
	Allowed  = "allowed"  // let through although something was found (policy allow, observe-only event)
	Blocked  = "blocked"  // denied or blocked
	Asked    = "asked"    // the person is asked
	Redacted = "redacted" // the secrets were replaced in what the model sees
	Failed   = "error"    // the event could not be handled
)

// Answer is the reply to one event: Stdout is the agent's JSON, Exit the
// hook's exit status, Stderr a line for the person watching.
type Answer struct {
	Stdout []byte
	Exit   int
	Stderr string
	Hits   []Hit
	// Decision is "" for a clean event, else one of Allowed, Blocked,
	// Asked, Redacted, Failed.
	Decision string
	// What the event was, for the audit log.
	Event, Tool, Session, Cwd string
}

// ErrEmpty means the hook got no event on stdin.
var ErrEmpty = errors.New("agent: empty hook input (expected the event JSON on stdin)")

// Handle answers one event. It never panics and always returns valid
// output for the agent.
func (g *Guard) Handle(a Agent, payload []byte) (ans Answer) {
	defer func() {
		if r := recover(); r != nil {
			ans = g.failure(a, fmt.Errorf("internal error: %v", r))
		}
	}()
	if len(bytes.TrimSpace(payload)) == 0 {
		return g.failure(a, ErrEmpty)
	}
	ev, err := parseEvent(a, payload, g.opts.Event)
	if err != nil {
		return g.failure(a, fmt.Errorf("malformed hook event: %w", err))
	}
	hits, err := g.scanEvent(payload)
	if err != nil {
		return g.failure(a, fmt.Errorf("malformed hook event: %w", err))
	}
	switch a {
	case ClaudeCode, Codex, Junie:
		ans = g.claude(a, ev, hits)
	case Cursor:
		ans = g.cursor(ev, hits)
	case Gemini:
		ans = g.gemini(ev, hits)
	case Copilot:
		ans = g.copilot(ev, hits)
	case Windsurf, Kiro:
		ans = g.exitCode(a, ev, hits)
	case Cline:
		ans = g.cline(ev, hits)
	default:
		return g.failure(a, fmt.Errorf("%w %q", ErrUnknownAgent, a))
	}
	ans.Event, ans.Tool, ans.Session, ans.Cwd = ev.Event, ev.Tool, ev.Session, ev.Cwd
	return ans
}

// scan is the one place the guard asks the pipeline for secrets (event
// strings and files alike).
func (g *Guard) scan(frags ...scanner.Fragment) ([]scanner.Finding, error) {
	return g.sc.Findings(context.Background(), frags...)
}

// scanEvent runs the pipeline over every string of the event, and over
// the JSON held in strings.
func (g *Guard) scanEvent(payload []byte) ([]Hit, error) {
	w := &transcript.Walker{MaxEmbedded: g.opts.MaxEmbedded}
	var frags []scanner.Fragment
	err := w.Walk(payload, 1, func(v transcript.Value) error {
		before, after := transcript.MemberContext(v.Name)
		frags = append(frags, scanner.Fragment{Data: bytes.Clone(v.Data), Before: before, After: after, Origin: scanner.Origin{
			Kind: scanner.KindHookPayload, JSONLine: 1, JSONPath: v.Pointer, Role: v.Role, Tool: v.Tool, Session: v.Session,
		}})
		return nil
	})
	if err != nil {
		return nil, err
	}
	fs, err := g.scan(frags...)
	if err != nil {
		return nil, err
	}
	hits := make([]Hit, 0, len(fs))
	for _, f := range fs {
		if f.Secret == "" {
			continue
		}
		hits = append(hits, Hit{Rule: f.RuleID, Secret: scanner.Redact(f.Secret), Where: f.JSONPath, Finding: f})
	}
	return hits, nil
}

// scanFile scans (the first MaxFileSize bytes of) the file at path. A file
// that cannot be read yields no hits: the agent's own read will fail.
func (g *Guard) scanFile(path string) []Hit {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(f, g.opts.MaxFileSize))
	if err != nil {
		return nil
	}
	fs, err := g.scan(scanner.Fragment{Data: data, Origin: scanner.Origin{Kind: scanner.KindFile, Path: path}})
	if err != nil {
		return nil
	}
	var hits []Hit
	for _, fd := range fs {
		if fd.Secret == "" {
			hits = append(hits, Hit{Rule: fd.RuleID, Secret: "(file name)", Where: path, Finding: fd})
			continue
		}
		hits = append(hits, Hit{Rule: fd.RuleID, Secret: scanner.Redact(fd.Secret), Where: fmt.Sprintf("%s:%d", path, fd.StartLine), Finding: fd})
	}
	return hits
}

// within keeps the hits under a JSON Pointer prefix.
func within(hits []Hit, prefix string) (in, out []Hit) {
	for _, h := range hits {
		if h.Where == prefix || strings.HasPrefix(h.Where, prefix+"/") || strings.HasPrefix(h.Where, prefix+"#") {
			in = append(in, h)
		} else {
			out = append(out, h)
		}
	}
	return in, out
}

// maxListed is how many hits a reason names.
const maxListed = 5

// reason says what was found, masked, for the agent and the person. It
// counts secrets: one secret at two places of an event is one.
func reason(what string, hits []Hit, advice string) string {
	var b strings.Builder
	distinct := map[string]bool{}
	for _, h := range hits {
		k := h.Rule + "\x00" + h.Where
		if h.Finding.Secret != "" {
			k = h.Rule + "\x00" + h.Finding.Secret
		}
		distinct[k] = true
	}
	fmt.Fprintf(&b, "leakguard: %d secret(s) in %s: ", len(distinct), what)
	for i, h := range hits {
		if i == maxListed {
			fmt.Fprintf(&b, "; and %d more", len(hits)-maxListed)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s %s at %s", h.Rule, h.Secret, h.Where)
	}
	b.WriteString(". ")
	b.WriteString(advice)
	return b.String()
}

// rotateAt names where to rotate the hits' secrets, for a reason whose
// secrets are already exposed: " Rotate at: <provider> <page>, ...", or ""
// when no rule names a page.
func rotateAt(hits []Hit) string {
	if p := revokePages(hits); p != "" {
		return " Rotate at: " + p + "."
	}
	return ""
}

// revokePages lists the distinct revoke pages of the hits' providers
// (scanner.Finding.Provider and Revoke, from the rule).
func revokePages(hits []Hit) string {
	var pages []string
	seen := map[string]bool{}
	for _, h := range hits {
		f := h.Finding
		if f.Revoke == "" || seen[f.Revoke] || len(pages) == maxListed {
			continue
		}
		seen[f.Revoke] = true
		pages = append(pages, f.Provider+" "+f.Revoke)
	}
	return strings.Join(pages, ", ")
}

// encode writes v as compact JSON without HTML escaping.
func encode(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return []byte("{}\n")
	}
	return b.Bytes()
}
