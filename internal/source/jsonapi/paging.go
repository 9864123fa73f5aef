package jsonapi

import (
	"strconv"
)

// pager says which page comes next.
type pager struct {
	cfg      *Paging
	r        *reader
	value    int // page number or offset of the answer just read
	cursors  map[string]bool
	maxPages int
}

func (r *reader) pager() *pager {
	pg := &pager{cfg: r.cfg.Paging, r: r, maxPages: 1, cursors: map[string]bool{}}
	if pg.cfg == nil {
		return pg
	}
	pg.maxPages = pg.cfg.MaxPages
	if pg.maxPages <= 0 {
		pg.maxPages = DefaultMaxPages
	}
	pg.value = pg.cfg.Start
	if pg.cfg.Mode == "page" && pg.value == 0 {
		pg.value = 1
	}
	return pg
}

// first is the paging value of the first request ("" for none).
func (pg *pager) first() string {
	if pg.cfg == nil || pg.cfg.Mode == "cursor" {
		return ""
	}
	return strconv.Itoa(pg.value)
}

// next is the paging value after an answer with n items; false to stop.
func (pg *pager) next(doc any, n int) (string, bool) {
	if pg.cfg == nil || n == 0 {
		return "", false
	}
	switch pg.cfg.Mode {
	case "page":
		pg.value++
		return strconv.Itoa(pg.value), true
	case "offset":
		pg.value += n
		if total, ok := num(pg.r.p.totalRecords, doc); ok && float64(pg.value) >= total {
			return "", false
		}
		return strconv.Itoa(pg.value), true
	}
	c := str(pg.r.p.cursor, doc)
	if c == "" || pg.cursors[c] {
		return "", false
	}
	pg.cursors[c] = true
	return c, true
}
