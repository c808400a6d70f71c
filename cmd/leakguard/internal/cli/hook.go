package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/hooks"
)

// HookOptions are the flags of `leakguard hook install|uninstall|status`.
type HookOptions struct {
	Global bool
	Force  bool
	Hooks  []string
	Binary string
	JSON   bool
}

// hookAction is what `hook` sub-commands other than run do.
type hookAction string

const (
	hookInstall   hookAction = "install"
	hookUninstall hookAction = "uninstall"
	hookStatus    hookAction = "status"
)

func newHookCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "hook",
		Short: "Install, remove, inspect and run leakguard's git hooks",
		Long: `Guard commits and pushes with git hooks: pre-commit scans the staged changes,
commit-msg scans the commit message (and recognises agent trailers), pre-push
scans the commits being pushed. Commits made by AI coding agents get a strict,
fail-closed policy: every finding blocks and inline allow markers or new
.gitleaksignore entries do not count.`,
	}
	cmd.AddCommand(
		newHookManageCmd(env, hookInstall, nil),
		newHookManageCmd(env, hookUninstall, nil),
		newHookManageCmd(env, hookStatus, nil),
		newHookRunCmd(env, nil),
	)
	for _, c := range cmd.Commands() {
		if c.Long == "" {
			c.Long = c.Short
		}
		c.Long += "\n" + hookExitHelp(hookAction(c.Name()))
	}
	return cmd
}

func hookExitHelp(a hookAction) string {
	if a == "run" {
		return `
EXIT STATUS
  0  nothing found (or findings and errors that the policy only warns about)
  1  the commit or push is blocked: secrets found, or an error under a
     fail-closed policy (always for agent commits)
  2  usage error
`
	}
	return `
EXIT STATUS
  0  done
  2  usage error, not a git repository, or hooks that could not be written
`
}

func newHookManageCmd(env *Env, action hookAction, runF func(context.Context, hookAction, *HookOptions) error) *cobra.Command {
	o := &HookOptions{}
	cmd := &cobra.Command{
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), action, o)
			}
			return runHookManage(env, action, o)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.Global, "global", false, "the global hooks directory (global core.hooksPath), for every repository")
	hooksHelp := "hooks to act on (default " + strings.Join(hooks.DefaultHooks, ",") + ")"
	f.StringSliceVar(&o.Hooks, "hooks", nil, hooksHelp)
	switch action {
	case hookInstall:
		cmd.Use = "install"
		cmd.Short = "Install leakguard's git hooks in this repository (or globally)"
		cmd.Long = `Install leakguard's pre-commit, commit-msg and pre-push hooks. An existing hook
that is not leakguard's is chained: moved to <hook>.leakguard-chained and run
first (with --force it is moved to <hook>.leakguard-backup and not run).
Running install again is safe. With --global, the hooks go to the global
hooks directory and global core.hooksPath points there; a previous global
core.hooksPath is chained and restored by uninstall --global.`
		f.BoolVar(&o.Force, "force", false, "replace (back up) existing hooks instead of chaining them")
		f.StringVar(&o.Binary, "binary", "", "leakguard program the hooks run (default: leakguard on PATH; $LEAKGUARD_BIN overrides at run time)")
	case hookUninstall:
		cmd.Use = "uninstall"
		cmd.Short = "Remove leakguard's git hooks and restore the hooks they replaced"
	case hookStatus:
		cmd.Use = "status"
		cmd.Short = "Show which leakguard hooks are installed and what may stop them from running"
		f.BoolVar(&o.JSON, "json", false, "print the status as JSON")
	}
	return cmd
}

func runHookManage(env *Env, action hookAction, o *HookOptions) error {
	opts := hooks.InstallOptions{Global: o.Global, Force: o.Force, Hooks: o.Hooks, Binary: o.Binary}
	switch action {
	case hookInstall:
		res, err := hooks.Install(opts)
		printHookResult(env, res)
		if err != nil {
			return hookError("install hooks", err)
		}
		if res.HooksPathScope == hooks.ScopeGlobal || res.HooksPathScope == hooks.ScopeSystem {
			fmt.Fprintf(env.Err, "leakguard: warning: %s is set by core.hooksPath in %s config: other repositories run these hooks too\n",
				res.HooksDir, res.HooksPathScope)
		}
		return nil
	case hookUninstall:
		res, err := hooks.Uninstall(opts)
		printHookResult(env, res)
		if err != nil {
			return hookError("uninstall hooks", err)
		}
		return nil
	default:
		rep, err := hooks.Status(opts)
		if err != nil {
			return hookError("hook status", err)
		}
		if o.JSON {
			return printHookStatusJSON(env, rep)
		}
		printHookStatus(env, rep)
		return nil
	}
}

func printHookResult(env *Env, res hooks.Result) {
	if res.HooksDir == "" {
		return
	}
	fmt.Fprintf(env.Out, "hooks directory: %s\n", res.HooksDir)
	for _, a := range res.Actions {
		line := fmt.Sprintf("  %-11s %s", a.Hook, a.Op)
		switch a.Op {
		case hooks.OpChained:
			line += " (the existing hook, now " + a.Moved + ", runs first)"
		case hooks.OpReplaced:
			line += " (the existing hook was moved to " + a.Moved + ")"
		case hooks.OpRestored:
			line += " (put back " + a.Moved + ")"
		case hooks.OpForeign:
			line += " (not leakguard's hook: left alone)"
		}
		fmt.Fprintln(env.Out, line)
	}
	if res.Global && res.PreviousHooksPath != "" {
		fmt.Fprintf(env.Out, "previous global core.hooksPath: %s\n", res.PreviousHooksPath)
	}
}

func printHookStatus(env *Env, rep hooks.StatusReport) {
	w := env.Out
	if rep.Location.WorkTree != "" {
		fmt.Fprintf(w, "repository:      %s\n", rep.Location.WorkTree)
	}
	fmt.Fprintf(w, "hooks directory: %s\n", rep.HooksDir)
	for _, h := range rep.Hooks {
		var state string
		switch {
		case h.Installed:
			state = fmt.Sprintf("installed (script v%d", h.Version)
			if h.Outdated {
				state += ", outdated: run `leakguard hook install`"
			}
			if !h.Executable {
				state += ", NOT executable"
			}
			state += ")"
		case h.Foreign:
			state = "another hook (not leakguard's)"
		default:
			state = "not installed"
		}
		fmt.Fprintf(w, "  %-11s %s\n", h.Name, state)
		if h.Chained != "" {
			fmt.Fprintf(w, "  %-11s   chains %s\n", "", h.Chained)
		}
		if h.Backup != "" {
			fmt.Fprintf(w, "  %-11s   replaced %s\n", "", h.Backup)
		}
	}
	for _, s := range rep.Shadows {
		fmt.Fprintf(w, "warning: %s: %s\n", s.Kind, s.Detail)
	}
}

// hookStatusJSON fixes the JSON shape of `hook status --json`.
type hookStatusJSON struct {
	Repository string           `json:"repository,omitempty"`
	Global     bool             `json:"global"`
	HooksDir   string           `json:"hooksDir"`
	Hooks      []hookStateJSON  `json:"hooks"`
	Shadows    []hookShadowJSON `json:"shadows"`
}

type hookStateJSON struct {
	Name       string `json:"name"`
	Path       string `json:"path"`
	Installed  bool   `json:"installed"`
	Version    int    `json:"version,omitempty"`
	Outdated   bool   `json:"outdated,omitempty"`
	Binary     string `json:"binary,omitempty"`
	Executable bool   `json:"executable"`
	Foreign    bool   `json:"foreign"`
	Chained    string `json:"chained,omitempty"`
	Backup     string `json:"backup,omitempty"`
}

type hookShadowJSON struct {
	Kind   string `json:"kind"`
	Scope  string `json:"scope,omitempty"`
	Detail string `json:"detail"`
}

func printHookStatusJSON(env *Env, rep hooks.StatusReport) error {
	out := hookStatusJSON{Repository: rep.Location.WorkTree, Global: rep.Global, HooksDir: rep.HooksDir,
		Hooks: []hookStateJSON{}, Shadows: []hookShadowJSON{}}
	for _, h := range rep.Hooks {
		out.Hooks = append(out.Hooks, hookStateJSON{Name: h.Name, Path: h.Path, Installed: h.Installed,
			Version: h.Version, Outdated: h.Outdated, Binary: h.Binary, Executable: h.Executable,
			Foreign: h.Foreign, Chained: h.Chained, Backup: h.Backup})
	}
	for _, s := range rep.Shadows {
		out.Shadows = append(out.Shadows, hookShadowJSON{Kind: s.Kind, Scope: s.Scope, Detail: s.Detail})
	}
	enc := json.NewEncoder(env.Out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write status: %w", err)
	}
	return nil
}

// hookError words a hook command's error; outside a repository it says so
// in one line instead of quoting git's failure.
func hookError(what string, err error) error {
	if errors.Is(err, hooks.ErrNotRepository) {
		wd, _ := os.Getwd()
		return withCode(ExitError, fmt.Errorf("%s: not a git repository: %s; run it inside one, or use --global for the hooks of every repository", what, wd))
	}
	return withCode(ExitError, fmt.Errorf("%s: %w", what, err))
}
