package diff

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/leakguard/leakguard/scanner"
)

// File is one file's part of a diff.
type File struct {
	// OldPath and NewPath are slash-separated, with the a/ b/ prefixes
	// removed; "" stands for /dev/null.
	OldPath, NewPath string
	// Binary is set for "Binary files ... differ" and GIT binary patches;
	// such files have no Data.
	Binary bool
	// Data holds the lines the diff adds to the file, each ending with
	// '\n' (a carriage return before it is dropped); Lines[i] is the
	// 1-based line number of line i in the new file.
	Data  []byte
	Lines []int
	// Commit is the commit the diff belongs to when the input names one
	// (format-patch mail, git log -p / git show output), else nil.
	Commit *scanner.CommitInfo
	// Submodule is set for a gitlink (mode 160000): its "content" is a
	// commit id.
	Submodule bool
}

// Deleted reports whether the diff deletes the file.
func (f *File) Deleted() bool { return f.NewPath == "" && f.OldPath != "" }

// Path is the file's path after the diff (its old path when deleted).
func (f *File) Path() string {
	if f.NewPath != "" {
		return f.NewPath
	}
	return f.OldPath
}

// Handler receives what Parse finds. Either function may be nil.
type Handler struct {
	// File is called once per file, after its last hunk.
	File func(*File) error
	// Commit is called once per commit named by the input, when its
	// headers and message have been read and before its files.
	Commit func(*scanner.CommitInfo) error
	// MergeAddedOnly makes combined (merge) diffs count a line as added
	// only when every parent lacks it (every column is '+'): the content
	// the merge itself brings. By default a line any parent lacks counts.
	MergeAddedOnly bool
	// Malformed, if set, is told about input that is not a well-formed
	// diff (an error wrapping ErrMalformed) and the commit it belongs to
	// (nil outside any commit); parsing then drops the file being read
	// and goes on at the next commit (outside any commit, File gets the
	// lines read before the bad one and parsing goes on at the next
	// "diff " file header). By default such input ends Parse
	// with the error. Returning an error ends Parse with it.
	Malformed func(commit *scanner.CommitInfo, err error) error
}

// ErrMalformed wraps errors about input that is not a well-formed diff.
var ErrMalformed = errors.New("diff: malformed")

// parser holds the state of one Parse call.
type parser struct {
	h      Handler
	lineNo int

	commit *commitHeader // commit whose headers/message are being read
	cur    *scanner.CommitInfo

	file   *File
	git    bool   // the current file has a diff --git header
	hdrA   string // paths from the diff --git header, prefixes kept
	hdrB   string
	minus  string // a "--- " line waiting for its "+++ " line
	hunk   bool
	oldRem []int // lines left per parent in the current hunk
	newRem int
	newNo  int // next line number in the new file
	// loose is set for a hunk whose header counts cannot be trusted
	// (git prints 18446744073709551615, a size_t -1, in some combined
	// -U0 hunks): it runs while lines carry valid column markers.
	loose bool
	// resync is set after malformed input: lines are skipped up to the
	// next commit (in a plain diff, the next "diff " file header).
	resync bool
}

// Parse reads a unified diff and calls h for every commit and file in it.
// It streams: memory holds one file's added lines at a time. Input that
// is not a diff at all yields nothing and no error; a hunk cut short is
// an error wrapping ErrMalformed.
func Parse(r io.Reader, h Handler) error {
	p := &parser{h: h}
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		raw, err := br.ReadBytes('\n')
		if len(raw) > 0 {
			p.lineNo++
			line := bytes.TrimSuffix(raw, []byte{'\n'})
			line = bytes.TrimSuffix(line, []byte{'\r'})
			if perr := p.line(line); perr != nil {
				if !errors.Is(perr, ErrMalformed) || h.Malformed == nil {
					return perr
				}
				if err := h.Malformed(p.cur, perr); err != nil {
					return err
				}
				if p.cur == nil {
					// A plain diff: the lines of the file read before the
					// bad one are still scanned.
					if err := p.flush(); err != nil {
						return err
					}
				}
				p.file, p.git, p.hunk, p.loose, p.minus, p.commit = nil, false, false, false, "", nil
				p.resync = true
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("read diff: %w", err)
		}
	}
	if p.hunk && !p.loose {
		err := fmt.Errorf("%w: line %d: hunk ends early in %s", ErrMalformed, p.lineNo, p.file.Path())
		if h.Malformed == nil {
			return err
		}
		p.file = nil // drop the cut file
		if err := h.Malformed(p.cur, err); err != nil {
			return err
		}
	}
	if err := p.endCommitHeader(); err != nil {
		return err
	}
	return p.flush()
}

func (p *parser) line(line []byte) error {
	if p.resync {
		// Outside any commit (a plain diff), the next file's "diff "
		// header is a safe place to go on from too.
		if s := string(line); !isLogStart(s) && !isMailStart(s) && (p.cur != nil || !strings.HasPrefix(s, "diff ")) {
			return nil
		}
		p.resync = false
	}
	if p.hunk && p.loose && !isHunkLine(line, len(p.oldRem)) {
		p.hunk, p.loose = false, false
	}
	if p.hunk {
		return p.hunkLine(line)
	}
	if p.commit != nil {
		done, err := p.commitLine(line)
		if err != nil || done {
			return err
		}
	}
	s := string(line)
	switch {
	case strings.HasPrefix(s, "@@") && p.file != nil && p.minus == "":
		return p.startHunk(s)
	case strings.HasPrefix(s, `\`): // "\ No newline at end of file"
		return nil
	case isMailStart(s), isLogStart(s), p.lineNo == 1 && strings.HasPrefix(s, "From: "):
		if err := p.flush(); err != nil {
			return err
		}
		p.commit = newCommitHeader(s)
		return nil
	case strings.HasPrefix(s, "diff --git "):
		if err := p.flush(); err != nil {
			return err
		}
		p.file = &File{Commit: p.cur}
		p.git = true
		p.hdrA, p.hdrB = splitGitHeader(s[len("diff --git "):])
		p.file.OldPath, p.file.NewPath = p.stripPair(p.hdrA, p.hdrB)
		return nil
	case strings.HasPrefix(s, "diff --cc ") || strings.HasPrefix(s, "diff --combined "):
		if err := p.flush(); err != nil {
			return err
		}
		name := unquote(s[strings.IndexByte(s[5:], ' ')+6:])
		p.file = &File{Commit: p.cur, OldPath: name, NewPath: name}
		p.git, p.hdrA, p.hdrB = true, "a/", "b/"
		return nil
	}
	if p.file != nil && p.git && !p.hunk && p.minus == "" {
		if handled := p.extendedHeader(s); handled {
			return nil
		}
	}
	switch {
	case strings.HasPrefix(s, "--- "):
		p.minus = s[4:]
		return nil
	case strings.HasPrefix(s, "+++ ") && p.minus != "":
		return p.fileHeader(p.minus, s[4:])
	case strings.HasPrefix(s, "Binary files ") && strings.HasSuffix(s, " differ"):
		if p.file == nil || !p.git {
			if err := p.flush(); err != nil {
				return err
			}
			p.file = &File{Commit: p.cur, NewPath: binaryName(s)}
		}
		p.file.Binary = true
		return nil
	}
	p.minus = ""
	// Anything else ends the current file (diffstat, mail signature,
	// "Index:" lines, prose).
	if p.file != nil && !p.git {
		return p.flush()
	}
	return nil
}

// extendedHeader handles git's extended header lines.
func (p *parser) extendedHeader(s string) bool {
	switch {
	case strings.HasPrefix(s, "rename to "):
		p.file.NewPath = unquote(s[len("rename to "):])
	case strings.HasPrefix(s, "copy to "):
		p.file.NewPath = unquote(s[len("copy to "):])
	case strings.HasPrefix(s, "rename from "):
		p.file.OldPath = unquote(s[len("rename from "):])
	case strings.HasPrefix(s, "copy from "):
		p.file.OldPath = unquote(s[len("copy from "):])
	case strings.HasPrefix(s, "deleted file mode"):
		p.file.NewPath = ""
	case strings.HasPrefix(s, "new file mode"):
		p.file.OldPath = ""
		p.file.Submodule = strings.HasSuffix(s, " 160000")
	case s == "GIT binary patch":
		p.file.Binary = true
	case strings.HasPrefix(s, "index "):
		p.file.Submodule = p.file.Submodule || strings.HasSuffix(s, " 160000")
	case strings.HasPrefix(s, "old mode "), strings.HasPrefix(s, "new mode "),
		strings.HasPrefix(s, "similarity index "), strings.HasPrefix(s, "dissimilarity index "):
	case p.file.Binary && (strings.HasPrefix(s, "literal ") || strings.HasPrefix(s, "delta ") || s == "" || isBase85Line(s)):
		// the body of a GIT binary patch
	default:
		return false
	}
	return true
}

// fileHeader handles a "--- old" / "+++ new" pair.
func (p *parser) fileHeader(minus, plus string) error {
	p.minus = ""
	oldP, newP := headerPath(minus), headerPath(plus)
	if p.file == nil || !p.git {
		if err := p.flush(); err != nil {
			return err
		}
		p.file = &File{Commit: p.cur}
		if strings.HasPrefix(oldP, "a/") && strings.HasPrefix(newP, "b/") {
			oldP, newP = oldP[2:], newP[2:]
		} else if oldP == "" && strings.HasPrefix(newP, "b/") {
			newP = newP[2:]
		} else if newP == "" && strings.HasPrefix(oldP, "a/") {
			oldP = oldP[2:]
		}
		p.file.OldPath, p.file.NewPath = oldP, newP
		return nil
	}
	// A git diff: strip the prefixes its header used.
	if oldP != "" {
		p.file.OldPath = p.stripOne(oldP, true)
	} else {
		p.file.OldPath = ""
	}
	if newP != "" {
		p.file.NewPath = p.stripOne(newP, false)
	} else {
		p.file.NewPath = ""
	}
	return nil
}

// startHunk reads "@@ -a,b +c,d @@" (or a combined "@@@ ... @@@").
func (p *parser) startHunk(s string) error {
	n := 0
	for n < len(s) && s[n] == '@' {
		n++
	}
	rest := s[n:]
	end := strings.Index(rest, strings.Repeat("@", n))
	if n < 2 || end < 0 {
		return fmt.Errorf("%w: line %d: bad hunk header %q", ErrMalformed, p.lineNo, clipLine(s))
	}
	fields := strings.Fields(rest[:end])
	if len(fields) != n {
		return fmt.Errorf("%w: line %d: bad hunk header %q", ErrMalformed, p.lineNo, clipLine(s))
	}
	p.oldRem = p.oldRem[:0]
	p.loose = false
	for i, f := range fields {
		want := byte('-')
		if i == n-1 {
			want = '+'
		}
		if len(f) < 2 || f[0] != want {
			return fmt.Errorf("%w: line %d: bad hunk header %q", ErrMalformed, p.lineNo, clipLine(s))
		}
		start, count, err := parseRange(f[1:])
		if errors.Is(err, errBadCount) {
			p.loose, err = true, nil
		}
		if err != nil {
			return fmt.Errorf("%w: line %d: bad hunk header %q", ErrMalformed, p.lineNo, clipLine(s))
		}
		if i == n-1 {
			p.newNo, p.newRem = start, count
			if count == 0 {
				p.newNo = start + 1
			}
		} else {
			p.oldRem = append(p.oldRem, count)
		}
	}
	p.hunk = p.loose || !p.hunkDone()
	return nil
}

// maxCount bounds a hunk's line counts; a larger one (git's size_t -1)
// is not believed.
const maxCount = 1 << 40

// errBadCount means a hunk header's count is out of range.
var errBadCount = errors.New("count out of range")

func parseRange(s string) (start, count int, err error) {
	count = 1
	if i := strings.IndexByte(s, ','); i >= 0 {
		c, err := strconv.ParseUint(s[i+1:], 10, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return 0, 0, err
		}
		s = s[:i]
		if err != nil || c > maxCount {
			count = -1
		} else {
			count = int(c)
		}
	}
	st, err := strconv.ParseUint(s, 10, 64)
	if err != nil || st > maxCount {
		return 0, 0, fmt.Errorf("bad start %q", s)
	}
	if count < 0 {
		return int(st), 0, errBadCount
	}
	return int(st), count, nil
}

// isHunkLine reports whether line starts with n column markers.
func isHunkLine(line []byte, n int) bool {
	if len(line) < n || n == 0 {
		return false
	}
	for _, c := range line[:n] {
		if c != ' ' && c != '+' && c != '-' {
			return false
		}
	}
	return true
}

// clipLine keeps what an error may quote of a hunk header: its markers
// and counts, never the text after them (diffs carry secrets; error
// messages must not).
func clipLine(s string) string {
	i := 0
	for i < len(s) && i < 120 && strings.IndexByte("@ -+,0123456789", s[i]) >= 0 {
		i++
	}
	if i < len(s) {
		return s[:i] + "..."
	}
	return s
}

// hunkLine reads one line of a hunk. Each line starts with one column per
// parent: '+' (not in that parent), '-' (only in that parent) or ' '.
func (p *parser) hunkLine(line []byte) error {
	n := len(p.oldRem)
	if len(line) > 0 && line[0] == '\\' {
		return nil
	}
	if len(line) < n {
		// Some tools drop the space of an empty context line.
		if len(line) == 0 {
			line = bytes.Repeat([]byte{' '}, n)
		} else {
			return fmt.Errorf("%w: line %d: short hunk line in %s", ErrMalformed, p.lineNo, p.file.Path())
		}
	}
	removed, added, kept := false, false, false
	for i := 0; i < n; i++ {
		switch line[i] {
		case '-':
			removed = true
			p.oldRem[i]--
		case ' ':
			kept = true
			p.oldRem[i]--
		case '+':
			added = true
		default:
			return fmt.Errorf("%w: line %d: unexpected %q in hunk of %s", ErrMalformed, p.lineNo, line[i], p.file.Path())
		}
	}
	if !removed {
		if p.loose && p.newRem <= 0 {
			p.newRem = 1 // counts unknown: keep going
		}
		if added && !(kept && p.h.MergeAddedOnly) {
			p.file.Data = append(p.file.Data, line[n:]...)
			p.file.Data = append(p.file.Data, '\n')
			p.file.Lines = append(p.file.Lines, p.newNo)
		}
		p.newNo++
		p.newRem--
	}
	p.hunk = p.loose || !p.hunkDone()
	return nil
}

func (p *parser) hunkDone() bool {
	if p.newRem > 0 {
		return false
	}
	for _, r := range p.oldRem {
		if r > 0 {
			return false
		}
	}
	return true
}

// flush hands the current file to the handler.
func (p *parser) flush() error {
	p.minus = ""
	f := p.file
	p.file, p.git = nil, false
	if f == nil || p.h.File == nil {
		return nil
	}
	return p.h.File(f)
}
