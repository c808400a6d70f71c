package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/hooks"
	"github.com/leakguard/leakguard/hooks/gate"
	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
	"github.com/leakguard/leakguard/scanner/source/git"
)

// gitInputs are what a git scan applies besides the commits: the rules,
// the ignore list, the baseline and the config's agentAuthors, plus the
// notices the report carries about where they came from.
type gitInputs struct {
	set      *rules.Set
	det      *detectors.Detector
	ignore   *scanner.IgnoreList
	baseline *scanner.Baseline
	agents   []string
	notices  []string
}

// The files of a repository that can switch its own check off.
var repoConfigNames = []string{".leakguard.toml", ".gitleaks.toml"}

const repoIgnoreName = ".gitleaksignore"

// loadGitInputs reads the inputs. With --range A..B they come from the
// range's base, never from the head being judged: a pull request that adds
// a .gitleaks.toml allowlisting everything, or a .gitleaksignore entry for
// its own secret, does not change its own verdict. Files named by flags or
// the environment are read from the base too when they live inside the
// repository, and from disk when they do not. A change to any of them
// within the range is returned as a notice.
func loadGitInputs(ctx context.Context, env *Env, o *GitOptions, repo *git.Repo, root string) (*gitInputs, error) {
	in := &gitInputs{}
	base, ok := "", false
	if o.Range != "" {
		var err error
		if base, ok, err = repo.RangeBase(ctx, o.Range); err != nil {
			return nil, withCode(ExitError, fmt.Errorf("--range: %w", err))
		}
	}
	if !ok {
		set, det, err := compileRules(env, &o.ReportOptions, root)
		if err != nil {
			return nil, err
		}
		in.set, in.det = set, det
		if in.ignore, in.baseline, err = loadFilters(&o.ReportOptions, env, root); err != nil {
			return nil, err
		}
		if in.agents, err = gate.AgentPatterns(rules.FindEnv(o.Config, root, env.Getenv)); err != nil {
			return nil, withCode(ExitError, err)
		}
		return in, nil
	}
	head, err := rangeHead(ctx, repo, o.Range)
	if err != nil {
		return nil, withCode(ExitError, fmt.Errorf("--range: %w", err))
	}
	b := &atBase{ctx: ctx, repo: repo, root: root, base: base, head: head}

	// The configuration.
	var cfg []byte
	cfgName := ""
	if p := rules.FindEnv(o.Config, "", env.Getenv); p != "" {
		data, name, err := b.read(p)
		if err != nil {
			return nil, withCode(ExitError, err)
		}
		if data == nil && name != "" {
			in.notices = append(in.notices, fmt.Sprintf("%s is not in the range's base %s: the built-in rules were used", name, shortSHA(base)))
		}
		cfg, cfgName = data, name
		if name == "" { // outside the repository
			if cfg, err = os.ReadFile(p); err != nil {
				return nil, withCode(ExitError, fmt.Errorf("read config: %w", err))
			}
			cfgName = p
		}
	} else {
		for _, n := range repoConfigNames {
			data, ok, err := repo.FileAt(ctx, base, n)
			if err != nil {
				return nil, withCode(ExitError, err)
			}
			if ok {
				cfg, cfgName = data, n
				break
			}
		}
	}
	if cfg == nil {
		in.set, err = rules.Default()
	} else {
		in.set, err = rules.Parse(cfg, cfgName)
	}
	if err != nil {
		return nil, withCode(ExitError, err)
	}
	if in.det, err = detectors.Compile(in.set, o.detectorOptions()); err != nil {
		return nil, withCode(ExitError, err)
	}
	if cfg != nil {
		pc, err := hooks.ParsePolicyConfig(cfg)
		if err != nil {
			return nil, withCode(ExitError, fmt.Errorf("config %s: %w", cfgName, err))
		}
		in.agents = pc.AgentAuthors
	}

	// The ignore file and the baseline.
	ignore, ignoreName := []byte(nil), ""
	if o.IgnoreFile != "" {
		data, name, err := b.read(o.IgnoreFile)
		if err != nil {
			return nil, withCode(ExitError, err)
		}
		ignore, ignoreName = data, name
		if name == "" {
			if ignore, err = os.ReadFile(o.IgnoreFile); err != nil {
				return nil, withCode(ExitError, fmt.Errorf("read ignore file: %w", err))
			}
			ignoreName = o.IgnoreFile
		}
	} else {
		data, ok, err := repo.FileAt(ctx, base, repoIgnoreName)
		if err != nil {
			return nil, withCode(ExitError, err)
		}
		if ok {
			ignore, ignoreName = data, repoIgnoreName
		}
	}
	if ignore != nil {
		l, warnings, err := scanner.ParseIgnore(bytes.NewReader(ignore))
		if err != nil {
			return nil, withCode(ExitError, fmt.Errorf("%s: %w", ignoreName, err))
		}
		for _, w := range warnings {
			fmt.Fprintf(env.Err, "leakguard: %s: %s\n", ignoreName, w)
		}
		in.ignore = l
	}
	if o.Baseline != "" {
		data, name, err := b.read(o.Baseline)
		if err != nil {
			return nil, withCode(ExitError, err)
		}
		if name == "" {
			in.baseline, err = scanner.LoadBaseline(o.Baseline)
		} else if data != nil {
			in.baseline, err = scanner.ParseBaseline(data)
		} else {
			in.notices = append(in.notices, fmt.Sprintf("baseline %s is not in the range's base %s: no baseline was applied", name, shortSHA(base)))
		}
		if err != nil {
			return nil, withCode(ExitError, fmt.Errorf("baseline %s: %w", o.Baseline, err))
		}
	}

	// What the range changes among them.
	watch := append(append([]string(nil), repoConfigNames...), repoIgnoreName)
	for _, p := range []string{cfgName, ignoreName} {
		if p != "" && !filepath.IsAbs(p) && !slices.Contains(watch, p) {
			watch = append(watch, p)
		}
	}
	for _, p := range []string{o.Baseline} {
		if p != "" {
			if rel := b.rel(p); rel != "" && !slices.Contains(watch, rel) {
				watch = append(watch, rel)
			}
		}
	}
	for _, p := range watch {
		n, err := b.change(p)
		if err != nil {
			return nil, withCode(ExitError, err)
		}
		if n != "" {
			in.notices = append(in.notices, n)
		}
	}
	for _, n := range in.notices {
		fmt.Fprintf(env.Err, "leakguard: %s\n", n)
	}
	return in, nil
}

// rangeHead resolves the side of the range being judged.
func rangeHead(ctx context.Context, repo *git.Repo, rng string) (string, error) {
	_, to, _ := strings.Cut(rng, "..")
	to = strings.TrimPrefix(to, ".")
	if to == "" {
		to = "HEAD"
	}
	return repo.ResolveCommit(ctx, to)
}

// atBase reads repository files at the range's base.
type atBase struct {
	ctx        context.Context
	repo       *git.Repo
	root       string
	base, head string
}

// rel returns p relative to the repository root, slash-separated, or ""
// when p is outside it.
func (b *atBase) rel(p string) string {
	if b.root == "" {
		return ""
	}
	root, err := filepath.Abs(b.root)
	if err != nil {
		return ""
	}
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return ""
	}
	if d, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		abs = filepath.Join(d, filepath.Base(abs))
	}
	r, err := filepath.Rel(root, abs)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return ""
	}
	return filepath.ToSlash(r)
}

// read returns the base's version of p and p's name in the repository;
// name is "" when p is outside the repository (the caller reads the
// disk), data is nil when the base lacks it.
func (b *atBase) read(p string) (data []byte, name string, err error) {
	rel := b.rel(p)
	if rel == "" {
		return nil, "", nil
	}
	data, ok, err := b.repo.FileAt(b.ctx, b.base, rel)
	if err != nil {
		return nil, rel, err
	}
	if !ok {
		return nil, rel, nil
	}
	if data == nil {
		data = []byte{}
	}
	return data, rel, nil
}

// change describes what the range does to path, or "" when nothing.
func (b *atBase) change(path string) (string, error) {
	old, hadOld, err := b.repo.FileAt(b.ctx, b.base, path)
	if err != nil {
		return "", err
	}
	cur, hasCur, err := b.repo.FileAt(b.ctx, b.head, path)
	if err != nil {
		return "", err
	}
	what := ""
	switch {
	case !hadOld && hasCur:
		what = "adds"
	case hadOld && !hasCur:
		what = "deletes"
	case hadOld && !bytes.Equal(old, cur):
		what = "changes"
	default:
		return "", nil
	}
	return fmt.Sprintf("the range %s %s: this scan used the range's base %s (a pull request cannot change its own check)", what, path, shortSHA(b.base)), nil
}
