package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/scoutdev/scout/internal/scout"
)

// existing is what the upsert needs to know about a stored item.
type existing struct {
	id        int64
	key       string
	url       string
	title     string
	hash      string
	extractor string
	version   int64
	facts     oldFacts
}

// oldFacts are the stored facts an update compares to find what a new
// version amends; rec is the record column, decoded only on update.
type oldFacts struct {
	kind                     scout.Kind
	deadline, opens          sql.NullInt64
	rolling                  bool
	amountMin, amountMax     int64
	currency, funder, record string
}

// opportunity returns the stored facts as an opportunity.
func (f *oldFacts) opportunity() scout.Opportunity {
	o := scout.Opportunity{Kind: f.kind, Deadline: fromMicros(f.deadline), OpensAt: fromMicros(f.opens), Rolling: f.rolling,
		AmountMin: f.amountMin, AmountMax: f.amountMax, Currency: f.currency, Funder: f.funder}
	decodeRecord(f.record, &o)
	return o
}

// amendments returns what the new facet changes from the stored facts. A
// row stored before the record existed is compared on the facet alone, so
// that filling its record for the first time is not an amendment.
func amendments(old *oldFacts, eff scout.Opportunity) []scout.Change {
	prev := old.opportunity()
	if old.record == "" {
		eff.KeyDates, eff.Funding, eff.Criteria = scout.KeyDates{}, scout.Funding{}, scout.Eligibility{}
	}
	return scout.DiffFacts(&prev, &eff)
}

// upsertItems writes a fetch's items: new ones are inserted, changed ones
// updated with their version bumped, unchanged ones left alone. Identity is
// the item key (GUID, else URL, else content hash); an item whose GUID is new
// but whose URL and title match a stored item is that item (feeds that mint a
// fresh GUID on every fetch would otherwise duplicate everything).
//
// items are deduplicated by key (prepareFetch did it once for every
// attempt); they are copied here, since an attempt writes to them. parts,
// when not nil, are the sightParts of each item, worked out before the
// transaction (see prepareFetch); they serve the new items, whose facet
// the store does not change.
func upsertItems(ctx context.Context, tx *tx, src scout.Source, items []scout.Item, parts [][]part) (created, updated int, err error) {
	items = slices.Clone(items)
	if parts != nil && len(parts) != len(items) {
		return 0, 0, fmt.Errorf("upsert items: %d items, sightings worked out for %d", len(items), len(parts))
	}
	byKey, byURL, err := loadExisting(ctx, tx, src.ID, items)
	if err != nil {
		return 0, 0, err
	}
	olds := make([]*existing, len(items)) // nil for a new item
	var fresh []*scout.Item
	for i := range items {
		it := &items[i]
		it.SourceID = src.ID
		old, ok := byKey[it.Key()]
		if !ok && it.URL != "" {
			if o, found := byURL[it.URL]; found && o.title == it.Title {
				old, ok = o, true
			}
		}
		if ok {
			olds[i] = &old
		} else {
			fresh = append(fresh, it)
		}
	}
	if err := insertItems(ctx, tx, src, fresh); err != nil {
		return 0, 0, err
	}
	if parts != nil && !tx.noMatching {
		var freshParts [][]part
		for i := range items {
			if olds[i] == nil {
				freshParts = append(freshParts, parts[i])
			}
		}
		if err := lookUpFetchKeys(ctx, tx, freshParts); err != nil {
			return 0, 0, err
		}
	}
	var written []*scout.Item
	for i := range items {
		it, old := &items[i], olds[i]
		switch {
		case old == nil:
			var pts []part
			if parts != nil {
				pts = parts[i]
			} else if !tx.noMatching {
				pts = sightParts(it)
			}
			if err := announceItem(ctx, tx, src, it, pts); err != nil {
				return 0, 0, err
			}
			written = append(written, it)
			created++
		case old.hash != it.ContentHash || old.extractor != it.Opportunity.Extractor:
			if err := updateItem(ctx, tx, src, *old, it); err != nil {
				return 0, 0, err
			}
			written = append(written, it)
			updated++
		}
	}
	if err := linkEntities(ctx, tx, src, written); err != nil {
		return 0, 0, err
	}
	return created, updated, nil
}

func dedupeByKey(items []scout.Item) []scout.Item {
	seen := make(map[string]bool, len(items))
	out := items[:0:0]
	for _, it := range items {
		if k := it.Key(); !seen[k] {
			seen[k] = true
			out = append(out, it)
		}
	}
	return out
}

// loadExisting reads the stored items that share a key or URL with items,
// in chunks that stay under every engine's parameter limit.
func loadExisting(ctx context.Context, tx *tx, sourceID int64, items []scout.Item) (byKey, byURL map[string]existing, err error) {
	byKey, byURL = make(map[string]existing), make(map[string]existing)
	const chunk = 400
	for start := 0; start < len(items); start += chunk {
		part := items[start:min(start+chunk, len(items))]
		a := args{sourceID}
		keys, urls := make([]string, 0, len(part)), make([]string, 0, len(part))
		for _, it := range part {
			keys = append(keys, a.add(it.Key()))
		}
		for _, it := range part {
			if it.URL != "" {
				urls = append(urls, a.add(it.URL))
			}
		}
		cond := "key IN (" + strings.Join(keys, ", ") + ")"
		if len(urls) > 0 {
			cond = "(" + cond + " OR url IN (" + strings.Join(urls, ", ") + "))"
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, key, url, title, content_hash, extractor, version,
			kind, deadline, opens_at, rolling, amount_min, amount_max, currency, funder, record FROM items
			WHERE source_id = $1 AND `+cond, a...)
		if err != nil {
			return nil, nil, fmt.Errorf("load stored items: %w", err)
		}
		list, err := collect(rows, func(sc interface{ Scan(...any) error }) (existing, error) {
			var e existing
			f := &e.facts
			return e, sc.Scan(&e.id, &e.key, &e.url, &e.title, &e.hash, &e.extractor, &e.version,
				&f.kind, &f.deadline, &f.opens, &f.rolling, &f.amountMin, &f.amountMax, &f.currency, &f.funder, &f.record)
		})
		if err != nil {
			return nil, nil, fmt.Errorf("load stored items: %w", err)
		}
		for _, e := range list {
			byKey[e.key] = e
			if e.url != "" {
				if prev, ok := byURL[e.url]; !ok || e.id < prev.id {
					byURL[e.url] = e
				}
			}
		}
	}
	return byKey, byURL, nil
}

// storedSummary is what the summary column holds for it: nothing when the
// summary is the one its text gives (scout.TextSummary), which is then
// derived on read (summaryCol), so that the row and the full-text index do
// not hold the start of the text twice.
func storedSummary(it *scout.Item) (summary string, fromText bool) {
	if it.Summary != "" && it.Summary == scout.TextSummary(it.ContentText) {
		return "", true
	}
	return it.Summary, false
}

// itemValues are the content columns shared by insert and update, in order;
// base is the facet_base value (see effectiveFacet).
func itemValues(it *scout.Item, base string) []any {
	o := &it.Opportunity
	summary, fromText := storedSummary(it)
	return append([]any{it.GUID, it.URL, it.Title, summary, it.ContentHTML, it.ContentText, it.Author, it.ImageURL,
		it.PublishedAt.UnixMicro(), it.DateEstimated, mustJSON(orEmpty(it.Enclosures)), mustJSON(orEmpty(it.Categories)), it.ContentHash,
		string(o.Kind), o.KindConfidence, micros(o.Deadline), micros(o.OpensAt), o.Rolling, o.AmountMin, o.AmountMax, o.Currency,
		o.Funder, o.Location, mustJSON(orEmpty(o.Eligibility)), mustJSON(orEmpty(o.Disciplines)), o.Extractor, mustJSON(orEmptyMap(o.Provenance)), base, fromText},
		recordValues(o)...)
}

const itemValueCols = `guid, url, title, summary, content_html, content_text, author, image_url, published_at, date_estimated,
	enclosures, categories, content_hash, kind, kind_confidence, deadline, opens_at, rolling, amount_min, amount_max, currency,
	funder, location, eligibility, disciplines, extractor, provenance, facet_base, summary_from_text, ` + recordCols

// itemChunkParams bounds the parameters of one multi-row item insert,
// under every engine's limit (SQLite's is 32,766).
const itemChunkParams = 30000

// insertItems inserts a fetch's new items with one multi-row statement per
// chunk, instead of one round trip each, and sets their ids. The rows come
// back in no promised order, so each id is matched to its item by key,
// which is unique within the source.
func insertItems(ctx context.Context, tx *tx, src scout.Source, items []*scout.Item) error {
	if len(items) == 0 {
		return nil
	}
	// The values, the key, and the source and times each row repeats: on
	// SQLite every use is a parameter of its own (see positional).
	perRow := strings.Count(itemValueCols, ",") + 2 + 3
	chunk := max(1, itemChunkParams/perRow)
	for start := 0; start < len(items); start += chunk {
		part := items[start:min(start+chunk, len(items))]
		a := args{src.ID, tx.now.UnixMicro()}
		rows := make([]string, len(part))
		byKey := make(map[string]*scout.Item, len(part))
		for i, it := range part {
			ph := make([]string, 0, perRow+3)
			for _, v := range append(itemValues(it, ""), it.Key()) { // a new item has no enrichments yet
				ph = append(ph, a.add(v))
			}
			rows[i] = "(" + strings.Join(append(ph, "$1", "$2", "$2"), ", ") + ")"
			byKey[it.Key()] = it
		}
		q := `INSERT INTO items (` + itemValueCols + `, key, source_id, created_at, updated_at) VALUES ` + strings.Join(rows, ", ") +
			` RETURNING id, key`
		got, err := tx.QueryContext(ctx, q, a...)
		if err != nil {
			return fmt.Errorf("insert %d items: %w", len(part), err)
		}
		n := 0
		err = scanEach(got, func(sc interface{ Scan(...any) error }) error {
			var id int64
			var key string
			if err := sc.Scan(&id, &key); err != nil {
				return err
			}
			it, ok := byKey[key]
			if !ok {
				return fmt.Errorf("the insert returned key %q, which no item has", key)
			}
			it.ID, it.Version, it.CreatedAt, it.UpdatedAt = id, 1, tx.now, tx.now
			tx.inserted(id)
			n++
			return nil
		})
		if err == nil && n != len(part) {
			err = fmt.Errorf("the insert returned %d rows", n)
		}
		if err != nil {
			return fmt.Errorf("insert %d items: %w", len(part), err)
		}
	}
	return nil
}

// announceItem writes the created event and the sightings (parts) of an
// item insertItems stored.
func announceItem(ctx context.Context, tx *tx, src scout.Source, it *scout.Item, parts []part) error {
	if err := insertEvent(ctx, tx, itemEvent(scout.EventItemCreated, src, *it)); err != nil {
		return err
	}
	return sightItem(ctx, tx, src, it, true, parts)
}

func updateItem(ctx context.Context, tx *tx, src scout.Source, old existing, it *scout.Item) error {
	if err := tx.indexText(ctx); err != nil {
		return err
	}
	eff, base, err := effectiveFacet(ctx, tx, old.id, it.Opportunity)
	if err != nil {
		return fmt.Errorf("update item %d: %w", old.id, err)
	}
	it.Opportunity = eff
	changes := amendments(&old.facts, eff)
	a := args(itemValues(it, base))
	cols := strings.Split(itemValueCols, ",")
	sets := make([]string, len(cols))
	for i, c := range cols {
		c = strings.TrimSpace(c)
		sets[i] = fmt.Sprintf("%s = $%d", c, i+1)
		if c == "published_at" {
			// A date Scout estimated keeps the first estimate, so an edit does
			// not move the item to the top of the list.
			sets[i] = fmt.Sprintf("published_at = CASE WHEN $%d THEN published_at ELSE $%d END", 10, i+1)
		}
	}
	q := `UPDATE items SET ` + strings.Join(sets, ", ") + `, updated_at = ` + a.add(tx.now.UnixMicro()) +
		`, deleted_at = NULL, version = version + 1 WHERE id = ` + a.add(old.id)
	if _, err := tx.ExecContext(ctx, q, a...); err != nil {
		return fmt.Errorf("update item %d: %w", old.id, err)
	}
	it.ID, it.Version, it.UpdatedAt = old.id, old.version+1, tx.now
	if _, err := tx.ExecContext(ctx, `DELETE FROM item_entities WHERE item_id = $1`, it.ID); err != nil {
		return fmt.Errorf("clear entities of item %d: %w", it.ID, err)
	}
	if err := insertEvent(ctx, tx, itemEvent(scout.EventItemUpdated, src, *it)); err != nil {
		return err
	}
	if err := amend(ctx, tx, src, it, changes); err != nil {
		return err
	}
	if tx.noMatching {
		return nil
	}
	return sightItem(ctx, tx, src, it, false, sightParts(it))
}

// linkEntities upserts the entities the written items name and links them
// with their roles. A new entity gets an entity.created event naming the
// first item that names it and carrying the owner and visibility of the
// items' source, so that names read from a private feed reach only those
// who may see the feed.
//
// The entities are upserted after the items, in one pass sorted by type and
// key. Concurrent fetches that name the same new entities then take their
// locks in one order, late in the transaction: one waits briefly for the
// other's commit, and neither waits for the other in turn (a deadlock, when
// each inserted one the other needs).
func linkEntities(ctx context.Context, tx *tx, src scout.Source, items []*scout.Item) error {
	first := map[entityKey]namedEntity{}
	for _, it := range items {
		for _, ie := range it.Entities {
			e := entityKeyed(ie.Entity)
			k := entityKey{string(e.Type), truncate(e.Key, 500)}
			if _, ok := first[k]; !ok && e.Key != "" && e.Type != "" {
				first[k] = namedEntity{e, it.ID}
			}
		}
	}
	ids, err := upsertEntities(ctx, tx, src, first)
	if err != nil {
		return err
	}
	var links []any // item, entity, role, confidence, span: one link a row
	for _, it := range items {
		for _, ie := range it.Entities {
			e := entityKeyed(ie.Entity)
			if id, ok := ids[entityKey{string(e.Type), truncate(e.Key, 500)}]; ok {
				links = append(links, it.ID, id, ie.Role, ie.Confidence, truncate(ie.Span, 500))
			}
		}
	}
	return insertLinks(ctx, tx, links)
}

// linkChunk bounds the links of one statement, under every engine's
// parameter limit (5 a link).
const linkChunk = 1000

// insertLinks writes item-entity links, five values each, with one
// multi-row statement per linkChunk links instead of one per link.
func insertLinks(ctx context.Context, tx *tx, links []any) error {
	for start := 0; start < len(links); start += 5 * linkChunk {
		part := links[start:min(start+5*linkChunk, len(links))]
		rows := make([]string, 0, len(part)/5)
		for i := 0; i < len(part); i += 5 {
			rows = append(rows, fmt.Sprintf("($%d, $%d, $%d, $%d, $%d)", i+1, i+2, i+3, i+4, i+5))
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO item_entities (item_id, entity_id, role, confidence, span) VALUES `+
			strings.Join(rows, ", ")+` ON CONFLICT (item_id, entity_id, role) DO NOTHING`, part...)
		if err != nil {
			return fmt.Errorf("link %d entities: %w", len(rows), err)
		}
	}
	return nil
}

// entityKeyed fills in an entity's key from its name when it has none.
func entityKeyed(e scout.Entity) scout.Entity {
	if e.Key == "" {
		e.Key = strings.ToLower(strings.TrimSpace(e.Name))
	}
	return e
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func orEmptyMap[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return map[K]V{}
	}
	return m
}

// entityKey is an entity's type and (truncated) key, its identity.
type entityKey struct{ typ, key string }

// namedEntity is an entity with the first written item that names it.
type namedEntity struct {
	e      scout.Entity
	itemID int64
}

// entityChunk bounds the entities of one statement, under every engine's
// parameter limit (five a row at most).
const entityChunk = 400

// upsertEntities returns the ids of the entities named, creating those
// that do not exist, with a statement per entityChunk entities instead of
// one or two each. Only the transaction whose insert wins announces an
// entity: DO NOTHING returns no row for one that exists or that a
// concurrent writer just committed, and those are read again. The inserts
// run in one order, sorted by type and key (see linkEntities).
func upsertEntities(ctx context.Context, tx *tx, src scout.Source, named map[entityKey]namedEntity) (map[entityKey]int64, error) {
	ids := make(map[entityKey]int64, len(named))
	var missing []entityKey
	for k := range named {
		if id, ok := tx.entityIDs[k.typ+"\x00"+k.key]; ok {
			ids[k] = id
		} else {
			missing = append(missing, k)
		}
	}
	// Most entities exist already (the same funders and disciplines
	// recur), so read first and insert only what the read does not find.
	missing, err := readEntities(ctx, tx, missing, ids)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(missing, func(a, b entityKey) int {
		return cmp.Or(strings.Compare(a.typ, b.typ), strings.Compare(a.key, b.key))
	})
	var raced []entityKey // committed by a concurrent writer since the read
	for start := 0; start < len(missing); start += entityChunk {
		part := missing[start:min(start+entityChunk, len(missing))]
		a := args{tx.now.UnixMicro()}
		rows := make([]string, len(part))
		for i, k := range part {
			rows[i] = "(" + a.add(k.typ) + ", " + a.add(truncate(named[k].e.Name, 500)) + ", " + a.add(k.key) + ", $1, $1)"
		}
		got, err := tx.QueryContext(ctx, `INSERT INTO entities (type, name, key, created_at, updated_at) VALUES `+strings.Join(rows, ", ")+
			` ON CONFLICT (type, key) DO NOTHING RETURNING id, type, key`, a...)
		if err != nil {
			return nil, fmt.Errorf("upsert %d entities: %w", len(part), err)
		}
		inserted := map[entityKey]int64{}
		if err := scanEach(got, func(sc interface{ Scan(...any) error }) error {
			var k entityKey
			var id int64
			err := sc.Scan(&id, &k.typ, &k.key)
			inserted[k] = id
			return err
		}); err != nil {
			return nil, fmt.Errorf("upsert %d entities: %w", len(part), err)
		}
		for _, k := range part { // announced in the sorted order
			id, ok := inserted[k]
			if !ok {
				raced = append(raced, k)
				continue
			}
			ids[k], tx.entityIDs[k.typ+"\x00"+k.key] = id, id
			if err := announceEntity(ctx, tx, src, named[k].itemID, id, named[k].e); err != nil {
				return nil, err
			}
		}
	}
	if raced, err = readEntities(ctx, tx, raced, ids); err != nil {
		return nil, err
	}
	if len(raced) > 0 {
		return nil, fmt.Errorf("entity %s %q: neither inserted nor found", raced[0].typ, raced[0].key)
	}
	return ids, nil
}

// readEntities sets the ids of the stored entities of keys in ids (and the
// transaction's cache) and returns the keys it did not find.
func readEntities(ctx context.Context, tx *tx, keys []entityKey, ids map[entityKey]int64) ([]entityKey, error) {
	var missing []entityKey
	for start := 0; start < len(keys); start += entityChunk {
		part := keys[start:min(start+entityChunk, len(keys))]
		var a args
		pairs := make([]string, len(part))
		for i, k := range part {
			pairs[i] = "(" + a.add(k.typ) + ", " + a.add(k.key) + ")"
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, type, key FROM entities WHERE (type, key) IN (VALUES `+strings.Join(pairs, ", ")+`)`, a...)
		if err != nil {
			return nil, fmt.Errorf("read %d entities: %w", len(part), err)
		}
		if err := scanEach(rows, func(sc interface{ Scan(...any) error }) error {
			var k entityKey
			var id int64
			if err := sc.Scan(&id, &k.typ, &k.key); err != nil {
				return err
			}
			ids[k], tx.entityIDs[k.typ+"\x00"+k.key] = id, id
			return nil
		}); err != nil {
			return nil, fmt.Errorf("read %d entities: %w", len(part), err)
		}
		for _, k := range part {
			if _, ok := ids[k]; !ok {
				missing = append(missing, k)
			}
		}
	}
	return missing, nil
}
