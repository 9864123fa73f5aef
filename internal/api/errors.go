package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/scoutdev/scout/internal/auth"
	"github.com/scoutdev/scout/internal/fetch"
	"github.com/scoutdev/scout/internal/scout"
)

// problemBase starts every problem type URI. A problem's type is
// problemBase plus a stable name (the same name for the same kind of
// problem in every release), so clients branch on it instead of on titles or
// details:
//
//	bad-request            400 the request cannot be read (malformed JSON, bad cursor)
//	unauthenticated        401 missing, malformed, expired or revoked credentials
//	forbidden              403 authenticated, but not allowed (scope, role, ownership of a visible source)
//	not-found              404 no such resource, or one the caller may not see
//	method-not-allowed     405
//	conflict               409 a duplicate (same feed URL, same e-mail)
//	body-too-large         413 the body exceeds the server's limit
//	unsupported-media-type 415
//	validation             422 input breaks a rule; errors[].location names the field
//	rate-limited           429 too many requests; wait Retry-After seconds
//	internal               500 a server fault; the detail is generic and the cause is logged
//	unavailable            503 a dependency (the database) does not answer
const problemBase = "https://scout.dev/problems/"

var problemNames = map[int]string{
	http.StatusBadRequest:            "bad-request",
	http.StatusUnauthorized:          "unauthenticated",
	http.StatusForbidden:             "forbidden",
	http.StatusNotFound:              "not-found",
	http.StatusMethodNotAllowed:      "method-not-allowed",
	http.StatusNotAcceptable:         "not-acceptable",
	http.StatusConflict:              "conflict",
	http.StatusRequestEntityTooLarge: "body-too-large",
	http.StatusUnsupportedMediaType:  "unsupported-media-type",
	http.StatusUnprocessableEntity:   "validation",
	http.StatusTooManyRequests:       "rate-limited",
	http.StatusInternalServerError:   "internal",
	http.StatusServiceUnavailable:    "unavailable",
}

// problemType returns the type URI of a status.
func problemType(status int) string {
	if name, ok := problemNames[status]; ok {
		return problemBase + name
	}
	return problemBase + "http-" + strconv.Itoa(status)
}

// genericDetail is all a client learns about a server fault.
const genericDetail = "Internal error. It has been logged; try again later."

// problemTransformer stamps every problem document with its type and, as a
// last line of defence, strips anything but the generic detail from 5xx
// answers, so no driver message or SQL reaches a client even if a handler
// forgot to call problem.
func (h *Handler) problemTransformer(ctx huma.Context, _ string, v any) (any, error) {
	e, ok := v.(*huma.ErrorModel)
	if !ok {
		return v, nil
	}
	if e.Type == "" || e.Type == "about:blank" {
		e.Type = problemType(e.Status)
	}
	if e.Status >= 500 && e.Status != http.StatusServiceUnavailable {
		e.Detail, e.Errors = genericDetail, nil
	}
	return e, nil
}

// queryFields are the input names that arrive as query parameters; every
// other field a store or domain error names is in the body.
var queryFields = map[string]bool{"cursor": true, "q": true, "sort": true, "limit": true}

// problem maps an error from the domain, the store or the fetch client to a
// problem document. It is the only place where error kinds become statuses.
// Anything unrecognized is logged and answered with a generic 500.
func (h *Handler) problem(ctx context.Context, err error) error {
	var fe *scout.FieldError
	var se huma.StatusError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &se):
		return err // already a problem (from a handler's own check)
	case errors.As(err, &fe):
		loc := "body." + fe.Field
		if queryFields[fe.Field] {
			loc = "query." + fe.Field
		}
		return huma.Error422UnprocessableEntity("validation failed", &huma.ErrorDetail{Location: loc, Message: fe.Message})
	case errors.Is(err, scout.ErrInvalid):
		return huma.Error422UnprocessableEntity(userMessage(err))
	case errors.Is(err, auth.ErrBusy):
		return tooMany(time.Second)
	case errors.Is(err, fetch.ErrBlockedAddress):
		return huma.Error422UnprocessableEntity("validation failed",
			&huma.ErrorDetail{Location: "body.url", Message: "points to an address Scout may not fetch (private, loopback or link-local); an operator may allow it with SCOUT_FETCH_ALLOW"})
	case errors.Is(err, scout.ErrNotFound):
		return huma.Error404NotFound("not found")
	case errors.Is(err, scout.ErrConflict):
		return huma.Error409Conflict("already exists")
	case errors.Is(err, scout.ErrForbidden):
		return huma.Error403Forbidden("not allowed")
	case errors.Is(err, scout.ErrUnauthenticated):
		return huma.Error401Unauthorized("invalid or missing credentials")
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return huma.NewError(http.StatusServiceUnavailable, "the request was cancelled or timed out")
	}
	h.log.LogAttrs(ctx, slog.LevelError, "request failed", slog.Any("err", err))
	return huma.Error500InternalServerError(genericDetail)
}

// userMessage returns the innermost message of an invalid-input error that
// carries no field: domain and OPML errors are worded for people.
func userMessage(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && strings.HasPrefix(msg, "discover") {
		msg = msg[i+2:]
	}
	return msg
}

// notFoundErr is the answer for any source or item the caller may not see:
// the same as for one that does not exist, so existence does not leak.
func notFoundErr(what string) error { return huma.Error404NotFound(what + " not found") }

// tooMany is a 429 with Retry-After in whole seconds.
func tooMany(wait time.Duration) error {
	secs := max(1, int((wait+time.Second-1)/time.Second))
	hdr := http.Header{}
	hdr.Set("Retry-After", strconv.Itoa(secs))
	return huma.ErrorWithHeaders(huma.NewError(http.StatusTooManyRequests, "too many requests; retry after "+strconv.Itoa(secs)+"s"), hdr)
}
