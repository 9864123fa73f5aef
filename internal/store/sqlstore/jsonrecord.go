package sqlstore

import (
	"strconv"
	"strings"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// items.record is read on every row of every list, and encoding/json's
// reflection over its nested dates, sums and predicates cost more than the
// rest of the row together. The readers below take the shape the store
// writes; anything else (an unknown or repeated member, null, a number of
// the wrong kind) makes decodeRecord hand the whole column to
// encoding/json, so the result is always what json.Unmarshal gives.

// opportunityRecord reads the object encoding/json writes for record.
func (d *jsonCol) opportunityRecord() (r record, ok bool) {
	ok = d.once(func(k string) (ok bool) {
		switch k {
		case "key_dates":
			r.KeyDates, ok = d.keyDates()
		case "funding":
			r.Funding, ok = d.funding()
		case "eligibility":
			r.Criteria, ok = d.eligibility()
		}
		return ok
	})
	return r, ok
}

func (d *jsonCol) keyDates() (kd scout.KeyDates, ok bool) {
	ok = d.once(func(k string) (ok bool) {
		switch k {
		case "opens":
			kd.Opens = new(scout.KeyDate)
			*kd.Opens, ok = d.keyDate()
		case "deadline":
			kd.Deadline = new(scout.KeyDate)
			*kd.Deadline, ok = d.keyDate()
		case "other":
			kd.Other = []scout.KeyDate{}
			ok = d.array(func() bool {
				v, ok := d.keyDate()
				kd.Other = append(kd.Other, v)
				return ok
			})
		}
		return ok
	})
	return kd, ok
}

func (d *jsonCol) keyDate() (kd scout.KeyDate, ok bool) {
	ok = d.once(func(k string) (ok bool) {
		switch k {
		case "label":
			kd.Label, ok = d.str()
		case "date":
			kd.Date, ok = d.str()
		case "time":
			kd.Time, ok = d.str()
		case "zone":
			kd.Zone, ok = d.str()
		case "at":
			ok = d.instant(&kd.At)
		case "provenance":
			kd.Provenance, ok = d.record()
		}
		return ok
	})
	return kd, ok
}

// instant reads a time as encoding/json does: the quoted literal, escapes
// and all, handed to time.Time's UnmarshalJSON.
func (d *jsonCol) instant(t *time.Time) bool {
	d.ws()
	start := d.i
	if _, ok := d.str(); !ok {
		return false
	}
	return t.UnmarshalJSON([]byte(d.s[start:d.i])) == nil
}

func (d *jsonCol) funding() (f scout.Funding, ok bool) {
	ok = d.once(func(k string) (ok bool) {
		switch k {
		case "period":
			var p string
			p, ok = d.str()
			f.Period = scout.Period(p)
		case "duration":
			f.Duration = new(scout.Duration)
			ok = d.once(func(k string) (ok bool) {
				switch k {
				case "count":
					f.Duration.Count, ok = d.int()
				case "unit":
					var u string
					u, ok = d.str()
					f.Duration.Unit = scout.Period(u)
				}
				return ok
			})
		case "per_recipient":
			r := new(scout.MoneyRange)
			f.PerRecipient = r
			ok = d.once(func(k string) (ok bool) {
				switch k {
				case "min":
					r.Min, ok = d.number()
				case "max":
					r.Max, ok = d.number()
				case "currency":
					r.Currency, ok = d.str()
				}
				return ok
			})
		case "total_available":
			f.TotalAvailable, ok = d.money()
		case "entry_fee":
			f.EntryFee, ok = d.money()
		case "in_kind":
			f.InKind, ok = d.money()
		case "awards":
			a := new(scout.AwardCount)
			f.Awards = a
			ok = d.once(func(k string) (ok bool) {
				switch k {
				case "min":
					a.Min, ok = d.int()
				case "max":
					a.Max, ok = d.int()
				case "estimated":
					a.Estimated, ok = d.bool()
				}
				return ok
			})
		}
		return ok
	})
	return f, ok
}

func (d *jsonCol) money() (*scout.Money, bool) {
	m := new(scout.Money)
	ok := d.once(func(k string) (ok bool) {
		switch k {
		case "amount":
			m.Amount, ok = d.number()
		case "currency":
			m.Currency, ok = d.str()
		}
		return ok
	})
	return m, ok
}

func (d *jsonCol) eligibility() (e scout.Eligibility, ok bool) {
	ok = d.once(func(k string) (ok bool) {
		switch k {
		case "applicant_types":
			var ts []string
			ts, ok = d.strings()
			e.ApplicantTypes = make([]scout.ApplicantType, len(ts))
			for i, t := range ts {
				e.ApplicantTypes[i] = scout.ApplicantType(t)
			}
		case "career_stages":
			e.CareerStages, ok = d.strings()
		case "age_min":
			e.AgeMin, ok = d.int()
		case "age_max":
			e.AgeMax, ok = d.int()
		case "countries":
			e.Countries, ok = d.strings()
		case "students":
			e.Students, ok = d.bool()
		case "identity_focus":
			e.IdentityFocus, ok = d.strings()
		case "spans":
			e.Spans, ok = d.strings()
		}
		return ok
	})
	return e, ok
}

// once reads an object as object does, failing on a member named twice:
// encoding/json merges a repeated object into the first, which the
// readers above do not.
func (d *jsonCol) once(member func(k string) bool) bool {
	var seen [8]string
	n := 0
	return d.object(func(k string) bool {
		for _, s := range seen[:n] {
			if s == k {
				return false
			}
		}
		if n == len(seen) {
			return false
		}
		seen[n], n = k, n+1
		return member(k)
	})
}

// number reads a number as JSON spells it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?.
func (d *jsonCol) number() (float64, bool) {
	d.ws()
	start := d.i
	d.byte('-')
	if !d.digits(true) {
		return 0, false
	}
	if d.byte('.') && !d.digits(false) {
		return 0, false
	}
	if d.byte('e') || d.byte('E') {
		_ = d.byte('+') || d.byte('-')
		if !d.digits(false) {
			return 0, false
		}
	}
	if f, ok := exactDecimal(d.s[start:d.i]); ok {
		return f, true
	}
	f, err := strconv.ParseFloat(d.s[start:d.i], 64)
	return f, err == nil
}

// pow10s are the powers of ten a float64 holds exactly.
var pow10s = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// exactDecimal reads a JSON number without exponent and of at most 15
// digits, such as a confidence (0.75) or a sum, as strconv.ParseFloat
// does, but without its general machinery: the digits as an integer and
// the power of ten for the fraction are both exact in a float64, so their
// quotient is the correctly rounded value. Other numbers report false.
func exactDecimal(s string) (float64, bool) {
	neg := s != "" && s[0] == '-'
	if neg {
		s = s[1:]
	}
	var m uint64
	digits, frac := 0, -1
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			m, digits = m*10+uint64(c-'0'), digits+1
		case c == '.' && frac < 0:
			frac = i
		default:
			return 0, false
		}
	}
	if digits == 0 || digits > 15 {
		return 0, false
	}
	f := float64(m)
	if frac >= 0 {
		f /= pow10s[len(s)-1-frac]
	}
	if neg {
		f = -f
	}
	return f, true
}

// int reads an integer: a JSON number without fraction or exponent, as
// encoding/json requires for an int.
func (d *jsonCol) int() (int, bool) {
	d.ws()
	start := d.i
	d.byte('-')
	if !d.digits(true) {
		return 0, false
	}
	n, err := strconv.Atoi(d.s[start:d.i])
	return n, err == nil
}

// digits reads one or more decimal digits; integer forbids a leading zero
// before another digit.
func (d *jsonCol) digits(integer bool) bool {
	start := d.i
	for d.i < len(d.s) && d.s[d.i] >= '0' && d.s[d.i] <= '9' {
		d.i++
	}
	return d.i > start && !(integer && d.s[start] == '0' && d.i-start > 1)
}

func (d *jsonCol) bool() (bool, bool) {
	switch {
	case d.skip("true"):
		return true, true
	case d.skip("false"):
		return false, true
	}
	return false, false
}

// byte consumes c if it comes next, without skipping white space.
func (d *jsonCol) byte(c byte) bool {
	if d.i < len(d.s) && d.s[d.i] == c {
		d.i++
		return true
	}
	return false
}

// skip consumes lit if it comes next (after white space).
func (d *jsonCol) skip(lit string) bool {
	d.ws()
	if strings.HasPrefix(d.s[d.i:], lit) {
		d.i += len(lit)
		return true
	}
	return false
}
