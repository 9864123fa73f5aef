package fetch

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxMaxAge bounds a Cache-Control or Expires hint; anything longer is a
// server's way of saying "forever", and a year is forever enough.
const maxMaxAge = 365 * 24 * time.Hour

// retryAfter reads Retry-After as delay-seconds or an HTTP date, relative to
// now, clamped to [0, limit]. It returns 0 when absent or unreadable.
func retryAfter(h http.Header, now time.Time, limit time.Duration) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		return clamp(seconds(secs), limit)
	}
	if t, err := http.ParseTime(v); err == nil {
		return clamp(t.Sub(now), limit)
	}
	return 0
}

// maxAge reads the freshness lifetime from Cache-Control max-age, else from
// Expires (relative to the response's Date, else now). It returns 0 when
// absent, unreadable, or when the response may not be cached.
func maxAge(h http.Header, now time.Time) time.Duration {
	cc := strings.ToLower(strings.Join(h.Values("Cache-Control"), ","))
	for d := range strings.SplitSeq(cc, ",") {
		name, val, _ := strings.Cut(strings.TrimSpace(d), "=")
		switch strings.TrimSpace(name) {
		case "no-store", "no-cache":
			return 0
		case "max-age":
			secs, err := strconv.ParseInt(strings.Trim(strings.TrimSpace(val), `"`), 10, 64)
			if err != nil {
				return 0
			}
			return clamp(seconds(secs), maxMaxAge)
		}
	}
	return expires(h, now)
}

func expires(h http.Header, now time.Time) time.Duration {
	exp, err := http.ParseTime(h.Get("Expires"))
	if err != nil {
		return 0
	}
	if date, err := http.ParseTime(h.Get("Date")); err == nil {
		now = date
	}
	return clamp(exp.Sub(now), maxMaxAge)
}

// seconds converts without overflowing: huge values saturate.
func seconds(n int64) time.Duration {
	if n > math.MaxInt64/int64(time.Second) {
		return math.MaxInt64
	}
	return time.Duration(n) * time.Second
}

func clamp(d, limit time.Duration) time.Duration {
	return max(0, min(d, limit))
}
