package detectors

// required keeps the primary matches of a composite rule that have, for
// every required rule, a match of it within the configured distance, as
// gitleaks' [[rules.required]] does. Required rules are evaluated over the
// whole input (their own keywords need not occur near the primary).
func (d *Detector) required(sc *scratch, c *crule, data []byte, t Target, primary []Match) []Match {
	found := make(map[string][]Match, len(c.r.Required))
	for _, rq := range c.r.Required {
		rc, ok := d.byID[rq.RuleID]
		if !ok {
			continue
		}
		found[rq.RuleID] = d.detectWhole(sc, rc, data, t)
	}
	var out []Match
	for _, p := range primary {
		pl, pc := sc.position(data, p.Start)
		var near []Match
		have := map[string]bool{}
		for _, rq := range c.r.Required {
			for _, m := range found[rq.RuleID] {
				ml, mc := sc.position(data, m.Start)
				if rq.WithinLines != nil && abs(pl-ml) > *rq.WithinLines {
					continue
				}
				if rq.WithinColumns != nil && abs(pc-mc) > *rq.WithinColumns {
					continue
				}
				near = append(near, m)
				have[rq.RuleID] = true
			}
		}
		all := len(near) > 0
		for _, rq := range c.r.Required {
			if _, ok := d.byID[rq.RuleID]; ok && !have[rq.RuleID] {
				all = false
			}
		}
		if all {
			p.Required = near
			out = append(out, p)
		}
	}
	return out
}

// detectWhole runs a rule over the whole input regardless of windows.
func (d *Detector) detectWhole(sc *scratch, c *crule, data []byte, t Target) []Match {
	if c.r.Regex == "" {
		return nil
	}
	return d.detectRuleMode(sc, c, data, t, true)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
