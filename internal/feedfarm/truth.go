package feedfarm

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Stats are the farm's counters.
type Stats struct {
	Requests    int64 `json:"requests"`     // every request, counters and OPML included
	OK          int64 `json:"ok"`           // feed documents served with 200
	NotModified int64 `json:"not_modified"` // 304 answers
	Failed      int64 `json:"failed"`       // failing endpoints and unknown feeds
	Bytes       int64 `json:"bytes"`        // feed body bytes served
	ItemsServed int64 `json:"items_served"` // distinct items ever served (the ground truth's size)
}

// Stats returns the counters.
func (f *Farm) Stats() Stats {
	s := Stats{Requests: f.requests.Load(), OK: f.ok.Load(), NotModified: f.notModified.Load(),
		Failed: f.failed.Load(), Bytes: f.bytes.Load()}
	for i := range f.served {
		lo, hi := f.servedRange(i)
		s.ItemsServed += int64(hi - lo)
	}
	return s
}

// servedRange returns the indices [lo, hi) of the items of feed i that
// went out with a 200: from the first generation served to the last. It
// assumes the reader polled at least once every Items/RotateCount
// rotations, or items that rotated out unseen in between would be counted.
func (f *Farm) servedRange(i int) (lo, hi int) {
	g, first := f.served[i].Load(), f.first[i].Load()
	if g == 0 {
		return 0, 0
	}
	lo, _ = f.window(first - 1)
	_, hi = f.window(g - 1)
	return lo, hi
}

// Truth returns, per feed path, the GUIDs of every item the feed has ever
// served with a 200. A reader that fetched every feed while the farm ran
// must hold exactly these items.
func (f *Farm) Truth() map[string][]string {
	t := make(map[string][]string, len(f.served))
	for i := range f.served {
		lo, hi := f.servedRange(i)
		guids := make([]string, 0, hi-lo)
		for j := lo; j < hi; j++ {
			guids = append(guids, f.GUID(i, j))
		}
		t[FeedPath(i)] = guids
	}
	return t
}

func (f *Farm) serveStats(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, f.Stats())
}

func (f *Farm) serveTruth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, f.Truth())
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(v)
}

type outline struct {
	Type   string `xml:"type,attr"`
	Text   string `xml:"text,attr"`
	XMLURL string `xml:"xmlUrl,attr"`
}

// serveOPML lists every feed, failing ones included, with absolute URLs.
func (f *Farm) serveOPML(w http.ResponseWriter, r *http.Request) {
	base := "http://" + r.Host
	var doc struct {
		XMLName  xml.Name  `xml:"opml"`
		Version  string    `xml:"version,attr"`
		Title    string    `xml:"head>title"`
		Outlines []outline `xml:"body>outline"`
	}
	doc.Version, doc.Title = "2.0", "Feed farm"
	for i := range f.opts.Feeds {
		doc.Outlines = append(doc.Outlines, outline{"rss", fmt.Sprintf("Opportunities %d", i), base + FeedPath(i)})
	}
	for i := range f.opts.Failing {
		doc.Outlines = append(doc.Outlines, outline{"rss", fmt.Sprintf("Failing %d", i), fmt.Sprintf("%s/fail/%d", base, i)})
	}
	w.Header().Set("Content-Type", "text/x-opml; charset=utf-8")
	w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	enc.Encode(doc)
}

// Server is a farm listening on a TCP address.
type Server struct {
	URL string // http://host:port, no trailing slash
	srv *http.Server
}

// Start serves h (a Farm, or a handler wrapping one) on addr, e.g.
// "127.0.0.1:0", until Close.
func Start(h http.Handler, addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	s := &Server{URL: "http://" + ln.Addr().String(), srv: &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}}
	go s.srv.Serve(ln)
	return s, nil
}

// Close stops the server at once; requests in flight are cut off.
func (s *Server) Close() error { return s.srv.Close() }
