package git

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/leakguard/leakguard/scanner"
)

// logFormat opens each commit's record with \x01, then its id, parents
// and committer time, then its message.
const logFormat = "--format=%x01%H %P %ct%n%B"

// runLog streams `git log --raw` over revs, records commits and changes,
// and emits every commit message and every (blob, path) not seen before.
//
// Merges are listed in combined form (-c): only paths whose merge result
// differs from every parent, with each parent's blob, which is exactly
// the content a merge itself brings.
func (st *state) runLog(ctx context.Context, revs []string, emit func(item) error) error {
	args := append([]string{"log", "--no-color", "--no-abbrev", "--raw", "-z", "-c", "-M", "--root",
		"--no-show-signature", "--no-mailmap", logFormat}, revs...)
	args = append(args, "--")
	cmd := st.h.Repo.command(ctx, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start git log: %w", err)
	}
	perr := st.parseLog(bufio.NewReaderSize(out, 256<<10), emit)
	if perr != nil {
		// Stop git before waiting for it.
		_, _ = io.Copy(io.Discard, out)
	}
	werr := cmd.Wait()
	if werr != nil && ctx.Err() == nil {
		return gitError(args, werr, stderr.Bytes())
	}
	if perr != nil {
		return perr
	}
	return ctx.Err()
}

// errLogFormat means git log printed something leakguard cannot read.
var errLogFormat = errors.New("git log: unexpected output")

func readToken(br *bufio.Reader) ([]byte, error) {
	tok, err := br.ReadSlice(0)
	if errors.Is(err, bufio.ErrBufferFull) {
		// A long message: gather it.
		buf := append([]byte(nil), tok...)
		for errors.Is(err, bufio.ErrBufferFull) {
			tok, err = br.ReadSlice(0)
			buf = append(buf, tok...)
		}
		tok = buf
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if len(tok) > 0 && tok[len(tok)-1] == 0 {
		tok = tok[:len(tok)-1]
	}
	if len(tok) == 0 && err != nil {
		return nil, io.EOF
	}
	return tok, nil
}

func (st *state) parseLog(br *bufio.Reader, emit func(item) error) error {
	cur := int32(-1)
	for {
		tok, err := readToken(br)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read git log: %w", err)
		}
		tok = bytes.TrimLeft(tok, "\n")
		if len(tok) == 0 {
			continue
		}
		switch tok[0] {
		case 1:
			cur, err = st.commitRecord(tok[1:], emit)
		case ':':
			if cur < 0 {
				return fmt.Errorf("%w: change before any commit", errLogFormat)
			}
			err = st.changeRecord(cur, string(tok), br, emit)
		default:
			return fmt.Errorf("%w: %q", errLogFormat, clip(tok))
		}
		if err != nil {
			return err
		}
	}
}

// commitRecord reads "<sha> <parents...> <ct>\n<message>".
func (st *state) commitRecord(rec []byte, emit func(item) error) (int32, error) {
	head, msg, _ := bytes.Cut(rec, []byte{'\n'})
	f := strings.Fields(string(head))
	if len(f) < 2 {
		return -1, fmt.Errorf("%w: commit header %q", errLogFormat, clip(head))
	}
	ct, err := strconv.ParseInt(f[len(f)-1], 10, 64)
	if err != nil {
		return -1, fmt.Errorf("%w: commit header %q", errLogFormat, clip(head))
	}
	id := int32(len(st.commits))
	st.commits = append(st.commits, commitRec{sha: f[0], ct: ct})
	msg = bytes.TrimRight(msg, "\n")
	if !st.h.NoMessages && len(bytes.TrimSpace(msg)) > 0 {
		data := make([]byte, len(msg)+1)
		copy(data, msg)
		data[len(msg)] = '\n'
		if err := emit(item{msg: data, commit: &scanner.CommitInfo{SHA: f[0]}}); err != nil {
			return -1, err
		}
	}
	return id, nil
}

const gitlinkMode = "160000"

func isZeroID(s string) bool { return strings.Trim(s, "0") == "" }

// changeRecord reads one raw entry (":old new oldsha newsha status" or a
// combined "::m1 m2 m sha1 sha2 sha status") and the path(s) after it.
func (st *state) changeRecord(cur int32, rec string, br *bufio.Reader, emit func(item) error) error {
	n := 0
	for n < len(rec) && rec[n] == ':' {
		n++
	}
	f := strings.Fields(rec[n:])
	if len(f) != 2*(n+1)+1 {
		return fmt.Errorf("%w: raw entry %q", errLogFormat, rec)
	}
	modes, shas, status := f[:n+1], f[n+1:2*n+2], f[2*n+2]
	npaths := 1
	if n == 1 && (status[0] == 'R' || status[0] == 'C') {
		npaths = 2
	}
	var paths [2]string
	for i := 0; i < npaths; i++ {
		p, err := readToken(br)
		if err != nil {
			return fmt.Errorf("%w: raw entry %q without its path", errLogFormat, rec)
		}
		paths[i] = string(p)
	}
	path := paths[npaths-1]
	if modes[n] == gitlinkMode || isZeroID(shas[n]) || status == "D" {
		return nil // submodule, or the path is gone
	}
	olds := make([]version, n)
	for i := 0; i < n; i++ {
		if isZeroID(shas[i]) || modes[i] == gitlinkMode {
			continue
		}
		olds[i] = version{blob: shas[i], path: path}
		if npaths == 2 {
			olds[i].path = paths[0]
		}
	}
	return st.addChange(cur, version{blob: shas[n], path: path}, olds, emit)
}

// version is a blob under a path; a zero version means "absent".
type version struct{ blob, path string }

// addChange records that commit cur has nv where its parents had olds,
// and emits nv's blob if it was never requested.
func (st *state) addChange(cur int32, nv version, olds []version, emit func(item) error) error {
	c := change{commit: cur, olds: make([]int32, len(olds))}
	for i, o := range olds {
		c.olds[i] = -1
		if o.blob != "" {
			c.olds[i] = st.unitID(o.blob, o.path)
		}
	}
	c.unit = st.unitID(nv.blob, nv.path)
	st.changes = append(st.changes, c)
	if !st.units[c.unit].requested {
		return emit(st.blobItem(c.unit))
	}
	return nil
}

func clip(b []byte) string {
	if len(b) > 80 {
		return string(b[:80]) + "..."
	}
	return string(b)
}
