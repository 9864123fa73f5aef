package fetch

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// chainHandler serves /chain/<code>,<code>,...: it redirects with the first
// code to the chain of the rest, and answers 200 "final" at the empty chain.
func chainHandler(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/chain/")
	if !ok || rest == "" {
		w.Write([]byte("final"))
		return
	}
	first, rest, _ := strings.Cut(rest, ",")
	code, _ := strconv.Atoi(first)
	http.Redirect(w, r, "/chain/"+rest, code)
}

func TestGetRedirectChains(t *testing.T) {
	srv := mustServer(t, chainHandler)
	c := mustClient(t, Options{Allow: []string{hostPort(srv)}})
	final := srv.URL + "/chain/"
	tests := []struct {
		name, chain string
		permanent   string // the wanted PermanentURL
	}{
		{"no redirect", "", ""},
		{"301 chain moves the feed", "301,301,301", final},
		{"308 is permanent too", "308,301", final},
		{"302 does not move it", "302", ""},
		{"307 does not move it", "307", ""},
		{"one 302 in a chain of 301s does not", "301,302,301", ""},
		{"five redirects are allowed", "301,301,301,301,301", final},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.Get(t.Context(), Request{URL: srv.URL + "/chain/" + tt.chain})
			if err != nil {
				t.Fatal(err)
			}
			if resp.URL != final || resp.PermanentURL != tt.permanent || string(resp.Body) != "final" {
				t.Errorf("URL %q, PermanentURL %q, body %q; want %q, %q, final", resp.URL, resp.PermanentURL, resp.Body, final, tt.permanent)
			}
		})
	}
	t.Run("six redirects are too many", func(t *testing.T) {
		_, err := c.Get(t.Context(), Request{URL: srv.URL + "/chain/301,301,301,301,301,301"})
		fe := mustFetchError(t, err, scout.ErrorRedirects)
		if !strings.Contains(fe.Error(), "stopped after 5 redirects") {
			t.Errorf("message %q", fe.Error())
		}
	})
	t.Run("MaxRedirects below zero follows none", func(t *testing.T) {
		c := mustClient(t, Options{Allow: []string{hostPort(srv)}, MaxRedirects: -1})
		_, err := c.Get(t.Context(), Request{URL: srv.URL + "/chain/301"})
		mustFetchError(t, err, scout.ErrorRedirects)
	})
}

func TestGetRefusesDowngradeToHTTP(t *testing.T) {
	var plainHits atomic.Int32
	plain := mustServer(t, func(w http.ResponseWriter, r *http.Request) {
		plainHits.Add(1)
		w.Write([]byte("insecure"))
	})
	secure := mustTLSServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/down" {
			http.Redirect(w, r, plain.URL+"/feed", http.StatusMovedPermanently)
			return
		}
		w.Write([]byte("secure"))
	})
	c := mustClient(t, Options{Allow: []string{hostPort(plain), hostPort(secure)}, TLSConfig: tlsRoots(secure)})

	if resp, err := c.Get(t.Context(), Request{URL: secure.URL + "/feed"}); err != nil || string(resp.Body) != "secure" {
		t.Fatalf("https fetch with the test CA: %v", err)
	}
	_, err := c.Get(t.Context(), Request{URL: secure.URL + "/down"})
	fe := mustFetchError(t, err, scout.ErrorRedirects)
	if !strings.Contains(fe.Error(), "from https to http") || fe.URL != plain.URL+"/feed" {
		t.Errorf("error %q (URL %q), want a refused downgrade to %s/feed", fe.Error(), fe.URL, plain.URL)
	}
	if n := plainHits.Load(); n != 0 {
		t.Errorf("the http server saw %d requests, want 0", n)
	}
}

func TestAllowlistKeepsOtherAddressesBlocked(t *testing.T) {
	var hitsB atomic.Int32
	b := mustServer(t, func(w http.ResponseWriter, r *http.Request) { hitsB.Add(1) })
	a := mustServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-b":
			http.Redirect(w, r, b.URL+"/", http.StatusFound)
		case "/to-metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		case "/to-localhost-b":
			http.Redirect(w, r, "http://localhost:"+b.URL[strings.LastIndex(b.URL, ":")+1:]+"/", http.StatusFound)
		default:
			w.Write([]byte("a"))
		}
	})
	c := mustClient(t, Options{Allow: []string{hostPort(a)}})
	if _, err := c.Get(t.Context(), Request{URL: a.URL + "/"}); err != nil {
		t.Fatalf("the allowed server: %v", err)
	}
	tests := []struct {
		name, url, wantURL string
	}{
		{"another port on loopback", b.URL + "/", b.URL + "/"},
		{"a redirect to another port", a.URL + "/to-b", b.URL + "/"},
		{"a redirect to a name resolving to another port", a.URL + "/to-localhost-b", ""},
		{"a redirect to the metadata address", a.URL + "/to-metadata", "http://169.254.169.254/latest/meta-data/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Get(t.Context(), Request{URL: tt.url})
			fe := mustFetchError(t, err, scout.ErrorBlocked)
			if !errors.Is(err, ErrBlockedAddress) || !strings.Contains(fe.Error(), "blocked: ") {
				t.Errorf("error %q, want a blocked address", fe.Error())
			}
			if tt.wantURL != "" && fe.URL != tt.wantURL {
				t.Errorf("URL %q, want %q", fe.URL, tt.wantURL)
			}
		})
	}
	if n := hitsB.Load(); n != 0 {
		t.Errorf("server B saw %d requests, want 0", n)
	}
}

func TestGetBlocksNameResolvingToLoopback(t *testing.T) {
	srv := mustServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	url := "http://localhost:" + port + "/feed"

	// The URL names no address, so only the dial-time check can refuse it.
	if err := mustClient(t, Options{}).CheckURL(t.Context(), url); err != nil {
		t.Fatalf("CheckURL(%s) = %v, want nil", url, err)
	}
	_, err := mustClient(t, Options{}).Get(t.Context(), Request{URL: url})
	fe := mustFetchError(t, err, scout.ErrorBlocked)
	if !strings.Contains(fe.Error(), "is a loopback address") {
		t.Errorf("message %q", fe.Error())
	}
	// Allowing the resolved address lets the name through.
	resp, err := mustClient(t, Options{Allow: []string{hostPort(srv)}}).Get(t.Context(), Request{URL: url})
	if err != nil || string(resp.Body) != "ok" {
		t.Errorf("with 127.0.0.1:%s allowed: %v", port, err)
	}
	// So does allowing the name itself.
	resp, err = mustClient(t, Options{Allow: []string{"localhost:" + port}}).Get(t.Context(), Request{URL: url})
	if err != nil || string(resp.Body) != "ok" {
		t.Errorf("with localhost:%s allowed: %v", port, err)
	}
}

func TestGetBlocksLiteralAddressesWithoutNetwork(t *testing.T) {
	c := mustClient(t, Options{Timeout: time.Second})
	for _, url := range []string{
		"http://169.254.169.254/latest/meta-data/",
		"http://10.0.0.5/feed",
		"http://[::1]/",
		"http://127.0.0.1:1/",
		"http://[::ffff:127.0.0.1]/",
		"http://[::ffff:169.254.169.254]/",
		"http://[64:ff9b::a9fe:a9fe]/",
		"http://[2002:a9fe:a9fe::]/",
		"http://[fd00:ec2::254]/",
		"http://100.64.1.1/",
		"http://0.0.0.0/",
		"http://[fe80::1%25eth0]/",
	} {
		t.Run(url, func(t *testing.T) {
			_, err := c.Get(t.Context(), Request{URL: url})
			fe := mustFetchError(t, err, scout.ErrorBlocked)
			if !errors.Is(err, ErrBlockedAddress) {
				t.Errorf("errors.Is(%v, ErrBlockedAddress) = false", err)
			}
			t.Log(fe)
		})
	}
}
