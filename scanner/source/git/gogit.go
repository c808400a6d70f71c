package git

import (
	"context"
	"fmt"

	"github.com/leakguard/leakguard/scanner"
)

// openGoGit is used when there is no git binary.
func openGoGit(r *Repo) (*Repo, error) {
	return nil, fmt.Errorf("%w (go-git fallback not built yet)", ErrNoGit)
}

func (s *Staged) goGitFragments(ctx context.Context, yield func(scanner.Fragment) error) error {
	return ErrNoGit
}

func (h *History) scanGoGit(ctx context.Context, sc *scanner.Scanner) ([]scanner.Finding, scanner.Summary, Stats, error) {
	return nil, scanner.Summary{}, Stats{}, ErrNoGit
}
