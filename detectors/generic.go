package detectors

import (
	"bytes"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/leakguard/leakguard/rules"
)

// The precision stage of generic rules (those whose id contains
// "generic": gitleaks' generic-api-key and leakguard's assignment rules).
// A generic rule knows a secret only by the name it is assigned to, so its
// match is judged by that name (the key) and by whether the value is a
// literal at all. It runs in the validation stage, so gitleaks' own results
// are untouched when validation is off (the superset contract).
//
//   - The key must say secret in a word of its own: "token", "secret",
//     "password", "credential", "auth", an API, access, private or signing
//     "key"... (APIY inside a random base32 string says nothing). A key
//     that says sha, hash, commit, digest, checksum, integrity or uuid, or
//     that ends in id, name, type, url, path and the like, names or
//     locates a secret rather than holding it.
//   - A hash-shaped value (40, 64 or 128 hex digits, a UUID) is a secret
//     only when its key says so plainly; "key" alone (first_key, cacheKey)
//     is not enough.
//   - The value must be a literal: quoted, or a token-shaped bare word.
//     An identifier, a field, a call, a reference (&x, *x), a
//     concatenation ("+x+") or a format string is code. In source files
//     (Go, JS/TS, Python, Java...) an unquoted identifier is always code.
//   - A quoted value made of dictionary-like words (encryptionKey1024) is
//     an identifier in a string, unless its key names a password, whose
//     values are words.

// notSecretShapes are values that are hashes or identifiers whatever their
// key: subresource integrity and go.sum hashes.
var notSecretShapes = lazyRegexp(`^(?:sha(?:256|384|512)-[A-Za-z0-9+/]{40,}={0,2}|h1:[A-Za-z0-9+/]{43}=)$`)

// exampleUUID is the UUID that documentation uses as its example.
var exampleUUID = lazyRegexp(`^123e4567-e89b-12d3-a456-426614174000$`)

// nameShapes are names, not values: URNs and WebDAV state tokens
// (urn:uuid:..., DAV:no-lock, opaquelocktoken:...).
var nameShapes = lazyRegexp(`^(?:urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:|DAV:|opaquelocktoken:)`)

// hashShapes are values shaped as a content hash or a UUID: secrets only
// under a key that says so.
var hashShapes = lazyRegexp(`^(?:` +
	`[0-9a-f]{40}|[0-9A-F]{40}|[0-9a-f]{64}|[0-9A-F]{64}|[0-9a-f]{128}|[0-9A-F]{128}` +
	`|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}` +
	`)$`)

// genericNotSecret reports whether generic match m of data is not a secret
// (see above). t says which file data comes from.
func genericNotSecret(data []byte, t Target, m *Match) bool {
	if !m.Rule.IsGeneric() {
		return false
	}
	secret := data[m.SecretStart:m.SecretEnd]
	if bytes.HasPrefix(secret, []byte("data:")) || notSecretShapes().Match(secret) || nameShapes().Match(secret) {
		return true
	}
	before := data[m.Start:m.SecretStart]
	key, end := keyWords(before)
	k := classifyKey(key)
	// "key0", "0123456789abcdef": a list or the arguments of a call, not
	// an assignment (gitleaks' generic rule takes ',' for an operator).
	listPair := end >= 0 && bytes.IndexByte(before[end:], ',') >= 0 && !bytes.ContainsAny(before[end:], "=:")
	switch {
	case k == keyNamesSecret:
		return true
	case k == keyNoSecretWord:
		return true
	case hashShapes().Match(secret) && (k != keyStrong || listPair || exampleUUID().Match(secret)):
		return true
	case listPair && k == keyWeak:
		return true
	}
	return codeValue(data, t, m, key)
}

func lineStartOf(data []byte, i int) int {
	return bytes.LastIndexByte(data[:i], '\n') + 1
}

// Key classes.
const (
	keyNone         = iota // no key found before the value
	keyWeak                // a secret word that is often not one: "key", "api", "access"
	keyStrong              // token, secret, password, credential, auth, API/access/private key...
	keyNoSecretWord        // a key whose keyword is inside another word
	keyNamesSecret         // a key that names, counts or hashes a secret
)

// secretWordRE matches a key word that says secret, alone or ending a
// compound written in one case (dbpassword, authtoken).
var secretWordRE = lazyRegexp(`^[a-z]*(?:token|secret|passw(?:or)?d|pwd|pass|passphrase|credentials?|creds|auth|authori[sz]ation|signature|apikey|accesskey|privatekey|secretkey|signingkey|masterkey|clientsecret)s?$`)

// weakWords say secret only with a qualifier.
var weakWords = map[string]bool{"key": true, "keys": true, "api": true, "access": true}

// keyQualifiers make "key" a secret's name: api key, private key...
var keyQualifiers = map[string]bool{
	"api": true, "access": true, "secret": true, "private": true, "signing": true, "encryption": true,
	"master": true, "license": true, "licence": true, "client": true, "auth": true, "session": true,
	"app": true, "service": true, "account": true, "shared": true, "hmac": true, "aes": true,
	"subscription": true, "admin": true, "deploy": true, "write": true, "read": true, "sign": true,
	"consumer": true, "customer": true, "user": true, "dev": true, "prod": true, "live": true,
}

// hashWords anywhere in a key make it name a digest or an identifier.
var hashWords = map[string]bool{
	"sha": true, "sha1": true, "sha256": true, "sha384": true, "sha512": true, "md5": true,
	"hash": true, "hashes": true, "hashed": true, "commit": true, "digest": true, "checksum": true,
	"integrity": true, "uuid": true, "guid": true,
}

// lastNotSecret, ending a key, make it name, count or describe a secret.
// (A url or a header can hold one: DATABASE_URL, auth-header.)
var lastNotSecret = map[string]bool{
	"id": true, "ids": true, "name": true, "names": true, "type": true, "types": true,
	"path": true, "file": true, "filename": true, "length": true, "len": true,
	"count": true, "size": true, "hint": true, "version": true, "prefix": true, "format": true,
	"mode": true, "field": true, "label": true, "policy": true,
	"expiry": true, "expires": true, "ttl": true, "env": true, "var": true,
	// a lexer's token kinds: {token.FLOAT, "0123456789e+10"}
	"float": true, "number": true, "int": true, "integer": true, "string": true, "bool": true,
	"ident": true, "char": true,
}

// tokenQualifiers make "token" a syntax or paging token, not a credential.
var tokenQualifiers = map[string]bool{
	"stylesheet": true, "css": true, "page": true, "next": true, "prev": true, "continuation": true,
	"cursor": true, "sync": true, "lexer": true, "parser": true, "syntax": true,
}

// keyWords returns the words of the key that precedes a value: the last
// name in before that holds a secret-like or a hash-like word fragment,
// split at case changes, digits and punctuation, lower-cased; and where
// that name ends in before (-1 when there is none).
func keyWords(before []byte) (words []string, end int) {
	names := keyNameRE().FindAllIndex(before, -1)
	for i := len(names) - 1; i >= 0; i-- {
		name := before[names[i][0]:names[i][1]]
		if keyFragmentRE().Match(name) {
			return splitWords(string(name)), names[i][1]
		}
	}
	return nil, -1
}

var (
	keyNameRE     = lazyRegexp(`[A-Za-z0-9_$.-]+`)
	keyFragmentRE = lazyRegexp(`(?i)pass|pwd|secret|token|key|auth|api|cred|access|sha|hash|commit|digest|checksum|integrity|uuid|signature`)
)

// splitWords splits an identifier into lower-case words: at punctuation,
// between a lower-case letter and an upper-case one, between letters and
// digits, and before the last capital of an acronym followed by a word
// (HTTPServer: http, server). Digit runs are dropped.
func splitWords(s string) []string {
	var out []string
	var cur []byte
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isLower(c):
			if len(cur) > 1 && isUpper(cur[len(cur)-1]) && isUpper(cur[len(cur)-2]) {
				last := cur[len(cur)-1]
				cur = cur[:len(cur)-1]
				flush()
				cur = append(cur, last)
			} else if len(cur) > 0 && isDigit(cur[len(cur)-1]) {
				flush()
			}
			cur = append(cur, c)
		case isUpper(c):
			if len(cur) > 0 && !isUpper(cur[len(cur)-1]) {
				flush()
			}
			cur = append(cur, c)
		case isDigit(c):
			if len(cur) > 0 && !isDigit(cur[len(cur)-1]) {
				// sha256, md5, base64: digits that end a word are part of it.
				w := strings.ToLower(string(cur))
				if w == "sha" || w == "md" || w == "base" {
					cur = append(cur, c)
					continue
				}
				flush()
			}
			cur = append(cur, c)
		default:
			flush()
		}
	}
	flush()
	words := out[:0]
	for _, w := range out {
		if !isDigit(w[0]) {
			words = append(words, w)
		}
	}
	return words
}

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// classifyKey says what a key's words say of its value.
func classifyKey(words []string) int {
	if len(words) == 0 {
		return keyNone
	}
	for _, w := range words {
		if hashWords[w] {
			return keyNamesSecret
		}
	}
	if lastNotSecret[words[len(words)-1]] {
		return keyNamesSecret
	}
	class := keyNoSecretWord
	for i, w := range words {
		switch {
		case secretWordRE().MatchString(w):
			if (w == "token" || w == "tokens") && i > 0 && tokenQualifiers[words[i-1]] {
				return keyNamesSecret
			}
			return keyStrong
		case weakWords[w]:
			if (w == "key" || w == "keys") && i > 0 && keyQualifiers[words[i-1]] {
				return keyStrong
			}
			if w == "api" && i+1 < len(words) && (words[i+1] == "key" || words[i+1] == "keys") {
				return keyStrong
			}
			class = keyWeak
		case strings.HasSuffix(w, "key") || strings.HasSuffix(w, "keys"):
			// A compound in one case: monkey, hotkey, but also
			// encryptionkey; treated as the weak "key".
			class = keyWeak
		}
	}
	return class
}

// sourceExts are languages in which an unquoted value is never a string
// literal.
var sourceExts = map[string]bool{
	".go": true, ".js": true, ".mjs": true, ".cjs": true, ".jsx": true, ".ts": true, ".tsx": true,
	".mts": true, ".cts": true, ".py": true, ".java": true, ".kt": true, ".kts": true, ".scala": true,
	".groovy": true, ".cs": true, ".rs": true, ".c": true, ".h": true, ".cc": true, ".cpp": true,
	".hpp": true, ".swift": true, ".rb": true, ".php": true, ".dart": true, ".lua": true,
	".vue": true, ".svelte": true,
}

var (
	identRE = lazyRegexp(`^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$`)
	callRE  = lazyRegexp(`^[A-Za-z_$][\w$.]*\(`)
	refRE   = lazyRegexp(`^(?:[&*]|!!?)[A-Za-z_$(]`)
	// yg.Signature=yg.Envelope=void: a chained assignment
	chainRE      = lazyRegexp(`^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*=[A-Za-z_$]`)
	formatRE     = lazyRegexp(`%[sdv](?:[^A-Za-z0-9]|$)|%\([A-Za-z_]+\)[sd]|\{[0-9]?\}`)
	concatEndsRE = lazyRegexp(`^(?:\+|\.\s*\$)|\+$`)
	// @VAR, as template files write a variable to fill in
	templateVarRE = lazyRegexp(`^@[A-Z][A-Z0-9_]*@?$`)
	// credentials[ (the rule's value stopped at the quote of a subscript)
	subscriptRE = lazyRegexp(`^[A-Za-z_$][\w$.]*\[$`)
)

// codeValue reports whether m's value is code rather than a literal.
func codeValue(data []byte, t Target, m *Match, key []string) bool {
	s := string(data[m.SecretStart:m.SecretEnd])
	var before, after byte
	if m.SecretStart > 0 {
		before = data[m.SecretStart-1]
	}
	if m.SecretEnd < len(data) {
		after = data[m.SecretEnd]
	}
	if formatRE().MatchString(s) {
		return true
	}
	quoted := before == '"' || before == '\'' || before == '`'
	if quoted {
		switch {
		case concatEndsRE().MatchString(s):
			inner := strings.Trim(s, "+. $")
			return identRE().MatchString(inner) || callRE().MatchString(inner)
		case strings.IndexByte("),]};", s[0]) >= 0:
			// The text between two string literals: "...password: "),E=n.limit...
			return true
		case classifyKey(key) == keyWeak && pathOfWords(s):
			return true // api: "interop/uiDuplicatesApi"
		}
		return wordish(s) && !passwordKey(key)
	}
	if refRE().MatchString(s) || chainRE().MatchString(s) || callRE().MatchString(s) || after == '(' || templateVarRE().MatchString(s) || subscriptRE().MatchString(s) {
		return true
	}
	bare := strings.TrimRight(s, ",;.")
	if !identRE().MatchString(bare) {
		return false
	}
	switch {
	case bare != s: // x, ending a struct literal field, a statement or a sentence
		return true
	case sourceExts[strings.ToLower(path.Ext(t.Path))]:
		return true
	case strings.Contains(bare, "."):
		return dottedFields(bare)
	case len(key) > 0 && subsetOf(splitWords(bare), key):
		return true // Token: token, earlySecret: earlySecret
	}
	return lowerCamel(bare)
}

// pathOfWords reports whether s is a path of words (interop/card,
// components/uiButton), a module or resource name.
func pathOfWords(s string) bool {
	parts := strings.Split(s, "/")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if p == "" || strings.ContainsAny(p, "0123456789+=") {
			return false
		}
		if !wordish(p) && !(isLower(p[0]) && wordLike(strings.ToLower(p))) {
			return false
		}
	}
	return true
}

// passwordKey reports whether a key names a password, whose values are
// often made of words.
func passwordKey(key []string) bool {
	for _, w := range key {
		if strings.Contains(w, "pass") || strings.HasSuffix(w, "pwd") {
			return true
		}
	}
	return false
}

// wordish reports whether s is an identifier made of two or more
// dictionary-like words and digits: encryptionKey1024, NewEncapsulationKey768.
func wordish(s string) bool {
	if !identRE().MatchString(s) {
		return false
	}
	words := splitWords(s)
	if len(words) < 2 {
		return false
	}
	for _, w := range words {
		if !wordLike(w) {
			return false
		}
	}
	return true
}

// wordLike reports whether a lower-cased word could be an English word or
// an acronym in an identifier: three letters or more with a vowel, or a
// common short word.
func wordLike(w string) bool {
	if len(w) < 3 {
		return len(w) == 2 && shortWords[w]
	}
	return strings.ContainsAny(w, "aeiouy")
}

var shortWords = map[string]bool{"ec": true, "ed": true, "id": true, "io": true, "ok": true, "db": true, "to": true, "of": true, "in": true, "on": true, "is": true, "at": true, "by": true, "up": true, "no": true, "my": true}

// dottedFields reports whether s is a field path such as e.Secret or
// cfg.api_token rather than a token with dots in it (a JWT): every part is
// short or dictionary-like.
func dottedFields(s string) bool {
	for _, p := range strings.Split(s, ".") {
		if len(p) > 12 && !wordish(p) {
			return false
		}
	}
	return true
}

// lowerCamel reports whether s is a lowerCamelCase identifier of words
// (absWork, emptyPass): a variable name, not a password.
func lowerCamel(s string) bool {
	if s == "" || !isLower(s[0]) || !strings.ContainsAny(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		return false
	}
	return wordish(strings.TrimRight(s, "0123456789"))
}

func subsetOf(words, of []string) bool {
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		found := false
		for _, o := range of {
			if w == o {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// inBase64Dump reports whether a provider rule's match lies inside a line
// that is one long base64 run (a binary file dumped as base64), not at its
// start: a fragment of encoded bytes that happens to look like a token.
func inBase64Dump(data []byte, m *Match, r *rules.Rule) bool {
	if r.IsGeneric() || m.PathOnly {
		return false
	}
	ls := lineStartOf(data, m.SecretStart)
	le := bytes.IndexByte(data[m.SecretStart:], '\n')
	if le < 0 {
		le = len(data)
	} else {
		le += m.SecretStart
	}
	line := bytes.TrimRight(data[ls:le], "\r")
	if len(line) < 60 || m.SecretStart == ls || m.SecretEnd-m.SecretStart >= len(line) {
		return false
	}
	// '=' only as padding at the end: KEY=<base64> is an assignment.
	for _, c := range bytes.TrimRight(line, "=") {
		if !(isLower(c) || isUpper(c) || isDigit(c) || c == '+' || c == '/') {
			return false
		}
	}
	return true
}

// lazyRegexp compiles a pattern on first use, so that a command that never
// reaches the precision stage does not pay for it at start-up.
func lazyRegexp(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}
