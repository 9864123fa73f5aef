package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"golang.org/x/time/rate"

	"github.com/scoutdev/scout/internal/auth"
	"github.com/scoutdev/scout/internal/scout"
)

// securityName is the OpenAPI security scheme every protected operation names.
const securityName = "bearer"

// scopeKey is the Operation.Metadata key holding the scope an operation needs.
const scopeKey = "scout-scope"

// bearer is the security requirement of protected operations.
var bearer = []map[string][]string{{securityName: {}}}

// op describes an operation that needs an authenticated caller with scope
// ("" for any authenticated caller).
func op(id, method, path, summary string, scope scout.Scope, tags ...string) huma.Operation {
	o := public(id, method, path, summary, tags...)
	o.Security = bearer
	o.Metadata = map[string]any{scopeKey: scope}
	o.Errors = append(o.Errors, http.StatusUnauthorized, http.StatusForbidden, http.StatusTooManyRequests)
	return o
}

// public describes an operation open to anonymous callers.
func public(id, method, path, summary string, tags ...string) huma.Operation {
	o := huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Tags: tags,
		Errors: []int{http.StatusUnprocessableEntity, http.StatusInternalServerError}}
	if method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch {
		o.Errors = append(o.Errors, http.StatusRequestEntityTooLarge)
	}
	return o
}

// principal returns the caller of an authenticated operation.
func principal(ctx context.Context) auth.Principal {
	p, _ := auth.FromContext(ctx)
	return p
}

// authenticate is the one middleware that enforces the security each
// operation declares: it resolves the bearer credential, applies the rate
// limit of the principal (or, on open operations, of the client address),
// and checks the scope the operation needs. Handlers below it may rely on a
// Principal with that scope being in the context.
func (h *Handler) authenticate(ctx huma.Context, next func(huma.Context)) {
	o := ctx.Operation()
	if len(o.Security) == 0 {
		if wait, ok := h.limits.allow("ip:" + clientIPFrom(ctx.Context())); !ok {
			h.writeErr(ctx, tooMany(wait))
			return
		}
		next(ctx)
		return
	}
	p, err := h.auth.Authenticate(ctx.Context(), bearerToken(ctx.Header("Authorization")))
	if err != nil {
		if !errors.Is(err, scout.ErrUnauthenticated) {
			h.writeErr(ctx, h.problem(ctx.Context(), err))
			return
		}
		ctx.SetHeader("WWW-Authenticate", `Bearer realm="scout"`)
		h.writeErr(ctx, huma.Error401Unauthorized("invalid or missing credentials"))
		return
	}
	if wait, ok := h.limits.allow(principalKey(p)); !ok {
		h.writeErr(ctx, tooMany(wait))
		return
	}
	if scope, _ := o.Metadata[scopeKey].(scout.Scope); scope != "" && !p.Can(scope) {
		h.writeErr(ctx, huma.Error403Forbidden("this credential lacks the "+string(scope)+" scope"))
		return
	}
	next(huma.WithContext(ctx, auth.WithPrincipal(ctx.Context(), p)))
}

// writeErr writes a problem from middleware, headers included.
func (h *Handler) writeErr(ctx huma.Context, err error) {
	var he huma.HeadersError
	if errors.As(err, &he) {
		for k, vs := range he.GetHeaders() {
			for _, v := range vs {
				ctx.AppendHeader(k, v)
			}
		}
	}
	var se huma.StatusError
	if !errors.As(err, &se) {
		se = huma.Error500InternalServerError(genericDetail)
	}
	var em *huma.ErrorModel
	var errs []error
	if errors.As(err, &em) {
		for _, d := range em.Errors {
			errs = append(errs, d)
		}
	}
	_ = huma.WriteErr(h.api, ctx, se.GetStatus(), se.Error(), errs...)
}

// principalKey names the rate-limit bucket of a principal: each API key has
// its own, and all sessions of a user share one.
func principalKey(p auth.Principal) string {
	if p.KeyID != 0 {
		return "key:" + itoa(p.KeyID)
	}
	return "user:" + itoa(p.UserID)
}

// bearerToken returns the credential of an "Authorization: Bearer …" header.
func bearerToken(h string) string {
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// clientIP is the address of the peer. Forwarding headers are not trusted:
// behind a proxy, limits apply per proxy unless it rewrites RemoteAddr.
func clientIP(remote string) string {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		return remote
	}
	return host
}

// ipKey is the context key of the client address.
type ipKey struct{}

// clientIPFrom returns the client address wrap stored in ctx.
func clientIPFrom(ctx context.Context) string {
	ip, _ := ctx.Value(ipKey{}).(string)
	return ip
}

// originKey is the context key of the origin a request was sent to.
type originKey struct{}

// requestOrigin is the scheme and host the client addressed, as far as the
// server can tell: behind a TLS-terminating proxy the scheme reads http, so
// set SCOUT_BASE_URL there.
func requestOrigin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if host == "" || strings.ContainsAny(host, "/?#@\\ ") || textFault(host, false) != "" {
		host = "localhost"
	}
	return scheme + "://" + host
}

// absURL is path on the server's public URL: SCOUT_BASE_URL when set, else
// the origin the request was sent to. Feed readers and calendars need
// absolute URLs.
func (h *Handler) absURL(ctx context.Context, path string) string {
	if h.baseURL != "" {
		return h.baseURL + path
	}
	origin, _ := ctx.Value(originKey{}).(string)
	if origin == "" {
		origin = "http://localhost"
	}
	return origin + path
}

// wrap adds what every response needs, API or not: security headers, the
// body limit, latency metrics by route pattern, and a problem document
// instead of a dropped connection when a handler panics.
func (h *Handler) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := h.now()
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-store")
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, h.bodyLimit(r))
		}
		ctx := context.WithValue(r.Context(), ipKey{}, clientIP(r.RemoteAddr))
		r = r.WithContext(context.WithValue(ctx, originKey{}, requestOrigin(r)))
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		if bad := h.screen(r); bad != nil {
			writeInputError(rec, bad)
			h.metrics.ObserveHTTP(r.Method, "screened", rec.status, h.now().Sub(start))
			return
		}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				h.log.LogAttrs(r.Context(), slog.LevelError, "handler panic", slog.String("route", r.Pattern), slog.Any("panic", v))
				if !rec.wrote {
					writeProblem(rec, http.StatusInternalServerError, genericDetail)
				}
			}
			route := r.Pattern
			if route == "" || route == "/" {
				route = "unmatched"
			}
			h.metrics.ObserveHTTP(r.Method, route, rec.status, h.now().Sub(start))
		}()
		next.ServeHTTP(rec, r)
	})
}

// notFound answers paths no route matches with a problem document.
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	writeProblem(w, http.StatusNotFound, "no route for "+r.Method+" "+r.URL.Path)
}

// writeProblem writes a problem document outside huma.
func writeProblem(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(huma.ErrorModel{Type: problemType(status), Title: http.StatusText(status), Status: status, Detail: detail})
}

// statusRecorder remembers the status written, for metrics.
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer (huma
// sets read deadlines through it).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// limiter is a token bucket per key. Buckets that have refilled are pruned
// when the map grows, so memory stays bounded by the number of recently
// active callers.
type limiter struct {
	mu      sync.Mutex
	buckets map[string]*rate.Limiter
	r       rate.Limit
	burst   int
	now     func() time.Time
}

// maxBuckets is the map size above which full buckets are pruned.
const maxBuckets = 10000

func newLimiter(r rate.Limit, burst int, now func() time.Time) *limiter {
	return &limiter{buckets: map[string]*rate.Limiter{}, r: r, burst: burst, now: now}
}

// allow takes a token from key's bucket, or reports how long until one is free.
func (l *limiter) allow(key string) (time.Duration, bool) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.prune(now)
		}
		b = rate.NewLimiter(l.r, l.burst)
		l.buckets[key] = b
	}
	if b.AllowN(now, 1) {
		return 0, true
	}
	res := b.ReserveN(now, 1)
	wait := res.DelayFrom(now)
	res.CancelAt(now)
	return wait, false
}

func (l *limiter) prune(now time.Time) {
	for k, b := range l.buckets {
		if b.TokensAt(now) >= float64(l.burst) {
			delete(l.buckets, k)
		}
	}
}

// idle reports whether key's bucket is full: no request used it lately.
func (l *limiter) idle(key string) bool {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	return !ok || b.TokensAt(now) >= float64(l.burst)
}

// available reports whether key's bucket has a token, without taking it,
// or how long until it has one.
func (l *limiter) available(key string) (time.Duration, bool) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		return 0, true
	}
	t := b.TokensAt(now)
	if t >= 1 {
		return 0, true
	}
	return time.Duration((1 - t) / float64(l.r) * float64(time.Second)), false
}
