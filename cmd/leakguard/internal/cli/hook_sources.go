package cli

import (
	"context"
	"io"

	"github.com/leakguard/leakguard/scanner"
	gitsrc "github.com/leakguard/leakguard/scanner/source/git"
)

// defaultHookGit wires `hook run` to the git source package.
func defaultHookGit() hookGit {
	return hookGit{
		open: func(ctx context.Context) (*gitsrc.Repo, error) {
			return gitsrc.Open(ctx, ".", false)
		},
		staged: func(ctx context.Context, repo *gitsrc.Repo) (scanner.Source, error) {
			return &gitsrc.Staged{Repo: repo}, nil
		},
		pushed: func(ctx context.Context, repo *gitsrc.Repo, remote string, refs io.Reader, sc *scanner.Scanner, filter scanner.Filter) ([]scanner.Finding, error) {
			revs, err := gitsrc.PrePushRevs(ctx, repo, refs)
			if err != nil || revs == nil {
				return nil, err
			}
			h := &gitsrc.History{Repo: repo, Revs: revs, Filter: filter}
			findings, _, _, err := h.Scan(ctx, sc)
			return findings, err
		},
	}
}
