package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// TestOPMLImportStreamsTheBody sends a list of 20,000 feeds, each outline
// padded to about 900 bytes with an attribute Scout ignores, through a pipe
// (a chunked body of about 18 MB). Halfway through, the first half must
// already be imported, and the heap the server holds must be a fraction of
// what it has received (under half): a body read whole first would hold all
// of it, and the import would not start before its end.
func TestOPMLImportStreamsTheBody(t *testing.T) {
	if testing.Short() {
		t.Skip("imports a list of 20,000 feeds; left out by -short")
	}
	e := newEnv(t, func(o *Options) { o.MaxBodyBytes = 2 << 20 }) // the list may be 32 MiB
	u := e.mustUser("ada@example.org", false)
	const n = 20000
	pad := strings.Repeat("x", 800)
	// Every 50th feed is created; the others are refused before the
	// database (ftp), which keeps the test quick under the race detector
	// while the list keeps its size.
	const every = 50
	feedURL := func(i int) string {
		if i%every == 0 {
			return fmt.Sprintf("https://f%d.example.org/feed", i)
		}
		return fmt.Sprintf("ftp://f%d.example.org/feed", i)
	}
	outline := func(i int) string {
		return fmt.Sprintf(`<outline type="rss" text="Feed %d" description="%s" xmlUrl="%s"/>`+"\n", i, pad, feedURL(i))
	}
	pr, pw := io.Pipe()
	sent := make(chan error, 1)
	var before, half runtime.MemStats
	go func() {
		sent <- func() error {
			if _, err := io.WriteString(pw, `<?xml version="1.0"?><opml version="2.0"><head><title>big</title></head><body>`); err != nil {
				return err
			}
			for i := range n {
				if i == n/2 {
					if err := waitForSource(e, n/every/2-10); err != nil { // the 190th created, outline 9,450
						return err
					}
					runtime.GC()
					runtime.ReadMemStats(&half)
				}
				if _, err := io.WriteString(pw, outline(i)); err != nil {
					return err
				}
			}
			_, err := io.WriteString(pw, "</body></opml>")
			return err
		}()
		pw.Close()
	}()
	runtime.GC()
	runtime.ReadMemStats(&before)
	r := e.postOPML(u.token, pr)
	if err := <-sent; err != nil {
		t.Fatalf("sending the list: %v", err)
	}
	wantStatus(t, r, http.StatusOK, "a list of 20,000 feeds")
	var rep struct {
		Created, Existing, Errors int
		Results                   []ImportResult
		Stopped                   string
	}
	r.json(t, &rep)
	if rep.Created != n/every || rep.Existing != 0 || rep.Errors != n-n/every || len(rep.Results) != n || rep.Stopped != "" {
		t.Fatalf("created %d, existing %d, errors %d, %d results, stopped %q", rep.Created, rep.Existing, rep.Errors, len(rep.Results), rep.Stopped)
	}
	for _, i := range []int{0, n / 2, n - every} {
		res := rep.Results[i]
		s, err := e.st.GetSource(bg, res.SourceID)
		if want := feedURL(i); err != nil || res.Status != "created" || res.URL != want || s.URL != want || res.Title != fmt.Sprintf("Feed %d", i) {
			t.Errorf("result %d = %+v, source %+v, %v; want %s created", i, res, s, err, want)
		}
	}
	if res := rep.Results[n-1]; res.Status != "error" || res.URL != feedURL(n-1) || res.Error == "" {
		t.Errorf("last result = %+v, want %s refused", res, feedURL(n-1))
	}
	received := int64(n/2) * int64(len(outline(n/2)))
	grown := int64(half.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("heap after %d of %d outlines (%d KB received): %+d KB", n/2, n, received>>10, grown>>10)
	// The report of the outlines so far and the set of URLs seen stay (about
	// 250 bytes an outline); a body read whole would add all it received.
	if grown > received/2 {
		t.Errorf("the heap grew by %d bytes after %d bytes of the list were received: the body is held, not streamed", grown, received)
	}
}

// postOPML sends body, of any length, to POST /v1/opml; a body that is no
// *strings.Reader or *bytes.Reader is sent chunked, as it comes.
func (e *env) postOPML(token string, body io.Reader) resp {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/v1/opml", body)
	req.Header.Set("Content-Type", "text/x-opml")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.read(http.MethodPost, "/v1/opml", res)
}

// waitForSource waits until source id exists, as long as sources keep coming: the
// import creates sources while their list is still arriving.
func waitForSource(e *env, id int64) error {
	// Sources get consecutive ids. However slow the machine, an import that
	// streams keeps creating them; one that reads the body whole first
	// creates none before the body ends, so only a stall fails.
	const stall = 30 * time.Second
	next, progress := int64(1), time.Now()
	for {
		_, err := e.st.GetSource(bg, next)
		switch {
		case err == nil:
			if next >= id {
				return nil
			}
			next, progress = next+1, time.Now()
			continue
		case !errors.Is(err, scout.ErrNotFound):
			return err
		case time.Since(progress) > stall:
			return fmt.Errorf("source %d was not created while the list was still being sent (none new for %v after source %d): is the body read whole first?", id, stall, next-1)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestOPMLImportReportsABrokenOrOversizedStream checks the answers to a
// body that breaks: a problem naming what broke when nothing was imported,
// else the imported outlines and where it stopped.
func TestOPMLImportReportsABrokenOrOversizedStream(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.MaxBodyBytes = 1024 }) // lists up to 16 KiB
	u := e.mustUser("ada@example.org", false)
	post := func(body io.Reader) resp { return e.postOPML(u.token, body) }
	chunked := func(s string) io.Reader { return io.MultiReader(strings.NewReader(s)) } // no length: sent chunked

	r := post(chunked(`<opml><body>` + strings.Repeat(" ", 20<<10) + `</body></opml>`))
	wantStatus(t, r, http.StatusRequestEntityTooLarge, "a chunked list over the limit")
	if p := r.problem(t); !strings.Contains(p.Detail, "16384 bytes") {
		t.Errorf("problem = %s", r.raw)
	}
	r = post(chunked(`<opml><body><outline xmlUrl="https://a.example/f"/>` + strings.Repeat(" ", 20<<10) + `</body></opml>`))
	wantStatus(t, r, http.StatusOK, "a list that passes the limit after one feed")
	var rep struct {
		Created int
		Results []ImportResult
		Stopped string
	}
	r.json(t, &rep)
	if rep.Created != 1 || len(rep.Results) != 1 || rep.Results[0].URL != "https://a.example/f" || !strings.Contains(rep.Stopped, "16384 bytes") {
		t.Errorf("report = %s", r.raw)
	}
	r = post(chunked(`<opml><body><outline xmlUrl="https://b.example/f"/><outline xmlUrl=https://c.example/f/></body></opml>`))
	wantStatus(t, r, http.StatusOK, "a list whose XML breaks after one feed")
	r.json(t, &rep)
	if rep.Created != 1 || !strings.Contains(rep.Stopped, "malformed XML on line 1") {
		t.Errorf("report = %s", r.raw)
	}
	r = post(chunked(`<html><body>not a list</body></html>`))
	wantStatus(t, r, http.StatusUnprocessableEntity, "an HTML page")
	if p := r.problem(t); !strings.Contains(strings.ToLower(p.Detail), "opml") {
		t.Errorf("problem = %s", r.raw)
	}
	var list []map[string]any
	if err := json.Unmarshal(e.do(http.MethodGet, "/v1/sources", u.token, nil).raw, &struct{ Sources *[]map[string]any }{&list}); err != nil || len(list) != 2 {
		t.Errorf("sources after the broken lists = %v, %v; want the two imported", list, err)
	}
}

// lockedBuffer is a log destination the server and the test share.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestOPMLImportLogsItsProgressAndItsEnd(t *testing.T) {
	var logs lockedBuffer
	e := newEnv(t, func(o *Options) {
		o.Logger, o.ProgressEvery = slog.New(slog.NewTextHandler(&logs, nil)), -1 // a line per outline
	})
	u := e.mustUser("ada@example.org", false)
	doc := `<opml version="2.0"><body><outline xmlUrl="https://a.example/f"/><outline xmlUrl="ftp://b.example/f"/></body></opml>`
	wantStatus(t, e.do(http.MethodPost, "/v1/opml", u.token, doc), http.StatusOK, "import")
	for _, want := range []string{
		fmt.Sprintf(`msg="importing OPML" done_bytes=\d+ total_bytes=%d percent=\d+ per_second=[\d.]+ (eta=\S+ )?user_id=%d created=1 existing=0 errors=0`, len(doc), u.ID),
		fmt.Sprintf(`msg="importing OPML" done_bytes=\d+ total_bytes=%d percent=\d+ per_second=[\d.]+ (eta=\S+ )?user_id=%d created=1 existing=0 errors=1`, len(doc), u.ID),
		fmt.Sprintf(`msg="imported OPML" done_bytes=%d took=\S+ user_id=%d created=1 existing=0 errors=1 stopped=""`, len(doc), u.ID),
	} {
		if !regexp.MustCompile(want).MatchString(logs.String()) {
			t.Errorf("no log line matches %s in:\n%s", want, logs.String())
		}
	}
}
