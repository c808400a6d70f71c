package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/hooks/gate"
)

// HookRunOptions are the arguments of `leakguard hook run`.
type HookRunOptions struct {
	Hook      string   // pre-commit, commit-msg or pre-push
	Args      []string // what git passed the hook
	Framework bool     // run by the pre-commit framework: file name arguments are ignored
	Config    string
}

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
Each decision is appended to the audit log unless [hooks] audit.enabled = false.

A hook that cannot check (a malformed config, an unreadable index or object)
blocks, for agents always; a person can set [hooks] human = { failClosed =
false } to be warned instead, or skip the hooks once with git's --no-verify.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Hook, o.Args = args[0], args[1:]
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runHook(cmd.Context(), env, o, gate.Git{})
		},
	}
	cmd.Flags().BoolVar(&o.Framework, "framework", false, "run by the pre-commit framework: ignore file names, scan the staged index")
	cmd.Flags().StringVarP(&o.Config, "config", "c", "", "config file (default: $LEAKGUARD_CONFIG, .leakguard.toml or .gitleaks.toml at the repository root)")
	return cmd
}

// runHook runs a gate and reports its verdict: exit status 1 when the
// commit or push is blocked.
func runHook(ctx context.Context, env *Env, o *HookRunOptions, git gate.Git) error {
	v, err := gate.Run(ctx, gate.Request{
		Hook: o.Hook, Args: o.Args, Config: o.Config, Stdin: env.In, Getenv: env.Getenv, Git: git,
	})
	if err != nil {
		return usageError("%v", err)
	}
	for _, n := range v.Notes {
		fmt.Fprintf(env.Err, "leakguard: %s\n", n)
	}
	if v.Err != nil {
		reportHookError(env.Err, v)
		if v.Block {
			return withCode(ExitFindings, nil)
		}
		return nil
	}
	if len(v.Findings) > 0 {
		reportHookFindings(env.Err, v)
	}
	if v.Block {
		return withCode(ExitFindings, nil)
	}
	return nil
}
