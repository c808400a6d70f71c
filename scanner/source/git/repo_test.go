package git

import (
	"context"
	"path/filepath"
	"testing"
)

func TestOpen(t *testing.T) {
	r := newTestRepo(t)
	for _, noBinary := range []bool{false, true} {
		repo, err := Open(context.Background(), r.dir, noBinary)
		if err != nil {
			t.Fatal(err)
		}
		real, _ := filepath.EvalSymlinks(r.dir)
		if repo.HasHead || repo.Bare || repo.Shallow || repo.WorkTree() != real && repo.WorkTree() != r.dir {
			t.Errorf("unborn (go-git %v): %+v work tree %q", noBinary, repo, repo.WorkTree())
		}
	}
	r.commit("first")
	bare := t.TempDir()
	r.git("clone", "-q", "--bare", r.dir, bare)
	for _, noBinary := range []bool{false, true} {
		repo, err := Open(context.Background(), r.dir, noBinary)
		if err != nil || !repo.HasHead {
			t.Errorf("after a commit (go-git %v): HasHead false, %v", noBinary, err)
		}
		repo, err = Open(context.Background(), bare, noBinary)
		if err != nil || !repo.Bare || !repo.HasHead || repo.WorkTree() != "" {
			t.Errorf("bare (go-git %v): %+v, %v", noBinary, repo, err)
		}
	}
}
