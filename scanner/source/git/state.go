package git

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/leakguard/leakguard/scanner"
)

// SweepState is what an incremental sweep (leakguard git --since-state)
// keeps between runs: the tips the last sweep reached, and a keyed hash of
// every (path, rule, secret) it attributed, so that the next sweep reads
// only the commits those tips lack and reports exactly what a full sweep
// would report for them: a secret a new commit brings to a path counts
// only when no earlier commit brought it there.
//
// The hashes are HMAC-SHA256 under a random key kept in the same file
// (truncated to 128 bits): the file names no secret, but whoever holds
// it can test a guess, so it is written with mode 0600.
type SweepState struct {
	Version int      `json:"version"`
	Tips    []string `json:"tips"`
	Key     string   `json:"key"`
	Seen    []string `json:"seen"`

	seen    map[string]bool
	newTips []string
	old     []string // the old tips that still exist
}

const stateVersion = 1

// LoadState reads a state file; a file that does not exist gives an
// empty state (the first sweep is a full one).
func LoadState(path string) (*SweepState, error) {
	s := &SweepState{Version: stateVersion}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return s.init()
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, s); err != nil {
		return nil, fmt.Errorf("state %s: %w", path, err)
	}
	if s.Version != stateVersion {
		return nil, fmt.Errorf("state %s: version %d, want %d", path, s.Version, stateVersion)
	}
	return s.init()
}

func (s *SweepState) init() (*SweepState, error) {
	if s.Key == "" {
		k := make([]byte, 32)
		if _, err := rand.Read(k); err != nil {
			return nil, err
		}
		s.Key = hex.EncodeToString(k)
	}
	if _, err := hex.DecodeString(s.Key); err != nil {
		return nil, fmt.Errorf("state: bad key: %w", err)
	}
	for _, t := range s.Tips {
		if !isHexOID(t) {
			return nil, fmt.Errorf("state: bad tip %q", t)
		}
	}
	s.seen = make(map[string]bool, len(s.Seen))
	for _, k := range s.Seen {
		s.seen[k] = true
	}
	return s, nil
}

func isHexOID(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// Save writes the state after a sweep that read everything (the caller
// keeps the old state when it did not): through a temporary file, mode
// 0600.
func (s *SweepState) Save(path string) error {
	if s.newTips != nil {
		s.Tips = s.newTips
	}
	s.Seen = s.Seen[:0]
	for k := range s.seen {
		s.Seen = append(s.Seen, k)
	}
	sort.Strings(s.Seen)
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".leakguard-state-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Incremental reports whether the state names tips that still exist, so
// that the sweep reads only what they lack (known after History.Scan has
// started).
func (s *SweepState) Incremental() bool { return len(s.old) > 0 }

func (s *SweepState) key(f *scanner.Finding) string {
	k, _ := hex.DecodeString(s.Key)
	m := hmac.New(sha256.New, k)
	if f.Kind == scanner.KindCommitMessage {
		sha := ""
		if f.Commit != nil {
			sha = f.Commit.SHA
		}
		fmt.Fprintf(m, "message\x00%s\x00%s\x00%s", sha, f.RuleID, f.Secret)
	} else {
		fmt.Fprintf(m, "file\x00%s\x00%s\x00%s", f.Path, f.RuleID, f.Secret)
	}
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// admit drops the attributed findings an earlier sweep attributed
// already, and remembers the rest. Findings of this sweep that share a
// key (one secret on two lines of a path) are all kept, as a full sweep
// keeps them: only what the state held before this sweep drops one.
func (s *SweepState) admit(out []scanner.Finding) []scanner.Finding {
	kept := out[:0]
	var added []string
	for i := range out {
		k := s.key(&out[i])
		if s.seen[k] {
			continue
		}
		added = append(added, k)
		kept = append(kept, out[i])
	}
	for _, k := range added {
		s.seen[k] = true
	}
	return kept
}

// begin resolves revs to the tips this sweep reaches and returns the
// revision arguments that read only what the state's tips lack.
func (s *SweepState) begin(ctx context.Context, r *Repo, revs []string) ([]string, error) {
	var sel, limits []string
	for _, a := range revs {
		if strings.HasPrefix(a, "--since=") || strings.HasPrefix(a, "--until=") {
			limits = append(limits, a)
		} else {
			sel = append(sel, a)
		}
	}
	out, err := r.output(ctx, nil, append([]string{"rev-parse", "--revs-only"}, sel...)...)
	if err != nil {
		return nil, err
	}
	tips := strings.Fields(string(out))
	sort.Strings(tips)
	tips = compactStrings(tips)
	s.newTips = tips
	s.old = nil
	if len(s.Tips) > 0 {
		// Old tips git no longer has (a branch rewritten, then pruned)
		// are dropped: what they reached is read again, and what was
		// reported from it is known by its hash.
		check, err := r.output(ctx, []byte(strings.Join(s.Tips, "\n")+"\n"), "cat-file", "--batch-check=%(objectname)")
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(string(bytes.TrimSpace(check)), "\n") {
			if f := strings.Fields(line); len(f) == 1 && isHexOID(f[0]) {
				s.old = append(s.old, f[0])
			}
		}
	}
	args := append([]string{}, tips...)
	if len(s.old) > 0 {
		args = append(args, "--not")
		args = append(args, s.old...)
	}
	return append(args, limits...), nil
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
