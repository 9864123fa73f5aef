package sqlstore

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/scoutdev/scout/internal/scout"
)

// The JSON columns of an item (categories, eligibility, disciplines,
// provenance) are read on every row of every list, and decoding them with
// encoding/json's reflection was over a quarter of a list request's CPU.
// decodeStrings and decodeProvenance read the shapes the store writes
// directly, taking substrings of the column instead of copying; any other
// input (escapes aside) falls back to encoding/json, so the result is
// always what json.Unmarshal would give.

// decodeStrings reads a JSON array of strings.
func decodeStrings(s string, v *[]string) {
	d := jsonCol{s: s}
	if out, ok := d.strings(); ok && d.end() {
		*v = out
		return
	}
	unmarshalJSON(s, v)
}

// decodeProvenance reads a JSON object of provenance records by field name.
func decodeProvenance(s string, v *map[string]scout.Provenance) {
	d := jsonCol{s: s}
	if out, ok := d.provenance(); ok && d.end() {
		*v = out
		return
	}
	unmarshalJSON(s, v)
}

// jsonCol reads JSON from s at i.
type jsonCol struct {
	s string
	i int
}

func (d *jsonCol) ws() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// peek skips white space and returns the next byte, or 0 at the end.
func (d *jsonCol) peek() byte {
	d.ws()
	if d.i < len(d.s) {
		return d.s[d.i]
	}
	return 0
}

// eat consumes c if it comes next.
func (d *jsonCol) eat(c byte) bool {
	if d.peek() == c {
		d.i++
		return true
	}
	return false
}

// end reports whether only white space is left.
func (d *jsonCol) end() bool { return d.peek() == 0 && d.i == len(d.s) }

// str reads a string; without escapes it is a substring of the column.
func (d *jsonCol) str() (string, bool) {
	if !d.eat('"') {
		return "", false
	}
	start, plain := d.i, true
	for ; d.i < len(d.s); d.i++ {
		switch c := d.s[d.i]; {
		case c == '"':
			out := d.s[start:d.i]
			d.i++
			if plain && (!hasHighBit(out) || utf8.ValidString(out)) {
				return out, true
			}
			var u string
			err := json.Unmarshal([]byte(d.s[start-1:d.i]), &u)
			return u, err == nil
		case c == '\\':
			plain = false
			d.i++
		case c < 0x20:
			return "", false
		}
	}
	return "", false
}

func hasHighBit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// num reads a number.
func (d *jsonCol) num() (float64, bool) {
	d.ws()
	start := d.i
	for d.i < len(d.s) {
		switch c := d.s[d.i]; {
		case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			d.i++
			continue
		}
		break
	}
	f, err := strconv.ParseFloat(d.s[start:d.i], 64)
	return f, err == nil && start < d.i && d.s[start] != '+'
}

// strings reads an array of strings.
func (d *jsonCol) strings() ([]string, bool) {
	if !d.eat('[') {
		return nil, false
	}
	out := []string{}
	if d.eat(']') {
		return out, true
	}
	for {
		v, ok := d.str()
		if !ok {
			return nil, false
		}
		out = append(out, v)
		if d.eat(']') {
			return out, true
		}
		if !d.eat(',') {
			return nil, false
		}
	}
}

// provenance reads an object of provenance records.
func (d *jsonCol) provenance() (map[string]scout.Provenance, bool) {
	if !d.eat('{') {
		return nil, false
	}
	out := map[string]scout.Provenance{}
	if d.eat('}') {
		return out, true
	}
	for {
		k, ok := d.str()
		if !ok || !d.eat(':') {
			return nil, false
		}
		p, ok := d.record()
		if !ok {
			return nil, false
		}
		out[k] = p
		if d.eat('}') {
			return out, true
		}
		if !d.eat(',') {
			return nil, false
		}
	}
}

// record reads one provenance record; an unknown or null member is left to
// encoding/json.
func (d *jsonCol) record() (scout.Provenance, bool) {
	var p scout.Provenance
	if !d.eat('{') {
		return p, false
	}
	if d.eat('}') {
		return p, true
	}
	for {
		k, ok := d.str()
		if !ok || !d.eat(':') {
			return p, false
		}
		switch k {
		case "source":
			p.Source, ok = d.str()
		case "span":
			p.Span, ok = d.str()
		case "confidence":
			p.Confidence, ok = d.num()
		default:
			ok = false
		}
		if !ok {
			return p, false
		}
		if d.eat('}') {
			return p, true
		}
		if !d.eat(',') {
			return p, false
		}
	}
}

// decodeEnclosures reads a JSON array of enclosures; most items have none.
func decodeEnclosures(s string, v *[]scout.Enclosure) {
	if s == "[]" {
		*v = []scout.Enclosure{}
		return
	}
	unmarshalJSON(s, v)
}
