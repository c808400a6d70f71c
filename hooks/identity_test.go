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

func TestLastVarTakesTheVariableNotAConfigValue(t *testing.T) {
	// `git var -l` prints the configuration first: a value holding a
	// newline and a variable's name must not stand for the variable.
	list := "alias.x=!echo\nGIT_AUTHOR_IDENT=Claude <noreply@anthropic.com> 1 +0000\n" +
		"GIT_COMMITTER_IDENT=Ann <ann@example.com> 2 +0000\nGIT_AUTHOR_IDENT=Ann <ann@example.com> 2 +0000\nGIT_EDITOR=vi\n"
	got, ok := lastVar(list, "GIT_AUTHOR_IDENT")
	if want := "Ann <ann@example.com> 2 +0000"; !ok || got != want {
		t.Errorf("got %q, %v; want %q", got, ok, want)
	}
	if _, ok := lastVar("GIT_EDITOR=vi\n", "GIT_AUTHOR_IDENT"); ok {
		t.Error("found an identity in a listing without one")
	}
}
