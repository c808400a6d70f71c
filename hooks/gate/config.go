package gate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/hooks"
	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
)

// ignoreFileName is gitleaks' fingerprint ignore file, at the repository root.
const ignoreFileName = ".gitleaksignore"

// config holds both versions of the configuration a hook may apply: the
// working copy (for people) and the committed one at HEAD (for agents, who
// could otherwise weaken the policy, disable rules or add ignore entries in
// the very commit being checked).
type config struct {
	git  Git
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

// loadConfig reads the config file (explicit, $LEAKGUARD_CONFIG, or
// .leakguard.toml / .gitleaks.toml at root) and its HEAD version.
func loadConfig(ctx context.Context, git Git, root string, headExists bool, explicit string, getenv func(string) string) (*config, error) {
	c := &config{git: git, root: root, path: rules.FindEnv(explicit, root, getenv), headExists: headExists}
	var err error
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
	if c.head, c.inHead, err = git.HeadFile(ctx, root, c.rel); err != nil {
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
func (c *config) patterns() []string {
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

// effective is the configuration that applies to one commit.
type effective struct {
	policy hooks.PolicyConfig
	data   []byte // the rules config
	source string // where data came from; "" for the built-in rules
	note   string // for the person at the terminal
}

// effective picks the configuration for a commit by an agent or a person.
// Agents get what HEAD holds: its config file (the built-in rules when the
// file is not committed yet); ignoreList does the same for .gitleaksignore.
// In a repository with no commit yet, agents get the working config.
func (c *config) effective(agent bool) (*effective, error) {
	e := &effective{policy: c.workingPolicy, data: c.working, source: c.path}
	if agent && c.rel != "" && c.headExists {
		if c.headErr != nil {
			return nil, fmt.Errorf("config %s at HEAD: %w", c.rel, c.headErr)
		}
		e.data, e.source, e.policy = c.head, "HEAD:"+c.rel, c.headPolicy
		if !c.inHead {
			e.data, e.source = nil, ""
		}
		if string(c.head) != string(c.working) {
			e.note = "agent commit: applying the committed " + c.rel + ", not the working copy"
		}
	}
	return e, nil
}

// builtinDetector compiles the built-in rules: at once in the background
// when eager is set, so that the work overlaps the git commands a hook
// waits for, else on first use. The function it returns waits for the
// result.
func builtinDetector(eager bool) func() (*detectors.Detector, error) {
	var (
		start sync.Once
		done  = make(chan struct{})
		det   *detectors.Detector
		err   error
	)
	run := func() {
		go func() {
			defer close(done)
			err = parallel(func() error {
				set, err := rules.Default()
				if err != nil {
					return fmt.Errorf("built-in rules: %w", err)
				}
				det, err = detectors.Compile(set, detectors.DefaultOptions())
				return err
			})
		}()
	}
	if eager {
		start.Do(run)
	}
	return func() (*detectors.Detector, error) {
		start.Do(run)
		<-done
		return det, err
	}
}

// ignoreList is .gitleaksignore at the repository root: the working copy for
// people, HEAD's for agents (none before the first commit: every entry would
// be one the commit adds).
func (c *config) ignoreList(ctx context.Context, agent bool) (*scanner.IgnoreList, []string, error) {
	var data []byte
	if agent {
		if !c.headExists {
			return nil, nil, nil
		}
		d, ok, err := c.git.HeadFile(ctx, c.root, ignoreFileName)
		if err != nil || !ok {
			return nil, nil, err
		}
		data = d
	} else {
		d, err := os.ReadFile(filepath.Join(c.root, ignoreFileName))
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", ignoreFileName, err)
		}
		data = d
	}
	l, warnings, err := scanner.ParseIgnore(strings.NewReader(string(data)))
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", ignoreFileName, err)
	}
	return l, warnings, nil
}

// detector compiles the rules; builtin gives the built-in rules' detector.
// Whether an allow marker suppresses a finding is the scanner filter's
// policy, so one detector serves agents' and people's commits alike.
func (e *effective) detector(builtin func() (*detectors.Detector, error)) (*detectors.Detector, error) {
	if e.source == "" {
		return builtin()
	}
	set, err := rules.Parse(e.data, e.source)
	if err != nil {
		return nil, fmt.Errorf("load rules: %w", err)
	}
	det, err := detectors.Compile(set, detectors.DefaultOptions())
	if errors.Is(err, rules.ErrNoRules) {
		return nil, fmt.Errorf("%s has no rules (a config with only a [hooks] table needs [extend] useDefault = true): %w", e.source, err)
	}
	if err != nil {
		return nil, fmt.Errorf("compile rules from %s: %w", e.source, err)
	}
	return det, nil
}

// AgentPatterns returns the [hooks] agentAuthors patterns of the config
// file at path (none for ""), for reports that flag agents' commits the
// way the hooks do (see CommitAgents).
func AgentPatterns(path string) ([]string, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	pc, err := hooks.ParsePolicyConfig(data)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return pc.AgentAuthors, nil
}
