package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/hooks"
	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
	gitsrc "github.com/leakguard/leakguard/scanner/source/git"
)

// HookRunOptions are the arguments of `leakguard hook run`.
type HookRunOptions struct {
	Hook      string   // pre-commit, commit-msg or pre-push
	Args      []string // what git passed the hook
	Framework bool     // run by the pre-commit framework: file name arguments are ignored
	Config    string
}

// runHooks are the hooks `hook run` knows.
var runHooks = []string{"pre-commit", "commit-msg", "pre-push"}

func newHookRunCmd(env *Env, runF func(context.Context, *HookRunOptions) error) *cobra.Command {
	o := &HookRunOptions{}
	cmd := &cobra.Command{
		Use:   "run pre-commit|commit-msg|pre-push [ARGS...]",
		Short: "Run one gate, as the installed hook scripts do",
		Long: `Run one gate, as the hook scripts written by 'hook install' do, with the
arguments and standard input git gave the hook:

  pre-commit            scan the staged changes (added lines only)
  commit-msg FILE       scan the commit message; when its trailers show an agent
                        wrote the commit, scan the staged changes again under the
                        agent policy
  pre-push REMOTE URL   scan the commits being pushed (refs on standard input)

A commit is an agent's when the commit message's trailers, the environment
(CLAUDECODE, CURSOR_AGENT, CODEX_SANDBOX, GEMINI_CLI, AI_AGENT, ...) or the author
say so, or when the author matches [hooks] agentAuthors. The [hooks] table of
.leakguard.toml sets the policies; for agent commits the committed (HEAD)
versions of the config and of .gitleaksignore apply, not the working copies.
Each decision is appended to the audit log unless [hooks] audit.enabled = false.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Hook, o.Args = args[0], args[1:]
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runHook(cmd.Context(), env, o, defaultHookGit())
		},
	}
	cmd.Flags().BoolVar(&o.Framework, "framework", false, "run by the pre-commit framework: ignore file names, scan the staged index")
	cmd.Flags().StringVarP(&o.Config, "config", "c", "", "config file (default: $LEAKGUARD_CONFIG, .leakguard.toml or .gitleaks.toml at the repository root)")
	return cmd
}

// hookRun is one run of a gate: what is known so far, for the decision and
// the audit log.
type hookRun struct {
	env     *Env
	o       *HookRunOptions
	git     hookGit
	root    string
	agent   hooks.Agent
	policy  hooks.Policy
	audit   *hooks.Audit
	sponsor hooks.Identity
	tree    string
	target  string // what was scanned, for messages: "staged changes", "commit message", ...
	// perCommit is set when scanPushed applied each commit's policy itself.
	perCommit bool
	builtin   func() (*detectors.Detector, error)
}

// runHook runs a gate. A finding blocks with exit status 1; an error blocks
// when the policy fails closed (always for agents), and a panic always blocks.
func runHook(ctx context.Context, env *Env, o *HookRunOptions, git hookGit) (err error) {
	if !contains(runHooks, o.Hook) {
		return usageError("unknown hook %q (want one of: %s)", o.Hook, strings.Join(runHooks, ", "))
	}
	// git runs hooks at the top of the work tree: when no config file is
	// there, the built-in rules will be needed.
	r := &hookRun{env: env, o: o, git: git, builtin: builtinDetector(rules.FindEnv(o.Config, ".", env.Getenv) == "")}
	r.agent = hooks.DetectAgent(hooks.AgentSignals{Env: env.Getenv})
	r.policy = hooks.DefaultPolicy(r.agent.IsAgent)
	if a, aerr := defaultAudit(); aerr == nil {
		r.audit = a // replaced by the configured log once the config is read
	}
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(env.Err, "leakguard: internal error in the %s hook: %v\n%s", o.Hook, p, debug.Stack())
			r.record(hooks.AuditEvent{Decision: hooks.DecisionError, Error: fmt.Sprintf("panic: %v", p)})
			fmt.Fprintf(env.Err, "leakguard: %s blocked: the hook failed (fail closed)\n", o.Hook)
			err = withCode(ExitFindings, nil)
		}
	}()
	findings, err := r.scan(ctx)
	var pe *panicError
	if errors.As(err, &pe) {
		panic(fmt.Sprintf("%v\n%s", pe.value, pe.stack))
	}
	if err != nil {
		return r.fail(err)
	}
	return r.decide(findings)
}

func defaultAudit() (*hooks.Audit, error) { return hooks.AuditConfig{}.Audit() }

// scan gathers the evidence, settles agent and policy, and runs the scan
// the hook calls for. Independent git commands run concurrently: a hook's
// latency is mostly the git processes it starts.
func (r *hookRun) scan(ctx context.Context) ([]scanner.Finding, error) {
	var (
		repo              *gitsrc.Repo
		author, committer hooks.Identity
		msg               []byte
		comment           = "#"
	)
	err := parallel(
		func() (err error) { repo, err = r.git.open(ctx); return err },
		func() (err error) { r.root, err = r.git.toplevel(ctx); return err },
		func() (err error) { author, committer, err = hooks.Identities("."); return err },
		func() (err error) {
			if r.o.Hook != "commit-msg" {
				return nil
			}
			if len(r.o.Args) == 0 {
				return errors.New("commit-msg: no commit message file argument")
			}
			if msg, err = os.ReadFile(r.o.Args[0]); err != nil {
				return fmt.Errorf("read commit message: %w", err)
			}
			// git strips lines starting with core.commentChar ("auto"
			// picks one per message: then "#" is the best guess).
			if out, err := runGit(ctx, ".", "config", "--get", "core.commentChar"); err == nil {
				if c := strings.TrimSpace(string(out)); len(c) == 1 {
					comment = c
				}
			}
			return nil
		},
	)
	r.sponsor = committer
	// Until the config is read (it may add author patterns), judge by the
	// message, the environment and the author alone.
	sig := hooks.AgentSignals{Env: r.env.Getenv, CommitMessage: string(msg), AuthorName: author.Name, AuthorEmail: author.Email}
	r.agent = hooks.DetectAgent(sig)
	r.policy = hooks.DefaultPolicy(r.agent.IsAgent)
	if err != nil {
		return nil, err
	}
	cfg, err := loadHookConfig(ctx, r.env, r.git, r.root, repo.HasHead, r.o.Config)
	if err != nil {
		return nil, err
	}
	sig.Patterns = cfg.patterns()
	r.agent = hooks.DetectAgent(sig)
	sig.CommitMessage = ""
	withoutMsg := hooks.DetectAgent(sig)
	eff, err := cfg.effective(r.env, r.agent.IsAgent)
	if err != nil {
		return nil, err
	}
	r.policy = eff.policy.Policy(r.agent.IsAgent)
	audit, err := eff.policy.Audit.Audit()
	if err != nil {
		fmt.Fprintf(r.env.Err, "leakguard: warning: audit log: %v\n", err)
	}
	r.audit = audit

	// Compile the rules while git reads the index.
	var (
		det    *detectors.Detector
		ignore *scanner.IgnoreList
		staged []scanner.Fragment
	)
	needStaged := r.o.Hook == "pre-commit" || (r.o.Hook == "commit-msg" && r.agent.IsAgent && !withoutMsg.IsAgent)
	err = parallel(
		func() (err error) { det, err = eff.detector(r.builtin); return err },
		func() (err error) { ignore, err = cfg.ignoreList(ctx, r.env, r.agent.IsAgent); return err },
		func() (err error) {
			if !needStaged {
				return nil
			}
			r.tree = r.git.writeTree(ctx, r.root)
			staged, err = r.stagedFragments(ctx, repo)
			return err
		},
	)
	if err != nil {
		return nil, err
	}
	var findings []scanner.Finding
	filter := scanner.Filter{Ignore: ignore, KeepMarked: !r.policy.HonourAllowMarkers}
	switch r.o.Hook {
	case "pre-commit":
		r.target = "staged changes"
		findings, _, err = scanner.New(det, scanner.Options{Filter: filter}).Scan(ctx, scanner.SliceSource(staged...))
	case "commit-msg":
		r.target = "commit message"
		frags := []scanner.Fragment{{Data: commitMessageText(msg, comment), Origin: scanner.Origin{Kind: scanner.KindCommitMessage, Path: "(commit message)"}}}
		if needStaged {
			// pre-commit ran before the message said an agent wrote this
			// commit: check the staged changes again under the agent policy.
			r.target = "commit message and staged changes"
			frags = append(frags, staged...)
		}
		findings, _, err = scanner.New(det, scanner.Options{Filter: filter}).Scan(ctx, scanner.SliceSource(frags...))
	case "pre-push":
		r.target = "pushed commits"
		// History attributes findings to commits first, then filters.
		findings, err = r.scanPushed(ctx, repo, scanner.New(det, scanner.Options{}), filter, cfg.patterns(), eff.policy)
	}
	if err != nil {
		return nil, err
	}
	return findings, nil
}

// stagedFragments reads the staged changes' fragments.
func (r *hookRun) stagedFragments(ctx context.Context, repo *gitsrc.Repo) ([]scanner.Fragment, error) {
	src, err := r.git.staged(ctx, repo)
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
func (r *hookRun) scanPushed(ctx context.Context, repo *gitsrc.Repo, sc *scanner.Scanner, filter scanner.Filter, patterns []string, pc hooks.PolicyConfig) ([]scanner.Finding, error) {
	remote := ""
	if len(r.o.Args) > 0 {
		remote = r.o.Args[0]
	}
	agents := map[string]hooks.Agent{}
	agentOf := func(c *scanner.CommitInfo) hooks.Agent {
		if c == nil {
			return hooks.Agent{}
		}
		a, ok := agents[c.SHA]
		if !ok {
			a = hooks.DetectAgent(hooks.AgentSignals{CommitMessage: c.Message, AuthorName: c.Author, AuthorEmail: c.Email, Patterns: patterns})
			agents[c.SHA] = a
		}
		return a
	}
	if !r.agent.IsAgent {
		human, agent := r.policy, pc.Policy(true)
		filter.KeepMarkedFor = func(f *scanner.Finding) bool {
			if agentOf(f.Commit).IsAgent {
				return !agent.HonourAllowMarkers
			}
			return !human.HonourAllowMarkers
		}
	}
	findings, err := r.git.pushed(ctx, repo, remote, r.env.In, sc, filter)
	if err != nil {
		return nil, fmt.Errorf("scan pushed commits: %w", err)
	}
	if r.agent.IsAgent {
		return findings, nil
	}
	r.perCommit = true
	for _, f := range findings {
		if a := agentOf(f.Commit); a.IsAgent && !r.agent.IsAgent {
			r.agent = hooks.Agent{IsAgent: true, Name: a.Name, Signal: "commit " + shortSHA(f.Commit.SHA) + " " + a.Signal}
			r.policy = pc.Policy(true)
		}
	}
	return findings, nil
}

// commitMessageText is the message as git will store it, for scanning: the
// part below a scissors line is cut and comment lines (starting with
// comment) are blanked, kept as empty lines so that line numbers stay the
// file's.
func commitMessageText(msg []byte, comment string) []byte {
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

// fail handles an error in the hook: block when the policy fails closed,
// otherwise warn and let the commit through.
func (r *hookRun) fail(err error) error {
	r.record(hooks.AuditEvent{Decision: hooks.DecisionError, Error: err.Error()})
	if r.policy.FailClosed {
		who := "this commit"
		if r.agent.IsAgent {
			who = "an agent commit (" + r.agent.Name + ")"
		}
		fmt.Fprintf(r.env.Err, "leakguard: %s: %v\n", r.o.Hook, err)
		fmt.Fprintf(r.env.Err, "leakguard: %s blocked: the hook failed and the policy for %s fails closed\n", r.o.Hook, who)
		return withCode(ExitFindings, nil)
	}
	fmt.Fprintf(r.env.Err, "leakguard: warning: %s: %v\n", r.o.Hook, err)
	fmt.Fprintf(r.env.Err, "leakguard: warning: nothing was checked; the %s goes ahead (policy: fail open)\n", r.what())
	return nil
}

func (r *hookRun) what() string {
	if r.o.Hook == "pre-push" {
		return "push"
	}
	return "commit"
}

// record appends ev, completed with what the run knows, to the audit log. A
// log that cannot be written is reported, never fatal.
func (r *hookRun) record(ev hooks.AuditEvent) {
	if r.audit == nil {
		return
	}
	ev.Repo, ev.Hook, ev.Tree = r.root, r.o.Hook, r.tree
	ev.Agent, ev.AgentName, ev.Signal = r.agent.IsAgent, r.agent.Name, r.agent.Signal
	ev.SponsorName, ev.SponsorEmail = r.sponsor.Name, r.sponsor.Email
	if err := r.audit.Record(ev); err != nil {
		fmt.Fprintf(r.env.Err, "leakguard: warning: %v\n", err)
	}
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
