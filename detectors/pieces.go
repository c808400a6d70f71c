package detectors

import "sort"

// NonLocalKeywordRules lists the rules whose keyword gate is not known to
// lie inside their matches: a keyword anywhere in the input makes them
// candidates (gitleaks' semantics), and their regex runs in windows of
// other anchors, or over the whole input. A source that scans an input in
// pieces (the history sweep's changed regions of a file version) cannot
// see such a keyword in another piece; it must treat the keyword's
// presence itself as a hit. Every other rule's matches contain one of the
// rule's keywords, or the rule has none.
func (d *Detector) NonLocalKeywordRules() []string {
	var ids []string
	for _, c := range d.rules {
		if c.keyworded && c.r.Regex != "" && !c.hasSuffix {
			ids = append(ids, c.r.ID)
		}
	}
	sort.Strings(ids)
	return ids
}

// Options returns the options the detector was compiled with.
func (d *Detector) Options() Options { return d.opts }
