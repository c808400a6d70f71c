package git

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
)

// FuzzHookLines reads pre-push and pre-receive input, seeded with what git
// writes (new branch, update, force push, deletion, SHA-256 ids, tags).
// On any input: no panic; an id returned is a full object id and the
// field of its line it was read from (never an option to git); what is
// read, written back in git's shape, reads the same; and an error quotes
// no field of the line.
func FuzzHookLines(f *testing.F) {
	a, b := strings.Repeat("a1", 20), strings.Repeat("0b", 20)
	zero, long := strings.Repeat("0", 40), strings.Repeat("c3", 32)
	for _, s := range []string{
		"refs/heads/main " + a + " refs/heads/main " + b + "\n",
		"refs/heads/new " + a + " refs/heads/new " + zero + "\n(delete) " + zero + " refs/heads/old " + b + "\n",
		"refs/tags/v1 " + long + " refs/tags/v1 " + strings.Repeat("0", 64) + "\r\n\n",
		b + " " + a + " refs/heads/main\n" + zero + " " + a + " refs/heads/topic\n" + a + " " + zero + " refs/heads/gone\n",
		"refs/heads/x --output=/tmp/f refs/heads/x " + b + "\n",
		"only three fields\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		sc := bufio.NewScanner(bytes.NewReader(in))
		for sc.Scan() {
			line := sc.Text()
			fields := strings.Fields(line)
			check := func(kind string, x, y string, err error, ix, iy int, again func(string) (string, string, error), format string) {
				if err != nil {
					for _, fd := range fields {
						if len(fd) >= 8 && strings.Contains(err.Error(), fd) {
							t.Fatalf("%s: error quotes the field %q: %v", kind, fd, err)
						}
					}
					return
				}
				if len(fields) == 0 {
					if x != "" || y != "" {
						t.Fatalf("%s: ids from a blank line", kind)
					}
					return
				}
				if !isObjectID(x) || !isObjectID(y) || x != fields[ix] || y != fields[iy] {
					t.Fatalf("%s: read %q %q from %q", kind, x, y, line)
				}
				x2, y2, err := again(strings.NewReplacer("X", x, "Y", y, "R", fields[len(fields)-1]).Replace(format))
				if err != nil || x2 != x || y2 != y {
					t.Fatalf("%s: written back, reads %q %q, %v", kind, x2, y2, err)
				}
			}
			l, r, err := parsePushLine(line)
			check("pre-push", l, r, err, 1, 3, parsePushLine, "refs/heads/b X R Y")
			o, n, err := parseReceiveLine(line)
			check("pre-receive", o, n, err, 0, 1, parseReceiveLine, "X Y R")
		}
	})
}
