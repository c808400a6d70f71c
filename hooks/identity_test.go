package hooks

import (
	"os"
	"testing"
)

func TestIdentities(t *testing.T) {
	isolateGit(t)
	repo := newRepo(t)
	for _, k := range []string{"GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"} {
		os.Unsetenv(k) // isolateGit set them; restored by t.Setenv's cleanup
	}
	runGitT(t, repo, "config", "user.name", "Ann Sponsor")
	runGitT(t, repo, "config", "user.email", "ann@example.com")
	runGitT(t, repo, "config", "author.name", "Agent Alias")
	t.Setenv("GIT_AUTHOR_EMAIL", "claude@agent.example")
	wantA := Identity{Name: "Agent Alias", Email: "claude@agent.example"}
	wantC := Identity{Name: "Ann Sponsor", Email: "ann@example.com"}

	a, c, err := Identities(repo)
	if err != nil {
		t.Fatal(err)
	}
	if a != wantA || c != wantC {
		t.Errorf("with git: author %v committer %v; want %v, %v", a, c, wantA, wantC)
	}
	a, c, err = identitiesFromFiles(repo)
	if err != nil {
		t.Fatal(err)
	}
	if a != wantA || c != wantC {
		t.Errorf("from files: author %v committer %v; want %v, %v", a, c, wantA, wantC)
	}
	if got := wantC.String(); got != "Ann Sponsor <ann@example.com>" {
		t.Errorf("String() = %q", got)
	}
}
