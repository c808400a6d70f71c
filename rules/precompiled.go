package rules

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"unsafe"
)

// The precompiled form of a rule set: what Parse produces, encoded so that
// a process can have the default rules without parsing TOML (see Default).
// Strings are stored inline and used in place (substrings of the embedded
// data); Examples and Negatives are stored masked (each byte XOR
// exampleMask), so that the file holds no example secret as text that a
// scan of this repository, or of its history, would report.
//
// Layout (integers are unsigned varints unless said; "str" is a length
// then bytes):
//
//	magic, masked-bytes length (4 bytes, little-endian), masked bytes,
//	title str, description str, path str,
//	gitleaks rule count, gitleaks global allowlist count,
//	allowlist count, allowlists, global allowlist count, their indices,
//	rule count, rules
//
// TestPrecompiledRoundTrip checks that decoding gives back every field.
const (
	precompiledMagic = "LGRS\x03"
	exampleMask      = 0xA5
)

// ErrPrecompiled reports a malformed precompiled rule set.
var ErrPrecompiled = errors.New("rules: bad precompiled rule set")

type encoder struct {
	b      []byte
	masked []byte
	alIdx  map[*Allowlist]int
}

func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int)     { e.uint(uint64(v)) }
func (e *encoder) str(s string)  { e.int(len(s)); e.b = append(e.b, s...) }
func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}
func (e *encoder) strs(ss []string) {
	e.int(len(ss))
	for _, s := range ss {
		e.str(s)
	}
}

// maskedStrs stores ss in the masked area, as offset and length pairs.
func (e *encoder) maskedStrs(ss []string) {
	e.int(len(ss))
	for _, s := range ss {
		e.int(len(e.masked))
		e.int(len(s))
		for i := 0; i < len(s); i++ {
			e.masked = append(e.masked, s[i]^exampleMask)
		}
	}
}

func (e *encoder) optInt(p *int) {
	e.bool(p != nil)
	if p != nil {
		e.int(*p)
	}
}

func (e *encoder) allowlist(a *Allowlist) {
	e.str(a.Description)
	e.int(int(a.Condition))
	commits := make([]string, 0, len(a.Commits))
	for c := range a.Commits {
		commits = append(commits, c)
	}
	sort.Strings(commits)
	e.bool(a.Commits != nil)
	e.strs(commits)
	e.str(a.RegexTarget)
	e.strs(a.StopWords)
	e.str(a.paths.src)
	e.str(a.regexes.src)
	e.bool(a.pathList != nil)
	e.strs(a.pathList)
}

func (e *encoder) rule(r *Rule) {
	e.str(r.ID)
	e.str(r.Description)
	e.str(r.Regex)
	path := ""
	if r.Path != nil {
		path = r.Path.String()
	}
	e.bool(r.Path != nil)
	e.str(path)
	e.int(r.SecretGroup)
	e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(r.Entropy))
	e.strs(r.Keywords)
	e.strs(r.Tags)
	e.int(len(r.Allowlists))
	for _, a := range r.Allowlists {
		e.int(e.alIdx[a])
	}
	e.int(len(r.Required))
	for _, q := range r.Required {
		e.str(q.RuleID)
		e.optInt(q.WithinLines)
		e.optInt(q.WithinColumns)
	}
	e.bool(r.SkipReport)
	e.str(r.Validate)
	e.bool(r.Examples != nil)
	e.maskedStrs(r.Examples)
	e.bool(r.Negatives != nil)
	e.maskedStrs(r.Negatives)
	e.str(r.Origin)
	e.str(r.Provider)
	e.str(r.Severity)
	e.str(r.Docs)
	e.str(r.Revoke)
}

// appendPrecompiled appends the precompiled form of s, whose first
// gitleaksRules rules and first gitleaksAllowlists global allowlists are
// gitleaks' own (see GitleaksDefault).
func appendPrecompiled(dst []byte, s *Set, gitleaksRules, gitleaksAllowlists int) []byte {
	e := &encoder{b: dst, alIdx: map[*Allowlist]int{}}
	var als []*Allowlist
	add := func(a *Allowlist) {
		if _, ok := e.alIdx[a]; !ok {
			e.alIdx[a] = len(als)
			als = append(als, a)
		}
	}
	for _, a := range s.Allowlists {
		add(a)
	}
	for _, r := range s.Rules {
		for _, a := range r.Allowlists {
			add(a)
		}
	}
	e.str(s.Title)
	e.str(s.Description)
	e.str(s.Path)
	e.int(gitleaksRules)
	e.int(gitleaksAllowlists)
	e.int(len(als))
	for _, a := range als {
		e.allowlist(a)
	}
	e.int(len(s.Allowlists))
	for _, a := range s.Allowlists {
		e.int(e.alIdx[a])
	}
	e.int(len(s.Rules))
	for _, r := range s.Rules {
		e.rule(r)
	}
	body := e.b[len(dst):]
	out := append(dst[:len(dst):len(dst)], precompiledMagic...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(e.masked)))
	out = append(out, e.masked...)
	return append(out, body...)
}

// precompiled is a decoded precompiled set.
type precompiled struct {
	set                *Set
	gitleaksRules      int
	gitleaksAllowlists int
}

type decoder struct {
	s   string
	off int
	err error
	// strs is the backing array the decoded string lists are cut from.
	strs   []string
	masked string
}

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s at byte %d", ErrPrecompiled, what, d.off)
	}
	d.off = len(d.s)
}

func (d *decoder) uint() uint64 {
	var v uint64
	for shift := uint(0); ; shift += 7 {
		if d.off >= len(d.s) || shift > 63 {
			d.fail("varint")
			return 0
		}
		c := d.s[d.off]
		d.off++
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v
		}
	}
}

// count reads a count no larger than what the remaining bytes can hold.
func (d *decoder) count() int {
	v := d.uint()
	if v > uint64(len(d.s)-d.off) {
		d.fail("count")
		return 0
	}
	return int(v)
}

func (d *decoder) int() int {
	v := d.uint()
	if v > math.MaxInt32 {
		d.fail("integer")
		return 0
	}
	return int(v)
}

func (d *decoder) str() string {
	n := d.count()
	s := d.s[d.off : d.off+n]
	d.off += n
	return s
}

func (d *decoder) bool() bool {
	if d.off >= len(d.s) {
		d.fail("bool")
		return false
	}
	b := d.s[d.off]
	d.off++
	return b != 0
}

// list returns n strings from the shared backing array, capped so that an
// append by a caller cannot write into the next list.
func (d *decoder) list(n int) []string {
	if len(d.strs)+n > cap(d.strs) {
		d.strs = make([]string, 0, max(n, 4096))
	}
	start := len(d.strs)
	d.strs = d.strs[:start+n]
	return d.strs[start : start+n : start+n]
}

func (d *decoder) strList() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	out := d.list(n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *decoder) optInt() *int {
	if !d.bool() {
		return nil
	}
	v := d.int()
	return &v
}

// maskedList reads a list of masked strings, as offsets into the masked
// area (decoded once, before the rules).
func (d *decoder) maskedList(present bool) []string {
	n := d.count()
	if !present {
		return nil
	}
	out := d.list(n)
	for i := range out {
		off, l := d.int(), d.int()
		if off+l > len(d.masked) || off < 0 || l < 0 {
			d.fail("masked string")
			return nil
		}
		out[i] = d.masked[off : off+l]
	}
	return out
}

func (d *decoder) allowlist(a *Allowlist) {
	a.Description = d.str()
	a.Condition = Condition(d.int())
	hasCommits := d.bool()
	commits := d.strList()
	if hasCommits {
		a.Commits = make(map[string]struct{}, len(commits))
		for _, c := range commits {
			a.Commits[c] = struct{}{}
		}
	}
	a.RegexTarget = d.str()
	a.StopWords = d.strList()
	a.paths.src = d.str()
	a.regexes.src = d.str()
	hasPaths := d.bool()
	a.pathList = d.strList()
	if hasPaths && a.pathList == nil {
		a.pathList = []string{}
	}
}

func (d *decoder) rule(r *Rule, als []Allowlist) {
	r.ID = d.str()
	r.Description = d.str()
	r.Regex = d.str()
	if hasPath, path := d.bool(), d.str(); hasPath {
		re, err := regexp.Compile(path)
		if err != nil {
			d.fail("rule " + r.ID + ": path")
			return
		}
		r.Path = re
	}
	r.SecretGroup = d.int()
	if d.off+8 > len(d.s) {
		d.fail("entropy")
		return
	}
	r.Entropy = math.Float64frombits(binary.LittleEndian.Uint64([]byte(d.s[d.off : d.off+8])))
	d.off += 8
	r.Keywords = d.strList()
	r.Tags = d.strList()
	if n := d.count(); n > 0 {
		r.Allowlists = make([]*Allowlist, n)
		for i := range r.Allowlists {
			k := d.int()
			if k >= len(als) {
				d.fail("allowlist index")
				return
			}
			r.Allowlists[i] = &als[k]
		}
	}
	if n := d.count(); n > 0 {
		r.Required = make([]Required, n)
		for i := range r.Required {
			r.Required[i] = Required{RuleID: d.str(), WithinLines: d.optInt(), WithinColumns: d.optInt()}
		}
	}
	r.SkipReport = d.bool()
	r.Validate = d.str()
	r.Examples = d.maskedList(d.bool())
	r.Negatives = d.maskedList(d.bool())
	r.Origin = d.str()
	r.Provider = d.str()
	r.Severity = d.str()
	r.Docs = d.str()
	r.Revoke = d.str()
}

// decodePrecompiled decodes data (appendPrecompiled's output). The set's
// strings refer into data, which must not change.
func decodePrecompiled(data string) (*precompiled, error) {
	d := &decoder{s: data}
	if len(data) < len(precompiledMagic) || data[:len(precompiledMagic)] != precompiledMagic {
		return nil, fmt.Errorf("%w: magic", ErrPrecompiled)
	}
	d.off = len(precompiledMagic)
	if d.off+4 > len(data) {
		return nil, fmt.Errorf("%w: header", ErrPrecompiled)
	}
	maskedLen := int(binary.LittleEndian.Uint32([]byte(data[d.off : d.off+4])))
	d.off += 4
	if maskedLen > len(data)-d.off {
		return nil, fmt.Errorf("%w: masked area", ErrPrecompiled)
	}
	unmasked := []byte(data[d.off : d.off+maskedLen])
	const mask8 = exampleMask * 0x0101010101010101
	i := 0
	for ; i+8 <= len(unmasked); i += 8 {
		binary.LittleEndian.PutUint64(unmasked[i:], binary.LittleEndian.Uint64(unmasked[i:])^mask8)
	}
	for ; i < len(unmasked); i++ {
		unmasked[i] ^= exampleMask
	}
	d.masked = unsafe.String(unsafe.SliceData(unmasked), len(unmasked))
	d.off += maskedLen

	s := &Set{Title: d.str(), Description: d.str(), Path: d.str()}
	p := &precompiled{set: s, gitleaksRules: d.int(), gitleaksAllowlists: d.int()}
	als := make([]Allowlist, d.count())
	for i := range als {
		d.allowlist(&als[i])
	}
	if n := d.count(); n > 0 {
		s.Allowlists = make([]*Allowlist, n)
		for i := range s.Allowlists {
			k := d.int()
			if k >= len(als) {
				d.fail("allowlist index")
				break
			}
			s.Allowlists[i] = &als[k]
		}
	}
	nrules := d.count()
	rs := make([]Rule, nrules)
	s.Rules = make([]*Rule, nrules)
	for i := range rs {
		d.rule(&rs[i], als)
		s.Rules[i] = &rs[i]
		if d.err != nil {
			return nil, d.err
		}
	}
	if d.err == nil && d.off != len(data) {
		d.fail("trailing bytes")
	}
	if d.err != nil {
		return nil, d.err
	}
	if p.gitleaksRules > len(s.Rules) || p.gitleaksAllowlists > len(s.Allowlists) {
		return nil, fmt.Errorf("%w: gitleaks counts", ErrPrecompiled)
	}
	return p, nil
}
