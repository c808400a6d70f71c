package git

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/scanner"
)

// secretKey is what makes a finding "the same" across versions of a file.
type secretKey struct{ rule, secret string }

// missingParents lists parents' units that were never scanned although a
// change that replaced them produced findings.
func (st *state) missingParents() []int32 {
	var out []int32
	seen := map[int32]bool{}
	for _, c := range st.changes {
		if len(st.units[c.unit].findings) == 0 {
			continue
		}
		for _, o := range c.olds {
			if o >= 0 && !st.units[o].requested && !seen[o] {
				seen[o] = true
				out = append(out, o)
			}
		}
	}
	return out
}

// secrets returns the (rule, secret) pairs of a unit's findings.
func (st *state) secrets(id int32, cache map[int32]map[secretKey]bool) map[secretKey]bool {
	if m, ok := cache[id]; ok {
		return m
	}
	m := map[secretKey]bool{}
	for _, fi := range st.units[id].findings {
		f := &st.found[fi]
		m[secretKey{f.RuleID, f.Secret}] = true
	}
	cache[id] = m
	return m
}

// introKey identifies one introduced secret: where and what.
type introKey struct{ path, rule, secret string }

// attribute turns the scanned findings into reported ones: each blob
// finding at the commit that introduced it, each message finding at its
// commit, with commit metadata, allowlisted commits dropped, and the
// ignore list and baseline applied.
func (st *state) attribute(ctx context.Context, det *detectors.Detector) ([]scanner.Finding, error) {
	type pick struct {
		commit int32
		unit   int32
	}
	best := map[introKey]pick{}
	cache := map[int32]map[secretKey]bool{}
	earlier := func(a, b int32) bool {
		ca, cb := st.commits[a], st.commits[b]
		if ca.ct != cb.ct {
			return ca.ct < cb.ct
		}
		return a > b // git log lists newer commits first
	}
	for _, c := range st.changes {
		u := &st.units[c.unit]
		if len(u.findings) == 0 {
			continue
		}
		sha := st.commits[c.commit].sha
		for _, fi := range u.findings {
			f := &st.found[fi]
			sk := secretKey{f.RuleID, f.Secret}
			inParent := false
			for _, o := range c.olds {
				if o >= 0 && st.secrets(o, cache)[sk] {
					inParent = true
					break
				}
			}
			if inParent || det.CommitAllowed(f.RuleID, sha, f.Path, []byte(f.Secret), []byte(f.Match), []byte(f.Line)) {
				continue
			}
			k := introKey{u.key.path, f.RuleID, f.Secret}
			if p, ok := best[k]; !ok || earlier(c.commit, p.commit) {
				best[k] = pick{c.commit, c.unit}
			}
		}
	}
	var out []scanner.Finding
	need := map[string]*scanner.CommitInfo{}
	info := func(sha string) *scanner.CommitInfo {
		if ci, ok := need[sha]; ok {
			return ci
		}
		ci := &scanner.CommitInfo{SHA: sha}
		need[sha] = ci
		return ci
	}
	for k, p := range best {
		ci := info(st.commits[p.commit].sha)
		for _, fi := range st.units[p.unit].findings {
			f := st.found[fi]
			if f.RuleID != k.rule || f.Secret != k.secret {
				continue
			}
			f.Commit = ci
			out = append(out, f)
		}
	}
	for _, f := range st.found {
		if f.Kind != scanner.KindCommitMessage || f.Commit == nil {
			continue
		}
		f.Commit = info(f.Commit.SHA)
		out = append(out, f)
	}
	if err := st.h.Repo.commitInfo(ctx, need); err != nil {
		return nil, err
	}
	return st.h.finish(out), nil
}

// commitInfo fills author, email, date (RFC 3339, UTC) and message of the
// given commits with one git log call.
func (r *Repo) commitInfo(ctx context.Context, need map[string]*scanner.CommitInfo) error {
	if len(need) == 0 {
		return nil
	}
	if !r.UsesBinary() {
		return r.goGitCommitInfo(need)
	}
	shas := make([]string, 0, len(need))
	for s := range need {
		shas = append(shas, s)
	}
	sort.Strings(shas)
	out, err := r.output(ctx, []byte(strings.Join(shas, "\n")+"\n"),
		"log", "--no-walk=unsorted", "--stdin", "-z", "--no-color", "--no-mailmap", "--format=%H%x00%an%x00%ae%x00%at%x00%B")
	if err != nil {
		return fmt.Errorf("read commit metadata: %w", err)
	}
	br := bufio.NewReader(bytes.NewReader(out))
	for {
		var f [5]string
		for i := range f {
			tok, err := readToken(br)
			if err != nil {
				return nil
			}
			f[i] = string(tok)
		}
		ci := need[strings.TrimLeft(f[0], "\n")]
		if ci == nil {
			continue
		}
		ci.Author, ci.Email = f[1], f[2]
		var sec int64
		if _, err := fmt.Sscan(f[3], &sec); err == nil {
			ci.Date = time.Unix(sec, 0).UTC().Format(time.RFC3339)
		}
		ci.Message = strings.TrimRight(f[4], "\n")
	}
}
