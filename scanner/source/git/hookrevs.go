package git

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
)

// PrePushRevs reads the lines git gives a pre-push hook on stdin
// ("<local ref> <local sha> <remote ref> <remote sha>") and returns the
// revision arguments that select the commits being pushed: those
// reachable from a pushed sha and from no remote-tracking ref nor from
// the remote's old tip. Deletions (a zero local sha) push nothing. A new
// branch (zero remote sha) and a force push are handled alike: whatever
// the remote-tracking refs do not already hold is scanned. nil means
// there is nothing to scan.
func PrePushRevs(ctx context.Context, r *Repo, in io.Reader) ([]string, error) {
	var pos, neg []string
	sc := bufio.NewScanner(in)
	n := 0
	for sc.Scan() {
		n++
		local, remote, err := parsePushLine(sc.Text())
		if err != nil {
			return nil, fmt.Errorf("pre-push input line %d: %w", n, err)
		}
		if local == "" || isZeroID(local) {
			continue
		}
		pos = append(pos, local)
		if !isZeroID(remote) && r.hasCommit(ctx, remote) {
			neg = append(neg, remote)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read pre-push input: %w", err)
	}
	if len(pos) == 0 {
		return nil, nil
	}
	return append(append(pos, "--not", "--remotes"), neg...), nil
}

// PreReceiveRevs reads the lines git gives a pre-receive hook
// ("<old sha> <new sha> <ref>") and returns the revision arguments that
// select the commits being received: reachable from a new sha and from
// no ref the repository already has. Ref deletions receive nothing. The
// git commands inherit GIT_QUARANTINE_PATH, GIT_OBJECT_DIRECTORY and
// GIT_ALTERNATE_OBJECT_DIRECTORIES, so objects still in quarantine are
// read. nil means there is nothing to scan.
func PreReceiveRevs(ctx context.Context, r *Repo, in io.Reader) ([]string, error) {
	var pos, neg []string
	sc := bufio.NewScanner(in)
	n := 0
	for sc.Scan() {
		n++
		old, updated, err := parseReceiveLine(sc.Text())
		if err != nil {
			return nil, fmt.Errorf("pre-receive input line %d: %w", n, err)
		}
		if updated == "" || isZeroID(updated) {
			continue
		}
		pos = append(pos, updated)
		if !isZeroID(old) && r.hasCommit(ctx, old) {
			neg = append(neg, old)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read pre-receive input: %w", err)
	}
	if len(pos) == 0 {
		return nil, nil
	}
	return append(append(pos, "--not", "--all"), neg...), nil
}

// parsePushLine reads one line of a pre-push hook's input: the local and
// remote object ids, "" for a blank line. The error does not quote the
// line (a ref name is the pusher's text).
func parsePushLine(line string) (local, remote string, err error) {
	f := strings.Fields(line)
	switch {
	case len(f) == 0:
		return "", "", nil
	case len(f) != 4:
		return "", "", fmt.Errorf("want \"<local ref> <local sha> <remote ref> <remote sha>\", got %d fields", len(f))
	case !isObjectID(f[1]) || !isObjectID(f[3]):
		return "", "", fmt.Errorf("want object ids in fields 2 and 4")
	}
	return f[1], f[3], nil
}

// parseReceiveLine reads one line of a pre-receive hook's input: the old
// and new object ids, "" for a blank line.
func parseReceiveLine(line string) (old, updated string, err error) {
	f := strings.Fields(line)
	switch {
	case len(f) == 0:
		return "", "", nil
	case len(f) != 3:
		return "", "", fmt.Errorf("want \"<old sha> <new sha> <ref>\", got %d fields", len(f))
	case !isObjectID(f[0]) || !isObjectID(f[1]):
		return "", "", fmt.Errorf("want object ids in fields 1 and 2")
	}
	return f[0], f[1], nil
}

func (r *Repo) hasCommit(ctx context.Context, sha string) bool {
	_, err := r.output(ctx, nil, "cat-file", "-e", sha+"^{commit}")
	return err == nil
}

// isObjectID reports whether s is a full object id (SHA-1 or SHA-256, in
// hex): what git writes on a hook's stdin. Anything else, and above all
// anything starting with '-', never reaches a git command line.
func isObjectID(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
