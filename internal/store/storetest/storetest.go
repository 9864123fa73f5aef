// Package storetest is the conformance suite every store.Store must pass.
// An engine's test calls Run with a factory that returns a fresh, migrated,
// empty store using the given clock.
package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/store"
)

// Options are what a Factory's store must be made with.
type Options struct {
	Now        func() time.Time // the store's clock
	Precedence []string         // the enricher precedence, highest first
	// GroupPrecedence ranks field groups (kind, dates, funding,
	// eligibility) differently from Precedence.
	GroupPrecedence map[string][]string
}

// Factory returns a fresh, migrated, empty store made with o.
type Factory func(t *testing.T, o Options) store.Store

// Precedence is the enricher precedence of every store under test: "hi"
// overrides the built-in extractor, "lo" fills only what it leaves empty,
// and any other enricher never changes the facet.
var Precedence = []string{"hi", "rules/1", "lo"}

// GroupPrecedence is the per-group precedence of every store under test:
// for eligibility the extractor outranks "hi".
var GroupPrecedence = map[string][]string{"eligibility": {"rules/1", "hi"}}

// Clock is a settable clock for stores under test.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// T0 is the start time of every test's clock.
var T0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// Run runs the whole suite against stores made by newStore.
func Run(t *testing.T, newStore Factory) {
	tests := []struct {
		name string
		fn   func(*testing.T, store.Store, *Clock)
	}{
		{"users are created, found and updated", testUsers},
		{"sessions rotate once per token id and revoke", testSessions},
		{"external identities link to one user each", testIdentities},
		{"api keys are found by hash and revoked only by their owner", testAPIKeys},
		{"sources support create, update and tombstone delete", testSources},
		{"default sources are seeded once", testSeed},
		{"a source is one per owner by kind, normalized URL and configuration, and a public one is shared", testSourceIdentity},
		{"concurrent adds of one URL by one owner create one source", testConcurrentAdds},
		{"a source's host and identity follow URL edits and permanent redirects", testSourceMoves},
		{"sources of every kind keep their configuration and page hash", testSourceKinds},
		{"lists hide other users' private sources and items", testOwnership},
		{"two claimers never lease the same source", testClaims},
		{"leases expire and completed fetches release them", testLeaseLifecycle},
		{"three concurrent claimers never exceed a host's limit", testHostLimitsAcrossClaimers},
		{"claims racing refreshes and completions never exceed a host's limit", testHostLimitsUnderChurn},
		{"claims keep a host's spacing whoever claims", testHostSpacing},
		{"a dead claimer's host slots come back with its leases", testDeadClaimerReleasesHosts},
		{"hosts take turns and a refreshed source goes first", testClaimOrder},
		{"a claim beside a saturated host with thousands of due sources keeps the policy's order", testClaimBesideBacklog},
		{"the order of hosts follows creates, pauses, deletes, moves and completed fetches", testHostOrderFollowsWrites},
		{"hosts rank by their most overdue waiting source the viewer may see", testHostLags},
		{"item upserts are idempotent and edits bump the version", testIdempotentUpsert},
		{"stored item hashes let the pipeline skip unchanged items", testItemHashes},
		{"a summary derived from the text, one of its own and none all read back and search", testSummaries},
		{"a list hands provenance over as the bytes encoding/json writes for it, or decoded", testProvenanceJSON},
		{"a feed that changes GUIDs on every fetch does not duplicate items", testGUIDChurn},
		{"a failed fetch keeps the old validators and marks the source failing", testFailedFetch},
		{"sources are listed by status, pending until their first fetch", testSourcesByStatus},
		{"a fetch that cannot be written saves nothing", testAtomicFetch},
		{"keyset pagination has no gaps or repeats under concurrent inserts", testPaginationConcurrent},
		{"deadline order pages in ascending deadline", testDeadlinePages},
		{"item filters select by kind, deadline, amount and source", testItemFilters},
		{"status filters follow the deadline lifecycle at the given clock", testItemStatuses},
		{"stats count recent opportunities by status", testStatsPerStatus},
		{"search supports words, phrases, exclusion and OR", testSearch},
		{"entities are linked to items and replaced on update", testEntities},
		{"a fetch naming more entities than one statement links keeps every link once", testManyEntityLinks},
		{"enrichments are versioned per enricher", testEnrichments},
		{"ranked enrichments override the facet, survive re-extraction and fall back", testEnrichmentPrecedence},
		{"events are written with each change, in commit order", testEvents},
		{"two enrichment claimers never get the same item and leases expire", testEnrichmentClaims},
		{"enrichment claims skip items the viewer may not see", testClaimVisibility},
		{"entity items hide other users' private items", testEntityItems},
		{"stats count recent visible items, deadlines, health and fetch errors", testStats},
		{"a user has private sources only while owning a live non-public one", testHasPrivateSources},
		{"the relay marks only acknowledged events and resumes after a failure", testRelay},
		{"concurrent relayers publish each event once, in order", testConcurrentRelays},
		{"changes show only what the viewer may see now", testChangesVisibility},
		{"a consumer resuming from its cursor under concurrent writers gets every change once, in order", testChangesConcurrentWriters},
		{"under many writers the change stream keeps commit order, each change once", testChangeStreamUnderLoad},
		{"pruning drops old relayed rows and expires cursors into them", testPruneEvents},
		{"closing deadlines are announced once and closed items archived by age", testClosingAndArchive},
		{"pruning a source to its cap drops archived items, then closed ones and posts, then open calls, oldest first", testPruneOrder},
		{"a pruned sighting leaves its opportunity to the others, and one left without any is deleted", testPruneSightings},
		{"pruning keeps a post that founded an open call as an open call", testPruneKeepsMentionedCall},
		{"pruning runs in batches and touches no other source", testPruneBatches},
		{"preferences, the digest cursor and feed tokens are stored per user", testPreferences},
		{"a new entity is announced once, with its source's visibility", testEntityEvents},
		{"feeds naming the same new entities at once store and announce each once, and link every item", testNewEntitiesAtOnce},
		{"concurrent fetches are stored whole, and a failing one fails alone", testConcurrentFetches},
		{"the opportunity record round-trips with its local dates, funding and eligibility", testRecordRoundTrip},
		{"every record field round-trips, a stated zero apart from absence", testRecordFields},
		{"record filters select by fee, closing window, total award, applicant and country", testRecordFilters},
		{"a version that changes facts is stored as an amendment and announced", testAmendments},
		{"enrichments supply the record in the served shape, ranked per field group", testRecordPrecedence},
		{"an opportunity item is sighted in its upsert and joins the call it repeats", testOpportunitySightings},
		{"feeds announcing the same calls at once, in their own orders, all commit and join them", testOverlappingFeedsJoinAtOnce},
		{"operators' merges beside fetches posting the merged calls all commit, each post in the merged opportunity", testMergesBesideFetches},
		{"operators' splits beside fetches posting the split calls commit but the last of each, and stick", testSplitsBesideFetches},
		{"a viewer sees an opportunity and its merged fields only through visible sightings", testOpportunityVisibility},
		{"numbered pages of opportunities follow modification, newest first, through visible sightings", testModifiedOpportunities},
		{"a viewer is served the time and version of the changes they can see, and of no other", testServedStamps},
		{"the most recently modified read a few changes at a time keep their order", testModifiedOrderReadInSteps},
		{"an enrichment that changes what an opportunity merges moves what its viewers are served", testServedStampsFollowEnrichment},
		{"a source made public or private moves what the viewers of its sightings are served", testServedStampsFollowVisibility},
		{"deleting a source that joined many calls moves what the viewers of each are served", testServedStampsAfterABigSourceGoes},
		{"a call a newsletter no longer announces leaves its opportunity as a departure", testServedStampsWhenANewsletterDropsACall},
		{"a post archived beside another of its call leaves the opportunity as a departure", testServedStampsWhenAPostIsArchived},
		{"a deleted source's post, archived, leaves its opportunity no second time", testServedStampsWhenADeletedSourcesPostIsArchived},
		{"a newsletter announcing several calls sights each, with its own span and facet", testNewsletterCalls},
		{"an item that only mentions a call joins its opportunity, and founds one only linking to a page", testMentionJoinsOnly},
		{"stats count opportunities through visible sightings, a newsletter's calls by their own deadlines", testOpportunityStats},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewClock(T0)
			tt.fn(t, newStore(t, Options{Now: c.Now, Precedence: Precedence, GroupPrecedence: GroupPrecedence}), c)
		})
	}
}
