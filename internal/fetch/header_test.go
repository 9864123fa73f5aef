package fetch

import (
	"net/http"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		name, value string
		want        time.Duration
	}{
		{"absent", "", 0},
		{"seconds", "120", 2 * time.Minute},
		{"zero seconds", "0", 0},
		{"negative seconds", "-5", 0},
		{"http date in the future", now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{"http date in the past", now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{"capped", "999999999999", time.Hour},
		{"capped date", now.Add(48 * time.Hour).Format(http.TimeFormat), time.Hour},
		{"garbage", "soon", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.value != "" {
				h.Set("Retry-After", tt.value)
			}
			if got := retryAfter(h, now, time.Hour); got != tt.want {
				t.Errorf("retryAfter(%q) = %v, want %v", tt.value, got, tt.want)
			}
		})
	}
}

func TestMaxAge(t *testing.T) {
	date := now.Format(http.TimeFormat)
	tests := []struct {
		name    string
		headers map[string]string
		want    time.Duration
	}{
		{"absent", nil, 0},
		{"max-age", map[string]string{"Cache-Control": "public, max-age=3600"}, time.Hour},
		{"quoted max-age", map[string]string{"Cache-Control": `max-age="60"`}, time.Minute},
		{"upper case", map[string]string{"Cache-Control": "Max-Age=60"}, time.Minute},
		{"max-age wins over expires", map[string]string{"Cache-Control": "max-age=60", "Expires": now.Add(time.Hour).Format(http.TimeFormat)}, time.Minute},
		{"no-cache", map[string]string{"Cache-Control": "no-cache, max-age=60"}, 0},
		{"bad max-age", map[string]string{"Cache-Control": "max-age=soon"}, 0},
		{"huge max-age", map[string]string{"Cache-Control": "max-age=99999999999999999"}, maxMaxAge},
		{"expires against date", map[string]string{"Date": date, "Expires": now.Add(30 * time.Minute).Format(http.TimeFormat)}, 30 * time.Minute},
		{"expires without date", map[string]string{"Expires": now.Add(10 * time.Minute).Format(http.TimeFormat)}, 10 * time.Minute},
		{"expired", map[string]string{"Expires": "0"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.headers {
				h.Set(k, v)
			}
			if got := maxAge(h, now); got != tt.want {
				t.Errorf("maxAge(%v) = %v, want %v", tt.headers, got, tt.want)
			}
		})
	}
}
