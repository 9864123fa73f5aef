package sqlite

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"unicode"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store/sqlstore"
)

type dialect struct{}

func (dialect) Name() string { return "sqlite" }

// PositionalParams is true: the driver binds "$N" by name, at a cost
// quadratic in a statement's parameters (see sqlstore.Positional).
func (dialect) PositionalParams() bool { return true }

func (dialect) IsUniqueViolation(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// InsertIgnoring is INSERT OR IGNORE, which no constraint aborts, so
// SQLite runs it without a statement journal (see
// sqlstore.IgnoringInserter).
func (dialect) InsertIgnoring(into string) string { return "INSERT OR IGNORE INTO " + into }

// Int64List reads the list as a JSON array with json_each (see
// sqlstore.Dialect).
func (dialect) Int64List(param, alias string, list []int64) (string, any) {
	b := make([]byte, 0, 1+len(list)*20)
	b = append(b, '[')
	for i, v := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, v, 10)
	}
	return "json_each(" + param + ") AS " + alias, string(append(b, ']'))
}

// LockSkipLocked is empty: the single writer connection already serializes claims.
func (dialect) LockSkipLocked() string { return "" }

// IndexText adds new items to the FTS5 index in one statement (see
// migration 00006): FTS5 keeps the terms in memory until the commit and
// writes them as one segment.
func (dialect) IndexText(ctx context.Context, tx sqlstore.Execer, from, to int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO items_fts(rowid, title, summary, content_text, funder)
		SELECT id, title, summary, content_text, funder FROM items WHERE id BETWEEN $1 AND $2`, from, to)
	return err
}

// bm25 ranks a hit; it is negative, lower is better. Title hits weigh most,
// then funder, summary and body.
const bm25 = `bm25(items_fts, 10.0, 3.0, 1.0, 5.0)`

// SearchJoin matches through the FTS5 index.
func (dialect) SearchJoin(q, param string) (string, any, error) {
	m, err := MatchQuery(q)
	if err != nil {
		return "", nil, err
	}
	join := `JOIN (SELECT rowid AS fid, ` + bm25 + ` AS rank FROM items_fts WHERE items_fts MATCH ` + param + `) f ON f.fid = i.id`
	return join, m, nil
}

// CountHits walks the query's doclists no further than the limit.
func (dialect) CountHits(param, limit string) string {
	return `SELECT COUNT(*) FROM (SELECT 1 FROM items_fts WHERE items_fts MATCH ` + param + ` LIMIT ` + limit + `)`
}

// SearchIn builds the set of matching rowids once per statement; the unary
// + keeps SQLite from reading the set as an index on items' rowid to drive
// the query, so that it walks the published-date index instead.
func (dialect) SearchIn(param string) string {
	return `+i.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ` + param + `)`
}

// maxRanked bounds the hits SearchJoinBest ranks: the newest this many.
// bm25 reads each hit's document sizes, about 2 µs a hit, so ranking all
// 250,000 hits of a common word in a million items took most of a second;
// the API documents the bound on its sort parameter.
const maxRanked = 20000

// SearchJoinBest ranks the newest maxRanked hits (by rowid: most recently
// stored) and joins only the best of them: a bounded sort keeps limit
// rows, instead of reading every hit's item and sorting whole rows.
func (dialect) SearchJoinBest(param, after, limit string) string {
	cond := ""
	if after != "" {
		cond = ` WHERE (rank, fid) > ` + after
	}
	return `JOIN (SELECT fid, rank FROM (SELECT rowid AS fid, ` + bm25 + ` AS rank FROM items_fts WHERE items_fts MATCH ` + param +
		` ORDER BY rowid DESC LIMIT ` + strconv.Itoa(maxRanked) + `)` + cond + ` ORDER BY rank, fid LIMIT ` + limit + `) f ON f.fid = i.id`
}

// MatchQuery translates the web-search syntax the API accepts (words,
// "quoted phrases", -excluded words or phrases, OR between terms) into an
// FTS5 query in which every term is a quoted string, so that no user input
// is read as FTS5 syntax.
func MatchQuery(q string) (string, error) {
	if len(q) > 500 {
		return "", scout.Invalid("q", "must be at most 500 characters")
	}
	var groups [][]string // AND of OR-groups
	var excluded []string
	orNext := false
	for _, t := range tokens(q) {
		switch {
		case t.text == "OR" && !t.quoted:
			orNext = len(groups) > 0
			continue
		case !hasWordChar(t.text):
			continue
		}
		term := `"` + strings.ReplaceAll(t.text, `"`, `""`) + `"`
		switch {
		case t.negated:
			excluded = append(excluded, term)
		case orNext:
			groups[len(groups)-1] = append(groups[len(groups)-1], term)
		default:
			groups = append(groups, []string{term})
		}
		orNext = false
	}
	if len(groups) == 0 {
		return "", scout.Invalid("q", "must contain at least one word to search for that is not excluded")
	}
	parts := make([]string, 0, len(groups))
	for _, g := range groups {
		if len(g) == 1 {
			parts = append(parts, g[0])
		} else {
			parts = append(parts, "("+strings.Join(g, " OR ")+")")
		}
	}
	out := strings.Join(parts, " AND ")
	for _, e := range excluded {
		out = "(" + out + ") NOT " + e
	}
	return out, nil
}

type token struct {
	text    string
	quoted  bool
	negated bool
}

// tokens splits a query into words and quoted phrases, each optionally
// preceded by '-'. An unclosed quote runs to the end.
func tokens(q string) []token {
	var out []token
	rs := []rune(q)
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		neg := false
		if rs[i] == '-' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) {
			neg, i = true, i+1
		}
		if rs[i] == '"' {
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			out = append(out, token{text: string(rs[i+1 : min(j, len(rs))]), quoted: true, negated: neg})
			i = j + 1
			continue
		}
		j := i
		for j < len(rs) && !unicode.IsSpace(rs[j]) && rs[j] != '"' {
			j++
		}
		out = append(out, token{text: string(rs[i:j]), negated: neg})
		i = j
	}
	return out
}

func hasWordChar(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
}
