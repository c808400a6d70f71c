package detectors

import "bytes"

// pathMatches is the rule's path regexp behind a literal prefilter. Go's
// regexp tries every start position of a path, so a pattern such as
// (?i)(?:^|/)[^/]+\.(?:jks|keystore)$ costs microseconds a path, and a
// path rule with no keywords is a candidate for every file of a scan: on
// 25,000 files a dozen such rules were a quarter of the CPU. The regexp now
// runs only when the path holds one of the literals every match contains.
// Sound: the literals are lowercased ASCII and compared ignoring ASCII
// case, so any path the regexp matches passes the prefilter.
func (c *crule) pathMatches(path string) bool {
	c.pathOnce.Do(func() {
		re, err := parseRegex(c.r.Path.String())
		if err != nil {
			return
		}
		set := exactMemo{}.requiredSet(re)
		if setScore(set) < 2 {
			return
		}
		for _, l := range set {
			if !isASCII(l) {
				return
			}
		}
		for _, l := range set {
			c.pathLits = append(c.pathLits, []byte(l))
		}
	})
	if c.pathLits != nil && !containsAnyFold(path, c.pathLits) {
		return false
	}
	return c.r.Path.MatchString(path)
}

// containsAnyFold reports whether s contains one of lits (lowercase ASCII),
// ignoring ASCII case in s.
func containsAnyFold(s string, lits [][]byte) bool {
	var buf [256]byte
	low := buf[:0]
	if len(s) > len(buf) {
		low = make([]byte, 0, len(s))
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		low = append(low, b)
	}
	for _, l := range lits {
		if bytes.Contains(low, l) {
			return true
		}
	}
	return false
}
