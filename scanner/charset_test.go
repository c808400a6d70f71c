package scanner

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/leakguard/leakguard/internal/fake"
)

// encodeUTF16 encodes s as UTF-16, big-endian if be, with a byte order
// mark if bom.
func encodeUTF16(s string, be, bom bool) []byte {
	var out []byte
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xfeff}, units...)
	}
	for _, u := range units {
		if be {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

// regExport is a Windows registry export holding key on line 5.
func regExport(key string) string {
	return "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\Example]\r\n\"Name\"=\"caf\u00e9 \U0001F511\"\r\n\"Key\"=\"" + key + "\"\r\n"
}

// TestUTF16Secrets: a key in UTF-16 text, little- and big-endian, with a
// byte order mark and without, is found on its line, with its column in
// characters and its span in the input's bytes.
func TestUTF16Secrets(t *testing.T) {
	s := testScanner(t, Options{})
	key := fake.AWSKeyID(16)
	text := regExport(key)
	for _, be := range []bool{false, true} {
		for _, bom := range []bool{true, false} {
			t.Run(fmt.Sprintf("be=%v/bom=%v", be, bom), func(t *testing.T) {
				data := encodeUTF16(text, be, bom)
				want := map[bool]Content{false: UTF16LE, true: UTF16BE}[be]
				if got := Sniff(data); got != want {
					t.Fatalf("Sniff = %d, want %d", got, want)
				}
				fs, err := s.ScanBytes(context.Background(), data, Origin{Kind: KindFile, Path: "export.reg"})
				if err != nil {
					t.Fatal(err)
				}
				if len(fs) != 1 {
					t.Fatalf("got %d findings, want 1", len(fs))
				}
				f := fs[0]
				if f.Secret != key || f.StartLine != 5 || f.StartColumn != len(`"Key"="`)+1 {
					t.Errorf("got %s at %d:%d, want the key at 5:%d", Redact(f.Secret), f.StartLine, f.StartColumn, len(`"Key"="`)+1)
				}
				if !strings.Contains(strings.Join(f.Tags, ","), "charset:utf-16") {
					t.Errorf("tags %v name no charset", f.Tags)
				}
				if got := utf16Data(data[f.SpanStart:f.SpanEnd], want); !bytes.Contains(got, []byte(key)) {
					t.Errorf("span [%d, %d) of the input holds %q, not the key", f.SpanStart, f.SpanEnd, Redact(string(got)))
				}
			})
		}
	}
}

// TestUTF16Stream: a UTF-16 stream longer than a chunk (stdin, a large
// file) is transcoded as it is read; a key past the first chunk is found
// on its line.
func TestUTF16Stream(t *testing.T) {
	s := testScanner(t, Options{Workers: 2})
	key := fake.AWSKeyID(17)
	var b strings.Builder
	for b.Len() < 3*StreamChunk/2 {
		b.WriteString("PS C:\\> Get-ChildItem env: | Format-List \u2014 nothing here\r\n")
	}
	lines := strings.Count(b.String(), "\n")
	b.WriteString("AWS_ACCESS_KEY_ID=" + key + "\r\n")
	for _, be := range []bool{false, true} {
		data := encodeUTF16(b.String(), be, true)
		src := SourceFunc(func(ctx context.Context, yield func(Fragment) error) error {
			return ReadChunks(ctx, bytes.NewReader(data), Origin{Kind: KindStdin}, yield)
		})
		fs, _, err := s.Scan(context.Background(), src)
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != 1 || fs[0].Secret != key || fs[0].StartLine != lines+1 {
			t.Errorf("be=%v: got %d findings, want the key on line %d", be, len(fs), lines+1)
			for _, f := range fs {
				t.Logf("%s at line %d", Redact(f.Secret), f.StartLine)
			}
		}
	}
}

// TestSniff: what is text, UTF-16 or binary.
func TestSniff(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	noise := make([]byte, 6000)
	rng.Read(noise)
	text := strings.Repeat("config_value = 42 # a comment\n", 200)
	tests := []struct {
		name string
		data []byte
		want Content
	}{
		{"text", []byte(text), Text},
		{"one NUL in text", []byte(text[:3000] + "\x00" + text[3000:]), Text},
		{"NUL-separated paths", []byte(strings.Repeat("./src/main.go\x00./src/util.go\x00", 100)), Binary},
		{"png", append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), noise...), Binary},
		{"noise with a NUL", append([]byte{0}, noise...), Binary},
		{"utf-16le", encodeUTF16(text, false, false), UTF16LE},
		{"utf-16be bom", encodeUTF16(text, true, true), UTF16BE},
		{"utf-16le bom, CJK", encodeUTF16(strings.Repeat("\u5bc6\u94a5\u8bbe\u7f6e\n", 100), false, true), UTF16LE},
		{"bom then noise", append([]byte{0xff, 0xfe}, noise...), Binary},
	}
	for _, tt := range tests {
		if got := Sniff(tt.data); got != tt.want {
			t.Errorf("%s: Sniff = %d, want %d", tt.name, got, tt.want)
		}
	}
}

// TestTextWithNUL: a text file with one NUL byte in its first 8000 bytes
// is scanned, and its secret found.
func TestTextWithNUL(t *testing.T) {
	s := testScanner(t, Options{})
	key := fake.AWSKeyID(18)
	data := []byte("header\x00\nlog line\naws_key=" + key + "\n")
	if IsBinary(data) {
		t.Fatal("text with one NUL is called binary")
	}
	fs, err := s.ScanBytes(context.Background(), data, Origin{Kind: KindFile, Path: "app.log"})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].StartLine != 3 {
		t.Errorf("got %d findings, want the key on line 3", len(fs))
	}
}
