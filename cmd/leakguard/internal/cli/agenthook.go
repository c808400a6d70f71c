package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/hooks/agent"
)

// maxHookInput bounds the event read from stdin.
const maxHookInput = 64 << 20

// AgentHookOptions are the flags of `leakguard agent-hook AGENT`.
type AgentHookOptions struct {
	Config     string
	Agent      string
	ReadPolicy string
	OnError    string
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
		Use:   "agent-hook claude-code|codex|cursor",
		Short: "Answer an AI agent's hook event: block prompts and tool calls that carry secrets",
		Long: `Read one hook event (JSON) on stdin, scan every string in it, and answer on
stdout in the agent's own hook protocol:

  claude-code  UserPromptSubmit: block the prompt. PreToolUse: deny a tool call
               whose arguments hold a secret; for Read, scan the file and answer
               by --read-policy. PostToolUse: replace the secrets in the tool's
               output with placeholders (updatedToolOutput, or
               updatedMCPToolOutput for MCP tools) and tell the model.
  codex        The same events; Codex cannot replace a tool's output, so
               PostToolUse only blocks and says so, and "ask" becomes "deny".
  cursor       beforeSubmitPrompt: continue=false. beforeShellExecution,
               beforeMCPExecution: permission=deny. beforeReadFile: by
               --read-policy (allow or deny). after* events cannot block: the
               finding is printed on stderr.

An event that cannot be handled (empty or malformed stdin, an unknown event,
an internal error) is blocked unless --on-error allow: the answer is still
valid JSON, and for Claude Code and Codex the exit status is 2, which blocks
any event. Install the hook with 'leakguard agent-hook install AGENT'.

agent-hook itself exits 0 when it has answered (the decision is in the JSON,
whatever was found), and 2 when it blocks an event it could not handle.`,
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
	f.StringVar(&o.ReadPolicy, "read-policy", "ask", "answer to reading a file that holds secrets: deny, ask or allow")
	f.StringVar(&o.OnError, "on-error", "block", "when the event cannot be handled: block or allow")
	cmd.AddCommand(newAgentHookInstallCmd(env, false, nil), newAgentHookInstallCmd(env, true, nil))
	return cmd
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
	opts := agent.Options{ReadPolicy: policy, FailOpen: o.OnError == "allow"}
	var ans agent.Answer
	payload, rerr := io.ReadAll(io.LimitReader(env.In, maxHookInput+1))
	switch {
	case rerr != nil:
		ans = agent.New(nil, opts).Fail(a, fmt.Errorf("read stdin: %w", rerr))
	case len(payload) > maxHookInput:
		ans = agent.New(nil, opts).Fail(a, fmt.Errorf("event larger than %d bytes", maxHookInput))
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

func newAgentHookInstallCmd(env *Env, remove bool, runF func(context.Context, *AgentHookInstallOptions) error) *cobra.Command {
	o := &AgentHookInstallOptions{Remove: remove}
	use, short := "install", "Add leakguard's hooks to an agent's settings, keeping everything else"
	if remove {
		use, short = "uninstall", "Remove leakguard's hooks (and nothing else) from an agent's settings"
	}
	cmd := &cobra.Command{
		Use:   use + " claude-code|codex|cursor",
		Short: short,
		Long: short + `.

Settings files: Claude Code .claude/settings.json (--scope project) or
~/.claude/settings.json (--scope user); Codex .codex/hooks.json or
~/.codex/hooks.json; Cursor .cursor/hooks.json or ~/.cursor/hooks.json.
Hooks installed: Claude Code and Codex UserPromptSubmit, PreToolUse and
PostToolUse; Cursor beforeSubmitPrompt, beforeShellExecution,
beforeMCPExecution, beforeReadFile and afterFileEdit. Running install again
changes nothing; uninstall removes only entries that run 'leakguard agent-hook'.`,
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
		cmd.Flags().StringVar(&o.Command, "command", "", "hook command (default: \"leakguard agent-hook AGENT\")")
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
			command = "leakguard agent-hook " + string(a)
		}
		if !strings.Contains(command, "leakguard") || !strings.Contains(command, "agent-hook") {
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
	return nil
}
