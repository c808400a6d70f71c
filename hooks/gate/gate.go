package gate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/hooks"
	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
	gitsrc "github.com/leakguard/leakguard/scanner/source/git"
)

// Hooks are the hooks Run knows.
var Hooks = []string{"pre-commit", "commit-msg", "pre-push"}

// ErrUnknownHook means Request.Hook is not one of Hooks.
var ErrUnknownHook = errors.New("gate: unknown hook")

// Request is one run of a hook, with what git gave it.
type Request struct {
	Hook string   // pre-commit, commit-msg or pre-push
	Args []string // the hook's arguments: commit-msg FILE, pre-push REMOTE URL
	// Config names the rules config; "" looks for $LEAKGUARD_CONFIG,
	// .leakguard.toml or .gitleaks.toml at the top of the work tree.
	Config string
	// Stdin is the hook's standard input (pre-push reads the refs there).
	Stdin io.Reader
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
	// Git is how the gate reads the repository; the zero Git is the git
	// source package's, in the working directory.
	Git Git
}

// Verdict is what a hook run decided.
type Verdict struct {
	Hook string
	// Target says what was scanned: "staged changes", "commit message",
	// "commit message and staged changes", "pushed commits".
	Target string
	// Findings are the secrets the policy counts (one per secret per
	// place), sorted.
	Findings []scanner.Finding
	// Block says the commit or push must not go ahead.
	Block bool
	// Err is set when the hook could not do its job (a bad config, an
	// unreadable index or object, an internal error); Block then says
	// whether the policy fails closed.
	Err error
	// Panicked is set when Err comes from an internal error; it always
	// blocks.
	Panicked bool
	// Agent is the AI agent the commit (or push) is attributed to, if any;
	// Policy the policy applied.
	Agent  hooks.Agent
	Policy hooks.Policy
	// Notes are messages for the person at the terminal (the committed
	// config applied for an agent, ignore-file lines skipped, an audit
	// log that could not be written).
	Notes []string
}

// Run runs one hook and returns its verdict. The verdict is recorded in
// the audit log unless the config disables it. Run never panics: an
// internal error becomes a blocking verdict. The error is for misuse (an
// unknown hook) only.
func Run(ctx context.Context, req Request) (v Verdict, err error) {
	if !contains(Hooks, req.Hook) {
		return Verdict{}, fmt.Errorf("%w %q (want one of: %s)", ErrUnknownHook, req.Hook, strings.Join(Hooks, ", "))
	}
	if req.Getenv == nil {
		req.Getenv = os.Getenv
	}
	if req.Stdin == nil {
		req.Stdin = strings.NewReader("")
	}
	req.Git = req.Git.withDefaults()
	// git runs hooks at the top of the work tree: when no config file is
	// there, the built-in rules will be needed.
	r := &run{req: req, builtin: builtinDetector(rules.FindEnv(req.Config, ".", req.Getenv) == "")}
	r.v.Hook = req.Hook
	r.agent = hooks.DetectAgent(hooks.AgentSignals{Env: req.Getenv})
	r.policy = hooks.DefaultPolicy(r.agent.IsAgent)
	if a, aerr := (hooks.AuditConfig{}).Audit(); aerr == nil {
		r.audit = a // replaced by the configured log once the config is read
	}
	defer func() {
		if p := recover(); p != nil {
			v = r.failure(fmt.Errorf("internal error: %v\n%s", p, debug.Stack()), true)
		}
	}()
	findings, err := r.scan(ctx)
	var pe *panicError
	if errors.As(err, &pe) {
		return r.failure(fmt.Errorf("internal error: %v\n%s", pe.value, pe.stack), true), nil
	}
	if err != nil {
		return r.failure(err, false), nil
	}
	return r.decide(findings), nil
}

// run is one run of a gate: what is known so far, for the decision and the
// audit log.
type run struct {
	req     Request
	v       Verdict
	root    string
	agent   hooks.Agent
	policy  hooks.Policy
	audit   *hooks.Audit
	sponsor hooks.Identity
	tree    string
	builtin func() (*detectors.Detector, error)
}

// note adds a message for the person at the terminal.
func (r *run) note(format string, a ...any) {
	r.v.Notes = append(r.v.Notes, fmt.Sprintf(format, a...))
}

// scan gathers the evidence, settles agent and policy, and runs the scan
// the hook calls for. Independent git commands run concurrently: a hook's
// latency is mostly the git processes it starts.
func (r *run) scan(ctx context.Context) ([]scanner.Finding, error) {
	var (
		repo              *gitsrc.Repo
		author, committer hooks.Identity
		msg               []byte
		comment           = "#"
	)
	g := r.req.Git
	err := parallel(
		func() (err error) {
			// Open's rev-parse also names the work tree: no second one.
			if repo, err = g.Open(ctx); err == nil {
				if r.root = repo.WorkTree(); r.root == "" {
					r.root, err = g.Toplevel(ctx)
				}
			}
			return err
		},
		func() (err error) { author, committer, err = hooks.Identities("."); return err },
		func() (err error) {
			if r.req.Hook != "commit-msg" {
				return nil
			}
			if len(r.req.Args) == 0 {
				return errors.New("commit-msg: no commit message file argument")
			}
			if msg, err = os.ReadFile(r.req.Args[0]); err != nil {
				return fmt.Errorf("read commit message: %w", err)
			}
			// git strips lines starting with core.commentChar ("auto"
			// picks one per message: then "#" is the best guess).
			if c := g.CommentChar(ctx); len(c) == 1 {
				comment = c
			}
			return nil
		},
	)
	r.sponsor = committer
	// Until the config is read (it may add author patterns), judge by the
	// message, the environment and the author alone.
	sig := hooks.AgentSignals{Env: r.req.Getenv, CommitMessage: string(msg), AuthorName: author.Name, AuthorEmail: author.Email}
	r.agent = hooks.DetectAgent(sig)
	r.policy = hooks.DefaultPolicy(r.agent.IsAgent)
	if err != nil {
		return nil, err
	}
	cfg, err := loadConfig(ctx, g, r.root, repo.HasHead, r.req.Config, r.req.Getenv)
	if err != nil {
		return nil, err
	}
	sig.Patterns = cfg.patterns()
	r.agent = hooks.DetectAgent(sig)
	sig.CommitMessage = ""
	withoutMsg := hooks.DetectAgent(sig)
	eff, err := cfg.effective(r.agent.IsAgent)
	if err != nil {
		return nil, err
	}
	if eff.note != "" {
		r.note("%s", eff.note)
	}
	r.policy = eff.policy.Policy(r.agent.IsAgent)
	audit, err := eff.policy.Audit.Audit()
	if err != nil {
		if r.policy.FailClosed {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		r.note("warning: audit log: %v", err)
	}
	r.audit = audit

	// Compile the rules while git reads the index.
	var (
		det    *detectors.Detector
		ignore *scanner.IgnoreList
		staged []scanner.Fragment
	)
	needStaged := r.req.Hook == "pre-commit" || (r.req.Hook == "commit-msg" && r.agent.IsAgent && !withoutMsg.IsAgent)
	err = parallel(
		func() (err error) { det, err = eff.detector(r.builtin); return err },
		func() (err error) {
			var warnings []string
			ignore, warnings, err = cfg.ignoreList(ctx, r.agent.IsAgent)
			for _, w := range warnings {
				r.note("%s: %s", ignoreFileName, w)
			}
			return err
		},
		func() (err error) {
			if !needStaged {
				return nil
			}
			staged, err = stagedFragments(ctx, g, repo)
			return err
		},
		func() error {
			if needStaged {
				r.tree = g.WriteTree(ctx, r.root)
			}
			return nil
		},
	)
	if err != nil {
		return nil, err
	}
	var findings []scanner.Finding
	filter := scanner.Filter{Ignore: ignore, KeepMarked: !r.policy.HonourAllowMarkers}
	sc := scanner.New(det, scanner.Options{})
	switch r.req.Hook {
	case "pre-commit":
		r.v.Target = "staged changes"
		findings, err = scanWith(ctx, det, filter, staged...)
	case "commit-msg":
		r.v.Target = "commit message"
		frags := []scanner.Fragment{{Data: CommitMessageText(msg, comment), Origin: scanner.Origin{Kind: scanner.KindCommitMessage, Path: "(commit message)"}}}
		if needStaged {
			// pre-commit ran before the message said an agent wrote this
			// commit: check the staged changes again under the agent policy.
			r.v.Target = "commit message and staged changes"
			frags = append(frags, staged...)
		}
		findings, err = scanWith(ctx, det, filter, frags...)
	case "pre-push":
		r.v.Target = "pushed commits"
		findings, err = r.scanPushed(ctx, repo, sc, filter, cfg.patterns(), eff.policy)
	}
	return findings, err
}

// scanWith runs the pipeline over in-memory fragments under filter.
func scanWith(ctx context.Context, det *detectors.Detector, filter scanner.Filter, frags ...scanner.Fragment) ([]scanner.Finding, error) {
	fs, _, err := scanner.New(det, scanner.Options{Filter: filter}).Scan(ctx, scanner.SliceSource(frags...))
	return fs, err
}

// stagedFragments reads the staged changes' fragments.
func stagedFragments(ctx context.Context, g Git, repo *gitsrc.Repo) ([]scanner.Fragment, error) {
	src, err := g.Staged(ctx, repo)
	if err != nil {
		return nil, err
	}
	var frags []scanner.Fragment
	if err := src.Fragments(ctx, func(f scanner.Fragment) error {
		frags = append(frags, f)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read staged changes: %w", err)
	}
	return frags, nil
}

// scanPushed scans the commits of a push. Each finding's commit is judged on
// its own: under the agent policy when the push is an agent's (environment)
// or when the commit's trailers or author say an agent wrote it. When any
// finding is in an agent's commit, the agent policy decides the push.
func (r *run) scanPushed(ctx context.Context, repo *gitsrc.Repo, sc *scanner.Scanner, filter scanner.Filter, patterns []string, pc hooks.PolicyConfig) ([]scanner.Finding, error) {
	remote := ""
	if len(r.req.Args) > 0 {
		remote = r.req.Args[0]
	}
	agentOf := CommitAgents(patterns)
	if !r.agent.IsAgent {
		human, agent := r.policy, pc.Policy(true)
		filter.KeepMarkedFor = func(f *scanner.Finding) bool {
			if agentOf(f.Commit).IsAgent {
				return !agent.HonourAllowMarkers
			}
			return !human.HonourAllowMarkers
		}
	}
	findings, err := r.req.Git.Pushed(ctx, repo, remote, r.req.Stdin, sc, filter)
	if err != nil {
		return nil, fmt.Errorf("scan pushed commits: %w", err)
	}
	if r.agent.IsAgent {
		return findings, nil
	}
	for _, f := range findings {
		if a := agentOf(f.Commit); a.IsAgent && !r.agent.IsAgent {
			r.agent = hooks.Agent{IsAgent: true, Name: a.Name, Signal: "commit " + shortSHA(f.Commit.SHA) + " " + a.Signal}
			r.policy = pc.Policy(true)
		}
	}
	return findings, nil
}

// CommitAgents returns the one function that tells whether a commit is an
// AI agent's, from its trailers and author and the config's agentAuthors
// patterns; it remembers each commit's answer. Pushes and history reports
// (`leakguard git`) both use it.
func CommitAgents(patterns []string) func(*scanner.CommitInfo) hooks.Agent {
	seen := map[string]hooks.Agent{}
	return func(c *scanner.CommitInfo) hooks.Agent {
		if c == nil || c.SHA == "" {
			return hooks.Agent{}
		}
		a, ok := seen[c.SHA]
		if !ok {
			a = hooks.DetectAgent(hooks.AgentSignals{CommitMessage: c.Message, AuthorName: c.Author, AuthorEmail: c.Email, Patterns: patterns})
			seen[c.SHA] = a
		}
		return a
	}
}

// CommitMessageText is the message as git will store it, for scanning: the
// part below a scissors line is cut and comment lines (starting with
// comment) are blanked, kept as empty lines so that line numbers stay the
// file's.
func CommitMessageText(msg []byte, comment string) []byte {
	scissors := comment + " ------------------------ >8 ------------------------"
	lines := strings.SplitAfter(string(msg), "\n")
	var b strings.Builder
	for _, l := range lines {
		if strings.TrimRight(l, "\r\n") == scissors {
			break
		}
		if strings.HasPrefix(l, comment) {
			if strings.HasSuffix(l, "\n") {
				b.WriteByte('\n')
			}
			continue
		}
		b.WriteString(l)
	}
	return []byte(b.String())
}

// decide turns the findings into the verdict and records it.
func (r *run) decide(findings []scanner.Finding) Verdict {
	r.v.Findings, r.v.Agent, r.v.Policy = findings, r.agent, r.policy
	ev := hooks.AuditEvent{RuleIDs: ruleIDs(findings), Fingerprints: fingerprints(findings), Decision: hooks.DecisionAllowed}
	if len(findings) > 0 && r.policy.Blocks() {
		r.v.Block = true
		ev.Decision = hooks.DecisionBlocked
	}
	r.record(ev)
	return r.v
}

// failure is the verdict for a hook that could not do its job: it blocks
// when the policy fails closed, and always after an internal error.
func (r *run) failure(err error, panicked bool) Verdict {
	r.v.Err, r.v.Panicked, r.v.Agent, r.v.Policy = err, panicked, r.agent, r.policy
	r.v.Block = panicked || r.policy.FailClosed
	r.v.Findings = nil
	msg := err.Error()
	if panicked {
		msg = "panic: " + firstLine(msg)
	}
	r.record(hooks.AuditEvent{Decision: hooks.DecisionError, Error: r.scrub(msg)})
	return r.v
}

// scrub masks secrets in a message bound for the audit log (an error can
// quote a config line or a path that holds one).
func (r *run) scrub(msg string) string {
	det, err := r.builtin()
	if err != nil || det == nil {
		return msg
	}
	fs, err := scanner.New(det, scanner.Options{Filter: scanner.Filter{KeepMarked: true}}).Findings(context.Background(),
		scanner.Fragment{Data: []byte(msg), Origin: scanner.Origin{Kind: scanner.KindStdin}})
	if err != nil || len(fs) == 0 {
		return msg
	}
	b := []byte(msg)
	for i := len(fs) - 1; i >= 0; i-- {
		f := fs[i]
		if f.SpanEnd > f.SpanStart && f.SpanEnd <= len(b) {
			b = append(b[:f.SpanStart], append([]byte(scanner.Redact(f.Secret)), b[f.SpanEnd:]...)...)
		}
	}
	return string(b)
}

// record appends ev, completed with what the run knows, to the audit log. A
// log that cannot be written is noted; for a fail-closed policy it blocks.
func (r *run) record(ev hooks.AuditEvent) {
	if r.audit == nil {
		return
	}
	ev.Repo, ev.Hook, ev.Tree = r.root, r.req.Hook, r.tree
	ev.Agent, ev.AgentName, ev.Signal = r.agent.IsAgent, r.agent.Name, r.agent.Signal
	ev.SponsorName, ev.SponsorEmail = r.sponsor.Name, r.sponsor.Email
	if err := r.audit.Record(ev); err != nil {
		r.note("warning: %v", err)
		if r.policy.FailClosed && !r.v.Block {
			r.v.Block = true
			r.v.Err = fmt.Errorf("the audit log could not be written (policy fails closed): %w", err)
		}
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func ruleIDs(findings []scanner.Finding) []string {
	seen := map[string]bool{}
	var ids []string
	for _, f := range findings {
		if !seen[f.RuleID] {
			seen[f.RuleID] = true
			ids = append(ids, f.RuleID)
		}
	}
	sortStrings(ids)
	return ids
}

func fingerprints(findings []scanner.Finding) []string {
	var fps []string
	for _, f := range findings {
		fps = append(fps, f.Fingerprint)
	}
	return fps
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func shortSHA(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

func sortStrings(s []string) { sort.Strings(s) }
