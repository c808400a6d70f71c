package keywords

import (
	"errors"
	"math/rand"
	"slices"
	"testing"
)

func TestBinaryRoundTrip(t *testing.T) {
	patterns := []string{"key", "ghp_", "token", "api_key", "x", "akia", "secret", "sk-ant-"}
	m := New(patterns)
	data := string(m.AppendBinary(nil, patterns))
	l, err := Load(data, patterns)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.check(); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	for range 200 {
		in := make([]byte, rng.Intn(300))
		for i := range in {
			in[i] = "keyGHP_tokenAPI_xakiasecrSK-ant- \n"[rng.Intn(34)]
		}
		if got, want := l.AppendHits(nil, in), m.AppendHits(nil, in); !slices.Equal(got, want) {
			t.Fatalf("on %q: got %v, want %v", in, got, want)
		}
	}
	// Data that is not 4-byte aligned in memory is copied, with the same
	// result.
	shifted := (" " + data)[1:]
	u, err := Load(shifted, patterns)
	if err != nil {
		t.Fatal(err)
	}
	in := []byte("my GHP_ token and api_key, akia secret")
	if got, want := u.AppendHits(nil, in), m.AppendHits(nil, in); !slices.Equal(got, want) {
		t.Fatalf("unaligned: got %v, want %v", got, want)
	}
}

func TestBinaryMismatch(t *testing.T) {
	patterns := []string{"key", "token"}
	data := string(New(patterns).AppendBinary(nil, patterns))
	for name, tc := range map[string]struct {
		data string
		pats []string
	}{
		"other patterns": {data, []string{"key", "tokens"}},
		"fewer patterns": {data, []string{"key"}},
		"truncated":      {data[:len(data)-3], patterns},
		"trailing bytes": {data + "\x00\x00\x00\x00", patterns},
		"empty":          {"", patterns},
	} {
		if _, err := Load(tc.data, tc.pats); !errors.Is(err, ErrBinary) {
			t.Errorf("%s: got %v, want ErrBinary", name, err)
		}
	}
}

func TestCheckCatchesCorruption(t *testing.T) {
	patterns := []string{"key", "token"}
	m := New(patterns)
	m.trans[3] = uint32(len(m.trans)) // out of range
	if err := m.check(); !errors.Is(err, ErrBinary) {
		t.Errorf("got %v, want ErrBinary", err)
	}
}
