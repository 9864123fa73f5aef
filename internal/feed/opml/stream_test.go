package opml

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// streamURLs returns the feed URLs Stream emits, and its error.
func streamURLs(doc []byte, maxOutlines int) ([]string, error) {
	var urls []string
	err := Stream(bytes.NewReader(doc), 0, maxOutlines, func(o Outline) error {
		urls = append(urls, o.XMLURL)
		return nil
	})
	return urls, err
}

func TestStreamEmitsWhatReadReturns(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.opml"))
	if err != nil || len(paths) == 0 {
		t.Fatal("no fixtures", err)
	}
	for _, p := range paths {
		doc, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		read, readErr := Read(bytes.NewReader(doc), 0, 0)
		streamed, streamErr := streamURLs(doc, 0)
		if (readErr == nil) != (streamErr == nil) {
			t.Errorf("%s: Read error %v, Stream error %v", p, readErr, streamErr)
			continue
		}
		if readErr != nil {
			continue
		}
		var want []string
		for _, o := range read {
			want = append(want, o.XMLURL)
		}
		if strings.Join(streamed, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: Stream emitted\n%v\nRead returned\n%v", p, streamed, want)
		}
	}
}

func TestStreamHandlesListsLongerThanReadAllows(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<opml version="2.0"><body>`)
	const n = 12000
	for i := range n {
		fmt.Fprintf(&b, `<outline text="f%d" xmlUrl="https://f%d.example.org/feed"/>`, i, i)
	}
	b.WriteString(`<outline xmlUrl="https://f1.example.org/feed"/></body></opml>`)
	urls, err := streamURLs([]byte(b.String()), 20000)
	if err != nil || len(urls) != n {
		t.Fatalf("%d feeds, %v; want %d once each", len(urls), err, n)
	}
	urls, err = streamURLs([]byte(b.String()), 100)
	if !errors.Is(err, ErrTooManyFeeds) || len(urls) != 100 {
		t.Fatalf("over the limit: %d feeds emitted, %v", len(urls), err)
	}
}

func TestStreamStopsAtEmitErrorsAndKeepsWhatCameBefore(t *testing.T) {
	doc := []byte(`<opml><body><outline xmlUrl="https://a.example/f"/><outline xmlUrl="https://b.example/f"/><outline xmlUrl="https://c.example/f"/></body></opml>`)
	stop := errors.New("stop here")
	n := 0
	err := Stream(bytes.NewReader(doc), 0, 0, func(Outline) error {
		if n++; n == 2 {
			return stop
		}
		return nil
	})
	if err != stop || n != 2 {
		t.Fatalf("err %v after %d feeds, want emit's own error after 2", err, n)
	}
	urls, err := streamURLs([]byte(`<opml><body><outline xmlUrl="https://a.example/f"/><outline xmlUrl="https://b.example/f"`), 0)
	if !errors.Is(err, ErrMalformed) || len(urls) != 1 {
		t.Fatalf("a truncated document: %v after %v", err, urls)
	}
}
