package git

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/go-git/go-git/v5/plumbing/object"
	godiff "github.com/go-git/go-git/v5/utils/diff"
	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/leakguard/leakguard/scanner"
)

// goGitFragments is Staged without a git binary: the index against
// HEAD's tree, with a line diff computed in process. Only exact renames
// are detected.
func (s *Staged) goGitFragments(ctx context.Context, yield func(scanner.Fragment) error) error {
	repo := s.Repo.gg
	idx, err := repo.Storer.Index()
	if err != nil {
		return fmt.Errorf("staged changes: read index: %w", err)
	}
	head := map[string]plumbing.Hash{}
	if ref, err := repo.Head(); err == nil {
		c, err := repo.CommitObject(ref.Hash())
		if err != nil {
			return fmt.Errorf("staged changes: %w: HEAD: %v", ErrMissingObject, err)
		}
		tree, err := c.Tree()
		if err != nil {
			return fmt.Errorf("staged changes: %w: HEAD tree: %v", ErrMissingObject, err)
		}
		err = tree.Files().ForEach(func(f *object.File) error {
			if f.Mode != filemode.Submodule {
				head[f.Name] = f.Hash
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("staged changes: walk HEAD tree: %w", err)
		}
	}
	inIndex := map[string]bool{}
	for _, e := range idx.Entries {
		inIndex[e.Name] = true
	}
	// Paths HEAD has and the index lacks, by blob: exact rename sources.
	gone := map[plumbing.Hash]string{}
	for p, h := range head {
		if !inIndex[p] {
			gone[h] = p
		}
	}
	entries := append([]*index.Entry(nil), idx.Entries...)
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return err
		}
		if e.Stage != 0 || e.Mode == filemode.Submodule { // 0: not in conflict (go-git's index.Merged is 1)
			continue
		}
		old, ok := head[e.Name]
		if ok && old == e.Hash {
			continue
		}
		if !ok {
			if _, renamed := gone[e.Hash]; renamed {
				continue // a pure rename adds no line
			}
		}
		newData, err := readBlob(s.Repo, e.Hash)
		if err != nil {
			return fmt.Errorf("staged changes: %s: %w", e.Name, err)
		}
		origin := scanner.Origin{Kind: scanner.KindDiff, Path: e.Name}
		if isBinary(newData) {
			if s.Skip != nil {
				s.Skip(e.Name, "binary")
			}
			if err := yield(scanner.Fragment{Origin: origin}); err != nil {
				return err
			}
			continue
		}
		var oldData []byte
		if ok {
			if oldData, err = readBlob(s.Repo, old); err != nil {
				return fmt.Errorf("staged changes: %s: %w", e.Name, err)
			}
		}
		data, lines := addedLines(string(oldData), string(newData))
		origin.LineMap = lines
		if len(lines) > 0 {
			origin.StartLine = lines[0]
		}
		if err := yield(scanner.Fragment{Data: data, Origin: origin}); err != nil {
			return err
		}
	}
	return nil
}

func readBlob(r *Repo, h plumbing.Hash) ([]byte, error) {
	b, err := r.gg.BlobObject(h)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrMissingObject, h, err)
	}
	rc, err := b.Reader()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrMissingObject, h, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return data, nil
}

// addedLines returns the lines of dst that a line diff from src adds,
// each ending with '\n', and their 1-based line numbers in dst.
func addedLines(src, dst string) ([]byte, []int) {
	var data []byte
	var lines []int
	n := 1
	for _, d := range godiff.Do(src, dst) {
		text := d.Text
		count := strings.Count(text, "\n")
		if !strings.HasSuffix(text, "\n") && text != "" {
			count++
		}
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			n += count
		case diffmatchpatch.DiffInsert:
			for _, l := range strings.SplitAfter(strings.TrimSuffix(text, "\n"), "\n") {
				data = append(data, strings.TrimSuffix(strings.TrimSuffix(l, "\n"), "\r")...)
				data = append(data, '\n')
				lines = append(lines, n)
				n++
			}
		}
	}
	return data, lines
}
