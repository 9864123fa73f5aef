package opml

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func FuzzRead(f *testing.F) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.opml"))
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	const maxFeeds = 50
	f.Fuzz(func(t *testing.T, doc []byte) {
		got, err := Read(bytes.NewReader(doc), 64<<10, maxFeeds)
		if err != nil {
			var docErr *Error
			if !errors.As(err, &docErr) {
				t.Fatalf("reading from memory gave a non-document error %T: %v", err, err)
			}
			return
		}
		checkOutlines(t, got, maxFeeds)
		streamed, err := streamURLs(doc, maxFeeds)
		if err != nil || len(streamed) != len(got) {
			t.Fatalf("Stream emitted %d feeds (%v) where Read returned %d", len(streamed), err, len(got))
		}
		var buf bytes.Buffer
		if err := Write(&buf, "fuzz", got, time.Unix(0, 0)); err != nil {
			t.Fatalf("Write of what Read returned: %v", err)
		}
		again, err := Read(&buf, 0, 0)
		if err != nil {
			t.Fatalf("Read of what Write wrote: %v\n%s", err, buf.Bytes())
		}
		if len(again) != len(got) {
			t.Fatalf("round trip kept %d of %d feeds\n%s", len(again), len(got), buf.Bytes())
		}
		// Sources of other kinds keep their kind and configuration.
		kinds := map[string]string{}
		for _, o := range got {
			kinds[o.Kind+" "+feedKey(o.XMLURL)] = o.Config
		}
		for _, o := range again {
			if c, ok := kinds[o.Kind+" "+feedKey(o.XMLURL)]; !ok || c != o.Config {
				t.Fatalf("round trip changed %q (kind %q) config %q to %q\n%s", o.XMLURL, o.Kind, c, o.Config, buf.Bytes())
			}
		}
	})
}

// checkOutlines asserts the promises Read makes about a successful result.
func checkOutlines(t *testing.T, got []Outline, maxFeeds int) {
	t.Helper()
	if len(got) > maxFeeds {
		t.Fatalf("got %d feeds, limit %d", len(got), maxFeeds)
	}
	seen := make(map[string]bool)
	for _, o := range got {
		if o.XMLURL == "" {
			t.Fatalf("outline without URL: %+v", o)
		}
		if key := o.Kind + " " + feedKey(o.XMLURL); seen[key] {
			t.Fatalf("duplicate feed %q", o.XMLURL)
		} else {
			seen[key] = true
		}
		if o.Kind == "feed" || o.Kind == "" && o.Config != "" {
			t.Fatalf("a feed with a kind or configuration: %+v", o)
		}
		if len(o.Categories) > maxCategories {
			t.Fatalf("%d categories, limit %d", len(o.Categories), maxCategories)
		}
	}
}
