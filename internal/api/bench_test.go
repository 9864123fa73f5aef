package api

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/auth"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/testdb"
)

// benchWords make item texts varied enough for search to have to choose.
var benchWords = []string{"film", "music", "dance", "poetry", "theatre", "photography", "games", "podcast", "design", "journalism"}

// seedItems stores n items in batches, as fetches would, and returns a token
// of their owner.
func seedItems(b *testing.B, n int) (*env, string) {
	b.Helper()
	e := newEnv(b)
	u := e.mustUser("bench@example.org", false)
	src := e.mustSource(u.ID, "https://example.org/bench", scout.VisibilityPrivate)
	start := time.Now().Add(-time.Duration(n) * time.Minute)
	const batch = 1000
	for i := 0; i < n; i += batch {
		items := make([]scout.Item, 0, batch)
		for j := i; j < min(i+batch, n); j++ {
			w1, w2 := benchWords[j%len(benchWords)], benchWords[(j/7)%len(benchWords)]
			it := grantItem(fmt.Sprintf("b%d", j), fmt.Sprintf("%s grant %d for %s artists", w1, j, w2), start.Add(time.Duration(j)*time.Minute))
			it.ContentText = fmt.Sprintf("Open call %d: a %s award supporting %s work. Deadline in spring.", j, w1, w2)
			it.Entities = nil
			items = append(items, it)
		}
		e.mustItems(src, items...)
	}
	return e, u.token
}

func benchGet(b *testing.B, e *env, token, path string) {
	b.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkListItems lists the newest 50 of 50,000 items through the whole
// handler: authentication, rate limit, the query, JSON encoding.
func BenchmarkListItems(b *testing.B) {
	e, token := seedItems(b, 50000)
	benchGet(b, e, token, "/v1/items?limit=50")
}

// BenchmarkSearchItems runs a two-word full-text search ranked by relevance.
func BenchmarkSearchItems(b *testing.B) {
	e, token := seedItems(b, 50000)
	benchGet(b, e, token, "/v1/items?limit=50&q=film+music&sort=relevance")
}

// BenchmarkSearchItemsNewest runs the same search in published order.
func BenchmarkSearchItemsNewest(b *testing.B) {
	e, token := seedItems(b, 50000)
	benchGet(b, e, token, "/v1/items?limit=50&q=poetry")
}

// BenchmarkStats answers the dashboard over 50,000 items through the whole
// handler, computing the numbers on every request (uncached, as with
// SCOUT_STATS_TTL=0s) and then from the stats cache (cached), in one run
// over one store so that the two compare.
func BenchmarkStats(b *testing.B) {
	e, token := seedItems(b, 50000)
	cache := newStatsCache(time.Minute, e.h.computeStats, e.h.now, e.h.log)
	b.Run("uncached", func(b *testing.B) {
		e.h.stats = nil
		benchGet(b, e, token, "/v1/stats")
	})
	b.Run("cached", func(b *testing.B) {
		e.h.stats = cache
		benchGet(b, e, token, "/v1/stats")
	})
}

// BenchmarkImportOPMLBody posts a list of 20,000 outlines padded to about
// 900 bytes each (18 MB) whose feeds are all refused before the database,
// so that what it measures is the handling of the body: the bytes
// allocated per import and the largest heap in use while it runs (sampled
// every millisecond), as peak-heap-MB.
func BenchmarkImportOPMLBody(b *testing.B) {
	e := newEnv(b, func(o *Options) { o.MaxBodyBytes = 2 << 20 })
	u := e.mustUser("bench@example.org", false)
	var doc bytes.Buffer
	doc.WriteString(`<opml version="2.0"><body>`)
	pad := strings.Repeat("x", 800)
	for i := range 20000 {
		fmt.Fprintf(&doc, `<outline text="Feed %d" description="%s" xmlUrl="ftp://f%d.example.org/feed"/>`+"\n", i, pad, i)
	}
	doc.WriteString(`</body></opml>`)
	body := doc.Bytes()
	var peak atomic.Uint64
	stop := make(chan struct{})
	defer close(stop)
	runtime.GC()
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		}
	}()
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/v1/opml", bytes.NewReader(body))
		req.Header.Set("Content-Type", "text/x-opml")
		req.Header.Set("Authorization", "Bearer "+u.token)
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %.500s", rec.Code, rec.Body)
		}
	}
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
}

// BenchmarkSessionToken answers GET /v1/me for an access token of a login
// session, whose session is checked against the store: once per
// auth.DefaultSessionCheckTTL (cached) or on every request (uncached);
// a token outside any session (none) is not checked, as every access
// token was before sessions were checked.
func BenchmarkSessionToken(b *testing.B) {
	for _, bc := range []struct {
		name string
		ttl  time.Duration
	}{{"cached", 0}, {"uncached", -1}, {"none", 0}} {
		b.Run(bc.name, func(b *testing.B) {
			st := testdb.SQLite(b, nil)
			au, err := auth.New(st, auth.Options{Secret: testSecret, SessionCheckTTL: bc.ttl})
			if err != nil {
				b.Fatal(err)
			}
			e := newEnv(b, func(o *Options) { o.Store, o.Auth = st, au })
			u, err := st.CreateUser(bg, scout.User{Email: "bench@example.org", Name: "bench"})
			if err != nil {
				b.Fatal(err)
			}
			pair, err := au.StartSession(bg, u, auth.SessionMeta{})
			if bc.name == "none" {
				pair, err = au.IssueTokens(u, time.Now())
			}
			if err != nil {
				b.Fatal(err)
			}
			benchGet(b, e, pair.Access, "/v1/me")
		})
	}
}
