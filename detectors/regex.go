package detectors

import "regexp/syntax"

func parseRegex(expr string) (*syntax.Regexp, error) { return syntax.Parse(expr, syntax.Perl) }
