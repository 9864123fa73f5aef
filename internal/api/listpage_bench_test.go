package api

import (
	"bufio"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/extract"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/store/sqlite"
)

// BenchmarkListPage lists the newest page of 50 from a store of realistic
// items, one step at a time, so that a profile can say which step a page's
// cost is in: the store (query, scan, decode), the DTOs, the JSON of the
// page, and the whole request through the handler. The items are the
// extraction dev set's posts, two to an item (about 1.3 KB of text and
// 1.6 KB of HTML), run through extraction as ingestion runs them, so they
// carry provenance, key dates and funding; three in four have the summary
// their text gives, which the store derives on read. SCOUT_BENCH_ITEMS sets
// how many are stored (2,000 by default, small enough for callgrind), and
// SCOUT_BENCH_DB a file to keep them in between runs.
// Run: go test ./internal/api -run '^$' -bench ListPage -benchmem
// Instructions per page: the same under
// GODEBUG=asyncpreemptoff=1 GOMAXPROCS=1 valgrind --tool=callgrind,
// at two -benchtime counts, subtracted.
func BenchmarkListPage(b *testing.B) {
	e, u := seedListPage(b, benchItemCount(b))
	// The filter the list handler passes: provenance as stored where it can.
	f := store.ItemFilter{Viewer: store.Viewer{UserID: u.ID}, Now: e.h.now(), ProvenanceJSON: true, PageRequest: store.PageRequest{Limit: 50}}
	page, err := e.st.ListItems(bg, f)
	if err != nil || len(page.Items) != 50 {
		b.Fatalf("page of %d: %v", len(page.Items), err)
	}
	now := e.h.now()
	body := ItemListOutputBody{Items: mapSlice(page.Items, func(it scout.Item) Item { return itemDTO(it, now) }), Next: page.Next}
	b.Run("store", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := e.st.ListItems(bg, f); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("dto", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = mapSlice(page.Items, func(it scout.Item) Item { return itemDTO(it, now) })
		}
	})
	b.Run("json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := jsonFormat.Marshal(io.Discard, body); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("handler", func(b *testing.B) { benchGet(b, e, u.token, "/v1/items?limit=50") })
}

// benchItemCount is SCOUT_BENCH_ITEMS, 2,000 when unset.
func benchItemCount(b *testing.B) int {
	s := os.Getenv("SCOUT_BENCH_ITEMS")
	if s == "" {
		return 2000
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 51 {
		b.Fatalf("SCOUT_BENCH_ITEMS=%q: want a count above 50", s)
	}
	return n
}

// devPost is one post of the extraction dev set.
type devPost struct {
	Title string    `json:"title"`
	Text  string    `json:"text"`
	Cats  []string  `json:"cats"`
	Pub   time.Time `json:"pub"`
}

func readDevPosts(tb testing.TB) []devPost {
	tb.Helper()
	f, err := os.Open("../extract/testdata/eval/dev/dev.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []devPost
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var p devPost
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			tb.Fatal(err)
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil || len(out) < 2 {
		tb.Fatalf("dev set: %d posts, %v", len(out), err)
	}
	return out
}

// listPageItem is item j of the list benchmark: dev posts j and j+1 as one
// post, extracted as of the first post's date. Items j and j+len(posts)
// read the same text, so their extraction is done once, in done.
func listPageItem(posts []devPost, done map[int]scout.Item, j int, published time.Time) scout.Item {
	k := j % len(posts)
	it, ok := done[k]
	if !ok {
		p, q := posts[k], posts[(k+1)%len(posts)]
		text := p.Text + "\n\n" + q.Text
		var body strings.Builder
		for _, para := range strings.Split(text, "\n\n") {
			body.WriteString("<p>" + html.EscapeString(para) + "</p>\n")
		}
		it = scout.Item{Title: p.Title, ContentHTML: body.String(), ContentText: text, Categories: p.Cats, PublishedAt: p.Pub}
		if k%4 == 0 {
			it.Summary = p.Title + ": " + strings.SplitN(p.Text, "\n", 2)[0]
		} else {
			it.Summary = scout.TextSummary(text)
		}
		extract.Rules{}.Enrich(&it)
		done[k] = it
	}
	it.GUID = fmt.Sprintf("lp-%d", j)
	it.URL, it.ContentHash, it.PublishedAt = "https://funders.example.net/calls/"+it.GUID, it.GUID, published
	return it
}

// seedListPage stores n list-benchmark items in a private source, 500 to a
// fetch, and returns the store with their owner. With SCOUT_BENCH_DB set
// the store is that SQLite file, seeded on first use and read as it is
// after, so that runs compared under callgrind do the same setup.
func seedListPage(b *testing.B, n int) (*env, user) {
	b.Helper()
	const email = "bench@example.org"
	e, u, ok := benchEnv(b, email)
	if ok {
		return e, u
	}
	posts := readDevPosts(b)
	u = e.mustUser(email, false)
	src := e.mustSource(u.ID, "https://funders.example.net/feed.xml", scout.VisibilityPrivate)
	start := e.now.Add(-time.Duration(n) * time.Minute)
	const batch = 500
	done := map[int]scout.Item{}
	for i := 0; i < n; i += batch {
		items := make([]scout.Item, 0, batch)
		for j := i; j < min(i+batch, n); j++ {
			items = append(items, listPageItem(posts, done, j, start.Add(time.Duration(j)*time.Minute)))
		}
		e.mustItems(src, items...)
	}
	return e, u
}

// benchEnv is the environment of a benchmark over a seeded store: with
// SCOUT_BENCH_DB set, that SQLite file (migrated first), else a fresh one.
// ok says the store was seeded already: it holds a user of that email, whom
// u is, with a fresh token.
func benchEnv(b *testing.B, email string) (e *env, u user, ok bool) {
	b.Helper()
	var opts []envOption
	if path := os.Getenv("SCOUT_BENCH_DB"); path != "" {
		st, err := sqlite.Open(bg, sqlite.Options{Path: path})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		if err := st.Migrate(bg); err != nil {
			b.Fatal(err)
		}
		opts = append(opts, func(o *Options) { o.Store = st })
	}
	e = newEnv(b, opts...)
	got, err := e.st.GetUserByEmail(bg, email)
	if err != nil {
		return e, user{}, false
	}
	pair, err := e.auth.IssueTokens(got, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	return e, user{User: got, token: pair.Access}, true
}
