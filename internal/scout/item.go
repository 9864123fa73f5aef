package scout

import "time"

// Item is one piece of content from a source, normalized and sanitized, with
// the opportunity facet extracted from it.
type Item struct {
	ID       int64
	SourceID int64

	// Identity within the source: GUID if the feed gives one, else the
	// canonical URL, else a hash of title and content (see Key).
	GUID string
	URL  string // canonical absolute URL

	Title       string // plain text
	Summary     string // plain text, short
	ContentHTML string // sanitized HTML
	ContentText string // plain-text rendering for search and extraction
	Author      string
	ImageURL    string

	PublishedAt time.Time // UTC
	// DateEstimated is true when the feed gave no usable date and PublishedAt
	// is the time Scout first saw the item.
	DateEstimated bool

	Enclosures []Enclosure
	Categories []string

	// ContentHash is a hex SHA-256 over the fields that make an edit, so that
	// an unchanged item is recognised without comparing every field.
	ContentHash string

	Opportunity Opportunity
	Entities    []ItemEntity // written with the item; replaced as a whole on update
	// Calls are the distinct calls the item announces when it announces
	// several (a newsletter); each becomes a sighting of its own. Written
	// with the item; nil for an item with one call or none.
	Calls []Call
	// Mention is what an item that is no opportunity itself says of one
	// (a reminder, a social post): its own deadline, sums and funder. The
	// matcher may join it to an opportunity already known as a sighting;
	// it founds one only when it links to a page (match.MentionFounds).
	// Nil for an opportunity, and for news.
	Mention *Call

	CreatedAt time.Time
	UpdatedAt time.Time
	DeletedAt time.Time
	Version   int64
}

// Enclosure is a media file attached to an item.
type Enclosure struct {
	URL    string `json:"url"`
	Type   string `json:"type,omitempty"`
	Length int64  `json:"length,omitempty"`
}

// Key returns the identity of the item within its source: the GUID, else the
// URL, else "hash:" and the content hash.
func (it *Item) Key() string {
	switch {
	case it.GUID != "":
		return it.GUID
	case it.URL != "":
		return it.URL
	default:
		return "hash:" + it.ContentHash
	}
}
