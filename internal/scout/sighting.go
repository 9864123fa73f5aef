package scout

import "time"

// Sighting is one place an opportunity was seen: an item (Part 0), or one
// of the calls a newsletter item announces (Part 1, 2, … with the Span of
// the item that describes it).
type Sighting struct {
	ID            int64
	OpportunityID int64
	ItemID        int64
	SourceID      int64
	Part          int
	Span          string
	// Confidence and Evidence are the matcher's reasons for joining the
	// sighting to its opportunity (1 and "new" for the first sighting).
	Confidence float64
	Evidence   []string
	// Pinned is an operator's decision that re-fetches never undo:
	// "merged", "split" or empty.
	Pinned    string
	Item      Item // without content or entities
	CreatedAt time.Time
}

// FieldSource names the sighting a merged field was taken from, and the
// extractor or enricher that supplied it there.
type FieldSource struct {
	SightingID int64  `json:"sighting_id"`
	ItemID     int64  `json:"item_id"`
	Extractor  string `json:"extractor,omitempty"`
}

// MergedOpportunity is one real opportunity as a viewer sees it: the facet
// merged from the sightings the viewer may see, which sighting supplied
// each field, and those sightings. Title and URL are the preferred
// sighting's.
type MergedOpportunity struct {
	ID          int64
	Title       string
	URL         string
	Opportunity Opportunity
	Fields      map[string]FieldSource
	Sightings   []Sighting
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int64
}

// Call is one of several distinct calls an item announces (a newsletter or
// round-up): Part numbers them from 1 in the order they appear, Span is the
// text of the item that describes the call, and Opportunity is the facet
// read from that span alone.
type Call struct {
	Part        int
	Title       string
	Span        string
	Opportunity Opportunity
}
