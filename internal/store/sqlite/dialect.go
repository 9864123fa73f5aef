package sqlite

import (
	"errors"
	"strings"
	"unicode"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/scoutdev/scout/internal/scout"
)

type dialect struct{}

func (dialect) Name() string { return "sqlite" }

func (dialect) IsUniqueViolation(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// LockSkipLocked is empty: the single writer connection already serializes claims.
func (dialect) LockSkipLocked() string { return "" }

// SearchJoin matches through the FTS5 index; bm25 is negative, lower is better.
// Title hits weigh most, then funder, summary and body.
func (dialect) SearchJoin(q, param string) (string, any, error) {
	m, err := MatchQuery(q)
	if err != nil {
		return "", nil, err
	}
	join := `JOIN (SELECT rowid AS fid, bm25(items_fts, 10.0, 3.0, 1.0, 5.0) AS rank FROM items_fts WHERE items_fts MATCH ` +
		param + `) f ON f.fid = i.id`
	return join, m, nil
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
