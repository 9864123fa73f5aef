package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

const sourceCols = `s.id, COALESCE(s.owner_id, 0), s.kind, s.url, s.host, s.site_url, s.title, s.description, s.visibility, s.paused, s.status,
	s.min_interval_s, s.max_interval_s, s.etag, s.last_modified, s.interval_s, s.next_fetch_at, s.lease_until,
	s.last_fetched_at, s.last_success_at, s.error_count, s.last_error_class, s.last_error,
	s.created_at, s.updated_at, s.deleted_at, s.version, s.config, s.page_hash,
	COALESCE((SELECT ` + tagAgg + ` FROM source_tags t WHERE t.source_id = s.id), '')`

// tagAgg concatenates a source's tags with a newline, which tags may not
// contain (scout.ValidateTags). string_agg is spelled the same on both engines.
const tagAgg = "string_agg(t.tag, '\n')"

func scanSource(sc interface{ Scan(...any) error }) (scout.Source, error) {
	var s scout.Source
	var minI, maxI, interval int64
	var next, lease, fetched, success, created, updated, deleted sql.NullInt64
	var class, tags, config string
	err := sc.Scan(&s.ID, &s.OwnerID, &s.Kind, &s.URL, &s.Host, &s.SiteURL, &s.Title, &s.Description, &s.Visibility, &s.Paused, &s.Status,
		&minI, &maxI, &s.ETag, &s.LastModified, &interval, &next, &lease,
		&fetched, &success, &s.ErrorCount, &class, &s.LastError,
		&created, &updated, &deleted, &s.Version, &config, &s.PageHash, &tags)
	if config != "" {
		s.Config = json.RawMessage(config)
	}
	s.MinInterval, s.MaxInterval, s.Interval = time.Duration(minI)*time.Second, time.Duration(maxI)*time.Second, time.Duration(interval)*time.Second
	s.NextFetchAt, s.LeaseUntil, s.LastFetchedAt, s.LastSuccessAt = fromMicros(next), fromMicros(lease), fromMicros(fetched), fromMicros(success)
	s.CreatedAt, s.UpdatedAt, s.DeletedAt = fromMicros(created), fromMicros(updated), fromMicros(deleted)
	s.LastErrorClass = scout.ErrorClass(class)
	if tags != "" {
		s.Tags = strings.Split(tags, "\n")
		sortStrings(s.Tags)
	}
	return s, err
}

func nullOwner(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// newSource fills in the defaults of a source to create and validates it.
func newSource(src scout.Source) (scout.Source, error) {
	if src.Kind == "" {
		src.Kind = scout.SourceFeed
	}
	if src.Visibility == "" {
		src.Visibility = scout.VisibilityPrivate
	}
	src.Tags = dedupeStrings(src.Tags)
	return src, src.Validate()
}

// CreateSource stores a source and queues its first fetch.
func (s *Store) CreateSource(ctx context.Context, src scout.Source) (scout.Source, error) {
	src, err := newSource(src)
	if err != nil {
		return scout.Source{}, err
	}
	var out scout.Source
	err = s.writeEvents(ctx, func(tx *tx) error {
		var err error
		out, err = s.createSource(ctx, tx, src)
		return err
	})
	if err != nil {
		return scout.Source{}, fmt.Errorf("create source %q: %w", src.URL, err)
	}
	return out, nil
}

// AddSource returns the same source if one is stored, else creates it. The
// look-up and the insert are one transaction; when a concurrent add of the
// same source by the same owner commits between them (PostgreSQL), the
// unique index refuses the insert and the look-up, run again, finds it.
func (s *Store) AddSource(ctx context.Context, src scout.Source) (scout.Source, bool, error) {
	src, err := newSource(src)
	if err != nil {
		return scout.Source{}, false, err
	}
	for attempt := 1; ; attempt++ {
		var out scout.Source
		created := false
		err := s.writeEvents(ctx, func(tx *tx) error {
			var err error
			if out, err = sameSource(ctx, tx, src); err != scout.ErrNotFound {
				return err
			}
			created = true
			out, err = s.createSource(ctx, tx, src)
			return err
		})
		if errors.Is(err, scout.ErrConflict) && attempt < 3 {
			continue
		}
		if err != nil {
			return scout.Source{}, false, fmt.Errorf("add source %q: %w", src.URL, err)
		}
		return out, created, nil
	}
}

// sameSource returns the live source that is the same source as src: the
// owner's own first, else a public one (the oldest). ErrNotFound if none.
func sameSource(ctx context.Context, q querier, src scout.Source) (scout.Source, error) {
	out, err := scanSource(q.QueryRowContext(ctx, `SELECT `+sourceCols+` FROM sources s
		WHERE s.url_key = $1 AND s.kind = $2 AND s.config_key = $3 AND s.deleted_at IS NULL
			AND (COALESCE(s.owner_id, 0) = $4 OR s.visibility = 'public')
		ORDER BY CASE WHEN COALESCE(s.owner_id, 0) = $4 THEN 0 ELSE 1 END, s.id LIMIT 1`,
		scout.URLKey(src.URL), src.Kind, scout.ConfigKey(src.Config), src.OwnerID))
	if err == sql.ErrNoRows {
		return scout.Source{}, scout.ErrNotFound
	}
	return out, err
}

func (s *Store) createSource(ctx context.Context, tx *tx, src scout.Source) (scout.Source, error) {
	next := src.NextFetchAt
	if next.IsZero() {
		next = tx.now
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO sources (owner_id, kind, url, site_url, title, description, visibility, paused, status,
			min_interval_s, max_interval_s, next_fetch_at, created_at, updated_at, config, host, url_key, config_key)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'ok', $9, $10, $11, $12, $12, $13, $14, $15, $16) RETURNING id`,
		nullOwner(src.OwnerID), src.Kind, src.URL, src.SiteURL, src.Title, src.Description, src.Visibility, src.Paused,
		int64(src.MinInterval/time.Second), int64(src.MaxInterval/time.Second), next.UnixMicro(), tx.now.UnixMicro(), string(src.Config),
		scout.HostKey(src.URL), scout.URLKey(src.URL), scout.ConfigKey(src.Config)).Scan(&id)
	if err != nil {
		return scout.Source{}, s.translate(err)
	}
	if err := setTags(ctx, tx, id, src.Tags); err != nil {
		return scout.Source{}, err
	}
	out, err := getSource(ctx, tx, id)
	if err != nil {
		return scout.Source{}, err
	}
	return out, insertEvent(ctx, tx, sourceEvent(scout.EventSourceCreated, out))
}

func setTags(ctx context.Context, tx *tx, id int64, tags []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM source_tags WHERE source_id = $1`, id); err != nil {
		return fmt.Errorf("clear tags: %w", err)
	}
	for _, t := range tags {
		if _, err := tx.ExecContext(ctx, `INSERT INTO source_tags (source_id, tag) VALUES ($1, $2)`, id, t); err != nil {
			return fmt.Errorf("add tag %q: %w", t, err)
		}
	}
	return nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func getSource(ctx context.Context, q querier, id int64) (scout.Source, error) {
	src, err := scanSource(q.QueryRowContext(ctx, `SELECT `+sourceCols+` FROM sources s WHERE s.id = $1 AND s.deleted_at IS NULL`, id))
	if err == sql.ErrNoRows {
		return scout.Source{}, scout.ErrNotFound
	}
	return src, err
}

// SeedSources creates the default sources once per database.
func (s *Store) SeedSources(ctx context.Context, sources []scout.Source) (int, error) {
	created := 0
	err := s.writeEvents(ctx, func(tx *tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('seeded_sources', $1) ON CONFLICT (key) DO NOTHING`,
			tx.now.Format(time.RFC3339))
		if err != nil {
			return fmt.Errorf("mark seeded: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // seeded before
		}
		for _, src := range sources {
			if err := src.Validate(); err != nil {
				return fmt.Errorf("seed %q: %w", src.URL, err)
			}
			if _, err := s.createSource(ctx, tx, src); err != nil {
				return fmt.Errorf("seed %q: %w", src.URL, err)
			}
			created++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("seed sources: %w", err)
	}
	return created, nil
}

// GetSource returns a live source.
func (s *Store) GetSource(ctx context.Context, id int64) (scout.Source, error) {
	src, err := getSource(ctx, s.R, id)
	if err != nil {
		return scout.Source{}, fmt.Errorf("get source %d: %w", id, err)
	}
	return src, nil
}

// visibleSource returns the condition that a source aliased s is live and
// visible to v.
func visibleSource(a *args, v store.Viewer) string {
	c := "s.deleted_at IS NULL"
	switch {
	case v.OwnedOnly:
		c += " AND s.owner_id = " + a.add(v.UserID)
	case !v.Admin:
		c += " AND (s.visibility = 'public' OR s.owner_id = " + a.add(v.UserID) + ")"
	}
	return c
}

// ListSources returns sources in id order.
func (s *Store) ListSources(ctx context.Context, f store.SourceFilter) (store.Page[scout.Source], error) {
	var a args
	conds := []string{visibleSource(&a, f.Viewer)}
	if f.OwnerID != 0 {
		conds = append(conds, "s.owner_id = "+a.add(f.OwnerID))
	}
	if f.Status != "" {
		conds = append(conds, pendingStatus+" = "+a.add(f.Status)) // pending is ok, never fetched
	}
	if f.Tag != "" {
		conds = append(conds, "EXISTS (SELECT 1 FROM source_tags t WHERE t.source_id = s.id AND t.tag = "+a.add(f.Tag)+")")
	}
	page, err := idPage(ctx, s, `SELECT `+sourceCols+` FROM sources s`, "s.id", false, a, conds, f.PageRequest, scanSource,
		func(s scout.Source) int64 { return s.ID })
	if err != nil {
		return page, fmt.Errorf("list sources: %w", err)
	}
	return page, nil
}

// UpdateSource changes the non-nil fields of u.
func (s *Store) UpdateSource(ctx context.Context, id int64, u store.SourceUpdate) (scout.Source, error) {
	var out scout.Source
	// Run again if a departure (revealSightings) finds its opportunity
	// deleted by a concurrent writer (see flushDepartures).
	err := s.writeRetried(ctx, func(tx *tx) error {
		cur, err := getSource(ctx, tx, id)
		if err != nil {
			return err
		}
		oldURL, oldVisibility := cur.URL, cur.Visibility
		applySourceUpdate(&cur, u)
		if err := cur.Validate(); err != nil {
			return err
		}
		if cur.Visibility != oldVisibility {
			if err := revealSightings(ctx, tx, id); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE sources SET title = $1, visibility = $2, paused = $3, min_interval_s = $4,
			max_interval_s = $5, updated_at = $6, version = version + 1 WHERE id = $7`,
			cur.Title, cur.Visibility, cur.Paused, int64(cur.MinInterval/time.Second), int64(cur.MaxInterval/time.Second),
			tx.now.UnixMicro(), id)
		if err != nil {
			return s.translate(err)
		}
		if cur.URL != oldURL {
			if err := moveSource(ctx, tx, id, cur.URL); err != nil {
				return s.translate(err)
			}
		}
		if u.Tags != nil {
			if err := setTags(ctx, tx, id, cur.Tags); err != nil {
				return err
			}
		}
		if out, err = getSource(ctx, tx, id); err != nil {
			return err
		}
		return insertEvent(ctx, tx, sourceEvent(scout.EventSourceUpdated, out))
	})
	if err != nil {
		return scout.Source{}, fmt.Errorf("update source %d: %w", id, err)
	}
	return out, nil
}

// moveSource points a source at a new URL: its identity key follows at
// once, its host once no fetch of the old URL is in flight (that fetch's
// completion writes the host of the URL then stored). The old URL's
// validators and page hash mean nothing to the new one; the source is due
// now, at the head of its host's queue, and a retired one is revived.
func moveSource(ctx context.Context, tx *tx, id int64, u string) error {
	_, err := tx.ExecContext(ctx, `UPDATE sources SET url = $1, url_key = $2,
			host = CASE WHEN lease_until >= $4 THEN host ELSE $3 END,
			etag = '', last_modified = '', page_hash = '', next_fetch_at = $4, priority = 1,
			status = CASE WHEN status = 'retired' THEN 'failing' ELSE status END
		WHERE id = $5`, u, scout.URLKey(u), scout.HostKey(u), tx.now.UnixMicro(), id)
	return err
}

func applySourceUpdate(cur *scout.Source, u store.SourceUpdate) {
	if u.URL != nil {
		cur.URL = strings.TrimSpace(*u.URL)
	}
	if u.Title != nil {
		cur.Title = *u.Title
	}
	if u.Tags != nil {
		cur.Tags = dedupeStrings(*u.Tags)
	}
	if u.Visibility != nil {
		cur.Visibility = *u.Visibility
	}
	if u.Paused != nil {
		cur.Paused = *u.Paused
	}
	if u.MinInterval != nil {
		cur.MinInterval = *u.MinInterval
	}
	if u.MaxInterval != nil {
		cur.MaxInterval = *u.MaxInterval
	}
}

// DeleteSource tombstones a source.
func (s *Store) DeleteSource(ctx context.Context, id int64) error {
	// Run again if a departure finds its opportunity deleted by a
	// concurrent writer (see flushDepartures).
	err := s.writeRetried(ctx, func(tx *tx) error {
		cur, err := getSource(ctx, tx, id)
		if err != nil {
			return err
		}
		// Its sightings leave the view of their opportunities' viewers.
		if err := departWhere(ctx, tx, "i.source_id = $1", args{id}); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE sources SET deleted_at = $1, updated_at = $1, lease_until = NULL, version = version + 1
			WHERE id = $2`, tx.now.UnixMicro(), id)
		if err != nil {
			return err
		}
		cur.DeletedAt, cur.Version = tx.now, cur.Version+1
		return insertEvent(ctx, tx, sourceEvent(scout.EventSourceDeleted, cur))
	})
	if err != nil {
		return fmt.Errorf("delete source %d: %w", id, err)
	}
	return nil
}

// ScheduleSource makes a live source due at t, at the head of its host's queue.
func (s *Store) ScheduleSource(ctx context.Context, id int64, t time.Time) error {
	err := s.write(ctx, func(tx *tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sources SET next_fetch_at = $1, priority = 1,
				status = CASE WHEN status = 'retired' THEN 'failing' ELSE status END, updated_at = $2
			WHERE id = $3 AND deleted_at IS NULL`, t.UnixMicro(), tx.now.UnixMicro(), id)
		return affectedOne(res, err)
	})
	if err != nil {
		return fmt.Errorf("schedule source %d: %w", id, err)
	}
	return nil
}
