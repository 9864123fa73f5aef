package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/scoutdev/scout/internal/match"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// Matching runs inside the item's upsert transaction, so an item and its
// sighting commit together; match is pure (stdlib and scout only), which
// is why the store may import it.

// perKey bounds how many stored sightings one blocking key brings in as
// candidates (the newest), and maxCandidates how many are judged, so the
// cost of matching a new item does not grow with the store.
const (
	perKey        = 20
	maxCandidates = 64
)

// isOpportunity reports whether an item describes an opportunity.
func isOpportunity(it *scout.Item) bool {
	k := it.Opportunity.Kind
	return k != scout.KindUnknown && k != scout.KindNone
}

// candidate is a stored sighting the matcher compares a new one with.
type candidate struct {
	id, opportunityID, itemID int64
	f                         match.Features
	gone                      bool // no sighting has the id (see readSightings)
}

type sightingPayload struct {
	OpportunityID int64    `json:"opportunity_id"`
	SightingID    int64    `json:"sighting_id"`
	ItemID        int64    `json:"item_id"`
	Confidence    float64  `json:"confidence"`
	Evidence      []string `json:"evidence,omitempty"`
	From          int64    `json:"from_opportunity_id,omitempty"`
}

func sightingEvent(typ string, src scout.Source, p sightingPayload) scout.Event {
	return scout.Event{Type: typ, SourceID: src.ID, ItemID: p.ItemID, OwnerID: src.OwnerID, Visibility: src.Visibility,
		Payload: json.RawMessage(mustJSON(p))}
}

// part is one sighting an item makes: the whole item (n 0), or one of the
// calls it announces (n 1, 2, …) with what was read from its span.
type part struct {
	n                  int
	title, span, facet string
	deadline           any // micros, or nil
	f                  match.Features
	keys               []int64 // match.KeyHashes(f)
	stored             string  // f as the features column holds it
	// joinOnly is an item's mention of an opportunity (see
	// scout.Item.Mention): it joins one already known, and founds one
	// only when match.MentionFounds says it is a call of its own.
	joinOnly bool
}

// sightParts returns the sightings it makes: one per call when it
// announces several, else one for the item when it is an opportunity.
// It reads nothing stored, so a fetch's callers work it out for the new
// items before the write transaction (see prepareFetch).
func sightParts(it *scout.Item) []part {
	out := readParts(it)
	for i := range out {
		out[i].keys, out[i].stored = match.KeyHashes(out[i].f), mustJSON(out[i].f)
	}
	return out
}

// readParts is sightParts without the keys and the stored features.
func readParts(it *scout.Item) []part {
	if len(it.Calls) < 2 {
		if isOpportunity(it) {
			return []part{{f: match.Extract(it)}}
		}
		if it.Mention == nil {
			return nil
		}
		// The item's own facet is none: the sighting keeps what was read
		// of the call it mentions, which a mention founding an
		// opportunity is all that opportunity knows.
		one := *it
		one.Opportunity = it.Mention.Opportunity
		return []part{{f: match.Extract(&one), joinOnly: true, facet: mustJSON(it.Mention.Opportunity),
			deadline: micros(it.Mention.Opportunity.Deadline)}}
	}
	out := make([]part, 0, len(it.Calls))
	links := match.CallLinks(it, len(it.Calls))
	for i, c := range it.Calls {
		// The matcher reads a call as an item of its own: the call's title,
		// its span as the text, its facet, the link attributed to it.
		one := scout.Item{ID: it.ID, SourceID: it.SourceID, URL: it.URL, Title: c.Title, ContentText: c.Span,
			PublishedAt: it.PublishedAt, Opportunity: c.Opportunity}
		if links != nil {
			one.ContentHTML = links[i]
		}
		out = append(out, part{n: c.Part, title: c.Title, span: c.Span, facet: mustJSON(c.Opportunity),
			deadline: micros(c.Opportunity.Deadline), f: match.ExtractCall(&one)})
	}
	return out
}

// sightItem keeps an item's sightings in step with the item: each new
// part (the item, or each call it announces) is matched and joins the best
// opportunity at or above the threshold, else founds one; a stored
// sighting keeps its opportunity (identity is decided once, and an
// operator's merge or split sticks) and only refreshes what was read from
// it. Parts the item no longer makes are dropped, with opportunities left
// without sightings. An item that is no longer an opportunity keeps its
// sighting, as before calls were read. A fresh item, inserted in this
// transaction, has no sightings yet (item ids are never reused), so none
// is looked for.
//
// parts are sightParts(it), which the caller may have worked out before.
func sightItem(ctx context.Context, tx *tx, src scout.Source, it *scout.Item, fresh bool, parts []part) error {
	if tx.noMatching || len(parts) == 0 {
		return nil
	}
	if !fresh {
		if err := dropParts(ctx, tx, src, it.ID, parts); err != nil {
			return err
		}
	}
	for _, p := range parts {
		if err := sightPart(ctx, tx, src, it.ID, p, fresh); err != nil {
			return err
		}
	}
	return nil
}

// dropParts deletes the sightings of item that keep is without.
func dropParts(ctx context.Context, tx *tx, src scout.Source, item int64, keep []part) error {
	a := args{item}
	ph := make([]string, len(keep))
	for i, p := range keep {
		ph[i] = a.add(p.n)
	}
	rows, err := tx.QueryContext(ctx, `DELETE FROM sightings WHERE item_id = $1 AND part NOT IN (`+strings.Join(ph, ", ")+
		`) RETURNING id, opportunity_id, features, version`, a...)
	if err != nil {
		return fmt.Errorf("drop sightings of item %d: %w", item, err)
	}
	gone, err := collect(rows, func(sc interface{ Scan(...any) error }) (keyed, error) {
		var k keyed
		return k, sc.Scan(&k.id, &k.opportunityID, &k.features, &k.version)
	})
	if err != nil {
		return fmt.Errorf("drop sightings of item %d: %w", item, err)
	}
	for _, g := range gone {
		delete(tx.sightings, g.id)
		if err := deleteKeys(ctx, tx, g.id, storedKeys(g.features)); err != nil {
			return err
		}
		depart(tx, g.opportunityID, src, g.version)
		if _, err := tx.ExecContext(ctx, `DELETE FROM opportunities WHERE id = $1
			AND NOT EXISTS (SELECT 1 FROM sightings WHERE opportunity_id = $1)`, g.opportunityID); err != nil {
			return fmt.Errorf("drop opportunity %d: %w", g.opportunityID, err)
		}
	}
	return nil
}

// sightPart writes one part's sighting (see sightItem).
func sightPart(ctx context.Context, tx *tx, src scout.Source, item int64, pt part, fresh bool) error {
	keys := pt.keys
	var sid int64
	var old string
	err := sql.ErrNoRows
	if !fresh {
		err = tx.QueryRowContext(ctx, `SELECT id, features FROM sightings WHERE item_id = $1 AND part = $2`, item, pt.n).Scan(&sid, &old)
	}
	switch {
	case err == nil:
		// The item was amended: so was what its viewers are served.
		if _, err := tx.ExecContext(ctx, `UPDATE sightings SET features = $1, title = $2, span = $3, facet = $4, deadline = $5,
			changed_at = $6, version = version + 1 WHERE id = $7`, pt.stored, pt.title, pt.span, pt.facet, pt.deadline,
			tx.now.UnixMicro(), sid); err != nil {
			return fmt.Errorf("update sighting %d: %w", sid, err)
		}
		delete(tx.sightings, sid)
		return replaceKeys(ctx, tx, sid, storedKeys(old), keys)
	case err != sql.ErrNoRows:
		return fmt.Errorf("read sighting of item %d: %w", item, err)
	}
	cands, err := candidates(ctx, tx, keys, item)
	if err != nil {
		return err
	}
	best, link := bestLink(pt.f, cands)
	if pt.joinOnly && !link.Same() && !match.MentionFounds(pt.f) {
		return nil
	}
	p := sightingPayload{ItemID: item, Confidence: 1, Evidence: []string{"new"}}
	typ := store.EventOpportunitySighted
	if link.Same() {
		p.OpportunityID, p.Confidence, p.Evidence = best.opportunityID, link.Confidence, link.Evidence
	} else {
		typ = store.EventOpportunityCreated
	}
	if err := insertSighting(ctx, tx, &p, !link.Same(), pt); err != nil {
		return err
	}
	if err := insertKeys(ctx, tx, p.SightingID, keys); err != nil {
		return err
	}
	tx.sighted(candidate{id: p.SightingID, opportunityID: p.OpportunityID, itemID: item, f: pt.f})
	return insertEvent(ctx, tx, sightingEvent(typ, src, p))
}

// WithInserter is implemented by dialects that run an INSERT inside WITH
// (PostgreSQL), so that a new opportunity and its first sighting are
// written with one statement, one round trip.
type WithInserter interface {
	InsertsInWith() bool
}

// insertSighting writes pt's sighting of p.ItemID into p.OpportunityID,
// or into an opportunity it founds, and sets p's ids.
func insertSighting(ctx context.Context, tx *tx, p *sightingPayload, founds bool, pt part) error {
	vals := []any{p.ItemID, pt.n, p.Confidence, mustJSON(p.Evidence), pt.stored, tx.now.UnixMicro(), pt.title, pt.span, pt.facet, pt.deadline}
	const cols = `opportunity_id, item_id, part, confidence, evidence, features, created_at, title, span, facet, deadline, changed_at`
	var err error
	switch wi, ok := tx.d.(WithInserter); {
	case founds && ok && wi.InsertsInWith():
		err = tx.QueryRowContext(ctx, `WITH o AS (INSERT INTO opportunities (created_at) VALUES (CAST($6 AS BIGINT)) RETURNING id)
			INSERT INTO sightings (`+cols+`) SELECT o.id, CAST($1 AS BIGINT), CAST($2 AS BIGINT), CAST($3 AS DOUBLE PRECISION),
				CAST($4 AS TEXT), CAST($5 AS TEXT), CAST($6 AS BIGINT), CAST($7 AS TEXT), CAST($8 AS TEXT), CAST($9 AS TEXT),
				CAST($10 AS BIGINT), CAST($6 AS BIGINT) FROM o
			RETURNING id, opportunity_id`, vals...).Scan(&p.SightingID, &p.OpportunityID)
	default:
		if founds {
			if p.OpportunityID, err = insertOpportunity(ctx, tx); err != nil {
				return err
			}
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO sightings (`+cols+`) VALUES ($11, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $6)
			RETURNING id`, append(vals, p.OpportunityID)...).Scan(&p.SightingID)
	}
	if err != nil {
		return fmt.Errorf("insert sighting of item %d: %w", p.ItemID, err)
	}
	return nil
}

func insertOpportunity(ctx context.Context, tx *tx) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO opportunities (created_at) VALUES ($1) RETURNING id`,
		tx.now.UnixMicro()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert opportunity: %w", err)
	}
	return id, nil
}

// candidates returns the stored sightings that share a key with keys
// (distinct, as match.KeyHashes gives them): the perKey newest per key, the
// most shared first, at most maxCandidates. The other sightings of item
// are never candidates: the calls of one newsletter are distinct by the
// newsletter's word. The keys' lists come from the transaction's cache
// where it has them (see keyLists).
func candidates(ctx context.Context, tx *tx, keys []int64, item int64) ([]candidate, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	if err := lookUpKeys(ctx, tx, keys); err != nil {
		return nil, err
	}
	var ids []int64
	for _, k := range keys {
		ids = append(ids, tx.keyLists[k]...)
	}
	return loadCandidates(ctx, tx, topShared(ids, maxCandidates), item)
}

// topShared returns up to n distinct ids, those that occur most first,
// then the newest. It sorts ids.
func topShared(ids []int64, n int) []int64 {
	slices.Sort(ids)
	type run struct {
		id    int64
		count int
	}
	runs := make([]run, 0, len(ids))
	for i := 0; i < len(ids); {
		j := i + 1
		for j < len(ids) && ids[j] == ids[i] {
			j++
		}
		runs = append(runs, run{ids[i], j - i})
		i = j
	}
	slices.SortFunc(runs, func(a, b run) int { return cmp.Or(cmp.Compare(b.count, a.count), cmp.Compare(b.id, a.id)) })
	out := make([]int64, min(n, len(runs)))
	for i := range out {
		out[i] = runs[i].id
	}
	return out
}

// loadCandidates returns the sightings ids names, but those of item, in
// the order of their ids. A sighting written or read earlier in this
// transaction is taken from the transaction's cache: the newest sightings
// are the candidates of most new ones, and a group commit writes hundreds.
func loadCandidates(ctx context.Context, tx *tx, ids []int64, item int64) ([]candidate, error) {
	if err := readSightings(ctx, tx, ids); err != nil {
		return nil, err
	}
	out := make([]candidate, 0, len(ids))
	for _, id := range ids {
		if c, ok := tx.sightings[id]; ok && !c.gone && c.itemID != item {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b candidate) int { return cmp.Compare(a.id, b.id) })
	return out, nil
}

// sightingChunk bounds the sightings one read names.
const sightingChunk = 500

// readSightings caches the stored sightings of ids that the transaction
// has not read or written yet, with a statement per sightingChunk, and
// marks those that are gone (a key left behind names them).
func readSightings(ctx context.Context, tx *tx, ids []int64) error {
	missing := unread(ids, tx.sightings)
	for start := 0; start < len(missing); start += sightingChunk {
		part := missing[start:min(start+sightingChunk, len(missing))]
		var a args
		ph := make([]string, len(part))
		for i, id := range part {
			ph[i] = a.add(id)
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, opportunity_id, item_id, features FROM sightings WHERE id IN (`+
			strings.Join(ph, ", ")+`)`, a...)
		if err != nil {
			return fmt.Errorf("load candidates: %w", err)
		}
		read, err := collect(rows, func(sc interface{ Scan(...any) error }) (candidate, error) {
			var c candidate
			var f string
			if err := sc.Scan(&c.id, &c.opportunityID, &c.itemID, &f); err != nil {
				return c, err
			}
			if f != "" {
				decodeFeatures(f, &c.f) // a damaged row only fails to match
			}
			return c, nil
		})
		if err != nil {
			return fmt.Errorf("load candidates: %w", err)
		}
		for _, c := range read {
			tx.sighted(c)
		}
		for _, id := range part {
			if _, ok := tx.sightings[id]; !ok {
				tx.sighted(candidate{id: id, gone: true})
			}
		}
	}
	return nil
}

// lookUpFetchKeys reads, before a fetch's new items are matched, the
// lists of all the keys of their parts (lookUpKeys) and the stored
// sightings those lists make each part's candidates, with a statement or
// two for the fetch instead of two for each part. Matching the parts one
// by one then reads only what the fetch's own writes change.
func lookUpFetchKeys(ctx context.Context, tx *tx, parts [][]part) error {
	var keys []int64
	for _, ps := range parts {
		for _, p := range ps {
			keys = append(keys, p.keys...)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.Sort(keys)
	if err := lookUpKeys(ctx, tx, slices.Compact(keys)); err != nil {
		return err
	}
	var want []int64
	for _, ps := range parts {
		for _, p := range ps {
			var ids []int64
			for _, k := range p.keys {
				ids = append(ids, tx.keyLists[k]...)
			}
			want = append(want, topShared(ids, maxCandidates)...)
		}
	}
	slices.Sort(want)
	return readSightings(ctx, tx, slices.Compact(want))
}

// belowThreshold is the largest confidence that does not join: a link
// above it is Same.
var belowThreshold = math.Nextafter(match.Threshold, 0)

// bestLink returns the candidate with the most confident link to f that
// joins (Same), else no candidate and no link: every caller acts only on a
// joining link, so the conflicts and evidence of weaker ones are not
// worked out.
func bestLink(f match.Features, cands []candidate) (candidate, match.Link) {
	var best candidate
	var link match.Link
	for _, c := range cands {
		if l, ok := match.DecideAbove(f, c.f, max(link.Confidence, belowThreshold)); ok {
			best, link = c, l
		}
	}
	return best, link
}
