package fetch

import (
	"net/http"
	"strings"
	"testing"
)

// BenchmarkGet measures one 200 fetch of an 8 KiB feed on loopback, with
// connection reuse, as the scheduler does it.
func BenchmarkGet(b *testing.B) {
	body := []byte(strings.Repeat("<item><title>A grant</title></item>\n", 8<<10/36))
	srv := mustServer(b, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(body)
	})
	c := mustClient(b, Options{Allow: []string{hostPort(srv)}})
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := c.Get(b.Context(), Request{URL: srv.URL}); err != nil {
			b.Fatal(err)
		}
	}
}
