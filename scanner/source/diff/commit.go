package diff

import (
	"mime"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/leakguard/leakguard/scanner"
)

// commitHeader collects a commit's headers and message as they are read:
// from format-patch mail ("From <sha> <date>", From:, Date:, Subject:,
// body up to "---") or from git log / git show output ("commit <sha>",
// Author:, Date:, a message indented by four spaces).
type commitHeader struct {
	mail    bool
	inBody  bool
	lastHdr string
	info    scanner.CommitInfo
	subject string
	body    []string
}

// logDate is git log's default date format.
const logDate = "Mon Jan 2 15:04:05 2006 -0700"

func isHex40(s string) bool {
	if len(s) < 40 {
		return false
	}
	for i := 0; i < 40; i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return len(s) == 40 || s[40] == ' '
}

// isMailStart recognises the "From <sha> Mon Sep 17 00:00:00 2001" line
// that opens each patch of git format-patch output.
func isMailStart(s string) bool {
	return strings.HasPrefix(s, "From ") && isHex40(s[5:])
}

// isLogStart recognises "commit <sha>" from git log / git show.
func isLogStart(s string) bool {
	return strings.HasPrefix(s, "commit ") && isHex40(s[7:])
}

func newCommitHeader(s string) *commitHeader {
	switch {
	case isMailStart(s):
		return &commitHeader{mail: true, info: scanner.CommitInfo{SHA: s[5:45]}}
	case isLogStart(s):
		return &commitHeader{info: scanner.CommitInfo{SHA: s[7:47]}}
	}
	c := &commitHeader{mail: true}
	c.header(s)
	return c
}

// commitLine feeds one line to the commit being read. done reports
// whether the line belonged to it; when it did not, the commit is over
// and the line must be read as diff.
func (p *parser) commitLine(line []byte) (done bool, err error) {
	c := p.commit
	s := string(line)
	if c.mail {
		switch {
		case !c.inBody && s == "":
			c.inBody = true
		case !c.inBody:
			c.header(s)
		case s == "---":
			return true, p.endCommitHeader()
		case strings.HasPrefix(s, "diff --git ") || isMailStart(s):
			return false, p.endCommitHeader()
		default:
			c.body = append(c.body, s)
		}
		return true, nil
	}
	switch {
	case !c.inBody && s == "":
		c.inBody = true
	case !c.inBody:
		c.header(s)
	case s == "" || strings.HasPrefix(s, "    "):
		c.body = append(c.body, strings.TrimPrefix(s, "    "))
	default:
		return false, p.endCommitHeader()
	}
	return true, nil
}

// header reads one header line (mail headers may continue on lines that
// start with white space).
func (c *commitHeader) header(s string) {
	if c.mail && (strings.HasPrefix(s, " ") || strings.HasPrefix(s, "\t")) {
		if c.lastHdr == "subject" {
			c.subject += " " + strings.TrimSpace(s)
		}
		return
	}
	name, value, ok := strings.Cut(s, ":")
	if !ok {
		return
	}
	value = strings.TrimSpace(value)
	c.lastHdr = strings.ToLower(name)
	switch c.lastHdr {
	case "from", "author":
		if a, err := mail.ParseAddress(value); err == nil {
			c.info.Author, c.info.Email = a.Name, a.Address
		} else if i := strings.LastIndexByte(value, '<'); i >= 0 {
			c.info.Author = strings.TrimSpace(value[:i])
			c.info.Email = strings.Trim(value[i:], "<>")
		} else {
			c.info.Author = value
		}
	case "date", "authordate":
		if t, err := mail.ParseDate(value); err == nil {
			c.info.Date = t.Format(time.RFC3339)
		} else if t, err := time.Parse(logDate, value); err == nil {
			c.info.Date = t.Format(time.RFC3339)
		} else if t, err := time.Parse(time.RFC3339, value); err == nil {
			c.info.Date = t.Format(time.RFC3339)
		} else if n, err := strconv.ParseInt(strings.Fields(value + " x")[0], 10, 64); err == nil {
			// --date=unix or --date=raw
			c.info.Date = time.Unix(n, 0).UTC().Format(time.RFC3339)
		}
	case "subject":
		c.subject = value
	}
}

// endCommitHeader finishes the commit being read and hands it over.
func (p *parser) endCommitHeader() error {
	c := p.commit
	if c == nil {
		return nil
	}
	p.commit = nil
	subject := c.subject
	if dec, err := new(mime.WordDecoder).DecodeHeader(subject); err == nil {
		subject = dec
	}
	subject = stripPatchTag(subject)
	body := strings.TrimSpace(strings.Join(c.body, "\n"))
	msg := subject
	if body != "" {
		if msg != "" {
			msg += "\n\n"
		}
		msg += body
	}
	c.info.Message = msg
	info := c.info
	p.cur = &info
	if p.h.Commit != nil {
		return p.h.Commit(p.cur)
	}
	return nil
}

// stripPatchTag removes a leading "[PATCH v2 1/3]" from a subject.
func stripPatchTag(s string) string {
	if strings.HasPrefix(s, "[") {
		if i := strings.IndexByte(s, ']'); i >= 0 && strings.Contains(strings.ToUpper(s[:i]), "PATCH") {
			return strings.TrimSpace(s[i+1:])
		}
	}
	return s
}
