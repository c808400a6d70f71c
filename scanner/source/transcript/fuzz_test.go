package transcript

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"testing"
	"unicode/utf8"
)

// stdStrings lists the string values (not member names) of doc in order,
// as encoding/json decodes them.
func stdStrings(doc []byte) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	var out []string
	type frame struct{ obj, wantKey bool }
	var stack []frame
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		isKey := len(stack) > 0 && stack[len(stack)-1].obj && stack[len(stack)-1].wantKey
		switch v := tok.(type) {
		case json.Delim:
			if v == '{' || v == '[' {
				if len(stack) > 0 && stack[len(stack)-1].obj {
					stack[len(stack)-1].wantKey = true
				}
				stack = append(stack, frame{obj: v == '{', wantKey: true})
			} else {
				stack = stack[:len(stack)-1]
			}
			continue
		case string:
			if !isKey {
				out = append(out, v)
			}
		}
		if len(stack) > 0 && stack[len(stack)-1].obj {
			stack[len(stack)-1].wantKey = !isKey
		}
	}
}

// FuzzWalkMatchesEncodingJSON checks the walker against encoding/json: on
// every document encoding/json accepts, the walker accepts it too and
// decodes the same string values, in the same order; on any input it does
// not panic.
func FuzzWalkMatchesEncodingJSON(f *testing.F) {
	for _, s := range []string{
		`{"a":"b","c":[1,"d",{"e":"\u00e9\ud83d\ude00"}],"f":null}`,
		`["x\n\t\"\\\/",true,false,-1.5e3]`,
		`{"args":"{\"k\":\"v\"}"}`,
		`"top"`,
		`{"a~/b":{"":""}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		// Any input: no panic, and a rejected document visits nothing.
		n := 0
		if err := (&Walker{}).Walk(doc, 1, func(Value) error { n++; return nil }); err != nil && n > 0 {
			t.Fatalf("%q: visited %d strings before rejecting it", doc, n)
		}
		if !json.Valid(doc) || !utf8.Valid(doc) {
			return
		}
		want, err := stdStrings(doc)
		if err != nil {
			return
		}
		var got []string
		err = (&Walker{MaxEmbedded: -1}).Walk(doc, 1, func(v Value) error {
			got = append(got, string(v.Data))
			return nil
		})
		if err != nil {
			t.Fatalf("walker rejects valid JSON %q: %v", doc, err)
		}
		if len(got) != len(want) {
			t.Fatalf("%q: walker found %d strings, encoding/json %d", doc, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%q: string %d: got %q, want %q", doc, i, got[i], want[i])
			}
		}
	})
}
