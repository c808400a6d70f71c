package git

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"

	"github.com/leakguard/leakguard/scanner"
)

// ErrMissingObject means an object the history names cannot be read: the
// repository is corrupt or incomplete.
var ErrMissingObject = errors.New("git: missing object")

// catFile is a running `git cat-file --batch`.
type catFile struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	in     *bufio.Writer
	out    *bufio.Reader
	stderr bytes.Buffer
}

func startCatFile(ctx context.Context, r *Repo) (*catFile, error) {
	c := &catFile{cmd: r.command(ctx, "cat-file", "--batch")}
	c.cmd.Stderr = &c.stderr
	var err error
	if c.stdin, err = c.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := c.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := c.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start git cat-file: %w", err)
	}
	c.in = bufio.NewWriter(c.stdin)
	c.out = bufio.NewReaderSize(stdout, 256<<10)
	return c, nil
}

// request asks for one object. Requests are flushed at once: cat-file
// answers each as it comes, so reading and requesting never wait on each
// other.
func (c *catFile) request(oid string) error {
	c.in.WriteString(oid)
	c.in.WriteByte('\n')
	return c.in.Flush()
}

func (c *catFile) closeInput() { c.stdin.Close() }

func (c *catFile) wait() error {
	if err := c.cmd.Wait(); err != nil {
		return gitError([]string{"cat-file"}, err, c.stderr.Bytes())
	}
	return nil
}

// blob is one object read from cat-file.
type blob struct {
	data []byte
	size int64
	skip string // why data is empty: "binary", "larger than ..."
}

// read reads the answer to the request for oid. Blobs larger than max
// (when max > 0) are discarded unread, binary blobs are returned empty.
func (c *catFile) read(oid string, max int64) (blob, error) {
	hdr, err := c.out.ReadString('\n')
	if err != nil {
		return blob{}, fmt.Errorf("git cat-file: reading %s: %w", oid, unexpectedEOF(err))
	}
	hdr = strings.TrimSuffix(hdr, "\n")
	f := strings.Fields(hdr)
	if len(f) == 2 && f[1] == "missing" {
		return blob{}, fmt.Errorf("%w: %s", ErrMissingObject, oid)
	}
	if len(f) != 3 || f[0] != oid {
		return blob{}, fmt.Errorf("git cat-file: unexpected answer %q for %s", hdr, oid)
	}
	size, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil {
		return blob{}, fmt.Errorf("git cat-file: unexpected answer %q for %s", hdr, oid)
	}
	b := blob{size: size}
	if f[1] != "blob" {
		b.skip = f[1] + " object"
		_, err := c.out.Discard(int(size) + 1)
		return b, unexpectedEOF(err)
	}
	if max > 0 && size > max {
		b.skip = fmt.Sprintf("larger than --max-file-size (%d bytes)", size)
		_, err := c.out.Discard(int(size) + 1)
		return b, unexpectedEOF(err)
	}
	data := make([]byte, size+1)
	if _, err := io.ReadFull(c.out, data); err != nil {
		return blob{}, fmt.Errorf("git cat-file: reading %s: %w", oid, unexpectedEOF(err))
	}
	data = data[:size]
	if scanner.IsBinary(data) {
		b.skip = "binary"
		return b, nil
	}
	b.data = data
	return b, nil
}

func unexpectedEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
