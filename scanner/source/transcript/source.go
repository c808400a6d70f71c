package transcript

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/leakguard/leakguard/scanner"
)

// ErrNoInput means no path was given.
var ErrNoInput = errors.New("transcript: no input")

// maxLine bounds one JSONL line held in memory; a longer line is scanned as
// raw text in streamed pieces.
const maxLine = 512 << 20

// Source yields the decoded string values of transcript files as
// fragments of kind scanner.KindTranscript.
type Source struct {
	// Paths are files, directories (walked for *.jsonl, *.ndjson and *.json)
	// or "-" for standard input (read as JSONL from In).
	Paths []string
	In    io.Reader
	// MaxEmbedded and MaxDepth tune the walker (see Walker).
	MaxEmbedded int
	MaxDepth    int
	// Note is told about input scanned as raw text because it is not JSON;
	// Error about inputs that could not be read. Both may be nil.
	Note  func(path string, line int, msg string)
	Error func(path string, err error)
	// PathAllowed, if set, says a file need not be read (the global
	// allowlists' paths).
	PathAllowed func(path string) bool
	// OmitPath leaves Origin.Path empty in the fragments of strings and
	// lines, and yields instead one empty fragment with the path at the
	// start of each file (for rules that match paths alone). A caller that
	// scans one file at a time sets it, so that the detector does not
	// match the file's path against the global allowlists once per string,
	// and fills the path into the findings itself.
	OmitPath bool
}

// ListFiles expands paths into the transcript files to read: files as
// given, directories walked for *.jsonl, *.ndjson and *.json (.git
// skipped), "-" kept. Paths that cannot be read are passed to fail.
func ListFiles(paths []string, fail func(path string, err error)) []string {
	var out []string
	for _, root := range paths {
		if root == "-" {
			out = append(out, root)
			continue
		}
		fi, err := os.Stat(root)
		if err != nil {
			fail(root, err)
			continue
		}
		if !fi.IsDir() {
			out = append(out, root)
			continue
		}
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				fail(p, err)
			case d.IsDir() && d.Name() == ".git":
				return filepath.SkipDir
			case d.Type().IsRegular() && IsTranscript(p):
				out = append(out, p)
			}
			return nil
		})
	}
	return out
}

// IsTranscript reports whether a file name looks like a session log, or a
// backup of one (session.jsonl.bak, as older leakguards left them).
func IsTranscript(name string) bool {
	low := strings.TrimSuffix(strings.ToLower(name), ".bak")
	switch filepath.Ext(low) {
	case ".jsonl", ".ndjson", ".jsonlines", ".json":
		return true
	}
	return false
}

// Fragments reads every path and yields one fragment per string value.
func (s *Source) Fragments(ctx context.Context, yield func(scanner.Fragment) error) error {
	if len(s.Paths) == 0 {
		return ErrNoInput
	}
	for _, p := range s.Paths {
		if p == "-" {
			if err := s.stream(ctx, "", s.In, yield); err != nil {
				return err
			}
			continue
		}
		err := s.path(ctx, p, yield)
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *Source) path(ctx context.Context, root string, yield func(scanner.Fragment) error) error {
	fi, err := os.Stat(root)
	if err != nil {
		s.fail(root, err)
		return nil
	}
	if !fi.IsDir() {
		return s.file(ctx, root, yield)
	}
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			s.fail(p, err)
			return nil
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !IsTranscript(p) {
			return nil
		}
		return s.file(ctx, p, yield)
	})
}

func (s *Source) fail(path string, err error) {
	if s.Error != nil {
		s.Error(path, err)
	}
}

func (s *Source) note(path string, line int, msg string) {
	if s.Note != nil {
		s.Note(path, line, msg)
	}
}

// file reads one file: a .json file as one document (or, if it is not one,
// as JSONL), anything else as JSONL.
func (s *Source) file(ctx context.Context, path string, yield func(scanner.Fragment) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	name := filepath.ToSlash(path)
	if s.PathAllowed != nil && s.PathAllowed(name) {
		return nil
	}
	if s.OmitPath {
		if err := yield(scanner.Fragment{Origin: scanner.Origin{Kind: scanner.KindTranscript, Path: name}}); err != nil {
			return err
		}
	}
	if strings.EqualFold(filepath.Ext(path), ".json") {
		data, err := os.ReadFile(path)
		if err != nil {
			s.fail(path, err)
			return nil
		}
		w := s.walker()
		werr := w.Walk(data, 1, s.emit(name, yield))
		if werr == nil || !isSyntax(werr) {
			return werr
		}
		if firstLineIsJSON(data) {
			return s.stream(ctx, name, bytes.NewReader(data), yield) // JSONL named .json
		}
		// A broken JSON document (an export cut short): scan it as text,
		// once, rather than noting every line.
		s.note(name, 1, "not JSON, scanned as text: "+werr.Error())
		o := scanner.Origin{Kind: scanner.KindTranscript, Path: name}
		if s.OmitPath {
			o.Path = ""
		}
		return scanner.ReadChunks(ctx, bytes.NewReader(data), o, yield)
	}
	f, err := os.Open(path)
	if err != nil {
		s.fail(path, err)
		return nil
	}
	defer f.Close()
	return s.stream(ctx, name, f, yield)
}

func isSyntax(err error) bool { return errors.Is(err, ErrSyntax) || errors.Is(err, ErrTooDeep) }

func (s *Source) walker() *Walker {
	return &Walker{MaxEmbedded: s.MaxEmbedded, MaxDepth: s.MaxDepth}
}

// stream reads JSONL: each line is walked as JSON, or scanned as raw text
// when it is not JSON.
func (s *Source) stream(ctx context.Context, name string, r io.Reader, yield func(scanner.Fragment) error) error {
	w := s.walker()
	br := bufio.NewReaderSize(r, 256<<10)
	emit := s.emit(name, yield)
	opath := name
	if s.OmitPath {
		opath = ""
	}
	for n := 1; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		line, long, err := readLine(br)
		if err != nil && !errors.Is(err, io.EOF) {
			s.fail(displayName(name), err)
			return nil
		}
		if long {
			s.note(name, n, fmt.Sprintf("line longer than %d bytes; scanned as text", maxLine))
			o := scanner.Origin{Kind: scanner.KindTranscript, Path: opath, JSONLine: n, StartLine: n, Session: w.Session()}
			if yerr := scanner.ReadChunks(ctx, io.MultiReader(bytes.NewReader(line), lineRest(br)), o, yield); yerr != nil {
				return yerr
			}
		} else if len(bytes.TrimSpace(line)) > 0 {
			if werr := w.Walk(line, n, emit); werr != nil {
				if !isSyntax(werr) {
					return werr
				}
				s.note(name, n, "not JSON, scanned as text: "+werr.Error())
				o := scanner.Origin{Kind: scanner.KindTranscript, Path: opath, JSONLine: n, StartLine: n, Session: w.Session()}
				if yerr := yield(scanner.Fragment{Data: line, Origin: o}); yerr != nil {
					return yerr
				}
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
	}
}

func displayName(name string) string {
	if name == "" {
		return "stdin"
	}
	return name
}

// readLine returns the next line, without its newline, in a new slice.
// long reports a line cut at maxLine: the rest is left in br.
func readLine(br *bufio.Reader) (line []byte, long bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if line == nil && err == nil {
			return append([]byte(nil), chunk[:len(chunk)-1]...), false, nil
		}
		line = append(line, chunk...)
		switch {
		case err == nil:
			return line[:len(line)-1], false, nil
		case errors.Is(err, bufio.ErrBufferFull):
			if len(line) >= maxLine {
				return line, true, nil
			}
		default:
			return line, false, err
		}
	}
}

// lineRest reads br up to and including the next newline.
func lineRest(br *bufio.Reader) io.Reader { return &restOfLine{br: br} }

type restOfLine struct {
	br      *bufio.Reader
	pending []byte
	done    bool
}

func (r *restOfLine) Read(p []byte) (int, error) {
	if len(r.pending) == 0 {
		if r.done {
			return 0, io.EOF
		}
		chunk, err := r.br.ReadSlice('\n')
		r.pending = chunk
		if !errors.Is(err, bufio.ErrBufferFull) {
			r.done = true
		}
		if len(chunk) == 0 {
			return 0, io.EOF
		}
	}
	n := copy(p, r.pending)
	r.pending = r.pending[n:]
	return n, nil
}

// emit returns a visit function yielding each string as a fragment.
func (s *Source) emit(name string, yield func(scanner.Fragment) error) func(Value) error {
	if s.OmitPath {
		name = ""
	}
	return func(v Value) error {
		if len(v.Data) == 0 {
			return nil
		}
		before, after := MemberContext(v.Name)
		return yield(scanner.Fragment{Data: v.Data, Before: before, After: after, Origin: Origin(name, v)})
	}
}

// Origin returns the Origin of a string found in the transcript at path:
// every line of the string maps to the input line the string is on.
func Origin(path string, v Value) scanner.Origin {
	o := scanner.Origin{
		Kind: scanner.KindTranscript, Path: path, StartLine: v.Line,
		JSONLine: v.Line, JSONPath: v.Pointer, Role: v.Role, Tool: v.Tool, Session: v.Session,
	}
	if n := bytes.Count(v.Data, []byte{'\n'}); n > 0 {
		o.LineMap = make([]int, n+1)
		for i := range o.LineMap {
			o.LineMap[i] = v.Line
		}
	}
	return o
}

// firstLineIsJSON reports whether the first non-blank line of data is a
// JSON value on its own: data is JSONL.
func firstLineIsJSON(data []byte) bool {
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		p := &parser{maxDepth: DefaultMaxDepth, noPaths: true}
		return p.parse(line) == nil
	}
	return false
}
