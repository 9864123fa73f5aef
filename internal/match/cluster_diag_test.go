package match_test

import (
	"fmt"
	"sort"
	"strings"

	"github.com/scoutdev/scout/internal/extract"
	"github.com/scoutdev/scout/internal/match"
	"github.com/scoutdev/scout/internal/scout"
)

// diagnoseClusters counts, over a cluster set, where recall goes: posts
// that make no sighting or too few, and pairs of posts of one call that
// Decide keeps apart, by the first thing that keeps them apart. It names
// no post, so it may run on the frozen set.
func diagnoseClusters(recs []clusterRecord) string {
	type post struct {
		cluster string
		f       match.Features
	}
	none, short, notOpp := 0, 0, 0
	var ps, calls []post
	var traps []clusterRecord
	split := map[string]int{}
	for _, r := range recs {
		it := postItem(r)
		n := 0
		switch {
		case len(it.Calls) > 1:
			n = len(it.Calls)
		case it.Opportunity.Kind != scout.KindNone && it.Opportunity.Kind != scout.KindUnknown, it.Mention != nil:
			n = 1
		}
		if len(r.Clusters) > 0 && n == 0 {
			none++
			if it.Opportunity.Kind == scout.KindNone || it.Opportunity.Kind == scout.KindUnknown {
				notOpp++
			}
		}
		if len(r.Clusters) == 0 && n > 0 {
			traps = append(traps, r)
		}
		if n > 0 && n < len(r.Clusters) {
			short++
		}
		if f, ok := postFeatures(r); ok {
			ps = append(ps, post{r.Clusters[0], f})
		}
		if len(r.Clusters) > 1 {
			n := len(extract.Calls(extract.Input{Title: it.Title, Text: it.ContentText, PublishedAt: it.PublishedAt}))
			split[fmt.Sprintf("%d calls read as %d (split alone %d)", len(r.Clusters), len(it.Calls), n)]++
		}
		if len(r.Clusters) > 1 && len(it.Calls) == len(r.Clusters) {
			for i, f := range callFeatures(&it) {
				calls = append(calls, post{r.Clusters[i], f})
			}
		}
	}
	// The labelled pairs, by the kind of post of each side: a post of one
	// call or a call of a post announcing several.
	byCluster := map[string][]bool{}
	for _, r := range recs {
		for _, c := range r.Clusters {
			byCluster[c] = append(byCluster[c], len(r.Clusters) > 1)
		}
	}
	pairs := map[string]int{}
	for _, ms := range byCluster {
		for i, x := range ms {
			for _, y := range ms[i+1:] {
				pairs[pairKind(x, y)]++
			}
		}
	}
	why := map[string]int{}
	same, joined, distinct, wrong := 0, 0, 0, 0
	for i, a := range ps {
		for _, b := range ps[i+1:] {
			l := match.Decide(a.f, b.f)
			if a.cluster != b.cluster {
				distinct++
				if l.Same() {
					wrong++
					why["wrong: "+joinedBy(a.f, b.f)]++
				}
				continue
			}
			same++
			if l.Same() {
				joined++
				continue
			}
			why["apart: "+apartBy(a.f, b.f, l)]++
		}
	}
	callSame, callJoined, callDistinct, callWrong := 0, 0, 0, 0
	for _, c := range calls {
		for _, p := range ps {
			l := match.Decide(c.f, p.f)
			if c.cluster != p.cluster {
				callDistinct++
				if l.Same() {
					callWrong++
				}
				continue
			}
			callSame++
			if l.Same() {
				callJoined++
				continue
			}
			why["call apart: "+apartBy(c.f, p.f, l)]++
		}
	}
	trapJoined := 0
	for _, r := range traps {
		r.Clusters = []string{"trap"}
		f, ok := postFeatures(r)
		for _, p := range ps {
			if ok && match.Decide(f, p.f).Same() {
				trapJoined++
				why["trap joined: "+joinedBy(f, p.f)]++
				break
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "posts with calls but no sighting %d (not read as opportunities %d), with fewer sightings than calls %d; "+
		"single-call pairs of one call joined %d of %d, of distinct calls %d of %d", none, notOpp, short, joined, same, wrong, distinct)
	fmt.Fprintf(&b, "; labelled pairs %v; newsletter calls read as labelled %d, their pairs with single posts of one call joined %d of %d, "+
		"of distinct calls %d of %d; newsletters %v; posts of no call sighted %d, joining a call %d", pairs, len(calls), callJoined, callSame, callWrong, callDistinct, split, len(traps), trapJoined)
	ks := make([]string, 0, len(why))
	for k := range why {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return why[ks[i]] > why[ks[j]] || why[ks[i]] == why[ks[j]] && ks[i] < ks[j] })
	for _, k := range ks {
		fmt.Fprintf(&b, "\n  %s: %d", k, why[k])
	}
	return b.String()
}

// apartBy names the kind of the first conflict, or what evidence is
// missing, without naming what the posts say.
func apartBy(a, b match.Features, l match.Link) string {
	if l.Confidence == 0 && len(l.Evidence) > 0 {
		e := l.Evidence[0]
		for _, p := range []string{"deadlines", "opportunity numbers", "funders", "title years", "titles name", "links to"} {
			if strings.HasPrefix(e, p) {
				return "conflict " + p + conflictDetail(p, a, b)
			}
		}
	}
	wj, wc := match.WordSimilarity(a, b)
	return fmt.Sprintf("weak %s; text %.1f, words %.1f/%.1f", shape(a, b), bucket(match.Similarity(a.Sig, b.Sig)), bucket(wj), bucket(wc))
}

func bucket(x float64) float64 { return float64(int(x*10)) / 10 }

func conflictDetail(p string, a, b match.Features) string {
	if p == "funders" {
		switch {
		case strings.Contains(a.Funder, b.Funder) || strings.Contains(b.Funder, a.Funder):
			return " (one within the other)"
		}
		return fmt.Sprintf(" (words %d/%d)", len(strings.Fields(a.Funder)), len(strings.Fields(b.Funder)))
	}
	return ""
}

func shape(a, b match.Features) string {
	return strings.Join([]string{agree("deadline", a.Deadline, b.Deadline), agree("funder", a.Funder, b.Funder),
		agree("amount", a.Amount, b.Amount)}, ", ")
}

// agree says whether two values of a field are missing, the same or not.
func agree(field, x, y string) string {
	switch {
	case x == "" || y == "":
		return field + " missing"
	case x == y:
		return field + " same"
	}
	return field + " differs"
}

func joinedBy(a, b match.Features) string {
	l := match.Decide(a, b)
	var s []string
	for _, e := range l.Evidence {
		k, _, _ := strings.Cut(e, ":")
		if k == "u" || k == "n" || k == "d" || k == "deadline" || k == "funder" || k == "amount" || k == "funder named" {
			s = append(s, k)
		}
	}
	return strings.Join(s, "+") + " / " + shape(a, b)
}

// callFeatures are the features the store matches the calls of a post
// announcing several by (see sqlstore's sightParts).
func callFeatures(it *scout.Item) []match.Features {
	links := match.CallLinks(it, len(it.Calls))
	out := make([]match.Features, len(it.Calls))
	for i, c := range it.Calls {
		one := scout.Item{URL: it.URL, Title: c.Title, ContentText: c.Span, PublishedAt: it.PublishedAt, Opportunity: c.Opportunity}
		if links != nil {
			one.ContentHTML = links[i]
		}
		out[i] = match.ExtractCall(&one)
	}
	return out
}

// wrongPairs counts the pairs of calls the store put together that the
// labels keep apart, by whether a newsletter's call is one of them.
func wrongPairs(recs []clusterRecord, pred map[string][]int64) map[string]int {
	type el struct {
		gold string
		opp  int64
		news bool
	}
	var els []el
	for _, r := range recs {
		for j, o := range pred[r.ID] {
			g := fmt.Sprintf("none:%s:%d", r.ID, j)
			if j < len(r.Clusters) {
				g = r.Clusters[j]
			}
			els = append(els, el{g, o, len(r.Clusters) > 1 || len(pred[r.ID]) > 1})
		}
	}
	out := map[string]int{}
	for i, a := range els {
		for _, b := range els[i+1:] {
			if a.opp == b.opp && a.gold != b.gold {
				out[pairKind(a.news, b.news)]++
			}
		}
	}
	return out
}

// pairKind names a pair by whether each side is a newsletter's call.
func pairKind(x, y bool) string {
	switch {
	case x && y:
		return "both in newsletters"
	case x || y:
		return "one in a newsletter"
	}
	return "single posts"
}
