package cli

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// redactValue is --redact[=N]: the percentage of each secret masked in the
// report, as gitleaks' --redact means it. Bare --redact is 100; "true" and
// "false" (the old boolean form) are 100 and 0.
type redactValue int

func (r *redactValue) String() string { return strconv.Itoa(int(*r)) }
func (r *redactValue) Type() string   { return "uint[=100]" }
func (r *redactValue) Set(s string) error {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "":
		*r = 100
		return nil
	case "false":
		*r = 0
		return nil
	}
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if err != nil || n < 0 || n > 100 {
		return fmt.Errorf("want a percentage from 0 to 100, got %q", s)
	}
	*r = redactValue(n)
	return nil
}

// timeoutValue is --timeout: whole seconds as gitleaks takes them
// ("30"), or a Go duration ("90s", "5m").
type timeoutValue time.Duration

func (t *timeoutValue) String() string {
	if *t == 0 {
		return "0"
	}
	return time.Duration(*t).String()
}
func (t *timeoutValue) Type() string { return "duration" }
func (t *timeoutValue) Set(s string) error {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil && n >= 0 {
		*t = timeoutValue(time.Duration(n) * time.Second)
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return fmt.Errorf("want seconds or a duration such as 90s, got %q", s)
	}
	*t = timeoutValue(d)
	return nil
}
