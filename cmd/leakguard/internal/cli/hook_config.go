package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/hooks"
	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
)

// ignoreFileName is gitleaks' fingerprint ignore file, at the repository root.
const ignoreFileName = ".gitleaksignore"

// hookConfig holds both versions of the configuration a hook may apply: the
// working copy (for people) and the committed one at HEAD (for agents, who
// could otherwise weaken the policy, disable rules or add ignore entries in
// the very commit being checked).
type hookConfig struct {
	git  hookGit
	root string
	path string // config file; "" for the built-in rules
	rel  string // path relative to root, slash-separated; "" when outside the repository

	working       []byte
	workingPolicy hooks.PolicyConfig

	headExists bool // the repository has a HEAD commit
	head       []byte
	inHead     bool // rel exists at HEAD
	headPolicy hooks.PolicyConfig
	headErr    error // parsing HEAD's [hooks] table
}

// loadHookConfig reads the config file (explicit, $LEAKGUARD_CONFIG, or
// .leakguard.toml / .gitleaks.toml at root) and its HEAD version.
func loadHookConfig(ctx context.Context, env *Env, git hookGit, root, explicit string) (*hookConfig, error) {
	c := &hookConfig{git: git, root: root, path: rules.FindEnv(explicit, root, env.Getenv)}
	var err error
	if c.headExists, err = git.headExists(ctx, root); err != nil {
		return nil, err
	}
	if c.path == "" {
		return c, nil
	}
	if c.working, err = os.ReadFile(c.path); err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	if c.workingPolicy, err = hooks.ParsePolicyConfig(c.working); err != nil {
		return nil, fmt.Errorf("config %s: %w", c.path, err)
	}
	c.rel = relInside(root, c.path)
	if c.rel == "" || !c.headExists {
		return c, nil
	}
	if c.head, c.inHead, err = git.headFile(ctx, root, c.rel); err != nil {
		return nil, err
	}
	if c.inHead {
		c.headPolicy, c.headErr = hooks.ParsePolicyConfig(c.head)
	}
	return c, nil
}

// relInside returns path relative to root when it is inside root, else "".
func relInside(root, path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return ""
	}
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	if d, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		abs = filepath.Join(d, filepath.Base(abs))
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return ""
	}
	return filepath.ToSlash(rel)
}

// patterns are the agentAuthors patterns of both versions: an agent cannot
// escape detection by editing the working copy.
func (c *hookConfig) patterns() []string {
	ps := append([]string(nil), c.workingPolicy.AgentAuthors...)
	if c.inHead && c.headErr == nil {
		for _, p := range c.headPolicy.AgentAuthors {
			if !contains(ps, p) {
				ps = append(ps, p)
			}
		}
	}
	return ps
}

// hookEffective is the configuration that applies to one commit.
type hookEffective struct {
	policy hooks.PolicyConfig
	set    *rules.Set
	source string // where the rules came from, for errors
	ignore *scanner.IgnoreList
}

// effective picks the configuration for a commit by an agent or a person.
// Agents get what HEAD holds: its config file (the built-in rules when the
// file is not committed yet) and its .gitleaksignore. In a repository with
// no commit yet, nothing is committed, so agents get the working config and
// no ignore file.
func (c *hookConfig) effective(ctx context.Context, env *Env, agent bool) (*hookEffective, error) {
	e := &hookEffective{policy: c.workingPolicy}
	data, name := c.working, c.path
	if agent && c.rel != "" && c.headExists {
		if c.headErr != nil {
			return nil, fmt.Errorf("config %s at HEAD: %w", c.rel, c.headErr)
		}
		data, name, e.policy = c.head, "HEAD:"+c.rel, c.headPolicy
		if !c.inHead {
			data, name = nil, ""
		}
		if string(c.head) != string(c.working) {
			fmt.Fprintf(env.Err, "leakguard: agent commit: applying the committed %s, not the working copy\n", c.rel)
		}
	}
	var err error
	if name == "" {
		e.set, e.source = defaultRules()
	} else {
		e.set, err = rules.Parse(data, name)
		e.source = name
	}
	if err != nil {
		return nil, fmt.Errorf("load rules: %w", err)
	}
	if e.ignore, err = c.ignoreList(ctx, env, agent); err != nil {
		return nil, err
	}
	return e, nil
}

func defaultRules() (*rules.Set, string) {
	set, err := rules.Default()
	if err != nil {
		// The built-in rules are compiled into the binary; failing to load
		// them is a bug, and the hook's recover turns it into a block.
		panic(fmt.Sprintf("built-in rules: %v", err))
	}
	return set, "built-in rules"
}

// ignoreList is .gitleaksignore at the repository root: the working copy for
// people, HEAD's for agents.
func (c *hookConfig) ignoreList(ctx context.Context, env *Env, agent bool) (*scanner.IgnoreList, error) {
	var data []byte
	if agent {
		if !c.headExists {
			return nil, nil
		}
		d, ok, err := c.git.headFile(ctx, c.root, ignoreFileName)
		if err != nil || !ok {
			return nil, err
		}
		data = d
	} else {
		d, err := os.ReadFile(filepath.Join(c.root, ignoreFileName))
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", ignoreFileName, err)
		}
		data = d
	}
	l, warnings, err := scanner.ParseIgnore(strings.NewReader(string(data)))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", ignoreFileName, err)
	}
	for _, w := range warnings {
		fmt.Fprintf(env.Err, "leakguard: %s: %s\n", ignoreFileName, w)
	}
	return l, nil
}

// detector compiles the rules. Allow markers are always reported by the
// detector; runHook drops the findings they cover when the policy honours
// them, so one detector serves agents' and people's commits alike.
func (e *hookEffective) detector() (*detectors.Detector, error) {
	det, err := detectors.Compile(e.set, detectors.Options{IgnoreAllowMarkers: true})
	if errors.Is(err, rules.ErrNoRules) {
		return nil, fmt.Errorf("%s has no rules (a config with only a [hooks] table needs [extend] useDefault = true): %w", e.source, err)
	}
	if err != nil {
		return nil, fmt.Errorf("compile rules from %s: %w", e.source, err)
	}
	return det, nil
}
