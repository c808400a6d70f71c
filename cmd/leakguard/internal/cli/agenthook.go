package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/hooks"
	"github.com/leakguard/leakguard/hooks/agent"
	"github.com/leakguard/leakguard/rules"
)

// maxHookInput bounds the event read from stdin.
const maxHookInput = 64 << 20

// AgentHookOptions are the flags of `leakguard agent-hook AGENT`.
type AgentHookOptions struct {
	Config       string
	Agent        string
	ReadPolicy   string
	OnError      string
	Event        string
	StdinTimeout time.Duration
}

// AgentHookInstallOptions are the flags of `leakguard agent-hook install|uninstall AGENT`.
type AgentHookInstallOptions struct {
	Agent   string
	Scope   string
	Command string
	Remove  bool
}

func newAgentHookCmd(env *Env, runF func(context.Context, *AgentHookOptions) error) *cobra.Command {
	o := &AgentHookOptions{}
	cmd := &cobra.Command{
		Use:   "agent-hook " + agent.AgentNames(),
		Short: "Answer an AI agent's hook event: block prompts and tool calls that carry secrets",
		Long: `Read one hook event (JSON) on stdin, scan every string in it, and answer on
stdout in the agent's own hook protocol:

  claude-code  UserPromptSubmit: block the prompt. PreToolUse: deny a tool call
               whose arguments hold a secret; for reads (Read, and shell commands
               that read files: cat, grep -r, source, cp, curl -d @file, ...) scan
               the files and answer by --read-policy. PostToolUse: replace the
               secrets in the tool's output with placeholders, in the tool's own
               shape (updatedToolOutput, updatedMCPToolOutput for MCP tools).
  codex        The same events; Codex cannot replace a tool's output, so
               PostToolUse only blocks and says so, and "ask" becomes "deny".
  junie        Claude Code's protocol (UserPromptSubmit, PreToolUse).
  gemini       BeforeAgent: the prompt goes on; BeforeModel: the secrets are
               replaced with placeholders in the outgoing request. BeforeTool:
               deny. AfterTool: the output is replaced with its redacted text.
  cursor       beforeSubmitPrompt: continue=false. beforeShellExecution,
               beforeMCPExecution: permission=deny. beforeReadFile: by
               --read-policy (allow or deny). after* events cannot block.
  copilot      preToolUse: permissionDecision deny (or ask). The prompt and tool
               output hooks cannot block: findings are reported on stderr.
  windsurf     pre_* hooks: exit status 2 blocks (the reason on stderr).
  kiro         preToolUse: exit status 2 blocks; other hooks cannot block.
  cline        UserPromptSubmit, PreToolUse: {"cancel": true}.

For agents, tool calls that would switch a gate off are denied (git
--no-verify, core.hooksPath overrides, leakguard hook uninstall, writes to
.git/hooks or to an agent's hook settings): [hooks] agent.denyBypass in the
config, true by default.

An event that cannot be handled (empty or malformed stdin, stdin still open
after --stdin-timeout, an unknown event, an unreadable config, an internal
error) is blocked unless --on-error allow, in the agent's blocking form.
Every decision that found something (allowed by policy, blocked, asked,
redacted, failed) is one line in the audit log ([hooks] audit), with the
rule ids and fingerprints, never the secret. Install the hook with
'leakguard agent-hook install AGENT'.

EXIT STATUS
  0  answered (the decision is in the JSON, whatever was found)
  2  blocked by exit status: an event that could not be handled, or the
     agents whose protocol blocks by exit status (gemini, windsurf, kiro)`,
		Example: `  echo '{"hook_event_name":"UserPromptSubmit","prompt":"hi"}' | leakguard agent-hook claude-code
  leakguard agent-hook install claude-code --scope user`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Agent = args[0]
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runAgentHook(cmd.Context(), env, o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.Config, "config", "c", "", "rules config file (default: $LEAKGUARD_CONFIG, .leakguard.toml or .gitleaks.toml here, else the built-in rules)")
	f.StringVar(&o.ReadPolicy, "read-policy", "ask", "answer to reading a file that holds secrets, or a known secret store: deny, ask or allow")
	f.StringVar(&o.OnError, "on-error", "block", "when the event cannot be handled: block or allow")
	f.StringVar(&o.Event, "event", "", "the event's name, for agents that do not put it in the event (copilot)")
	f.DurationVar(&o.StdinTimeout, "stdin-timeout", 5*time.Second, "block when stdin is not closed within this time")
	cmd.AddCommand(newAgentHookInstallCmd(env, false, nil), newAgentHookInstallCmd(env, true, nil))
	return cmd
}

// readStdin reads the event, giving up after timeout: a hook whose stdin
// never closes must still answer before the agent's own timeout.
func readStdin(r io.Reader, timeout time.Duration) ([]byte, error) {
	type result struct {
		b   []byte
		err error
	}
	ch := make(chan result, 1)
	go func() {
		b, err := io.ReadAll(io.LimitReader(r, maxHookInput+1))
		ch <- result{b, err}
	}()
	if timeout <= 0 {
		res := <-ch
		return res.b, res.err
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case res := <-ch:
		return res.b, res.err
	case <-t.C:
		return nil, fmt.Errorf("stdin was not closed within %s (--stdin-timeout)", timeout)
	}
}

func runAgentHook(ctx context.Context, env *Env, o *AgentHookOptions) error {
	a, err := agent.ParseAgent(o.Agent)
	if err != nil {
		return usageError("%v", err)
	}
	policy, err := agent.ParseDecision(o.ReadPolicy)
	if err != nil {
		return usageError("--read-policy: %v", err)
	}
	if o.OnError != "block" && o.OnError != "allow" {
		return usageError("--on-error: want block or allow, not %q", o.OnError)
	}
	opts := agent.Options{ReadPolicy: policy, FailOpen: o.OnError == "allow", Event: o.Event, Home: env.Getenv("HOME"),
		DenyBypass: hooks.DefaultPolicy(true).DenyBypass}
	var ans agent.Answer
	var audit *hooks.Audit
	payload, rerr := readStdin(env.In, o.StdinTimeout)
	cfg, cerr := agentHookConfig(env, o.Config)
	if cerr == nil {
		opts.DenyBypass = cfg.Policy(true).DenyBypass
		audit, cerr = cfg.Audit.Audit()
	}
	switch {
	case rerr != nil:
		ans = agent.New(nil, opts).Fail(a, fmt.Errorf("read stdin: %w", rerr))
	case len(payload) > maxHookInput:
		ans = agent.New(nil, opts).Fail(a, fmt.Errorf("event larger than %d bytes", maxHookInput))
	case cerr != nil:
		ans = agent.New(nil, opts).Fail(a, cerr)
	default:
		_, det, err := compileRules(env, &ReportOptions{Config: o.Config}, ".")
		if err != nil {
			var ee *exitError
			if errors.As(err, &ee) && ee.err != nil {
				err = ee.err
			}
			ans = agent.New(nil, opts).Fail(a, fmt.Errorf("rules: %w", err))
		} else {
			ans = agent.New(agent.NewScanner(det), opts).Handle(a, payload)
		}
	}
	if ans.Decision != "" {
		if err := recordAgentDecision(audit, a, ans); err != nil {
			// An unwritable audit log is a failure of the gate: for agents
			// it blocks, unless the decision already stops the call.
			msg := "leakguard agent-hook: " + err.Error()
			if ans.Decision == agent.Allowed || ans.Decision == agent.Redacted {
				ans = agent.New(nil, opts).Fail(a, err)
			} else {
				ans.Stderr += "\n" + msg
			}
		}
	}
	if _, err := env.Out.Write(ans.Stdout); err != nil {
		return withCode(ExitError, fmt.Errorf("write answer: %w", err))
	}
	if ans.Stderr != "" {
		fmt.Fprintln(env.Err, ans.Stderr)
	}
	if ans.Exit != 0 {
		return withCode(ans.Exit, nil)
	}
	return nil
}

// agentHookConfig reads the [hooks] table of the config file the rules
// come from (none: the defaults).
func agentHookConfig(env *Env, explicit string) (hooks.PolicyConfig, error) {
	path := rules.FindEnv(explicit, ".", env.Getenv)
	if path == "" {
		return hooks.PolicyConfig{}, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return hooks.PolicyConfig{}, fmt.Errorf("read config: %w", err)
	}
	c, err := hooks.ParsePolicyConfig(data)
	if err != nil {
		return hooks.PolicyConfig{}, fmt.Errorf("config %s: %w", path, err)
	}
	return c, nil
}

// recordAgentDecision writes one audit line for a decision, with the
// sponsor: the OS user and the git identity the agent runs under.
func recordAgentDecision(audit *hooks.Audit, a agent.Agent, ans agent.Answer) error {
	if audit == nil {
		return nil
	}
	d := map[string]hooks.Decision{agent.Allowed: hooks.DecisionAllowed, agent.Blocked: hooks.DecisionBlocked,
		agent.Asked: hooks.DecisionAsked, agent.Redacted: hooks.DecisionRedacted, agent.Failed: hooks.DecisionError}[ans.Decision]
	ev := hooks.AuditEvent{Hook: "agent-hook", Decision: d, Agent: true, AgentName: string(a),
		Session: ans.Session, Event: ans.Event, Tool: ans.Tool, Cwd: ans.Cwd}
	dir := ans.Cwd
	if dir == "" {
		dir, _ = os.Getwd()
	}
	ev.Repo = dir
	if u, err := user.Current(); err == nil {
		ev.User = u.Username
	}
	if committer, err := hooks.Sponsor(dir); err == nil {
		ev.SponsorName, ev.SponsorEmail = committer.Name, committer.Email
	}
	seen := map[string]bool{}
	for _, h := range ans.Hits {
		if !seen[h.Rule] {
			seen[h.Rule] = true
			ev.RuleIDs = append(ev.RuleIDs, h.Rule)
		}
		ev.Fingerprints = append(ev.Fingerprints, h.Fingerprint())
	}
	if ans.Decision == agent.Failed {
		ev.Error = firstLine(ans.Stderr)
	}
	return audit.Record(ev)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func newAgentHookInstallCmd(env *Env, remove bool, runF func(context.Context, *AgentHookInstallOptions) error) *cobra.Command {
	o := &AgentHookInstallOptions{Remove: remove}
	use, short := "install", "Add leakguard's hooks to an agent's settings, keeping everything else"
	if remove {
		use, short = "uninstall", "Remove leakguard's hooks (and nothing else) from an agent's settings"
	}
	cmd := &cobra.Command{
		Use:   use + " " + agent.AgentNames(),
		Short: short,
		Long: short + `.

Settings (--scope project, in the current directory; --scope user, in $HOME):
  claude-code  .claude/settings.json       UserPromptSubmit, PreToolUse, PostToolUse
  codex        .codex/hooks.json           UserPromptSubmit, PreToolUse, PostToolUse
  gemini       .gemini/settings.json       BeforeAgent, BeforeModel, BeforeTool, AfterTool
  cursor       .cursor/hooks.json          beforeSubmitPrompt, beforeShellExecution,
                                           beforeMCPExecution, beforeReadFile, afterFileEdit
  copilot      .github/hooks/leakguard.json (user: ~/.copilot/hooks/leakguard.json)
                                           userPromptSubmitted, preToolUse, postToolUse
  windsurf     .windsurf/hooks.json (user: ~/.codeium/windsurf/hooks.json)
                                           pre_user_prompt, pre_read_code, pre_write_code,
                                           pre_run_command, pre_mcp_tool_use
  kiro         .kiro/agents/default.json   userPromptSubmit, preToolUse, postToolUse
  cline        .clinerules/hooks/ (user: ~/Documents/Cline/Rules/Hooks/), one script a hook
  junie        .junie/config.json          UserPromptSubmit, PreToolUse

The command names this leakguard binary by its absolute path (so a PATH
without leakguard cannot make the hook fail open), with a timeout of ` + fmt.Sprint(agent.DefaultTimeout) + `s
and, for Claude Code, "onFailure": "block" (a hook that fails or times out
blocks). The rest of the file is kept byte for byte; running install again
changes nothing; uninstall removes only entries that run 'leakguard
agent-hook', and the file when nothing else is left in it.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Agent = args[0]
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runAgentHookInstall(env, o)
		},
	}
	cmd.Flags().StringVar(&o.Scope, "scope", "project", "project (settings in the current directory) or user (in $HOME)")
	if !remove {
		cmd.Flags().StringVar(&o.Command, "command", "", "hook command (default: this binary's absolute path, then \"agent-hook AGENT\")")
	}
	return cmd
}

func runAgentHookInstall(env *Env, o *AgentHookInstallOptions) error {
	a, err := agent.ParseAgent(o.Agent)
	if err != nil {
		return usageError("%v", err)
	}
	home := env.Getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	wd, err := os.Getwd()
	if err != nil {
		return withCode(ExitError, err)
	}
	path, err := agent.SettingsPath(a, agent.Scope(o.Scope), wd, home)
	if err != nil {
		return usageError("--scope: %v", err)
	}
	var changed bool
	if o.Remove {
		changed, err = agent.Uninstall(path, a)
	} else {
		command := o.Command
		if command == "" {
			bin, err := selfPath()
			if err != nil {
				return withCode(ExitError, fmt.Errorf("find the leakguard binary: %w", err))
			}
			command = shellQuote(bin) + " agent-hook " + string(a)
		}
		if !agent.Ours(command) {
			return usageError("--command must run 'leakguard agent-hook', so that uninstall can find it")
		}
		changed, err = agent.Install(path, a, command)
	}
	if err != nil {
		return withCode(ExitError, err)
	}
	verb := map[bool]string{false: "installed in", true: "removed from"}[o.Remove]
	if !changed {
		verb = map[bool]string{false: "already installed in", true: "not installed in"}[o.Remove]
	}
	fmt.Fprintf(env.Out, "leakguard agent hooks %s %s\n", verb, path)
	if !o.Remove && a == agent.Codex {
		fmt.Fprintln(env.Err, "leakguard: Codex runs a new or changed hook only once you trust it: open /hooks in Codex and trust leakguard's (until then Codex runs without them)")
	}
	return nil
}

// selfPath is the absolute path of the running binary, links resolved.
func selfPath() (string, error) {
	p, err := os.Executable()
	if err != nil {
		return "", err
	}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	return filepath.Abs(p)
}

// shellQuote quotes s for sh when it holds anything but safe characters.
func shellQuote(s string) string {
	safe := true
	for _, r := range s {
		if !(r == '/' || r == '.' || r == '_' || r == '-' || r == '+' || r == ':' || r == '@' ||
			r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			safe = false
			break
		}
	}
	if safe && s != "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
