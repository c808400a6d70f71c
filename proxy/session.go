package proxy

import (
	"crypto/sha256"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/leakguard/leakguard/scanner/redact"
)

// agentName is the product of the request's User-Agent ("claude-cli" of
// "claude-cli/2.0.1 (external, cli)"), or "".
func agentName(r *http.Request) string {
	ua := strings.TrimSpace(r.Header.Get("User-Agent"))
	if i := strings.IndexAny(ua, "/ "); i >= 0 {
		ua = ua[:i]
	}
	return ua
}

// sessionHeaders carry an agent's session id: Claude Code's, Codex's, and
// generic ones.
var sessionHeaders = []string{"X-Claude-Code-Session-Id", "Session_id", "Session-Id", "X-Session-Id", "Conversation_id"}

// sessionInBody finds Claude Code's session in metadata.user_id
// ("user_<hash>_account_<uuid>_session_<uuid>", or JSON holding
// "session_id").
var sessionInBody = regexp.MustCompile(`session_?(?:id\\?"\s*:\s*\\?")?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})`)

// sessionID is the agent's session id for a request, or "" when it does
// not say.
func sessionID(r *http.Request, body []byte) string {
	for _, h := range sessionHeaders {
		if v := r.Header.Get(h); v != "" {
			return v
		}
	}
	// metadata sits near the start or the end of a Messages request; look
	// at a bounded part of it.
	const look = 64 << 10
	head, tail := body, []byte(nil)
	if len(body) > 2*look {
		head, tail = body[:look], body[len(body)-look:]
	}
	for _, b := range [][]byte{head, tail} {
		if m := sessionInBody.FindSubmatch(b); m != nil {
			return string(m[1])
		}
	}
	return ""
}

// sessions keeps, per session, the placeholder each secret was given first,
// so that a secret keeps its placeholder across the turns of a session even
// where another rule finds it. It holds SHA-256 digests, never secrets, and
// forgets the oldest sessions past a bound.
type sessions struct {
	mu    sync.Mutex
	byID  map[string]map[[32]byte]string
	order []string
}

const (
	maxSessions          = 256
	maxSecretsPerSession = 4096
)

func (s *sessions) placeholders(id string) map[[32]byte]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byID == nil {
		s.byID = map[string]map[[32]byte]string{}
	}
	m, ok := s.byID[id]
	if !ok {
		if len(s.order) >= maxSessions {
			delete(s.byID, s.order[0])
			s.order = s.order[1:]
		}
		m = map[[32]byte]string{}
		s.byID[id] = m
		s.order = append(s.order, id)
	}
	return m
}

// replacements records what one message had replaced, and chooses each
// placeholder through the session's map.
type replacements struct {
	sess  *sessions
	id    string
	rules map[string]bool
	seen  map[string]bool // placeholders
}

func (s *sessions) begin(id string) *replacements {
	return &replacements{sess: s, id: id, rules: map[string]bool{}, seen: map[string]bool{}}
}

// replace is a redact.Redactor Replace function.
func (rp *replacements) replace(ruleID, secret string) string {
	sum := sha256.Sum256([]byte(secret))
	m := rp.sess.placeholders(rp.id)
	rp.sess.mu.Lock()
	ph, ok := m[sum]
	if !ok {
		ph = redact.Placeholder(ruleID, secret)
		if len(m) < maxSecretsPerSession {
			m[sum] = ph
		}
	}
	rp.sess.mu.Unlock()
	rp.rules[ruleID] = true
	rp.seen[ph] = true
	return ph
}

func (rp *replacements) any() bool { return len(rp.seen) > 0 }

func (rp *replacements) lists() (rules, fingerprints []string) {
	return sortedKeys(rp.rules), sortedKeys(rp.seen)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}
