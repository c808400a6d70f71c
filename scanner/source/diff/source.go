package diff

import (
	"context"
	"io"

	"github.com/leakguard/leakguard/scanner"
)

// Source yields the added lines of a unified diff, one fragment per file
// (kind scanner.KindDiff, Path the new path, LineMap the new-file line
// numbers), and commit messages as fragments of kind
// scanner.KindCommitMessage with an empty Path.
type Source struct {
	R io.Reader
	// Kind overrides scanner.KindDiff in the fragments' Origin.
	Kind scanner.Kind
	// NoMessages skips commit messages.
	NoMessages bool
	// Skip, if set, is told about files not scanned on purpose (binary
	// patches).
	Skip func(path, reason string)
	// MergeAddedOnly is Handler.MergeAddedOnly.
	MergeAddedOnly bool
	// OnCommit, if set, is told about every commit the input names.
	OnCommit func(*scanner.CommitInfo)
	// Malformed is Handler.Malformed.
	Malformed func(commit *scanner.CommitInfo, err error) error
}

// Fragments parses the diff and yields its fragments. Deleted files
// yield nothing; a binary patch yields an empty fragment (so that rules
// on paths still see the file) and is reported to Skip; a file whose diff
// adds no line (a mode change, a pure rename) yields an empty fragment.
func (s *Source) Fragments(ctx context.Context, yield func(scanner.Fragment) error) error {
	kind := s.Kind
	if kind == "" {
		kind = scanner.KindDiff
	}
	return Parse(s.R, Handler{
		MergeAddedOnly: s.MergeAddedOnly,
		Malformed:      s.Malformed,
		Commit: func(c *scanner.CommitInfo) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if s.OnCommit != nil {
				s.OnCommit(c)
			}
			if s.NoMessages || c.Message == "" {
				return nil
			}
			return yield(scanner.Fragment{
				Data:   []byte(c.Message + "\n"),
				Origin: scanner.Origin{Kind: scanner.KindCommitMessage, Commit: c},
			})
		},
		File: func(f *File) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if f.Deleted() || f.NewPath == "" || f.Submodule {
				return nil
			}
			o := scanner.Origin{Kind: kind, Path: f.NewPath, Commit: f.Commit}
			if f.Binary {
				if s.Skip != nil {
					s.Skip(f.NewPath, "binary patch")
				}
				return yield(scanner.Fragment{Origin: o})
			}
			o.LineMap = f.Lines
			if len(f.Lines) > 0 {
				o.StartLine = f.Lines[0]
			}
			return yield(scanner.Fragment{Data: f.Data, Origin: o})
		},
	})
}
