package opml

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// document is the OPML 2.0 shape Write encodes.
type document struct {
	XMLName xml.Name `xml:"opml"`
	Version string   `xml:"version,attr"`
	Scout   string   `xml:"xmlns:scout,attr,omitempty"` // Namespace, when a source is not a feed
	Head    head     `xml:"head"`
	Body    body     `xml:"body"`
}

// body is its own element so that an empty list still has one.
type body struct {
	Outlines []entry `xml:"outline"`
}

type head struct {
	Title       string `xml:"title"`
	DateCreated string `xml:"dateCreated"`
}

// entry is a folder (Children set) or a feed (XMLURL set).
type entry struct {
	Text     string  `xml:"text,attr"`
	Title    string  `xml:"title,attr,omitempty"`
	Type     string  `xml:"type,attr,omitempty"`
	XMLURL   string  `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string  `xml:"htmlUrl,attr,omitempty"`
	Category string  `xml:"category,attr,omitempty"`
	URL      string  `xml:"url,attr,omitempty"`
	Kind     string  `xml:"scout:kind,attr,omitempty"`
	Config   string  `xml:"scout:config,attr,omitempty"`
	Children []entry `xml:"outline"`
}

// Write encodes outlines as an OPML 2.0 document titled title, created at now.
// Feeds are grouped into one folder per first category, folders and feeds in
// the order they first appear; feeds without a category sit at the top level.
// Further categories go to the category attribute, so Read gives back the same
// Categories (a category containing a comma comes back split). Every outline
// must have an XMLURL. A source of another kind than feed is written as a
// link carrying its kind and configuration in Namespace's attributes.
func Write(w io.Writer, title string, outlines []Outline, now time.Time) error {
	entries, err := group(outlines)
	if err != nil {
		return fmt.Errorf("write opml: %w", err)
	}
	doc := document{
		Version: "2.0",
		Scout:   scoutNamespace(outlines),
		Head:    head{Title: title, DateCreated: now.UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT")},
		Body:    body{Outlines: entries},
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write opml: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write opml: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write opml: %w", err)
	}
	return nil
}

// group builds the body: one folder per first category, in first-seen order.
func group(outlines []Outline) ([]entry, error) {
	var entries []entry
	folders := make(map[string]int) // folder title → index in entries
	for i, o := range outlines {
		if strings.TrimSpace(o.XMLURL) == "" {
			return nil, fmt.Errorf("outline %d (%q) has no xmlUrl", i, o.Title)
		}
		cats := cleanCategories(o.Categories)
		if len(cats) == 0 {
			entries = append(entries, feedEntry(o, nil))
			continue
		}
		j, ok := folders[cats[0]]
		if !ok {
			j = len(entries)
			folders[cats[0]] = j
			entries = append(entries, entry{Text: cats[0], Title: cats[0]})
		}
		entries[j].Children = append(entries[j].Children, feedEntry(o, cats[1:]))
	}
	return entries, nil
}

func feedEntry(o Outline, cats []string) entry {
	title := collapse(o.Title)
	text := title
	if text == "" {
		text = o.XMLURL // text is required in OPML 2.0
	}
	e := entry{Text: text, Title: title, Type: "rss", XMLURL: o.XMLURL, HTMLURL: o.HTMLURL}
	if isSource(o) {
		e.Type, e.XMLURL, e.URL, e.Kind, e.Config = "link", "", o.XMLURL, o.Kind, o.Config
	}
	if len(cats) > 0 {
		e.Category = "/" + strings.Join(cats, ",/")
	}
	return e
}

// isSource reports an outline that is a Scout source of another kind.
func isSource(o Outline) bool { return o.Kind != "" && o.Kind != "feed" }

// scoutNamespace is Namespace when an outline needs it, else "".
func scoutNamespace(outlines []Outline) string {
	for _, o := range outlines {
		if isSource(o) {
			return Namespace
		}
	}
	return ""
}

// cleanCategories collapses white space and drops empty and repeated
// categories, as Read would.
func cleanCategories(cats []string) []string {
	var out []string
	for _, c := range cats {
		if c = collapse(c); c != "" {
			out = appendUnique(out, c)
		}
	}
	return out
}
