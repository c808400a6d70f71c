package sse

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// ErrTooLong means an event grew past the Reader's limit. The bytes read
// of it are in the returned Event's Raw; the rest follows in the stream.
var ErrTooLong = errors.New("sse: event too long")

// Event is one event as it arrived.
type Event struct {
	// Raw is the event's bytes, its terminating blank line included (none
	// when the stream ended without one).
	Raw []byte
	// Name is the event field ("" means "message").
	Name string
	// Data is the event's data lines joined by "\n"; HasData says there was
	// at least one data field.
	Data    []byte
	HasData bool
}

// Reader reads events from a stream.
type Reader struct {
	br  *bufio.Reader
	max int
}

// NewReader returns a Reader of r. Events longer than max bytes make Next
// return ErrTooLong; max <= 0 means 16 MiB.
func NewReader(r io.Reader, max int) *Reader {
	if max <= 0 {
		max = 16 << 20
	}
	return &Reader{br: bufio.NewReaderSize(r, 64<<10), max: max}
}

// Next returns the next event. It returns io.EOF once the stream has ended
// and every byte was returned; an event cut short by the end of the stream
// is returned whole (Raw holds what came) with a nil error. Other errors
// are the stream's, with the bytes read so far in Raw.
func (r *Reader) Next() (Event, error) {
	var ev Event
	var raw []byte
	for {
		line, err := r.br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A long line: keep reading it.
			raw = append(raw, line...)
			if len(raw) > r.max {
				ev.Raw = raw
				return ev, ErrTooLong
			}
			continue
		}
		start := len(raw)
		raw = append(raw, line...)
		if len(raw) > r.max {
			ev.Raw = raw
			return ev, ErrTooLong
		}
		if err != nil {
			ev.Raw = raw
			if errors.Is(err, io.EOF) {
				if len(raw) == 0 {
					return ev, io.EOF
				}
				parseFields(&ev, raw)
				return ev, nil
			}
			return ev, err
		}
		if isBlank(raw[start:]) {
			if start == 0 {
				// Blank lines between events: return them alone so they
				// pass through, as a fieldless event.
				ev.Raw = raw
				return ev, nil
			}
			ev.Raw = raw
			parseFields(&ev, raw)
			return ev, nil
		}
	}
}

func isBlank(line []byte) bool {
	return len(line) == 1 || (len(line) == 2 && line[0] == '\r')
}

func trimEOL(line []byte) []byte {
	line = bytes.TrimSuffix(line, []byte("\n"))
	return bytes.TrimSuffix(line, []byte("\r"))
}

func parseFields(ev *Event, raw []byte) {
	var data []byte
	for len(raw) > 0 {
		i := bytes.IndexByte(raw, '\n')
		var line []byte
		if i < 0 {
			line, raw = raw, nil
		} else {
			line, raw = raw[:i+1], raw[i+1:]
		}
		name, value := field(trimEOL(line))
		switch name {
		case "data":
			if ev.HasData {
				data = append(data, '\n')
			}
			data = append(data, value...)
			ev.HasData = true
		case "event":
			ev.Name = string(value)
		}
	}
	ev.Data = data
}

// field splits a line into its field name and value ("data: x" is data, x).
func field(line []byte) (name string, value []byte) {
	if len(line) == 0 || line[0] == ':' {
		return "", nil
	}
	i := bytes.IndexByte(line, ':')
	if i < 0 {
		return string(line), nil
	}
	value = line[i+1:]
	if len(value) > 0 && value[0] == ' ' {
		value = value[1:]
	}
	return string(line[:i]), value
}

// WithData returns the event's bytes with its data field(s) replaced by
// data (one data line per line of data) where the first data line was;
// every other line, and the line endings, stay as they were.
func (e Event) WithData(data []byte) []byte {
	out := make([]byte, 0, len(e.Raw)+len(data))
	raw := e.Raw
	done := false
	for len(raw) > 0 {
		i := bytes.IndexByte(raw, '\n')
		var line []byte
		if i < 0 {
			line, raw = raw, nil
		} else {
			line, raw = raw[:i+1], raw[i+1:]
		}
		body := trimEOL(line)
		eol := line[len(body):]
		if name, _ := field(body); name == "data" {
			if !done {
				if len(eol) == 0 {
					eol = []byte("\n")
				}
				for _, l := range bytes.Split(data, []byte("\n")) {
					out = append(out, "data: "...)
					out = append(out, l...)
					out = append(out, eol...)
				}
				done = true
			}
			continue
		}
		out = append(out, line...)
	}
	return out
}

// Encode returns a new event with the given name ("" for none) and data.
func Encode(name string, data []byte) []byte {
	var out []byte
	if name != "" {
		out = append(out, "event: "...)
		out = append(out, name...)
		out = append(out, '\n')
	}
	for _, l := range bytes.Split(data, []byte("\n")) {
		out = append(out, "data: "...)
		out = append(out, l...)
		out = append(out, '\n')
	}
	return append(out, '\n')
}

// Rest returns the rest of the stream, from the first byte Next has not
// returned.
func (r *Reader) Rest() io.Reader { return r.br }
