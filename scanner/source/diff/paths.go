package diff

import (
	"strconv"
	"strings"
)

// prefixPairs are the source/destination prefixes git diff may use
// (a/ b/ by default; the rest with diff.mnemonicPrefix).
var prefixPairs = [][2]string{{"a/", "b/"}, {"c/", "w/"}, {"i/", "w/"}, {"c/", "i/"}, {"o/", "w/"}, {"1/", "2/"}}

// stripPair removes the prefixes from a diff --git header's paths and
// remembers which pair was used; with --no-prefix there is none.
func (p *parser) stripPair(a, b string) (string, string) {
	for _, pp := range prefixPairs {
		if strings.HasPrefix(a, pp[0]) && strings.HasPrefix(b, pp[1]) {
			p.hdrA, p.hdrB = pp[0], pp[1]
			return a[2:], b[2:]
		}
	}
	p.hdrA, p.hdrB = "", ""
	return a, b
}

func (p *parser) stripOne(path string, old bool) string {
	pre := p.hdrB
	if old {
		pre = p.hdrA
	}
	if pre != "" && strings.HasPrefix(path, pre) {
		return path[len(pre):]
	}
	return path
}

// headerPath reads the path of a "---" or "+++" line: quoted, or up to
// a tab (git adds one after names with spaces; diff -u puts a date
// there). /dev/null is "".
func headerPath(s string) string {
	if strings.HasPrefix(s, `"`) {
		if q, err := strconv.QuotedPrefix(s); err == nil {
			s = unquote(q)
			return devNull(s)
		}
	}
	if i := strings.IndexByte(s, '\t'); i >= 0 {
		s = s[:i]
	}
	return devNull(strings.TrimRight(s, " "))
}

func devNull(s string) string {
	if s == "/dev/null" {
		return ""
	}
	return s
}

// splitGitHeader splits the two paths of "diff --git A B".
func splitGitHeader(s string) (string, string) {
	if strings.HasPrefix(s, `"`) {
		if q, err := strconv.QuotedPrefix(s); err == nil {
			return unquote(q), unquote(strings.TrimSpace(s[len(q):]))
		}
	}
	if strings.HasSuffix(s, `"`) {
		if i := strings.LastIndex(s, ` "`); i >= 0 {
			return s[:i], unquote(s[i+1:])
		}
	}
	// Unquoted: both halves name the same path unless the file was
	// renamed, and then rename to/from lines give the real names.
	if len(s)%2 == 1 {
		h := len(s) / 2
		if s[h] == ' ' && len(s[:h]) > 2 && s[2:h] == s[h+3:] {
			return s[:h], s[h+1:]
		}
	}
	if i := strings.Index(s, " b/"); i >= 0 {
		return s[:i], s[i+1:]
	}
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, s
}

// unquote decodes git's C-style quoted paths ("a/\303\244.txt").
func unquote(s string) string {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return s
	}
	if u, err := strconv.Unquote(s); err == nil {
		return u
	}
	return s[1 : len(s)-1]
}

// binaryName takes the new path from "Binary files A and B differ".
func binaryName(s string) string {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "Binary files "), " differ")
	if i := strings.LastIndex(s, " and "); i >= 0 {
		s = s[i+5:]
	}
	s = devNull(unquote(s))
	return strings.TrimPrefix(s, "b/")
}

// isBase85Line recognises a line of a GIT binary patch body: a length
// character then base85 data.
func isBase85Line(s string) bool {
	if len(s) < 2 {
		return false
	}
	c := s[0]
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
}
