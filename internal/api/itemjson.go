package api

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"
)

// A page of fifty items is about 90 KB of JSON, and encoding/json's
// reflection over every nested field of every item was a quarter of a list
// request's CPU. The page is written instead by appendJSON methods that
// produce the bytes encoding/json produces for the same value (huma's
// format: no HTML escaping), field for field; a test compares the two on
// every field set and on fuzzed values. Whatever those methods do not
// handle themselves (the entities and enrichments of a single item) goes
// through encoding/json.

// jsonAppender is a response body that writes its own JSON.
type jsonAppender interface {
	appendJSON(b []byte) ([]byte, error)
}

// bodyBuffers recycle the buffers pages are written into.
var bodyBuffers = sync.Pool{New: func() any { return new([]byte) }}

// jsonFormat is huma's JSON format, except that a body that writes its own
// JSON is written directly.
var jsonFormat = huma.Format{
	Marshal: func(w io.Writer, v any) error {
		a, ok := v.(jsonAppender)
		if !ok {
			return huma.DefaultJSONFormat.Marshal(w, v)
		}
		bp := bodyBuffers.Get().(*[]byte)
		defer bodyBuffers.Put(bp)
		b, err := a.appendJSON((*bp)[:0])
		if err != nil {
			return err
		}
		b = append(b, '\n') // as json.Encoder ends a value
		*bp = b
		_, err = w.Write(b)
		return err
	},
	Unmarshal: huma.DefaultJSONFormat.Unmarshal,
}

func (p ItemListOutputBody) appendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"items":`...)
	if p.Items == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range p.Items {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = p.Items[i].appendJSON(b); err != nil {
				return nil, err
			}
		}
		b = append(b, ']')
	}
	if p.Next != "" {
		b = appendJSONString(append(b, `,"next":`...), p.Next)
	}
	return append(b, '}'), nil
}

func (it *Item) appendJSON(b []byte) ([]byte, error) {
	var err error
	b = strconv.AppendInt(append(b, `{"id":`...), it.ID, 10)
	b = strconv.AppendInt(append(b, `,"source_id":`...), it.SourceID, 10)
	b = appendOmitString(b, `,"guid":`, it.GUID)
	b = appendOmitString(b, `,"url":`, it.URL)
	b = appendJSONString(append(b, `,"title":`...), it.Title)
	b = appendOmitString(b, `,"summary":`, it.Summary)
	b = appendOmitString(b, `,"content_html":`, it.ContentHTML)
	b = appendOmitString(b, `,"author":`, it.Author)
	b = appendOmitString(b, `,"image_url":`, it.ImageURL)
	if b, err = appendJSONTime(append(b, `,"published_at":`...), it.PublishedAt); err != nil {
		return nil, err
	}
	if it.DateEstimated {
		b = append(b, `,"date_estimated":true`...)
	}
	b = appendJSONStrings(append(b, `,"categories":`...), it.Categories)
	b = append(b, `,"enclosures":`...)
	if it.Enclosures == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, e := range it.Enclosures {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(append(b, `{"url":`...), e.URL)
			b = appendOmitString(b, `,"type":`, e.Type)
			if e.Length != 0 {
				b = strconv.AppendInt(append(b, `,"length":`...), e.Length, 10)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if b, err = it.Opportunity.appendJSON(append(b, `,"opportunity":`...)); err != nil {
		return nil, err
	}
	if it.OpportunityID != 0 {
		b = strconv.AppendInt(append(b, `,"opportunity_id":`...), it.OpportunityID, 10)
	}
	if len(it.Entities) > 0 {
		if b, err = appendMarshal(append(b, `,"entities":`...), it.Entities); err != nil {
			return nil, err
		}
	}
	if len(it.Enrichments) > 0 {
		if b, err = appendMarshal(append(b, `,"enrichments":`...), it.Enrichments); err != nil {
			return nil, err
		}
	}
	if b, err = appendJSONTime(append(b, `,"created_at":`...), it.CreatedAt); err != nil {
		return nil, err
	}
	if b, err = appendJSONTime(append(b, `,"updated_at":`...), it.UpdatedAt); err != nil {
		return nil, err
	}
	b = strconv.AppendInt(append(b, `,"version":`...), it.Version, 10)
	return append(b, '}'), nil
}

func (o *Opportunity) appendJSON(b []byte) ([]byte, error) {
	var err error
	b = appendJSONString(append(b, `{"kind":`...), string(o.Kind))
	if o.KindConfidence != 0 {
		if b, err = appendJSONFloat(append(b, `,"kind_confidence":`...), o.KindConfidence); err != nil {
			return nil, err
		}
	}
	b = appendJSONString(append(b, `,"status":`...), o.Status)
	if o.Deadline != nil {
		if b, err = appendJSONTime(append(b, `,"deadline":`...), *o.Deadline); err != nil {
			return nil, err
		}
	}
	if o.OpensAt != nil {
		if b, err = appendJSONTime(append(b, `,"opens_at":`...), *o.OpensAt); err != nil {
			return nil, err
		}
	}
	if o.Rolling {
		b = append(b, `,"rolling":true`...)
	}
	if o.AmountMin != 0 {
		b = strconv.AppendInt(append(b, `,"amount_min":`...), o.AmountMin, 10)
	}
	if o.AmountMax != 0 {
		b = strconv.AppendInt(append(b, `,"amount_max":`...), o.AmountMax, 10)
	}
	b = appendOmitString(b, `,"currency":`, o.Currency)
	b = appendOmitString(b, `,"funder":`, o.Funder)
	b = appendOmitString(b, `,"location":`, o.Location)
	if len(o.Eligibility) > 0 {
		b = appendJSONStrings(append(b, `,"eligibility":`...), o.Eligibility)
	}
	if len(o.Disciplines) > 0 {
		b = appendJSONStrings(append(b, `,"disciplines":`...), o.Disciplines)
	}
	b = appendOmitString(b, `,"extractor":`, o.Extractor)
	if o.provenanceJSON != "" {
		b = append(append(b, `,"provenance":`...), o.provenanceJSON...)
	} else if len(o.Provenance) > 0 {
		keys := make([]string, 0, 16)
		for k := range o.Provenance {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, `,"provenance":{`...)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(appendJSONString(b, k), ':')
			if b, err = o.Provenance[k].appendJSON(b); err != nil {
				return nil, err
			}
		}
		b = append(b, '}')
	}
	if b, err = o.KeyDates.appendJSON(append(b, `,"key_dates":`...)); err != nil {
		return nil, err
	}
	if b, err = o.Funding.appendJSON(append(b, `,"funding":`...)); err != nil {
		return nil, err
	}
	b = o.Criteria.appendJSON(append(b, `,"eligibility_criteria":`...))
	return append(b, '}'), nil
}

func (p Provenance) appendJSON(b []byte) ([]byte, error) {
	b = appendJSONString(append(b, `{"source":`...), p.Source)
	b = appendOmitString(b, `,"span":`, p.Span)
	b, err := appendJSONFloat(append(b, `,"confidence":`...), p.Confidence)
	return append(b, '}'), err
}

func (k KeyDates) appendJSON(b []byte) ([]byte, error) {
	b = append(b, '{')
	var err error
	sep := ""
	if k.Opens != nil {
		if b, err = k.Opens.appendJSON(append(b, `"opens":`...)); err != nil {
			return nil, err
		}
		sep = ","
	}
	if k.Deadline != nil {
		if b, err = k.Deadline.appendJSON(append(append(b, sep...), `"deadline":`...)); err != nil {
			return nil, err
		}
		sep = ","
	}
	b = append(append(b, sep...), `"other":`...)
	if k.Other == nil {
		return append(b, "null}"...), nil
	}
	b = append(b, '[')
	for i := range k.Other {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = k.Other[i].appendJSON(b); err != nil {
			return nil, err
		}
	}
	return append(b, "]}"...), nil
}

func (k *KeyDate) appendJSON(b []byte) ([]byte, error) {
	b = appendJSONString(append(b, `{"label":`...), k.Label)
	b = appendJSONString(append(b, `,"date":`...), k.Date)
	b = appendOmitString(b, `,"time":`, k.Time)
	b = appendOmitString(b, `,"zone":`, k.Zone)
	b, err := appendJSONTime(append(b, `,"at":`...), k.At)
	if err != nil {
		return nil, err
	}
	if b, err = k.Provenance.appendJSON(append(b, `,"provenance":`...)); err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

func (f Funding) appendJSON(b []byte) ([]byte, error) {
	b = append(b, '{')
	open := len(b)
	// name opens a member, after a comma unless it is the first.
	name := func(n string) {
		if len(b) > open {
			b = append(b, ',')
		}
		b = append(b, n...)
	}
	var err error
	if f.Period != "" {
		name(`"period":`)
		b = appendJSONString(b, f.Period)
	}
	if d := f.Duration; d != nil {
		name(`"duration":`)
		b = strconv.AppendInt(append(b, `{"count":`...), int64(d.Count), 10)
		b = append(appendJSONString(append(b, `,"unit":`...), d.Unit), '}')
	}
	if r := f.PerRecipient; r != nil {
		name(`"per_recipient":`)
		if b, err = appendJSONFloat(append(b, `{"min":`...), r.Min); err != nil {
			return nil, err
		}
		if b, err = appendJSONFloat(append(b, `,"max":`...), r.Max); err != nil {
			return nil, err
		}
		b = append(appendJSONString(append(b, `,"currency":`...), r.Currency), '}')
	}
	money := func(n string, m *Money) {
		if m == nil || err != nil {
			return
		}
		name(n)
		if b, err = appendJSONFloat(append(b, `{"amount":`...), m.Amount); err == nil {
			b = append(appendOmitString(b, `,"currency":`, m.Currency), '}')
		}
	}
	money(`"total_available":`, f.TotalAvailable)
	if a := f.Awards; a != nil {
		name(`"awards":{`)
		inner := len(b)
		if a.Min != 0 {
			b = strconv.AppendInt(append(b, `"min":`...), int64(a.Min), 10)
		}
		if a.Max != 0 {
			if len(b) > inner {
				b = append(b, ',')
			}
			b = strconv.AppendInt(append(b, `"max":`...), int64(a.Max), 10)
		}
		if a.Estimated {
			if len(b) > inner {
				b = append(b, ',')
			}
			b = append(b, `"estimated":true`...)
		}
		b = append(b, '}')
	}
	money(`"entry_fee":`, f.EntryFee)
	money(`"in_kind":`, f.InKind)
	if err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

func (e Eligibility) appendJSON(b []byte) []byte {
	b = appendJSONStrings(append(b, `{"applicant_types":`...), e.ApplicantTypes)
	b = appendJSONStrings(append(b, `,"career_stages":`...), e.CareerStages)
	if e.AgeMin != 0 {
		b = strconv.AppendInt(append(b, `,"age_min":`...), int64(e.AgeMin), 10)
	}
	if e.AgeMax != 0 {
		b = strconv.AppendInt(append(b, `,"age_max":`...), int64(e.AgeMax), 10)
	}
	b = appendJSONStrings(append(b, `,"countries":`...), e.Countries)
	if e.Students {
		b = append(b, `,"students":true`...)
	}
	b = appendJSONStrings(append(b, `,"identity_focus":`...), e.IdentityFocus)
	b = appendJSONStrings(append(b, `,"spans":`...), e.Spans)
	return append(b, '}')
}

// appendOmitString appends name and s unless s is empty (omitempty).
func appendOmitString(b []byte, name, s string) []byte {
	if s == "" {
		return b
	}
	return appendJSONString(append(b, name...), s)
}

func appendJSONStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// appendJSONString quotes s as encoding/json does without HTML escaping. A
// string that needs no escape (the common case) is copied; any other goes
// through encoding/json itself. One pass over the bytes ORs their classes
// together; only a string with bytes above ASCII (a summary with a £ or a
// dash) is then checked for valid UTF-8 and U+2028/U+2029: decoding such a
// string rune by rune, as it was, cost a twentieth of a list page.
func appendJSONString(b []byte, s string) []byte {
	var class byte
	for i := 0; i < len(s); i++ {
		class |= byteClass[s[i]]
	}
	plain := class&classEscape == 0
	if plain && class&classHigh != 0 {
		plain = utf8.ValidString(s) && !strings.Contains(s, "\u2028") && !strings.Contains(s, "\u2029")
	}
	if plain {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	var buf jsonBuffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return append(b, buf[:len(buf)-1]...)
}

// The classes of bytes in a JSON string: one encoding/json always escapes
// (a control character, quote or backslash), and one above ASCII.
const (
	classEscape = 1 << iota
	classHigh
)

var byteClass = func() (t [256]byte) {
	for c := range t {
		switch {
		case c < 0x20 || c == '"' || c == '\\':
			t[c] = classEscape
		case c >= utf8.RuneSelf:
			t[c] = classHigh
		}
	}
	return t
}()

type jsonBuffer []byte

func (b *jsonBuffer) Write(p []byte) (int, error) {
	*b = append(*b, p...)
	return len(p), nil
}

// appendJSONFloat writes f as encoding/json writes a float64.
func appendJSONFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, &json.UnsupportedValueError{Str: strconv.FormatFloat(f, 'g', -1, 64)}
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 → e-9, as encoding/json does.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

// appendJSONTime writes t as time.Time's MarshalJSON does; the common case
// (UTC, years 0-9999) without allocating.
func appendJSONTime(b []byte, t time.Time) ([]byte, error) {
	if y := t.Year(); t.Location() == time.UTC && y >= 0 && y <= 9999 {
		b = append(b, '"')
		b = t.AppendFormat(b, time.RFC3339Nano)
		return append(b, '"'), nil
	}
	return appendMarshal(b, t)
}

// appendMarshal appends v as encoding/json writes it in huma's format.
func appendMarshal(b []byte, v any) ([]byte, error) {
	var buf jsonBuffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	if len(buf) == 0 {
		return nil, errors.New("encode: no output")
	}
	return append(b, buf[:len(buf)-1]...), nil
}
