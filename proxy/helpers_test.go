package proxy

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/leakguard/leakguard/detectors"
	"github.com/leakguard/leakguard/hooks"
	"github.com/leakguard/leakguard/internal/fake"
	"github.com/leakguard/leakguard/rules"
	"github.com/leakguard/leakguard/scanner"
	"github.com/leakguard/leakguard/scanner/redact"
)

var (
	detOnce sync.Once
	det     *detectors.Detector
	detErr  error
)

func testRedactor(t testing.TB) *redact.Redactor {
	t.Helper()
	detOnce.Do(func() {
		set, err := rules.Default()
		if err != nil {
			detErr = err
			return
		}
		det, detErr = detectors.Compile(set, detectors.DefaultOptions())
	})
	if detErr != nil {
		t.Fatal(detErr)
	}
	return &redact.Redactor{Scanner: scanner.New(det, scanner.Options{Workers: 1, Filter: scanner.Filter{KeepMarked: true}})}
}

func fakeGitHubToken(seed int64) string { return fake.GitHubPAT(seed) }

// memAudit keeps audit events in memory.
type memAudit struct {
	mu  sync.Mutex
	evs []hooks.AuditEvent
}

func (m *memAudit) Record(ev hooks.AuditEvent) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.evs = append(m.evs, ev)
	return nil
}

func (m *memAudit) events() []hooks.AuditEvent {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]hooks.AuditEvent(nil), m.evs...)
}

// upstream is a TLS stand-in that records request bodies and answers with
// handle.
type upstream struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []string
	paths  []string
}

func newUpstream(t *testing.T, handle http.HandlerFunc) *upstream {
	t.Helper()
	u := &upstream{}
	u.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		if r.Body != nil {
			buf := make([]byte, 32<<10)
			for {
				n, err := r.Body.Read(buf)
				b.Write(buf[:n])
				if err != nil {
					break
				}
			}
		}
		u.mu.Lock()
		u.bodies = append(u.bodies, b.String())
		u.paths = append(u.paths, r.URL.RequestURI())
		u.mu.Unlock()
		if handle != nil {
			handle(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(u.Close)
	return u
}

func (u *upstream) got() []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]string(nil), u.bodies...)
}

// newTestProxy runs a proxy in front of up and returns its URL.
func newTestProxy(t *testing.T, up *upstream, opts Options) (*Proxy, string) {
	t.Helper()
	u, err := url.Parse(up.URL)
	if err != nil {
		t.Fatal(err)
	}
	opts.Upstream = u
	opts.Transport = up.Client().Transport
	px := New(testRedactor(t), opts)
	srv := httptest.NewServer(px)
	t.Cleanup(srv.Close)
	return px, srv.URL
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}
