package source

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/internal/fake"
	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
)

func utf16Bytes(s string, be, bom bool) []byte {
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xfeff}, units...)
	}
	var out []byte
	for _, u := range units {
		if be {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

// TestFilesUTF16AndNUL: UTF-16 files (a registry export, PowerShell
// output, a config; small and larger than a chunk, with and without a byte
// order mark) and a text file with one NUL byte are scanned, not skipped as
// binary, and each key is found on its line; a binary file is still
// skipped and says so.
func TestFilesUTF16AndNUL(t *testing.T) {
	dir := t.TempDir()
	want := map[string]int{} // file: line of its key
	key := func(name string, line int) string {
		want[name] = line
		return fake.AWSKeyID(int64(len(want)))
	}
	write(t, filepath.Join(dir, "export.reg"), utf16Bytes("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\App]\r\n\"Key\"=\""+key("export.reg", 4)+"\"\r\n", false, true))
	write(t, filepath.Join(dir, "ps.txt"), utf16Bytes("\r\nName  Value\r\n----  -----\r\nAWS   "+key("ps.txt", 4)+"\r\n", false, false))
	write(t, filepath.Join(dir, "app.ini"), utf16Bytes("[auth]\nid = "+key("app.ini", 2)+"\n", true, true))
	big := strings.Repeat("PS C:\\> dir env: nothing here\r\n", 50000) // 1.5 MB, 3 MB in UTF-16
	write(t, filepath.Join(dir, "big.log"), utf16Bytes(big+"AWS_ACCESS_KEY_ID="+key("big.log", 50001)+"\r\n", false, true))
	write(t, filepath.Join(dir, "nul.log"), []byte("start\x00\nid="+key("nul.log", 2)+"\n"))
	write(t, filepath.Join(dir, "bin.dat"), append([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, []byte("id="+fake.AWSKeyID(99))...))

	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	det, err := detectors.Compile(set, detectors.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var skips []string
	src := &Files{Paths: []string{dir}, Skip: func(p, r string) { skips = append(skips, filepath.Base(p)+": "+r) }}
	fs, _, err := scanner.New(det, scanner.Options{}).Scan(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	var got, wantS []string
	for _, f := range fs {
		got = append(got, fmt.Sprintf("%s:%d", filepath.Base(f.Path), f.StartLine))
	}
	for name, line := range want {
		wantS = append(wantS, fmt.Sprintf("%s:%d", name, line))
	}
	sort.Strings(got)
	sort.Strings(wantS)
	if strings.Join(got, " ") != strings.Join(wantS, " ") {
		t.Errorf("got %v, want %v", got, wantS)
	}
	if strings.Join(skips, "; ") != "bin.dat: binary" {
		t.Errorf("skips %v, want bin.dat as binary only", skips)
	}
}
