package sse

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func readAll(t *testing.T, in string, max int) []Event {
	t.Helper()
	r := NewReader(strings.NewReader(in), max)
	var evs []Event
	for {
		ev, err := r.Next()
		if errors.Is(err, io.EOF) {
			return evs
		}
		if err != nil {
			t.Fatal(err)
		}
		evs = append(evs, ev)
	}
}

func TestReaderKeepsBytes(t *testing.T) {
	in := ": ping\n\nevent: delta\r\ndata: {\"a\":1}\r\n\r\n\ndata: one\ndata: two\nid: 7\n\ndata: tail-without-blank"
	evs := readAll(t, in, 0)
	var joined strings.Builder
	for _, ev := range evs {
		joined.Write(ev.Raw)
	}
	if joined.String() != in {
		t.Errorf("events joined = %q, want the input %q", joined.String(), in)
	}
	tests := []struct {
		name, data string
		has        bool
	}{
		{"", "", false},
		{"delta", `{"a":1}`, true},
		{"", "", false},
		{"", "one\ntwo", true},
		{"", "tail-without-blank", true},
	}
	if len(evs) != len(tests) {
		t.Fatalf("got %d events, want %d", len(evs), len(tests))
	}
	for i, tt := range tests {
		if evs[i].Name != tt.name || string(evs[i].Data) != tt.data || evs[i].HasData != tt.has {
			t.Errorf("event %d = (%q, %q, %v), want (%q, %q, %v)", i, evs[i].Name, evs[i].Data, evs[i].HasData, tt.name, tt.data, tt.has)
		}
	}
}

func TestWithData(t *testing.T) {
	ev := readAll(t, "event: x\r\ndata: a\r\ndata: b\r\nid: 3\r\n\r\n", 0)[0]
	got := string(ev.WithData([]byte("new\nlines")))
	want := "event: x\r\ndata: new\r\ndata: lines\r\nid: 3\r\n\r\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := string(Encode("e", []byte("d"))), "event: e\ndata: d\n\n"; got != want {
		t.Errorf("Encode = %q, want %q", got, want)
	}
}

func TestReaderTooLong(t *testing.T) {
	r := NewReader(strings.NewReader("data: "+strings.Repeat("x", 200<<10)+"\n\n"), 100<<10)
	ev, err := r.Next()
	if !errors.Is(err, ErrTooLong) || len(ev.Raw) == 0 {
		t.Errorf("got %d bytes, %v; want some bytes and ErrTooLong", len(ev.Raw), err)
	}
}
