package sqlstore

import (
	"context"

	"github.com/scoutdev/scout/internal/store"
)

// idCursor is the keyset position of lists ordered by id alone.
type idCursor struct {
	ID int64 `json:"i"`
}

// idPage reads one page of a list ordered by idCol (ascending, or
// descending when desc), after the cursor in p: from is the "SELECT … FROM …"
// text, conds the filters whose parameters are already in a.
func idPage[T any](ctx context.Context, s *Store, from, idCol string, desc bool, a args, conds []string, p store.PageRequest,
	scan func(interface{ Scan(...any) error }) (T, error), id func(T) int64) (store.Page[T], error) {
	order, after := " ORDER BY "+idCol, " > "
	if desc {
		order, after = order+" DESC", " < "
	}
	if p.Cursor != "" {
		var c idCursor
		if err := store.DecodeCursor(p.Cursor, &c); err != nil {
			return store.Page[T]{}, err
		}
		conds = append(conds, idCol+after+a.add(c.ID))
	}
	n := p.Size()
	rows, err := s.query(ctx, from+where(conds)+order+" LIMIT "+a.add(n+1), a...)
	if err != nil {
		return store.Page[T]{}, err
	}
	list, err := collect(rows, scan)
	if err != nil {
		return store.Page[T]{}, err
	}
	return pageOf(list, n, func(v T) any { return idCursor{id(v)} }), nil
}
