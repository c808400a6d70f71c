package rules

import (
	"errors"
	"fmt"
	"regexp/syntax"
)

// regexError describes a regex that does not compile without quoting it:
// a rule's or an allowlist's regex may hold the very secret it is about
// (an allowlisted value, a key pasted to test a rule), and errors reach
// stderr and the hooks' audit log. Go's error quotes the expression (or
// the part after the problem); only its kind and the length are kept.
func regexError(err error) error {
	var se *syntax.Error
	if errors.As(err, &se) {
		return fmt.Errorf("error parsing regexp: %s (in a part of %d characters, not shown)", se.Code, len(se.Expr))
	}
	return err
}
