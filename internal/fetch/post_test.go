package fetch

import (
	"context"
	"io"
	"net/http"
	"testing"
)

func TestPostSendsItsBodyWithinTheSameGuards(t *testing.T) {
	srv := mustServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || string(b) != `{"rows":25}` {
			http.Error(w, r.Method+" "+r.Header.Get("Content-Type")+" "+string(b), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":true}`))
	})
	c := mustClient(t, Options{Allow: []string{hostPort(srv)}})
	resp, err := c.Get(context.Background(), Request{URL: srv.URL, Method: http.MethodPost, Body: []byte(`{"rows":25}`)})
	if err != nil || string(resp.Body) != `{"ok":true}` {
		t.Fatalf("post = %v, %v", resp, err)
	}
	if _, err := c.Get(context.Background(), Request{URL: srv.URL, Method: http.MethodDelete}); err == nil {
		t.Fatal("a DELETE was sent")
	}
	// The guard applies to a POST as to a GET.
	blocked := mustClient(t, Options{})
	if _, err := blocked.Get(context.Background(), Request{URL: srv.URL, Method: http.MethodPost, Body: []byte(`{}`)}); Classify(err) != "blocked" {
		t.Fatalf("post to loopback without allowance: %v", err)
	}
}
