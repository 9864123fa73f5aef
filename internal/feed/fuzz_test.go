package feed

import (
	"bytes"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/scoutdev/scout/internal/scout"
)

// Seeds beyond testdata/fuzz: small documents for each path through Decode.
var fuzzSeeds = []struct {
	body        string
	contentType string
}{
	{`<?xml version="1.0" encoding="iso-8859-1"?><rss><channel><item><title>caf` + "\xe9" + `</title></item></channel></rss>`, ""},
	{"\xff\xfe<\x00r\x00s\x00s\x00/\x00>\x00", ""},
	{"\xef\xbb\xbf<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>x</title></entry></feed>", "application/atom+xml; charset=utf-16"},
	{`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","content_html":"<p>x</p>"}]}`, "application/feed+json"},
	{"<!DOCTYPE html><html></html>", "text/html; charset=windows-1251"},
	{"<rss><channel><item><title>&#1;&#x0;&#xD800;&#1114112;</title></item></channel></rss>", ""},
}

func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s.body), s.contentType)
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		out, err := Decode(body, contentType)
		if err != nil {
			return
		}
		if !utf8.Valid(out) {
			t.Fatalf("Decode returned invalid UTF-8: %q", out)
		}
		if i := firstRejected(out, xmlChar); i >= 0 {
			t.Fatalf("Decode left a forbidden character at %d: %q", i, out)
		}
		if bytes.HasPrefix(out, []byte("\xef\xbb\xbf")) {
			t.Fatalf("Decode left a byte order mark: %q", out)
		}
	})
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s.body), s.contentType)
	}
	now := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	opts := Options{MaxItems: 50, MaxFieldBytes: 4096, Now: func() time.Time { return now }}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		feed, err := Parse(body, contentType, "https://example.com/feed.xml", opts)
		if err != nil {
			if Classify(err) != scout.ErrorNotAFeed && Classify(err) != scout.ErrorParse {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		if len(feed.Items) > opts.MaxItems {
			t.Fatalf("%d items, more than MaxItems", len(feed.Items))
		}
		for _, it := range feed.Items {
			checkItem(t, it, opts, now)
		}
	})
}

// checkItem asserts the invariants every normalized item keeps.
func checkItem(t *testing.T, it scout.Item, opts Options, now time.Time) {
	t.Helper()
	for name, v := range map[string]string{"guid": it.GUID, "url": it.URL, "title": it.Title, "summary": it.Summary,
		"html": it.ContentHTML, "text": it.ContentText, "author": it.Author, "image": it.ImageURL} {
		if !utf8.ValidString(v) || firstRejected([]byte(v), textChar) >= 0 {
			t.Fatalf("%s has invalid characters: %q", name, v)
		}
	}
	if len(it.ContentHTML) > opts.MaxFieldBytes || len(it.ContentText) > opts.MaxFieldBytes ||
		len(it.Title) > shortFieldBytes || len(it.GUID) > shortFieldBytes {
		t.Fatalf("a field is over its cap: html %d, text %d, title %d, guid %d",
			len(it.ContentHTML), len(it.ContentText), len(it.Title), len(it.GUID))
	}
	if it.URL != "" {
		u, err := url.Parse(it.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Fragment != "" {
			t.Fatalf("URL %q is not canonical", it.URL)
		}
	}
	if it.PublishedAt.Location() != time.UTC || it.PublishedAt.Before(earliestDate) || it.PublishedAt.After(now.Add(futureSlack)) {
		t.Fatalf("PublishedAt %v out of range", it.PublishedAt)
	}
	if strings.Contains(strings.ToLower(it.ContentHTML), "<script") {
		t.Fatalf("ContentHTML keeps a script: %q", it.ContentHTML)
	}
}

func FuzzCanonicalURL(f *testing.F) {
	for _, s := range []string{"https://Example.com:443/a?utm_source=x&b=1#f", "../x", "//h/p", "http://[::1]:80/", "HTTP://a/%zz"} {
		f.Add(s, "https://example.com/feeds/x.xml")
	}
	f.Fuzz(func(t *testing.T, raw, base string) {
		got, err := CanonicalURL(raw, base)
		if err != nil {
			return
		}
		again, err := CanonicalURL(got, "")
		if err != nil || again != got {
			t.Fatalf("CanonicalURL is not stable: %q -> %q -> %q (%v)", raw, got, again, err)
		}
	})
}
