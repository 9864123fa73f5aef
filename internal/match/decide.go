package match

import (
	"fmt"
	"strconv"
	"time"
)

// Threshold is the confidence at or above which two sightings are one
// opportunity; below it they are kept apart.
const Threshold = 0.85

// Link is the decision about two sightings.
type Link struct {
	Confidence float64  `json:"confidence"`
	Evidence   []string `json:"evidence"`
}

// Same reports whether the link joins the two sightings.
func (l Link) Same() bool { return l.Confidence >= Threshold }

// Keys returns the blocking keys under which f is stored and looked up: the
// strong keys, the LSH bands of the signature, the normalized title, funder
// with deadline, and deadline with each title word. Two sightings that could
// be the same opportunity share at least one key, so the store compares a
// new sighting only with the few that share one.
func Keys(f Features) []string {
	keys := append([]string(nil), f.Strong...)
	if len(f.Sig) == sigLen {
		for b := 0; b < Bands; b++ {
			h := uint64(b)
			for _, v := range f.Sig[b*Rows : (b+1)*Rows] {
				h = mix(h ^ uint64(v))
			}
			keys = append(keys, "b:"+strconv.FormatUint(h, 36))
		}
	}
	if len(f.Title) > 0 {
		keys = append(keys, "t:"+strconv.FormatUint(hash64(fmt.Sprint(f.Title)), 36))
	}
	if f.Deadline != "" {
		if f.Funder != "" {
			keys = append(keys, "fd:"+strconv.FormatUint(hash64(f.Funder+"|"+f.Deadline), 36))
		}
		n := 0
		for _, w := range f.Title {
			if len([]rune(w)) >= 4 && n < 8 {
				keys = append(keys, "dw:"+f.Deadline+"|"+w)
				n++
			}
		}
	}
	return keys
}

// Decide judges whether a and b are one opportunity. Strong keys decide
// first, unless the two disagree on something only distinct calls differ in
// (deadlines far apart: another round; different opportunity numbers);
// then near-duplicate evidence (text, title, funder, deadline) decides.
func Decide(a, b Features) Link {
	var ev []string
	if c := conflicts(a, b); len(c) > 0 {
		return Link{Confidence: 0, Evidence: c}
	}
	shared := intersect(a.Strong, b.Strong)
	j := Similarity(a.Sig, b.Sig)
	t := jaccard(a.Title, b.Title)
	sameDeadline := a.Deadline != "" && a.Deadline == b.Deadline
	sameFunder := a.Funder != "" && a.Funder == b.Funder
	if len(shared) > 0 {
		ev = append(ev, shared...)
	}
	if sameDeadline {
		ev = append(ev, "deadline:"+a.Deadline)
	}
	if sameFunder {
		ev = append(ev, "funder:"+a.Funder)
	}
	ev = append(ev, fmt.Sprintf("text:%.2f", j), fmt.Sprintf("title:%.2f", t))
	conf := 0.0
	for _, k := range shared {
		switch {
		case k[0] == 'n' || k[0] == 'd':
			conf = max(conf, 0.99)
		case sameDeadline || sameFunder || t >= 0.25 || j >= 0.2:
			// A shared apply URL with any corroboration: a source's
			// boilerplate links alone never merge two posts.
			conf = max(conf, 0.95)
		}
	}
	switch {
	case j >= 0.6:
		conf = max(conf, 0.93)
	case j >= 0.35 && (sameDeadline || sameFunder || t >= 0.5):
		conf = max(conf, 0.9)
	case t >= 0.6 && sameDeadline:
		conf = max(conf, 0.9)
	case t >= 0.8 && sameFunder && (a.Deadline == "" || b.Deadline == ""):
		conf = max(conf, 0.86)
	case sameFunder && sameDeadline && t >= 0.3:
		conf = max(conf, 0.88)
	}
	if conf == 0 {
		conf = 0.5 * max(j, t)
	}
	return Link{Confidence: conf, Evidence: ev}
}

// conflicts lists what says a and b are distinct calls.
func conflicts(a, b Features) []string {
	var c []string
	if d := days(a.Deadline, b.Deadline); d > 60 {
		c = append(c, fmt.Sprintf("deadlines %s and %s", a.Deadline, b.Deadline))
	}
	na, nb := prefixed(a.Strong, "n:"), prefixed(b.Strong, "n:")
	if len(na) > 0 && len(nb) > 0 && len(intersect(na, nb)) == 0 {
		c = append(c, "opportunity numbers differ")
	}
	if a.Funder != "" && b.Funder != "" && a.Funder != b.Funder && jaccard(tokens(a.Funder), tokens(b.Funder)) < 0.5 {
		c = append(c, "funders "+a.Funder+" and "+b.Funder)
	}
	if yearsDiffer(a.Title, b.Title) {
		c = append(c, "title years differ")
	}
	return c
}

// yearsDiffer reports whether both titles name a year and no year is common:
// "2026 round" and "2027 round" are two calls.
func yearsDiffer(a, b []string) bool {
	ya, yb := years(a), years(b)
	return len(ya) > 0 && len(yb) > 0 && len(intersect(ya, yb)) == 0
}

func years(ws []string) []string {
	var out []string
	for _, w := range ws {
		if len(w) == 4 && (w[:2] == "19" || w[:2] == "20") && hasDigit(w[2:]) {
			if _, err := strconv.Atoi(w); err == nil {
				out = append(out, w)
			}
		}
	}
	return out
}

func days(a, b string) int {
	if a == "" || b == "" {
		return 0
	}
	ta, err1 := time.Parse("2006-01-02", a)
	tb, err2 := time.Parse("2006-01-02", b)
	if err1 != nil || err2 != nil {
		return 0
	}
	d := ta.Sub(tb).Hours() / 24
	if d < 0 {
		d = -d
	}
	return int(d)
}

func prefixed(ks []string, p string) []string {
	var out []string
	for _, k := range ks {
		if len(k) >= len(p) && k[:len(p)] == p {
			out = append(out, k)
		}
	}
	return out
}

// intersect returns the elements of a that are in b.
func intersect(a, b []string) []string {
	if len(a) == 0 || len(b) == 0 {
		return nil
	}
	set := make(map[string]bool, len(b))
	for _, v := range b {
		set[v] = true
	}
	var out []string
	for _, v := range a {
		if set[v] {
			out = append(out, v)
		}
	}
	return out
}

func jaccard(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	n := len(intersect(a, b))
	return float64(n) / float64(len(a)+len(b)-n)
}

// Similarity estimates the Jaccard similarity of the shingle sets behind two
// signatures: the share of positions where they agree.
func Similarity(a, b []uint32) float64 {
	if len(a) != sigLen || len(b) != sigLen {
		return 0
	}
	n := 0
	for i := range a {
		if a[i] == b[i] {
			n++
		}
	}
	return float64(n) / sigLen
}
