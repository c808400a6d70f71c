package git

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"unicode/utf16"
)

// TestHistoryUTF16AndNUL: a UTF-16 file and a text file with one NUL byte
// in history are scanned by the engines that read blobs (pack, blob), and
// each key is found on its line. git itself calls both binary in a diff,
// so the diff engine reports them skipped ("binary patch"), never silently.
func TestHistoryUTF16AndNUL(t *testing.T) {
	r := newTestRepo(t)
	var reg []byte
	for _, u := range utf16.Encode([]rune("\ufeffWindows Registry Editor Version 5.00\r\n\r\n\"Key\"=\"" + fakeAWS(21) + "\"\r\n")) {
		reg = append(reg, byte(u), byte(u>>8))
	}
	r.write("export.reg", string(reg))
	r.write("app.log", "start\x00\nid="+fakeAWS(22)+"\n")
	r.git("add", ".")
	r.git("commit", "-q", "-m", "utf-16 and nul")
	for _, engine := range []string{EnginePack, EngineBlob, EngineDiff} {
		var skipped []string
		fs, _, _ := r.history(&History{Engine: engine, Skip: func(p, why string) { skipped = append(skipped, p+": "+why) }})
		var got []string
		for _, f := range fs {
			got = append(got, fmt.Sprintf("%s:%d", f.Path, f.StartLine))
		}
		sort.Strings(got)
		sort.Strings(skipped)
		want, wantSkip := "app.log:2 export.reg:3", ""
		if engine == EngineDiff {
			want, wantSkip = "", "app.log: binary patch; export.reg: binary patch"
		}
		if strings.Join(got, " ") != want || strings.Join(skipped, "; ") != wantSkip {
			t.Errorf("%s: found %v, skipped %v; want found [%s], skipped [%s]", engine, got, skipped, want, wantSkip)
		}
	}
}
