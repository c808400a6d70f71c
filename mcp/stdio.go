package mcp

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
)

// ErrTooLong means a message was longer than Options.MaxMessage.
var ErrTooLong = errors.New("mcp: message too long")

// Stdio relays newline-delimited JSON-RPC between an agent (agentIn,
// agentOut) and a server (serverIn, serverOut) until the server's output
// ends. When the agent's input ends, serverIn is closed so that the server
// can finish. Each message goes out in one Write.
func (g *Guard) Stdio(ctx context.Context, agentIn io.Reader, agentOut io.Writer, serverIn io.WriteCloser, serverOut io.Reader) error {
	var mu sync.Mutex // agentOut has two writers: the server's relay and denials
	toAgent := func(b []byte) error {
		mu.Lock()
		defer mu.Unlock()
		_, err := agentOut.Write(b)
		return err
	}
	agentErr := make(chan error, 1)
	go func() {
		defer serverIn.Close()
		agentErr <- g.lines(agentIn, func(line, eol []byte) error {
			if line == nil {
				_, err := serverIn.Write(eol)
				return err
			}
			fwd, reply := g.FromAgent(line)
			if len(reply) > 0 {
				if err := toAgent(append(reply, '\n')); err != nil {
					return fmt.Errorf("mcp: write to agent: %w", err)
				}
			}
			if fwd != nil {
				if _, err := serverIn.Write(join(fwd, eol)); err != nil {
					return fmt.Errorf("mcp: write to server: %w", err)
				}
			}
			return nil
		}, func(head []byte) {
			// Too long to scan: the request fails, nothing reaches the server.
			if id := leadingID(head); id != nil {
				toAgent(append(errorReply(id, -32600, "leakguard: message too long to scan; not sent to the MCP server"), '\n'))
			}
		})
	}()
	err := g.lines(serverOut, func(line, eol []byte) error {
		if line == nil {
			return toAgent(eol)
		}
		out, _ := g.FromServer(line)
		g.answered(line)
		if err := toAgent(join(out, eol)); err != nil {
			return fmt.Errorf("mcp: write to agent: %w", err)
		}
		return nil
	}, func(head []byte) {
		if id := leadingID(head); id != nil {
			toAgent(append(errorReply(id, -32603, "leakguard: the MCP server's answer was too long to scan; withheld"), '\n'))
		}
	})
	if err != nil {
		return err
	}
	select {
	case aerr := <-agentErr:
		if aerr != nil && !errors.Is(aerr, io.ErrClosedPipe) {
			return aerr
		}
	default:
		// The server ended first; the agent's side ends with the process.
	}
	return ctx.Err()
}

func join(msg, eol []byte) []byte {
	if len(eol) == 0 {
		return msg
	}
	out := make([]byte, 0, len(msg)+len(eol))
	return append(append(out, msg...), eol...)
}

// lines calls f with each line of r (without its end of line, which is
// passed alone), and tooLong with the head of a line past MaxMessage (the
// rest of which is skipped). It returns nil at EOF.
func (g *Guard) lines(r io.Reader, f func(line, eol []byte) error, tooLong func(head []byte)) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var buf []byte
	skipping := false
	for {
		chunk, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			if !skipping {
				buf = append(buf, chunk...)
				if len(buf) > g.opts.MaxMessage {
					tooLong(buf[:min(len(buf), 4096)])
					buf, skipping = buf[:0], true
				}
			}
			continue
		}
		if skipping {
			skipping = false
			buf = buf[:0]
			if err != nil {
				return eofNil(err)
			}
			continue
		}
		buf = append(buf, chunk...)
		if len(buf) > g.opts.MaxMessage {
			tooLong(buf[:min(len(buf), 4096)])
			buf = buf[:0]
		} else if len(buf) > 0 {
			line, eol := splitEOL(buf)
			if len(bytes.TrimSpace(line)) == 0 {
				// Blank lines are no messages; pass them as they are.
				if ferr := f(nil, buf); ferr != nil {
					return ferr
				}
			} else if ferr := f(line, eol); ferr != nil {
				return ferr
			}
			buf = buf[:0]
		}
		if err != nil {
			return eofNil(err)
		}
	}
}

func eofNil(err error) error {
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

func splitEOL(b []byte) (line, eol []byte) {
	n := len(b)
	switch {
	case bytes.HasSuffix(b, []byte("\r\n")):
		return b[:n-2], b[n-2:]
	case bytes.HasSuffix(b, []byte("\n")):
		return b[:n-1], b[n-1:]
	}
	return b, nil
}
