package detectors

import (
	"sort"
	"testing"
	"time"
)

// BenchmarkRuleTimes logs where detection time goes, per rule, over 1 MB
// of Go source: go test ./detectors -run XXX -bench RuleTimes -benchtime 1x -v.
// It is a profile, not a test (it was TestRuleTimes, which asserted
// nothing).
func BenchmarkRuleTimes(b *testing.B) {
	src := goSource(b)
	if len(src) > 1<<20 {
		src = src[:1<<20]
	}
	d := benchDetector(b)
	sc := newScratch(len(d.rules))
	type rt struct {
		id    string
		dur   time.Duration
		wins  int
		cov   int
		whole bool
	}
	// Fill windows the way Detect does.
	full := d.pool.Get().(*scratch)
	_ = full
	var times []rt
	sc.hits = d.kw.AppendHits(sc.hits[:0], src)
	for _, h := range sc.hits {
		for _, ri := range d.gates[h.Pattern] {
			sc.gated[ri] = true
		}
		end := int(h.End)
		start := end - d.patLen[h.Pattern]
		for _, ri := range d.opens[h.Pattern] {
			c := d.rules[ri]
			var w window
			if sfx := c.suffix(); sfx != nil {
				lo, hi, ok := sfx.at(sc, src, start, end)
				if !ok {
					continue
				}
				w = c.windowAround(src, lo, hi)
			} else {
				w = c.window(src, start, end)
			}
			ws := sc.wins[ri]
			if n := len(ws); n > 0 && w.lo <= ws[n-1].hi {
				ws[n-1].hi = max(ws[n-1].hi, w.hi)
			} else {
				ws = append(ws, w)
			}
			sc.wins[ri] = ws
		}
	}
	for ri, c := range d.rules {
		if !sc.gated[ri] && len(c.r.Keywords) > 0 {
			continue
		}
		cov := 0
		for _, w := range sc.wins[ri] {
			cov += w.hi - w.lo
		}
		st := time.Now()
		d.detectRule(sc, c, src, Target{})
		times = append(times, rt{c.r.ID, time.Since(st), len(sc.wins[ri]), cov, c.whole})
	}
	sort.Slice(times, func(i, j int) bool { return times[i].dur > times[j].dur })
	b.Logf("%d hits", len(sc.hits))
	for _, x := range times[:min(15, len(times))] {
		b.Logf("%-40s %10v windows=%d covered=%d whole=%v", x.id, x.dur, x.wins, x.cov, x.whole)
	}
}
