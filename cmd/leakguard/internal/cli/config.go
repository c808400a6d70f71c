package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/rules"
)

// ConfigInitOptions are the flags of `leakguard config init`.
type ConfigInitOptions struct {
	Path  string
	Force bool
}

func newConfigCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Write a starting configuration",
	}
	o := &ConfigInitOptions{}
	initCmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented .leakguard.toml that extends the built-in rules",
		Long: `Write a commented .leakguard.toml (or --output FILE) that extends the
built-in rules (gitleaks' default set and leakguard's own), with commented-out
examples of what is usually changed: disabling a rule, adding one, an
allowlist for test fixtures, and the git hook policy. The file is in
gitleaks' format; the file written is loaded once to check it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runConfigInit(env, o)
		},
	}
	initCmd.Flags().StringVarP(&o.Path, "output", "o", ".leakguard.toml", "file to write")
	initCmd.Flags().BoolVar(&o.Force, "force", false, "replace the file if it exists")
	cmd.AddCommand(initCmd)
	return cmd
}

// starterConfig is what config init writes.
const starterConfig = `# leakguard configuration, in gitleaks' format (gitleaks reads it too when
# it is named .gitleaks.toml). leakguard looks for .leakguard.toml, then
# .gitleaks.toml, at the root of what it scans; --config FILE or
# $LEAKGUARD_CONFIG name another file.
title = "leakguard configuration"

# Start from the built-in rules: gitleaks' default set and leakguard's own.
# 'leakguard rules list' shows them; 'leakguard explain RULE' explains one.
[extend]
useDefault = true
# Rules to turn off, by id:
# disabledRules = ["generic-api-key"]

# A rule of your own. keywords make it fast: the regex only runs near them.
# [[rules]]
# id = "acme-api-key"
# description = "ACME API key"
# regex = '''\bacme_[a-z0-9]{32}\b'''
# keywords = ["acme_"]
# entropy = 3.0
# tags = ["acme"]

# What is never reported: paths, and values that hold a stop word.
# [[allowlists]]
# description = "test fixtures"
# paths = ['''(^|/)testdata/''']
# stopwords = ["example", "dummy"]

# Git hooks ('leakguard hook install'): what blocks a commit made by a
# person and one made by an AI coding agent, and where decisions are logged.
# [hooks]
# human = { mode = "block", allowMarkers = true, failClosed = false }
# agent = { mode = "block", allowMarkers = false, failClosed = true }
# agentAuthors = ['@bots\.example\.com>$']
`

func runConfigInit(env *Env, o *ConfigInitOptions) error {
	flag := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if o.Force {
		flag = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(o.Path, flag, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return withCode(ExitError, fmt.Errorf("%s exists; --force replaces it", o.Path))
	}
	if err != nil {
		return withCode(ExitError, fmt.Errorf("config init: %w", err))
	}
	_, werr := f.WriteString(starterConfig)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return withCode(ExitError, fmt.Errorf("config init: %w", werr))
	}
	set, err := rules.ResolveEnv(o.Path, ".", env.Getenv)
	if err != nil {
		return withCode(ExitError, fmt.Errorf("config init: the file written does not load: %w", err))
	}
	fmt.Fprintf(env.Err, "leakguard: wrote %s (%d rules in effect)\n", o.Path, len(set.Rules))
	return nil
}
