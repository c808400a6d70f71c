package cli

import (
	"context"
	"io"
)

// contextReader reads r until ctx is done: a Read blocked on a pipe that
// stays open (a stdin nobody closes) returns ctx's error at once, so that
// an interrupted scan of stdin stops and writes its report. The read in
// flight is left to finish in the background; its bytes are dropped.
type contextReader struct {
	ctx     context.Context
	r       io.Reader
	results chan readResult
	pending bool
	buf     []byte
	rest    []byte
	err     error
}

type readResult struct {
	n   int
	err error
}

func newContextReader(ctx context.Context, r io.Reader) io.Reader {
	return &contextReader{ctx: ctx, r: r, results: make(chan readResult, 1)}
}

func (c *contextReader) Read(p []byte) (int, error) {
	if len(c.rest) > 0 {
		n := copy(p, c.rest)
		c.rest = c.rest[n:]
		return n, nil
	}
	if c.err != nil {
		return 0, c.err
	}
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	if !c.pending {
		if cap(c.buf) < len(p) {
			c.buf = make([]byte, len(p))
		}
		buf := c.buf[:len(p)]
		c.pending = true
		go func() {
			n, err := c.r.Read(buf)
			c.results <- readResult{n, err}
		}()
	}
	select {
	case res := <-c.results:
		c.pending = false
		n := copy(p, c.buf[:res.n])
		c.rest = c.buf[n:res.n]
		if res.err != nil {
			c.err = res.err
			if len(c.rest) > 0 {
				return n, nil
			}
		}
		return n, res.err
	case <-c.ctx.Done():
		c.err = c.ctx.Err()
		return 0, c.err
	}
}
