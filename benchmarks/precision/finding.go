package precision

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// A Finding is one reported secret, normalised across tools.
type Finding struct {
	Tool string // "leakguard" or "gitleaks"
	Path string // slash-separated, relative to the scan root
	Line int    // 1-based
	Rule string
	Hash string // first 12 hex digits of the secret's SHA-256
	// Secret and Text (the finding's line) are kept in memory for
	// grouping and never written.
	Secret string
	Text   string
}

// Key identifies a finding in a label file.
func (f Finding) Key() string {
	return f.Tool + "\t" + f.Path + "\t" + fmt.Sprint(f.Line) + "\t" + f.Rule + "\t" + f.Hash
}

// HashSecret is the fingerprint a label records instead of the secret.
func HashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:6])
}

type gitleaksFinding struct {
	RuleID    string
	File      string
	StartLine int
	Secret    string
	Match     string
}

// ReadReport reads a gitleaks-shaped JSON report written by tool and
// returns its findings with paths relative to root (strip, a path prefix
// the report's paths carry instead of root, may be empty). Each finding's
// line is read from the file under root. The same finding reported twice
// (same place, rule and secret) is kept once.
func ReadReport(path, tool, root string) ([]Finding, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw []gitleaksFinding
	if len(bytes.TrimSpace(b)) > 0 {
		if err := json.Unmarshal(b, &raw); err != nil {
			return nil, fmt.Errorf("read report %s: %w", path, err)
		}
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	lines := lineCache{}
	seen := map[string]bool{}
	var out []Finding
	for _, r := range raw {
		p := r.File
		if filepath.IsAbs(p) {
			if rel, err := filepath.Rel(absRoot, p); err == nil {
				p = rel
			}
		} else if rel, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(rel, "..") {
			p = rel
		}
		p = filepath.ToSlash(p)
		f := Finding{Tool: tool, Path: p, Line: r.StartLine, Rule: r.RuleID, Hash: HashSecret(r.Secret), Secret: r.Secret}
		f.Text = lines.get(filepath.Join(absRoot, filepath.FromSlash(p)), f.Line)
		if f.Text == "" {
			f.Text = r.Match
		}
		if k := f.Key(); !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	Sort(out)
	return out, nil
}

// Sort orders findings by path, line, rule, tool and hash.
func Sort(fs []Finding) {
	sort.Slice(fs, func(i, j int) bool { return less(fs[i], fs[j]) })
}

func less(a, b Finding) bool {
	{
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.Tool != b.Tool {
			return a.Tool < b.Tool
		}
		return a.Hash < b.Hash
	}
}

// lineCache reads the lines of the files findings are in, once per file.
type lineCache map[string][]string

func (c lineCache) get(path string, line int) string {
	ls, ok := c[path]
	if !ok {
		if f, err := os.Open(path); err == nil {
			sc := bufio.NewScanner(f)
			sc.Buffer(make([]byte, 0, 64<<10), 64<<20)
			for sc.Scan() {
				ls = append(ls, sc.Text())
			}
			f.Close()
		}
		c[path] = ls
	}
	if line < 1 || line > len(ls) {
		return ""
	}
	return ls[line-1]
}
