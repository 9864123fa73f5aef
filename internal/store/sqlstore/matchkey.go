package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/scoutdev/scout/internal/match"
)

// A sighting's blocking keys are stored as 64-bit hashes in one table
// keyed (key, sighting_id), with no index by sighting and no foreign key
// (see migration 00061): whatever deletes a sighting deletes its keys,
// recomputed from the features stored with it. A key left behind (a
// sighting deleted by a cascade the store did not see) names an id no
// sighting will have again, and the candidates' read skips it.

// keyed is a stored sighting with what its keys are recomputed from.
type keyed struct {
	id, opportunityID int64
	features          string
	version           int64 // read only where a sighting departs (dropParts)
}

func scanKeyed(sc interface{ Scan(...any) error }) (keyed, error) {
	var g keyed
	return g, sc.Scan(&g.id, &g.opportunityID, &g.features)
}

// storedKeys returns the keys a sighting with these stored features was
// written under; none for a sighting not yet matched (no features).
func storedKeys(features string) []int64 {
	if features == "" {
		return nil
	}
	var f match.Features
	decodeFeatures(features, &f)
	return match.KeyHashes(f)
}

// insertKeys stores sighting sid under keys (distinct). The rows wait in
// the transaction until a statement reads or deletes keys, or the
// transaction commits (flushKeys), so that a fetch's sightings write their
// keys with one statement, not one each.
func insertKeys(ctx context.Context, tx *tx, sid int64, keys []int64) error {
	for _, k := range keys {
		tx.pendingKeys = append(tx.pendingKeys, [2]int64{k, sid})
		if l, ok := tx.keyLists[k]; ok {
			tx.keyLists[k] = listed(l, sid)
		}
	}
	if len(tx.pendingKeys) >= pendingChunk {
		return flushKeys(ctx, tx)
	}
	return nil
}

// pendingChunk bounds the keys one insert writes (two parameters each).
const pendingChunk = 5000

// flushKeys writes the keys insertKeys holds, sorted, with one statement
// per pendingChunk.
func flushKeys(ctx context.Context, tx *tx) error {
	pend := tx.pendingKeys
	if len(pend) == 0 {
		return nil
	}
	slices.SortFunc(pend, func(a, b [2]int64) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	for start := 0; start < len(pend); start += pendingChunk {
		part := pend[start:min(start+pendingChunk, len(pend))]
		a := make(args, 0, 2*len(part))
		vals := make([]string, len(part))
		for i, p := range part {
			vals[i] = "(" + a.add(p[0]) + ", " + a.add(p[1]) + ")"
		}
		_, err := tx.ExecContext(ctx, insertIgnoring(tx.d, "match_keys (key, sighting_id) VALUES "+strings.Join(vals, ", ")), a...)
		if err != nil {
			return fmt.Errorf("insert %d match keys: %w", len(part), err)
		}
	}
	tx.pendingKeys = pend[:0]
	return nil
}

// IgnoringInserter is implemented by dialects whose plain "ON CONFLICT DO
// NOTHING" insert costs more than one that skips every row a constraint
// rejects. SQLite copies each page a multi-row statement changes into a
// statement journal (a temporary file once it passes 64 KiB) whenever the
// statement could abort halfway, as a NOT NULL column's check could; a
// sighting's keys, random hashes, change a page each, which made the
// journal two fifths of the keys' insert.
type IgnoringInserter interface {
	// InsertIgnoring returns the statement that inserts into (the table,
	// its columns and its VALUES follow) and skips a rejected row.
	InsertIgnoring(into string) string
}

// insertIgnoring returns the insert of into that skips rows already stored:
// the dialect's own where it has one.
func insertIgnoring(d Dialect, into string) string {
	if ii, ok := d.(IgnoringInserter); ok {
		return ii.InsertIgnoring(into)
	}
	return "INSERT INTO " + into + " ON CONFLICT DO NOTHING"
}

// deleteKeys removes sighting sid from keys.
func deleteKeys(ctx context.Context, tx *tx, sid int64, keys []int64) error {
	if len(keys) == 0 {
		return nil
	}
	if err := flushKeys(ctx, tx); err != nil {
		return err
	}
	a := args{sid}
	ph := make([]string, len(keys))
	for i, k := range keys {
		ph[i] = a.add(k)
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM match_keys WHERE sighting_id = $1 AND key IN (`+strings.Join(ph, ", ")+`)`, a...)
	if err != nil {
		return fmt.Errorf("delete match keys of sighting %d: %w", sid, err)
	}
	for _, k := range keys {
		if l, ok := tx.keyLists[k]; ok {
			if l, ok = unlisted(l, sid); ok {
				tx.keyLists[k] = l
			} else {
				delete(tx.keyLists, k)
			}
		}
	}
	return nil
}

// A write transaction keeps, for each blocking key it looked up, the ids
// of the perKey newest sightings under it, newest first (fewer when the
// key has fewer: then all of them), and keeps that list exact through
// the keys it inserts and deletes, so that a key is read once per
// transaction however many of its sightings share it: a fetch's items
// share their feed's boilerplate (its signature's bands), funder and
// deadlines, and a group commit's fetches share more. A fetch's keys are
// read together, before its items are matched (see lookUpFetchKeys).

// listed returns l with sid added where it belongs, l's length kept at
// most perKey: a full list holds the newest, so an older id than its last
// stays out of it.
func listed(l []int64, sid int64) []int64 {
	i, found := slices.BinarySearchFunc(l, sid, func(a, b int64) int { return cmp.Compare(b, a) })
	if found || (i == len(l) && len(l) >= perKey) {
		return l
	}
	l = slices.Insert(slices.Clip(l), i, sid)
	if len(l) > perKey {
		l = l[:perKey]
	}
	return l
}

// unlisted returns l without sid, and false when that leaves it unknown:
// sid was in a full list, whose next newest id the transaction never read.
func unlisted(l []int64, sid int64) ([]int64, bool) {
	i := slices.Index(l, sid)
	switch {
	case i < 0:
		return l, true
	case len(l) >= perKey:
		return nil, false
	}
	return slices.Delete(slices.Clone(l), i, i+1), true
}

// keyChunk bounds the keys one lookup reads.
const keyChunk = 1000

// lookUpKeys reads the lists of those of keys the transaction has not read
// yet (see listed), with one statement per keyChunk keys whose text does
// not depend on their number.
func lookUpKeys(ctx context.Context, tx *tx, keys []int64) error {
	missing := unread(keys, tx.keyLists)
	if tx.keyLists == nil {
		tx.keyLists = map[int64][]int64{}
	}
	if len(missing) > 0 {
		if err := flushKeys(ctx, tx); err != nil {
			return err
		}
	}
	for start := 0; start < len(missing); start += keyChunk {
		part := missing[start:min(start+keyChunk, len(missing))]
		from, arg := tx.d.Int64List("$1", "k", part)
		// The lists come back as one text, not a row each: a few hundred
		// rows crossing database/sql cost more than the engine's work to
		// find them.
		var list sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT string_agg(x, ';') FROM (SELECT CAST(k.value AS TEXT) || ':' ||
			(SELECT string_agg(CAST(sighting_id AS TEXT), ',') FROM (SELECT sighting_id FROM match_keys WHERE key = k.value
				ORDER BY sighting_id DESC LIMIT `+strconv.Itoa(perKey)+`) s) AS x FROM `+from+`) u`, arg).Scan(&list)
		if err != nil {
			return fmt.Errorf("look up %d match keys: %w", len(part), err)
		}
		for _, k := range part {
			tx.keyLists[k] = nil
		}
		if err := parseKeyLists(list.String, tx.keyLists); err != nil {
			return fmt.Errorf("look up %d match keys: %w", len(part), err)
		}
		for _, k := range part {
			slices.SortFunc(tx.keyLists[k], func(a, b int64) int { return cmp.Compare(b, a) })
		}
	}
	return nil
}

// unread returns the ids that have no entry in m.
func unread[V any](ids []int64, m map[int64]V) []int64 {
	var out []int64
	for _, id := range ids {
		if _, ok := m[id]; !ok {
			out = append(out, id)
		}
	}
	return out
}

// parseKeyLists sets the lists of the keys s names: "key:id,id,…" of
// decimal numbers, a key's sightings after its colon, joined by
// semicolons. A key without sightings is left out.
func parseKeyLists(s string, lists map[int64][]int64) error {
	if s == "" {
		return nil
	}
	for f := range strings.SplitSeq(s, ";") {
		ks, rest, ok := strings.Cut(f, ":")
		k, err := strconv.ParseInt(ks, 10, 64)
		if !ok || err != nil {
			return fmt.Errorf("key list %q: no key", f)
		}
		var ids []int64
		for v := range strings.SplitSeq(rest, ",") {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return fmt.Errorf("key list %q: %w", f, err)
			}
			ids = append(ids, id)
		}
		lists[k] = ids
	}
	return nil
}

// replaceKeys moves sighting sid from the keys old to the keys now (both
// sorted and distinct), writing only the difference: a re-fetched item
// whose features did not change writes nothing.
func replaceKeys(ctx context.Context, tx *tx, sid int64, old, now []int64) error {
	gone, added := sortedMinus(old, now), sortedMinus(now, old)
	if err := deleteKeys(ctx, tx, sid, gone); err != nil {
		return err
	}
	return insertKeys(ctx, tx, sid, added)
}

// sortedMinus returns the elements of a (sorted) that b (sorted) lacks.
func sortedMinus(a, b []int64) []int64 {
	var out []int64
	j := 0
	for _, x := range a {
		for j < len(b) && b[j] < x {
			j++
		}
		if j == len(b) || b[j] != x {
			out = append(out, x)
		}
	}
	return out
}

// deleteKeysOfItems removes the keys of every sighting of the items whose
// ids the placeholders in name (bound in a), before the items go.
func deleteKeysOfItems(ctx context.Context, tx *tx, in string, a args) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, opportunity_id, features FROM sightings WHERE item_id IN (`+in+`)`, a...)
	if err != nil {
		return fmt.Errorf("read sightings of deleted items: %w", err)
	}
	list, err := collect(rows, scanKeyed)
	if err != nil {
		return fmt.Errorf("read sightings of deleted items: %w", err)
	}
	for _, g := range list {
		delete(tx.sightings, g.id)
		if err := deleteKeys(ctx, tx, g.id, storedKeys(g.features)); err != nil {
			return err
		}
	}
	return nil
}

// rebuiltKey is the meta row that migration 00061 leaves: the keys of the
// sightings up to its id are rebuilt.
const rebuiltKey = "match_keys_rebuilt_to"

// RebuildMatchKeys writes the keys of the sightings stored before keys
// were hashes (see migration 00061), 500 sightings per transaction, from
// their stored features; a no-op once done. It runs after the migrations,
// before the store serves, so no new sighting is matched against a store
// whose older keys are missing.
func (s *Store) RebuildMatchKeys(ctx context.Context) error {
	for {
		done := true
		err := s.write(ctx, func(tx *tx) error {
			var v string
			err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = $1`, rebuiltKey).Scan(&v)
			if err != nil {
				if errors.Is(err, sql.ErrNoRows) {
					return nil
				}
				return err
			}
			from, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return fmt.Errorf("meta %s = %q: %w", rebuiltKey, v, err)
			}
			last, err := rebuildKeys(ctx, tx, from, 500)
			if err != nil {
				return err
			}
			if last == from {
				_, err = tx.ExecContext(ctx, `DELETE FROM meta WHERE key = $1`, rebuiltKey)
				return err
			}
			done = false
			_, err = tx.ExecContext(ctx, `UPDATE meta SET value = $1 WHERE key = $2`, strconv.FormatInt(last, 10), rebuiltKey)
			return err
		})
		if err != nil {
			return fmt.Errorf("rebuild match keys: %w", err)
		}
		if done {
			return nil
		}
	}
}

// rebuildKeys writes the keys of up to limit matched sightings with ids
// above from and returns the last id written (from when there are none).
func rebuildKeys(ctx context.Context, tx *tx, from int64, limit int) (int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, opportunity_id, features FROM sightings WHERE id > $1 AND features <> ''
		ORDER BY id LIMIT $2`, from, limit)
	if err != nil {
		return 0, err
	}
	list, err := collect(rows, scanKeyed)
	if err != nil {
		return 0, err
	}
	for _, g := range list {
		if err := insertKeys(ctx, tx, g.id, storedKeys(g.features)); err != nil {
			return 0, err
		}
		from = g.id
	}
	return from, nil
}
