package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/leakguard/leakguard/scanner"
)

// JUnit writes a JUnit XML report: a <testsuites> element holding one
// <testsuite name="leakguard">, with one failing <testcase> per finding
// (named by rule id and location; the failure body lists the details,
// secrets masked) or, when there are no findings, one passing testcase.
type JUnit struct {
	w    io.Writer
	opts Options
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitFailure `xml:"failure,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",cdata"`
}

// Write implements scanner.Reporter.
func (j *JUnit) Write(findings []scanner.Finding, summary scanner.Summary) error {
	red := newRedactor(findings, j.opts.ShowSecrets, j.opts.maskFor(mask))
	suite := junitSuite{Name: toolName, Tests: max(len(findings), 1), Failures: len(findings)}
	for _, f := range findings {
		f = red.finding(f)
		suite.Cases = append(suite.Cases, junitCase{
			Name:      f.RuleID + " at " + location(f),
			Classname: toolName + "." + f.RuleID,
			File:      f.Path,
			Line:      f.StartLine,
			Failure: &junitFailure{
				Message: sarifMessage(f),
				Type:    f.RuleID,
				Body:    xmlText(junitBody(f)),
			},
		})
	}
	if len(findings) == 0 {
		suite.Cases = []junitCase{{Name: SummaryLine(nil, summary), Classname: toolName}}
	}
	doc := junitSuites{Name: toolName, Tests: suite.Tests, Failures: suite.Failures, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(j.w, xml.Header); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	enc := xml.NewEncoder(j.w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	if _, err := io.WriteString(j.w, "\n"); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	return nil
}

// junitBody lists a finding's details, one "key: value" a line.
func junitBody(f scanner.Finding) string {
	var b strings.Builder
	add := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	add("rule", f.RuleID)
	add("description", f.Description)
	add("location", location(f))
	if f.EndLine > 0 {
		add("end", strconv.Itoa(f.EndLine)+":"+strconv.Itoa(f.EndColumn))
	}
	if c := f.Commit; c != nil {
		add("commit", c.SHA)
		add("author", c.Author)
		add("email", c.Email)
		add("date", c.Date)
	}
	add("json", jsonLocation(f))
	add("secret", f.Secret)
	add("match", f.Match)
	add("fingerprint", f.Fingerprint)
	return b.String()
}

// xmlText replaces the characters XML 1.0 does not allow (most control
// characters, unpaired surrogates, U+FFFE and U+FFFF) with U+FFFD. The
// encoder does this for attributes and escaped text, but not for CDATA.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r',
			r >= 0x20 && r <= 0xD7FF,
			r >= 0xE000 && r <= 0xFFFD,
			r >= 0x10000 && r <= 0x10FFFF:
			return r
		}
		return '\uFFFD'
	}, s)
}
