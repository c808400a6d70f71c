package scanner

import (
	"bufio"
	"context"
	"errors"
	"io"
)

// StreamChunk is the size of the pieces ReadChunks yields.
const StreamChunk = 1 << 20

// ReadChunks reads r to its end and yields it as overlapping fragments of
// at most StreamChunk+Overlap bytes, so that memory stays bounded whatever
// the input's size. Each fragment but the last owns its first StreamChunk
// bytes (moved to a line start where one is near); its StartLine is set
// from origin's.
//
// A UTF-16 stream (see Sniff) is transcoded to UTF-8 as it is read.
func ReadChunks(ctx context.Context, r io.Reader, origin Origin, yield func(Fragment) error) error {
	br := bufio.NewReaderSize(r, SniffLen)
	r = br
	if head, _ := br.Peek(SniffLen); len(head) >= 2 && origin.Charset == "" {
		switch Sniff(head) {
		case UTF16LE:
			r, origin.Charset = UTF16Reader(br, false), "utf-16le"
		case UTF16BE:
			r, origin.Charset = UTF16Reader(br, true), "utf-16be"
		}
	}
	return readChunks(ctx, r, origin, StreamChunk, yield)
}

// readChunks is ReadChunks with pieces of size bytes (tests and fuzzing
// use small ones).
func readChunks(ctx context.Context, r io.Reader, origin Origin, size int, yield func(Fragment) error) error {
	line := origin.StartLineOr1()
	col := max(origin.StartColumn, 1) // column of the next fragment's first byte
	var carry []byte                  // the overlap carried into the next fragment
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		buf := make([]byte, len(carry), size+Overlap)
		copy(buf, carry)
		n, err := io.ReadFull(r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		eof := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !eof {
			return err
		}
		o := origin
		o.StartLine = line
		o.StartColumn = col
		if eof {
			if len(buf) == 0 && line > origin.StartLineOr1() {
				return nil
			}
			return yield(Fragment{Data: buf, Origin: o})
		}
		own := alignInRun(buf, ownBoundary(buf, size), 0)
		line += countNewlines(buf[:own])
		col = nextColumn(buf[:own], col)
		carry = append(carry[:0], buf[own:]...)
		// The fragment ends on a unit of a base64 run too (what it
		// leaves out lies in the next fragment's overlap).
		end := alignInRun(buf, len(buf), own)
		if err := yield(Fragment{Data: buf[:end], Origin: o, Own: own}); err != nil {
			return err
		}
	}
}

// ownBoundary picks where a fragment's owned part ends: just after a
// newline within 4 KiB of size, else at size.
func ownBoundary(buf []byte, size int) int {
	for i := size; i < len(buf) && i < size+4096; i++ {
		if buf[i-1] == '\n' {
			return i
		}
	}
	return size
}
