package extract

import (
	"strings"

	"github.com/scoutdev/scout/internal/scout"
)

// Some newsletters list their calls as a table, one call a row ("| Call |
// Funder | Award | Deadline |", or cells between tabs). A row's cells say
// little on their own ("July 15, 2026"), so each is read under its
// column's label ("Deadline: July 15, 2026.").

// tableCalls reads the calls of the first table in d with two rows or
// more, one call a row.
func tableCalls(d *doc, in Input) []scout.Call {
	rows, spans := tableRows(d.text[d.titleEnd:])
	if len(rows) < 2 {
		return nil
	}
	var labels []string
	if !strings.ContainsAny(strings.Join(rows[0], ""), "0123456789") {
		labels, rows, spans = rows[0], rows[1:], spans[1:]
	}
	bs := make([]callBlock, 0, len(rows))
	for i, cells := range rows {
		var body strings.Builder
		for j, c := range cells {
			if j < len(labels) && labels[j] != "" {
				body.WriteString(labels[j] + ": ")
			}
			body.WriteString(strings.TrimRight(c, ".") + ".\n")
		}
		bs = append(bs, callBlock{rowTitle(cells), body.String(), spans[i]})
	}
	return readBlocks(d, in, bs)
}

// tableRows returns the cells and the line of each row of the first run of
// table lines in s, without its rule rows ("|---|---|").
func tableRows(s string) (rows [][]string, spans []string) {
	for _, line := range strings.Split(s, "\n") {
		cells, ok := tableCells(line)
		switch {
		case ok && !ruleCells(cells):
			rows, spans = append(rows, cells), append(spans, strings.TrimSpace(line))
		case ok:
		case len(rows) >= 2:
			return rows, spans
		default:
			rows, spans = nil, nil
		}
	}
	return rows, spans
}

// tableCells splits a table line into its cells: three or more between
// bars or tabs.
func tableCells(line string) ([]string, bool) {
	line = strings.TrimSpace(line)
	sep := "|"
	if !strings.Contains(line, "|") {
		sep = "\t"
	}
	line = strings.TrimSuffix(strings.TrimPrefix(line, sep), sep)
	parts := strings.Split(line, sep)
	if len(parts) < 3 {
		return nil, false
	}
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts, true
}

// ruleCells reports whether a row only rules the table off ("---", ":--").
func ruleCells(cells []string) bool {
	for _, c := range cells {
		if strings.Trim(c, "-:= ") != "" {
			return false
		}
	}
	return true
}

// rowTitle is a row's name: its first cell that holds no digit, else its
// first cell.
func rowTitle(cells []string) string {
	for _, c := range cells {
		if c != "" && !strings.ContainsAny(c, "0123456789") {
			return c
		}
	}
	return cells[0]
}
