package sqlstore

import (
	"encoding/json"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/scoutdev/scout/internal/match"
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

// array reads an array, elem reading each element; false from elem ends
// the read as failed.
func (d *jsonCol) array(elem func() bool) bool {
	if !d.eat('[') {
		return false
	}
	if d.eat(']') {
		return true
	}
	for {
		if !elem() {
			return false
		}
		if d.eat(']') {
			return true
		}
		if !d.eat(',') {
			return false
		}
	}
}

// strings reads an array of strings.
func (d *jsonCol) strings() ([]string, bool) {
	out := []string{}
	ok := d.array(func() bool {
		v, ok := d.str()
		out = append(out, v)
		return ok
	})
	return out, ok
}

// object reads an object, handing each member's name to member, which
// reads the value; false from member ends the read as failed.
func (d *jsonCol) object(member func(k string) bool) bool {
	if !d.eat('{') {
		return false
	}
	if d.eat('}') {
		return true
	}
	for {
		k, ok := d.str()
		if !ok || !d.eat(':') || !member(k) {
			return false
		}
		if d.eat('}') {
			return true
		}
		if !d.eat(',') {
			return false
		}
	}
}

// provenance reads an object of provenance records, into a map made for
// as many as the object's braces suggest (a list row has about ten, and a
// map grown to them was made three times over).
func (d *jsonCol) provenance() (map[string]scout.Provenance, bool) {
	out := make(map[string]scout.Provenance, max(0, strings.Count(d.s[d.i:], "{")-1))
	ok := d.object(func(k string) bool {
		p, ok := d.record()
		out[k] = p
		return ok
	})
	return out, ok
}

// record reads one provenance record; an unknown or null member is left to
// encoding/json.
func (d *jsonCol) record() (scout.Provenance, bool) {
	var p scout.Provenance
	ok := d.object(func(k string) (ok bool) {
		switch k {
		case "source":
			p.Source, ok = d.str()
		case "span":
			p.Span, ok = d.str()
		case "confidence":
			p.Confidence, ok = d.number()
		}
		return ok
	})
	return p, ok
}

// decodeEnclosures reads a JSON array of enclosures; most items have none.
func decodeEnclosures(s string, v *[]scout.Enclosure) {
	if s == "[]" {
		*v = []scout.Enclosure{}
		return
	}
	unmarshalJSON(s, v)
}

// decodeFeatures reads a sighting's match features, the column every
// candidate of every new sighting is read from: with encoding/json it was
// the largest single cost of a cold ingest.
func decodeFeatures(s string, v *match.Features) {
	d := jsonCol{s: s}
	if f, ok := d.features(); ok && d.end() {
		*v = f
		return
	}
	unmarshalJSON(s, v)
}

// features reads the object encoding/json writes for match.Features; a
// member by another name (encoding/json matches names without regard to
// case) or of another type is left to encoding/json.
func (d *jsonCol) features() (match.Features, bool) {
	var f match.Features
	ok := d.object(func(k string) (ok bool) {
		switch k {
		case "s":
			f.Strong, ok = d.strings()
		case "f":
			f.Funder, ok = d.str()
		case "d":
			f.Deadline, ok = d.str()
		case "t":
			f.Title, ok = d.strings()
		case "m":
			f.Sig, ok = d.hashes()
		case "k":
			f.Kind, ok = d.str()
		case "l":
			f.Links, ok = d.strings()
		case "h":
			f.Host, ok = d.str()
		case "a":
			f.Amount, ok = d.str()
		case "w":
			f.Words, ok = d.hashes()
		}
		return ok
	})
	return f, ok
}

// hashes reads match.Hashes: a base64 string, or an array of numbers as
// earlier versions stored them.
func (d *jsonCol) hashes() (match.Hashes, bool) {
	if d.peek() != '"' {
		return d.uint32s()
	}
	s, ok := d.str()
	if !ok {
		return nil, false
	}
	h, err := match.ParseHashes(s)
	return h, err == nil
}

// uint32s reads an array of unsigned integers, each a plain JSON integer
// that fits in 32 bits.
func (d *jsonCol) uint32s() ([]uint32, bool) {
	out := make([]uint32, 0, 64)
	ok := d.array(func() bool {
		d.ws()
		start := d.i
		var n uint64
		for d.i < len(d.s) && d.s[d.i] >= '0' && d.s[d.i] <= '9' && d.i-start < 11 {
			n = n*10 + uint64(d.s[d.i]-'0')
			d.i++
		}
		if d.i == start || n > math.MaxUint32 || (d.s[start] == '0' && d.i-start > 1) {
			return false
		}
		out = append(out, uint32(n))
		return true
	})
	return out, ok
}
