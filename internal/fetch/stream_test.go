package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"
)

// TestAStreamedBodyIsReadAsItArrivesWithinItsOwnCaps serves bodies larger
// than MaxBody to a Request with Stream set: they pass up to
// MaxStreamBody, and past it, compressed or not, they fail as too large,
// as a slow one fails as a timeout, whatever the reader makes of it.
func TestAStreamedBodyIsReadAsItArrivesWithinItsOwnCaps(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(bytes.Repeat([]byte("x"), 64<<10))
	_ = zw.Close()
	srv := mustServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big":
			n, _ := strconv.Atoi(r.URL.Query().Get("n"))
			_, _ = w.Write(bytes.Repeat([]byte("y"), n))
		case "/bomb":
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(gz.Bytes())
		case "/slow":
			_, _ = w.Write([]byte("start"))
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(3 * time.Second):
			}
		}
	})
	c := mustClient(t, Options{Allow: []string{hostPort(srv)}, MaxBody: 1 << 10, MaxStreamBody: 32 << 10,
		Timeout: 5 * time.Second, StreamTimeout: 200 * time.Millisecond})
	count := func(n *int64) func(*Response, io.Reader) error {
		return func(_ *Response, body io.Reader) error {
			m, err := io.Copy(io.Discard, body)
			*n = m
			return err
		}
	}
	var n int64
	resp, err := c.Get(context.Background(), Request{URL: srv.URL + "/big?n=20000", Stream: count(&n)})
	if err != nil || n != 20000 || resp.Body != nil || resp.Bytes != 20000 {
		t.Fatalf("20,000 bytes streamed: read %d, resp %+v, err %v", n, resp, err)
	}
	if _, err := c.Get(context.Background(), Request{URL: srv.URL + "/big?n=20000"}); Classify(err) != "too_large" {
		t.Fatalf("the same body read whole over MaxBody: %v", err)
	}
	for _, path := range []string{"/big?n=40000", "/bomb"} {
		if _, err := c.Get(context.Background(), Request{URL: srv.URL + path, Stream: count(&n)}); Classify(err) != "too_large" {
			t.Errorf("%s: %v (%s), want too_large", path, err, Classify(err))
		}
	}
	// A reader that swallows the body's failure still fails the Get.
	swallow := func(_ *Response, body io.Reader) error {
		_, _ = io.Copy(io.Discard, body)
		return nil
	}
	if _, err := c.Get(context.Background(), Request{URL: srv.URL + "/bomb", Stream: swallow}); Classify(err) != "too_large" {
		t.Errorf("bomb read by a reader ignoring errors: %v", err)
	}
	if _, err := c.Get(context.Background(), Request{URL: srv.URL + "/slow", Stream: swallow}); Classify(err) != "timeout" {
		t.Errorf("slow: %v (%s), want timeout", err, Classify(err))
	}
	// The reader's own error comes back as it is.
	mine := errors.New("not an extract")
	if _, err := c.Get(context.Background(), Request{URL: srv.URL + "/big?n=10", Stream: func(*Response, io.Reader) error { return mine }}); err != mine {
		t.Errorf("reader's error = %v", err)
	}
}
