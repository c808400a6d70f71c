package hooks

import (
	"context"
	"fmt"
	"os"
	"strings"
)

// Identity is a git name and email.
type Identity struct {
	Name  string
	Email string
}

// String formats the identity as git does: "Name <email>".
func (i Identity) String() string { return i.Name + " <" + i.Email + ">" }

// Identities returns the author and committer git will record for a commit made
// now in the repository containing dir: GIT_AUTHOR_* / GIT_COMMITTER_* when set,
// else user.name and user.email (author.* and committer.* where configured). The
// author feeds AgentSignals; the committer is the sponsor recorded in the audit
// log, the person whose git identity an agent runs under.
func Identities(dir string) (author, committer Identity, err error) {
	git := lookGit("")
	if git == "" {
		return identitiesFromFiles(dir)
	}
	ctx := context.Background()
	// One process for both: `git var -l` prints the configuration, then
	// the variables it can compute (the last line of each name is the
	// variable, whatever a configuration value holds). A missing identity
	// is asked for alone, for git's own error.
	list, _ := runGit(ctx, git, dir, "var", "-l")
	for _, v := range []struct {
		name string
		dst  *Identity
	}{{"GIT_AUTHOR_IDENT", &author}, {"GIT_COMMITTER_IDENT", &committer}} {
		out, ok := lastVar(list, v.name)
		if !ok {
			var err error
			if out, err = runGit(ctx, git, dir, "var", v.name); err != nil {
				return Identity{}, Identity{}, fmt.Errorf("read git identity: %w", err)
			}
		}
		*v.dst = parseIdent(out)
	}
	return author, committer, nil
}

// lastVar returns the value of the last "name=value" line of a `git var
// -l` listing.
func lastVar(list, name string) (string, bool) {
	val, ok := "", false
	for _, line := range strings.Split(list, "\n") {
		if v, found := strings.CutPrefix(line, name+"="); found {
			val, ok = v, true
		}
	}
	return val, ok
}

// parseIdent parses "Name <email> 1700000000 +0000".
func parseIdent(s string) Identity {
	lt, gt := strings.LastIndex(s, "<"), strings.LastIndex(s, ">")
	if lt < 0 || gt < lt {
		return Identity{Name: strings.TrimSpace(s)}
	}
	return Identity{Name: strings.TrimSpace(s[:lt]), Email: s[lt+1 : gt]}
}

func identitiesFromFiles(dir string) (author, committer Identity, err error) {
	loc, err := locate(context.Background(), "", dir)
	if err != nil {
		return Identity{}, Identity{}, err
	}
	last := func(section, key string) (string, error) {
		vals, err := configFromFiles(loc, section, key)
		if err != nil || len(vals) == 0 {
			return "", err
		}
		return vals[len(vals)-1].Value, nil
	}
	pick := func(envName, envEmail, section string) (Identity, error) {
		var id Identity
		for _, f := range []struct {
			env, key string
			dst      *string
		}{{envName, "name", &id.Name}, {envEmail, "email", &id.Email}} {
			if v := os.Getenv(f.env); v != "" {
				*f.dst = v
				continue
			}
			v, err := last(section, f.key)
			if err != nil {
				return Identity{}, err
			}
			if v == "" {
				if v, err = last("user", f.key); err != nil {
					return Identity{}, err
				}
			}
			*f.dst = v
		}
		return id, nil
	}
	if author, err = pick("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "author"); err != nil {
		return Identity{}, Identity{}, err
	}
	if committer, err = pick("GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "committer"); err != nil {
		return Identity{}, Identity{}, err
	}
	return author, committer, nil
}

// Sponsor returns the committer git would record for a commit made now in
// the repository containing dir, read from the environment and git's
// config files without running git: the human sponsor the agent hook
// records for an agent's action, at no process start.
func Sponsor(dir string) (Identity, error) {
	_, committer, err := identitiesFromFiles(dir)
	return committer, err
}
