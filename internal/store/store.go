package store

import (
	"context"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// Store is the whole storage contract. Every method is safe for concurrent
// use. Methods return scout.ErrNotFound for missing (or tombstoned) rows,
// scout.ErrConflict for duplicates, scout.ErrInvalid (as *scout.FieldError)
// for rows that break an invariant; never (zero, nil) for "absent".
type Store interface {
	// CreateUser stores a new user. ErrConflict if the e-mail is taken.
	CreateUser(ctx context.Context, u scout.User) (scout.User, error)
	// GetUser returns the user with id.
	GetUser(ctx context.Context, id int64) (scout.User, error)
	// GetUserByEmail returns the user with the (normalized) e-mail.
	GetUserByEmail(ctx context.Context, email string) (scout.User, error)
	// ListUsers returns users in id order.
	ListUsers(ctx context.Context, p PageRequest) (Page[scout.User], error)
	// UpdateUser changes the non-nil fields of u.
	UpdateUser(ctx context.Context, id int64, u UserUpdate) (scout.User, error)
	// CountUsers returns how many users exist (for first-run checks).
	CountUsers(ctx context.Context) (int, error)

	// CreateAPIKey stores a key; ErrConflict if its hash or prefix exists.
	CreateAPIKey(ctx context.Context, k scout.APIKey) (scout.APIKey, error)
	// GetAPIKeyByHash returns the key whose SHA-256 is hash, revoked or not.
	GetAPIKeyByHash(ctx context.Context, hash []byte) (scout.APIKey, error)
	// ListAPIKeys returns the keys of a user, newest first.
	ListAPIKeys(ctx context.Context, userID int64) ([]scout.APIKey, error)
	// RevokeAPIKey revokes key id of userID; ErrNotFound if it is not theirs.
	RevokeAPIKey(ctx context.Context, userID, id int64) error
	// TouchAPIKey records that a key was used at t.
	TouchAPIKey(ctx context.Context, id int64, t time.Time) error

	// GetUserByIdentity returns the user linked to an external identity key.
	GetUserByIdentity(ctx context.Context, key string) (scout.User, error)
	// ProvisionIdentity returns the user linked to id.Key, in one
	// transaction linking it first to the user with id.Email or, when there
	// is none and create is true, to a new user made from id (ErrNotFound
	// when create is false). When id.Admin is set the user's role becomes
	// it. Safe under concurrent first uses of one identity.
	ProvisionIdentity(ctx context.Context, id scout.ExternalIdentity, create bool) (scout.User, error)

	// CreateSession stores a new login session of an existing user.
	CreateSession(ctx context.Context, s scout.Session) (scout.Session, error)
	// GetSession returns a session, revoked or expired ones included.
	GetSession(ctx context.Context, id int64) (scout.Session, error)
	// RotateSession replaces a live session's token id from with to and
	// sets its expiry, atomically: of concurrent calls with the same from,
	// one succeeds. ErrConflict when the session is revoked, expired or its
	// token id is no longer from (a reused refresh token); ErrNotFound when
	// there is no such session.
	RotateSession(ctx context.Context, id int64, from, to string, expires time.Time) error
	// RevokeSession revokes session id with reason; userID 0 matches any
	// owner. ErrNotFound when the session is not the user's. Revoking a
	// revoked session keeps its first revocation.
	RevokeSession(ctx context.Context, userID, id int64, reason string) error
	// RevokeUserSessions revokes every live session of a user and returns
	// how many it revoked.
	RevokeUserSessions(ctx context.Context, userID int64, reason string) (int, error)
	// ListSessions returns the live (neither revoked nor expired) sessions
	// of a user, newest first.
	ListSessions(ctx context.Context, userID int64) ([]scout.Session, error)

	// CreateSource stores a source and queues its first fetch (NextFetchAt is
	// now unless set). ErrConflict if the owner already has a live source
	// that is the same source: the same kind, URL (scout.URLKey) and
	// configuration (scout.ConfigKey).
	CreateSource(ctx context.Context, s scout.Source) (scout.Source, error)
	// AddSource returns the live source that is the same source as s (see
	// CreateSource) among the owner's own, else among the public ones, with
	// created false; else it creates s. Concurrent adds of one source by
	// one owner create it once and return it to every caller.
	AddSource(ctx context.Context, s scout.Source) (src scout.Source, created bool, err error)
	// SeedSources creates the default sources once per database: a second
	// call (even after they were deleted) creates nothing. Returns how many
	// were created.
	SeedSources(ctx context.Context, sources []scout.Source) (int, error)
	// GetSource returns a live source; tombstones are ErrNotFound.
	GetSource(ctx context.Context, id int64) (scout.Source, error)
	// ListSources returns the sources f selects, visible to f.Viewer.
	ListSources(ctx context.Context, f SourceFilter) (Page[scout.Source], error)
	// UpdateSource changes the non-nil fields of u and bumps the version.
	// A new URL takes the source's host and identity with it (ErrConflict
	// if the owner has that source already) and makes it due now, its old
	// validators dropped and a retired source revived; while a fetch of the
	// old URL is in flight the source stays counted on the old host, and
	// that fetch's completion moves it.
	UpdateSource(ctx context.Context, id int64, u SourceUpdate) (scout.Source, error)
	// DeleteSource tombstones a source; its items disappear from lists.
	DeleteSource(ctx context.Context, id int64) error
	// ScheduleSource makes a live source due at t (refresh now), at the head
	// of its host's queue, and clears a retired status, unless it is paused.
	ScheduleSource(ctx context.Context, id int64, t time.Time) error

	// ClaimDueSources leases up to n live, unpaused, not retired sources with
	// next_fetch_at <= now whose lease has expired, until now+lease, never
	// more than hp allows per host: a host's fetches in flight (its sources
	// with an unexpired lease, whoever holds them) stay at or below
	// hp.Concurrency, and two claims that start fetches on one host are at
	// least hp.Spacing apart. Sources scheduled "now" go first, then hosts
	// take turns (round-robin), most overdue first. It is safe to call from
	// many goroutines and replicas: a source is leased to one caller at a
	// time, and the host limits hold across all of them. A caller that dies
	// gives its host slots back when its leases expire. Returns an empty
	// slice, not ErrNotFound, when none is due.
	ClaimDueSources(ctx context.Context, now time.Time, n int, lease time.Duration, hp HostPolicy) ([]scout.Source, error)
	// HostQueue reports a host's fetches in flight and due sources at now.
	HostQueue(ctx context.Context, host string, now time.Time) (HostQueue, error)
	// HostLags ranks the hosts by how overdue their most overdue waiting
	// source is (due at now, not leased, not paused or retired), most
	// overdue first, at most n of them, over the sources visible to v only.
	// Ties go by host name. Returns an empty slice when nothing is waiting.
	HostLags(ctx context.Context, v Viewer, now time.Time, n int) ([]HostLag, error)
	// CompleteFetch commits one fetch atomically: the items (deduped by
	// identity, unchanged ones untouched), the source's new fetch state, the
	// fetch log and the outbox events. An engine may share the transaction
	// with other fetches committed at the same moment, but one fetch's failure
	// never commits part of it or fails another. If it fails nothing is
	// saved, so a later fetch redoes the work. Returns the log with item
	// counts filled.
	CompleteFetch(ctx context.Context, r FetchResult) (scout.FetchLog, error)
	// GetItemHashes returns, for those of keys that a source's live items
	// have, the stored content hash and extractor, so the pipeline can skip
	// extracting items that have not changed. Keys it does not know are
	// absent from the map.
	GetItemHashes(ctx context.Context, sourceID int64, keys []string) (map[string]ItemHash, error)
	// ListFetches returns the newest fetch logs of a source.
	ListFetches(ctx context.Context, sourceID int64, limit int) ([]scout.FetchLog, error)

	// GetItem returns a live item with its entities.
	GetItem(ctx context.Context, id int64) (scout.Item, error)
	// ListItems returns the items f selects, visible to f.Viewer, without
	// their entities and without ContentHTML and ContentText (GetItem has
	// them), so that a page stays small.
	ListItems(ctx context.Context, f ItemFilter) (Page[scout.Item], error)
	// ListAmendments returns the versions of a live item whose extracted
	// facts changed, newest first, at most limit (0 means 50); an empty
	// slice when none did or the item is not live.
	ListAmendments(ctx context.Context, itemID int64, limit int) ([]scout.Amendment, error)
	// RecomputeRecords fills the opportunity record of up to limit items
	// stored before the record existed: fill sets each item's Opportunity
	// from its stored title, text, categories and publish date, and only
	// the record is written (no version, no event). It returns how many it
	// filled; 0 means none is left. Safe to run beside ingestion.
	RecomputeRecords(ctx context.Context, limit int, fill func(*scout.Item)) (int, error)

	// ListOpportunities returns the opportunities with at least one
	// sighting that f selects (its filters apply to the sightings' items)
	// and f.Viewer may see, each merged from those sightings only. Sort is
	// SortDeadline (the default: soonest first, opportunities without one
	// left out) or SortPublished (newest sighting first); keyset pages.
	ListOpportunities(ctx context.Context, f ItemFilter) (Page[scout.MergedOpportunity], error)
	// GetOpportunity returns an opportunity with the sightings v may see and
	// its fields merged from them. ErrNotFound when v sees none. Its
	// CreatedAt, UpdatedAt and Version, like its fields, are worked out from
	// what v may see alone: the first sighting's time, the latest change to
	// a sighting v sees or one v could see leaving, and a version that grows
	// with each of those changes and no other.
	GetOpportunity(ctx context.Context, id int64, v Viewer) (scout.MergedOpportunity, error)
	// ListModifiedOpportunities returns the opportunities v sees through at
	// least one sighting, most recently modified first (updated_at as v is
	// served it, then id, descending), skipping offset of them and returning
	// at most limit, each merged from v's sightings only. Total counts them
	// all (Counted) when count asks, which costs a pass over what v sees, or
	// when the list ends within the page, which costs nothing. An offset
	// past the end gives no items, not an error.
	ListModifiedOpportunities(ctx context.Context, v Viewer, offset, limit int, count bool) (NumberedPage[scout.MergedOpportunity], error)
	// GetItemOpportunity returns the id of the opportunity a live item is a
	// sighting of; ErrNotFound when the item is not an opportunity.
	GetItemOpportunity(ctx context.Context, itemID int64) (int64, error)
	// ItemOpportunities returns, for each of the live items given that has
	// sightings, the opportunities of its sightings in part order (several
	// for a newsletter announcing several calls).
	ItemOpportunities(ctx context.Context, itemIDs []int64) (map[int64][]int64, error)
	// GetOpportunities is GetOpportunity for many ids at once; an
	// opportunity v sees no sighting of is absent from the map.
	GetOpportunities(ctx context.Context, ids []int64, v Viewer) (map[int64]scout.MergedOpportunity, error)
	// MergeOpportunities moves every sighting of from into into and deletes
	// from, pinning the moved sightings so re-fetches keep them there.
	// ErrNotFound if either is missing, ErrInvalid if they are the same.
	MergeOpportunities(ctx context.Context, into, from int64) (scout.MergedOpportunity, error)
	// SplitSighting moves a sighting out of its opportunity into a new one
	// of its own, pinned so re-fetches keep it apart; returns the new id.
	// ErrNotFound if it is missing, ErrInvalid if it is its opportunity's
	// only sighting.
	SplitSighting(ctx context.Context, sightingID int64) (int64, error)

	// MatchPending matches up to limit sightings the matcher has not seen
	// (those the migration made from items stored before opportunities
	// existed), oldest first, and returns how many; 0 when none is left. A
	// matched one joins the opportunity of an earlier sighting it links to.
	MatchPending(ctx context.Context, limit int) (int, error)
	// CountBackfill counts what RecomputeRecords and MatchPending have still
	// to do, so that their progress can be reported. It only reads.
	CountBackfill(ctx context.Context) (Backfill, error)

	// GetEntity returns one entity.
	GetEntity(ctx context.Context, id int64) (scout.Entity, error)
	// ListEntities returns entities by type and name prefix, in id order.
	ListEntities(ctx context.Context, f EntityFilter) (Page[scout.Entity], error)

	// PutEnrichment creates or replaces the result of one enricher for one
	// item, bumping its version, and writes an outbox event.
	PutEnrichment(ctx context.Context, e scout.Enrichment) (scout.Enrichment, error)
	// ListEnrichments returns the enrichments of an item.
	ListEnrichments(ctx context.Context, itemID int64) ([]scout.Enrichment, error)
	// ClaimEnrichment leases up to n live items visible to v that enricher
	// has neither finished nor holds an unexpired lease on, newest first,
	// until now+lease. PutEnrichment for the item finishes the claim; an
	// unfinished lease expires and the item can be claimed again. Safe for
	// many concurrent claimers: an item is leased to one caller at a time.
	// Returns an empty slice, not ErrNotFound, when nothing is left.
	ClaimEnrichment(ctx context.Context, enricher string, n int, lease time.Duration, v Viewer) ([]scout.Item, error)

	// ListEntityItems returns the live items linked to an entity and visible
	// to v, newest id first, without their entities.
	ListEntityItems(ctx context.Context, entityID int64, v Viewer, p PageRequest) (Page[scout.Item], error)

	// Stats returns the dashboard numbers as seen by v at now. Every query
	// is bounded (a recent time window or a LIMIT over an index), so the
	// cost does not grow with the total number of items.
	Stats(ctx context.Context, v Viewer, now time.Time) (Stats, error)
	// HasPrivateSources reports whether the user owns a live source that is
	// not public, so that a caller without one can be shown the numbers of
	// the public view (Viewer{}), which are then the same as its own. It
	// reads only the user's own sources (an index on owner_id).
	HasPrivateSources(ctx context.Context, userID int64) (bool, error)

	// ListEvents returns outbox events with ID > after, in commit order.
	ListEvents(ctx context.Context, after int64, limit int) ([]scout.Event, error)
	// FollowEvents is ListEvents for a follower that polls again: where
	// changes are numbered after commit (PostgreSQL) it does not wait while
	// another replica numbers them, and may then return fewer than have
	// committed; the rest come, in order, on a later call.
	FollowEvents(ctx context.Context, after int64, limit int) ([]scout.Event, error)
	// LatestEventID returns the id of the newest outbox row, 0 when empty:
	// a cursor for "from now on".
	LatestEventID(ctx context.Context) (int64, error)
	// ListChanges scans up to limit outbox rows after the cursor in commit
	// order and returns those v may see (see ChangePage). Returns
	// ErrCursorExpired when rows after the cursor were already pruned.
	ListChanges(ctx context.Context, v Viewer, after int64, limit int) (ChangePage, error)
	// RelayEvents hands the oldest unrelayed outbox rows (at most limit, in
	// commit order) to publish and marks relayed the first n it reports as
	// acknowledged. Safe for many replicas: one relays at a time, the
	// others return (0, nil), so rows of one subject never go out of order.
	RelayEvents(ctx context.Context, limit int, publish RelayFunc) (int, error)
	// PruneEvents deletes outbox rows created before t (only relayed ones
	// when relayedOnly) and returns how many went.
	PruneEvents(ctx context.Context, before time.Time, relayedOnly bool) (int, error)
	// NoteClosing writes one opportunity.closing event (EventOpportunityClosing)
	// for each live item whose deadline falls in (now, now+horizon] and has
	// not been noted for that deadline yet; at most limit per call.
	NoteClosing(ctx context.Context, now time.Time, horizon time.Duration, limit int) (int, error)
	// ArchiveClosed tombstones up to limit live items whose deadline is
	// before t, with an item.deleted event each, and returns how many.
	ArchiveClosed(ctx context.Context, before time.Time, limit int) (int, error)
	// PruneItems keeps at most keep items of a source (archived ones
	// included) by deleting the rest for good: first those archived
	// already, then the items that are not open opportunities (no
	// opportunity facet, or every deadline passed), then the others, each
	// group oldest published first. Each live item deleted gets an
	// item.deleted event (pruned), and an opportunity left without
	// sightings is deleted with an opportunity.deleted event. It deletes in
	// batches, one short transaction each, and returns how many went;
	// keep <= 0 deletes nothing.
	PruneItems(ctx context.Context, sourceID int64, keep int) (int, error)

	// GetPreferences returns a user's preferences; a user who never saved
	// any gets the zero Preferences, not ErrNotFound.
	GetPreferences(ctx context.Context, userID int64) (Preferences, error)
	// PutPreferences replaces a user's preferences (not the digest cursor).
	PutPreferences(ctx context.Context, userID int64, p Preferences) (Preferences, error)
	// MarkDigestRead moves a user's digest cursor to t; it never moves back.
	MarkDigestRead(ctx context.Context, userID int64, t time.Time) error
	// GetUserByFeedToken returns the user whose stored feed token is hash.
	GetUserByFeedToken(ctx context.Context, hash string) (scout.User, error)

	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// Close releases the database; in-flight calls may fail afterwards.
	Close() error
}

// HostPolicy is the politeness a claim keeps towards every host.
type HostPolicy struct {
	Concurrency int           // fetches in flight to one host; 0 means no limit
	Spacing     time.Duration // least time between two claimed starts on one host; 0 means none
}

// HostQueue is the state of one host's queue.
type HostQueue struct {
	Host          string
	InFlight      int       // sources of the host leased now
	Due           int       // due sources waiting for a slot (not leased)
	Urgent        int       // of Due, those scheduled "now" (they go first)
	NextAllowedAt time.Time // when the host's spacing allows the next start; zero when it already does
}

// ItemHash is what GetItemHashes reports about a stored item.
type ItemHash struct {
	ContentHash string
	Extractor   string
}

// FetchResult is what the ingestion pipeline learned from one fetch.
type FetchResult struct {
	SourceID int64
	// From is the URL the fetch read. When the source moved to another URL
	// meanwhile (UpdateSource), the fetch's validators, page hash, redirect
	// and next fetch time are not kept. Empty: not checked.
	From  string
	Log   scout.FetchLog
	Items []scout.Item // normalized and extracted; not yet deduped
	// Unchanged counts items the pipeline found stored with the same
	// content and left out of Items; they count as seen.
	Unchanged int

	// The new fetch state of the source.
	URL          string // non-empty to replace the stored URL (permanent redirect)
	Title        string // non-empty to fill an empty title
	SiteURL      string
	ETag         string
	LastModified string
	// PageHash, when not empty, replaces the stored hash of the last page
	// read (kinds whose servers give no validators detect change by it).
	PageHash    string
	Interval    time.Duration
	NextFetchAt time.Time
	Status      scout.SourceStatus
}

// UserUpdate holds the user fields to change; nil means unchanged.
type UserUpdate struct {
	Name         *string
	PasswordHash *string
	Admin        *bool
	Disabled     *bool
	FeedToken    *string
}

// Backfill is the work left to the background backfills of rows stored
// before a migration.
type Backfill struct {
	Records   int64 // items without their opportunity record (RecomputeRecords)
	Sightings int64 // sightings the matcher has not seen (MatchPending)
}

// SourceUpdate holds the source fields to change; nil means unchanged.
type SourceUpdate struct {
	// URL moves the source: its host and identity follow, the validators
	// of the old URL are dropped and it is due at once (see UpdateSource).
	URL         *string
	Title       *string
	Tags        *[]string
	Visibility  *scout.Visibility
	Paused      *bool
	MinInterval *time.Duration
	MaxInterval *time.Duration
}

// Viewer is on whose behalf a list is read. Rows the viewer may not see are
// left out: private sources of other users, and their items.
type Viewer struct {
	UserID int64
	Admin  bool // sees everything
	// OwnedOnly narrows the view to the viewer's own sources, for work a
	// caller may do only on what it owns (enriching as a non-admin).
	OwnedOnly bool
}
