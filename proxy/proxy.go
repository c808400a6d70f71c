package proxy

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/leakguard/leakguard/hooks"
	"github.com/leakguard/leakguard/scanner/redact"
)

// Recorder takes audit events; *hooks.Audit is one.
type Recorder interface {
	Record(hooks.AuditEvent) error
}

// DefaultMaxBody bounds a request body the proxy reads to scan (the
// providers' own limits are 32 MB and below).
const DefaultMaxBody = 64 << 20

// DefaultMaxOutputScan bounds how much of one response's text is kept to
// be scanned for secrets the model wrote.
const DefaultMaxOutputScan = 4 << 20

// Options tune a Proxy.
type Options struct {
	// Upstream, when set, receives every request (its path prefixes the
	// request's); otherwise each provider's public endpoint does.
	Upstream *url.URL
	// Transport sends requests upstream; nil means a clone of
	// http.DefaultTransport (certificates verified against the system's
	// roots, or SSL_CERT_FILE).
	Transport http.RoundTripper
	// AllowUnscanned forwards a body that could not be scanned (too large,
	// not JSON, an unknown Content-Encoding) instead of failing the request:
	// a body that is text but not JSON is redacted as text, one past
	// MaxBody or in an unknown encoding goes as it is. Every such request is
	// an audit "error" line.
	AllowUnscanned bool
	// MaxBody bounds a request body; 0 means DefaultMaxBody.
	MaxBody int64
	// MaskOutput replaces secrets in the model's output too (streamed text
	// is then released line by line); by default they are only flagged.
	MaskOutput bool
	// MaxOutputScan bounds the text of one response kept for scanning; 0
	// means DefaultMaxOutputScan.
	MaxOutputScan int
	// Audit receives one event per request that changed and per response
	// with a secret in it; nil records nothing.
	Audit Recorder
	// Log receives one line per request that failed or was changed, never
	// a secret; nil discards them.
	Log io.Writer
}

// Proxy is an http.Handler. It is safe for concurrent use.
type Proxy struct {
	red      *redact.Redactor
	opts     Options
	rp       *httputil.ReverseProxy
	sessions sessions
}

// Errors of configuration.
var (
	ErrInsecureUpstream = errors.New("proxy: upstream is not https (use --insecure-upstream for a local stand-in)")
	ErrRemoteListen     = errors.New("proxy: listen address is not loopback (use --allow-remote to bind it)")
)

// CheckUpstream parses an upstream URL and refuses a non-TLS one unless
// insecure is set.
func CheckUpstream(raw string, insecure bool) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("proxy: upstream %q is not an http(s) URL", raw)
	}
	if u.Scheme != "https" && !insecure {
		return nil, fmt.Errorf("%w: %s", ErrInsecureUpstream, raw)
	}
	return u, nil
}

// CheckListen refuses an address that is not on a loopback interface
// unless remote is set. A host name other than localhost is refused too.
func CheckListen(addr string, remote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("proxy: listen address %q: %w", addr, err)
	}
	if remote {
		return nil
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrRemoteListen, addr)
}

// New returns a Proxy that redacts with red. red's Replace is ignored (the
// proxy sets its own per request).
func New(red *redact.Redactor, opts Options) *Proxy {
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.MaxOutputScan <= 0 {
		opts.MaxOutputScan = DefaultMaxOutputScan
	}
	if opts.Transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		opts.Transport = t
	}
	px := &Proxy{red: red, opts: opts}
	px.rp = &httputil.ReverseProxy{
		Rewrite:        px.rewrite,
		Transport:      opts.Transport,
		ModifyResponse: px.modifyResponse,
		ErrorHandler:   px.upstreamError,
		ErrorLog:       nil,
	}
	return px
}

// call is what the proxy knows about one request.
type call struct {
	provider Provider
	target   *url.URL
	agent    string
	session  string
	path     string
	start    time.Time
}

type callKey struct{}

func callOf(ctx context.Context) *call {
	c, _ := ctx.Value(callKey{}).(*call)
	return c
}

// ServeHTTP scans and forwards one request.
func (px *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, ok := Route(r)
	if !ok {
		px.fail(w, r, OpenAI, http.StatusNotFound, fmt.Sprintf("leakguard proxy: %s %s is no model API it knows (Anthropic /v1/messages, OpenAI /v1/chat/completions and /v1/responses, Gemini /v1beta/models/...:generateContent)", r.Method, r.URL.Path), nil)
		return
	}
	target, err := px.target(p)
	if err != nil {
		px.fail(w, r, p, http.StatusInternalServerError, "leakguard proxy: "+err.Error(), nil)
		return
	}
	c := &call{provider: p, target: target, agent: agentName(r), path: r.URL.Path, start: time.Now()}
	if r.Body != nil && r.Body != http.NoBody {
		body, status, err := px.scanRequest(r, c)
		if err != nil {
			px.fail(w, r, p, status, "leakguard proxy: "+err.Error()+"; the request was not forwarded", c)
			return
		}
		if body != nil {
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.ContentLength = int64(len(body))
			r.Header.Del("Content-Encoding")
			r.Header.Del("Transfer-Encoding")
		}
	}
	px.rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), callKey{}, c)))
}

// scanRequest reads and redacts the body. It returns the body to forward
// (nil: forward r.Body as it is, only with AllowUnscanned), or the status
// and error that fail the request.
func (px *Proxy) scanRequest(r *http.Request, c *call) ([]byte, int, error) {
	var buf bytes.Buffer
	if r.ContentLength > 0 && r.ContentLength <= px.opts.MaxBody {
		buf.Grow(int(r.ContentLength) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(io.LimitReader(r.Body, px.opts.MaxBody+1))
	raw := buf.Bytes()
	if err != nil {
		return nil, http.StatusBadRequest, fmt.Errorf("read request body: %w", err)
	}
	if int64(len(raw)) > px.opts.MaxBody {
		err := fmt.Errorf("request body is larger than %d bytes, too large to scan", px.opts.MaxBody)
		if px.opts.AllowUnscanned {
			px.unscanned(c, r, err)
			r.Body = struct {
				io.Reader
				io.Closer
			}{io.MultiReader(bytes.NewReader(raw), r.Body), r.Body}
			return nil, 0, nil
		}
		return nil, http.StatusRequestEntityTooLarge, err
	}
	body := raw
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err == nil {
			body, err = io.ReadAll(io.LimitReader(zr, px.opts.MaxBody+1))
		}
		if err == nil && int64(len(body)) > px.opts.MaxBody {
			err = fmt.Errorf("larger than %d bytes once decompressed", px.opts.MaxBody)
		}
		if err != nil {
			return px.cannotScan(c, r, raw, http.StatusBadRequest, fmt.Errorf("gzip request body: %w", err))
		}
	default:
		return px.cannotScan(c, r, raw, http.StatusUnsupportedMediaType, fmt.Errorf("request body has Content-Encoding %q, which it cannot scan", enc))
	}
	c.session = sessionID(r, body)
	rp := px.sessions.begin(c.session)
	red := *px.red
	red.Replace = rp.replace
	out, n, err := red.JSON(body)
	if err != nil {
		if !px.opts.AllowUnscanned {
			return nil, http.StatusBadRequest, fmt.Errorf("request body is not valid JSON (%v)", errors.Unwrap(err))
		}
		px.unscanned(c, r, fmt.Errorf("request body is not JSON: redacted as text"))
		out, n = red.Text(body)
	}
	if n == 0 {
		// A gzipped body goes on decompressed (the caller drops its
		// Content-Encoding), whatever its length.
		return body, 0, nil
	}
	rules, fps := rp.lists()
	px.record(hooks.AuditEvent{Hook: "proxy:" + c.path, Decision: hooks.DecisionRedacted, Agent: true, AgentName: c.agent,
		Session: c.session, RuleIDs: rules, Fingerprints: fps})
	px.logf("redacted %d secret(s) in %s %s (%s)", n, r.Method, c.path, strings.Join(rules, ", "))
	return out, 0, nil
}

// cannotScan fails a body it cannot read, or with AllowUnscanned forwards
// it as it came.
func (px *Proxy) cannotScan(c *call, r *http.Request, raw []byte, status int, err error) ([]byte, int, error) {
	if !px.opts.AllowUnscanned {
		return nil, status, err
	}
	px.unscanned(c, r, err)
	r.Body = io.NopCloser(bytes.NewReader(raw))
	r.ContentLength = int64(len(raw))
	return nil, 0, nil
}

func (px *Proxy) unscanned(c *call, r *http.Request, err error) {
	px.record(hooks.AuditEvent{Hook: "proxy:" + c.path, Decision: hooks.DecisionError, Agent: true, AgentName: c.agent,
		Session: c.session, Error: err.Error() + " (forwarded: --on-error allow)"})
	px.logf("%s %s: %v (forwarded: --on-error allow)", r.Method, c.path, err)
}

func (px *Proxy) rewrite(pr *httputil.ProxyRequest) {
	c := callOf(pr.In.Context())
	pr.SetURL(c.target)
	// Let the transport ask for gzip and decompress it, so that responses
	// can be scanned.
	pr.Out.Header.Del("Accept-Encoding")
}

func (px *Proxy) upstreamError(w http.ResponseWriter, r *http.Request, err error) {
	c := callOf(r.Context())
	status := http.StatusBadGateway
	if errors.Is(err, context.DeadlineExceeded) {
		status = http.StatusGatewayTimeout
	}
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return // the agent went away
	}
	px.fail(w, r, c.provider, status, fmt.Sprintf("leakguard proxy: upstream %s: %v", c.target.Host, err), c)
}

// fail answers an error in the provider's shape, and audits it.
func (px *Proxy) fail(w http.ResponseWriter, r *http.Request, p Provider, status int, msg string, c *call) {
	ev := hooks.AuditEvent{Hook: "proxy:" + r.URL.Path, Decision: hooks.DecisionError, Agent: true, AgentName: agentName(r), Error: msg}
	if c != nil {
		ev.Session = c.session
	}
	px.record(ev)
	px.logf("%s %s: %d %s", r.Method, r.URL.Path, status, msg)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Leakguard-Error", "1")
	w.WriteHeader(status)
	w.Write(errorBody(p, status, msg))
}

func (px *Proxy) record(ev hooks.AuditEvent) {
	if px.opts.Audit == nil {
		return
	}
	if err := px.opts.Audit.Record(ev); err != nil {
		px.logf("audit: %v", err)
	}
}

func (px *Proxy) logf(format string, a ...any) {
	if px.opts.Log != nil {
		fmt.Fprintf(px.opts.Log, "leakguard proxy: "+format+"\n", a...)
	}
}

func sortStrings(s []string) { slices.Sort(s) }
