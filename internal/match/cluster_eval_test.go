package match_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/extract"
	"github.com/scoutdev/scout/internal/match"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/testdb"
)

// The cluster sets label sightings (posts) with the opportunities they
// announce. testdata/clusters.jsonl was written by authors who never saw
// the matcher, from a brief that gave only the record schema and the kinds
// of posts; it is frozen, and the matcher is never tuned on its texts, so
// the test reads only its aggregate scores. testdata/clusters_dev.jsonl was
// written from the same brief by the matcher's authors, to tune on.

// clusterRecord is one labelled sighting.
type clusterRecord struct {
	ID     string `json:"id"`
	Source struct {
		Type string `json:"type"`
		Host string `json:"host"`
		URL  string `json:"url"`
	} `json:"source"`
	Pub      time.Time `json:"pub"`
	Title    string    `json:"title"`
	Text     string    `json:"text"`
	Links    []string  `json:"links"`
	Clusters []string  `json:"clusters"`
}

func loadClusters(tb testing.TB, name string) []clusterRecord {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if os.IsNotExist(err) {
		tb.Skipf("no %s", name)
	}
	if err != nil {
		tb.Fatalf("open %s: %v", name, err)
	}
	defer f.Close()
	var out []clusterRecord
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var r clusterRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			tb.Fatalf("%s line %d: %v", name, n, err)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("read %s: %v", name, err)
	}
	return out
}

// postItem is the item the pipeline would make of a post: its text, and
// its links as the HTML the post's page carried.
func postItem(r clusterRecord) scout.Item {
	var b strings.Builder
	b.WriteString("<p>" + html.EscapeString(r.Text) + "</p>")
	for _, l := range r.Links {
		b.WriteString(`<a href="` + html.EscapeString(l) + `">link</a>`)
	}
	it := scout.Item{GUID: r.ID, URL: r.Source.URL, Title: r.Title, ContentText: r.Text, ContentHTML: b.String(),
		PublishedAt: r.Pub, ContentHash: r.ID}
	extract.Rules{}.Enrich(&it)
	return it
}

// ingestClusters stores every post in publication order through the real
// store, each in its own fetch of its host's source, so that the store's
// matcher decides identity as it does for arriving items; it returns the
// opportunity of each post's sightings, by post id and part order.
func ingestClusters(tb testing.TB, recs []clusterRecord) map[string][]int64 {
	tb.Helper()
	ctx := context.Background()
	s := testdb.SQLite(tb, time.Now)
	sorted := append([]clusterRecord(nil), recs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Pub.Before(sorted[j].Pub) })
	sources := map[string]scout.Source{}
	for _, r := range sorted {
		host := r.Source.Host
		if host == "" {
			if u, err := url.Parse(r.Source.URL); err == nil {
				host = u.Host
			}
		}
		src, ok := sources[host]
		if !ok {
			var err error
			src, err = s.CreateSource(ctx, scout.Source{URL: "https://" + host + "/feed", Title: host, Visibility: scout.VisibilityPublic})
			if err != nil {
				tb.Fatalf("create source for %s: %v", host, err)
			}
			sources[host] = src
		}
		_, err := s.CompleteFetch(ctx, store.FetchResult{SourceID: src.ID, Items: []scout.Item{postItem(r)},
			NextFetchAt: time.Now().Add(time.Hour), Interval: time.Hour, Log: scout.FetchLog{StatusCode: 200}})
		if err != nil {
			tb.Fatalf("store post: %v", err)
		}
	}
	type part struct {
		n   int
		opp int64
	}
	parts := map[string][]part{}
	f := store.ItemFilter{Viewer: store.Viewer{Admin: true}, Sort: store.SortPublished, PageRequest: store.PageRequest{Limit: 200}}
	for {
		p, err := s.ListOpportunities(ctx, f)
		if err != nil {
			tb.Fatalf("list opportunities: %v", err)
		}
		for _, o := range p.Items {
			for _, g := range o.Sightings {
				parts[g.Item.GUID] = append(parts[g.Item.GUID], part{g.Part, o.ID})
			}
		}
		if p.Next == "" {
			break
		}
		f.Cursor = p.Next
	}
	out := map[string][]int64{}
	for id, ps := range parts {
		sort.Slice(ps, func(i, j int) bool { return ps[i].n < ps[j].n })
		for _, p := range ps {
			out[id] = append(out[id], p.opp)
		}
	}
	return out
}

// clusterScores are pairwise precision and recall and B-cubed precision
// and recall of predicted clusters against labelled ones, with the calls
// labelled and sighted.
type clusterScores struct {
	pairP, pairR, b3P, b3R float64
	labelled, sighted      int
}

// scoreClusters compares predictions with labels. The elements are the
// calls of each post: a post's labelled calls in order, aligned with its
// sightings in part order. A labelled call without a sighting is a cluster
// of its own in the prediction; a sighting without a labelled call (a trap
// taken for a call, a call too many) is a cluster of its own in the labels.
func scoreClusters(recs []clusterRecord, pred map[string][]int64) clusterScores {
	var gold, got []string
	var sc clusterScores
	for _, r := range recs {
		ps := pred[r.ID]
		sc.labelled += len(r.Clusters)
		sc.sighted += min(len(ps), len(r.Clusters))
		for j := 0; j < max(len(ps), len(r.Clusters)); j++ {
			g, p := fmt.Sprintf("none:%s:%d", r.ID, j), fmt.Sprintf("miss:%s:%d", r.ID, j)
			if j < len(r.Clusters) {
				g = "gold:" + r.Clusters[j]
			}
			if j < len(ps) {
				p = fmt.Sprint("opp:", ps[j])
			}
			gold, got = append(gold, g), append(got, p)
		}
	}
	sc.pairP, sc.pairR = pairwise(got, gold), pairwise(gold, got)
	sc.b3P, sc.b3R = bcubed(got, gold), bcubed(gold, got)
	return sc
}

// pairwise returns the share of the pairs of elements that a puts together
// which b puts together too.
func pairwise(a, b []string) float64 {
	together, both := 0, 0
	for i := range a {
		for j := i + 1; j < len(a); j++ {
			if a[i] == a[j] {
				together++
				if b[i] == b[j] {
					both++
				}
			}
		}
	}
	if together == 0 {
		return 1
	}
	return float64(both) / float64(together)
}

// bcubed returns the mean, over elements, of the share of the element's
// cluster in a that shares its cluster in b.
func bcubed(a, b []string) float64 {
	if len(a) == 0 {
		return 1
	}
	sum := 0.0
	for i := range a {
		in, both := 0, 0
		for j := range a {
			if a[i] == a[j] {
				in++
				if b[i] == b[j] {
					both++
				}
			}
		}
		sum += float64(both) / float64(in)
	}
	return sum / float64(len(a))
}

func TestScoreClustersCountsPairsAndElements(t *testing.T) {
	recs := []clusterRecord{{ID: "a", Clusters: []string{"x"}}, {ID: "b", Clusters: []string{"x"}}, {ID: "c", Clusters: []string{"y"}},
		{ID: "d", Clusters: []string{"x", "y"}}, {ID: "e"}}
	perfect := map[string][]int64{"a": {1}, "b": {1}, "c": {2}, "d": {1, 2}}
	if s := scoreClusters(recs, perfect); s.pairP != 1 || s.pairR != 1 || s.b3P != 1 || s.b3R != 1 || s.sighted != 5 {
		t.Fatalf("perfect prediction scored %+v", s)
	}
	// The trap e joins x and the newsletter d is not split: x's three
	// labelled pairs keep one (a-b), and the pairs with e are wrong.
	worse := map[string][]int64{"a": {1}, "b": {1}, "c": {2}, "d": {3}, "e": {1}}
	s := scoreClusters(recs, worse)
	if s.pairP != 1.0/3 || s.pairR != 1.0/4 || s.sighted != 4 || s.labelled != 5 {
		t.Fatalf("scores = %+v; want pairwise precision 1/3, recall 1/4, 4 of 5 calls sighted", s)
	}
}

// clusterFloor is what the frozen set scored when first measured, at the
// matcher as tuned on the dev set only (BENCHMARKS.md has it with the
// score of the matcher before any tuning): pairwise precision and recall,
// B-cubed precision and recall. It is a ratchet: raise it when the
// matcher, changed for reasons of its own, scores higher.
var clusterFloor = [4]float64{0.960, 0.715, 0.983, 0.801}

// TestClustersBlind scores the store's matching on the frozen cluster set,
// in aggregate only: it never names a post.
func TestClustersBlind(t *testing.T) {
	scoreBlindClusters(t, "clusters.jsonl", clusterFloor)
}

// clusters2Floor is what the second frozen set (testdata/clusters2.jsonl,
// written like the first by authors who never saw the matcher, and
// delivered after this round's tuning) scored when first measured, at
// ceceb70 (6c60891 scored 1.000/0.640 and 1.000/0.746): a ratchet, like
// clusterFloor.
var clusters2Floor = [4]float64{1, 0.749, 1, 0.819}

// TestClustersBlind2 scores the store's matching on the second frozen
// cluster set, in aggregate only.
func TestClustersBlind2(t *testing.T) {
	scoreBlindClusters(t, "clusters2.jsonl", clusters2Floor)
}

// scoreBlindClusters scores a frozen cluster set against floor; -v adds
// the aggregate diagnosis, which names no post.
func scoreBlindClusters(t *testing.T, name string, floor [4]float64) {
	scoreClusterSet(t, name, floor, false)
}

// scoreClusterSet scores the cluster set in testdata/name against floor;
// -v adds the aggregate diagnosis and, for a dev set (named), each post's
// labelled calls and the opportunities it joined.
func scoreClusterSet(t *testing.T, name string, floor [4]float64, named bool) {
	recs := loadClusters(t, name)
	pred := ingestClusters(t, recs)
	s := scoreClusters(recs, pred)
	t.Logf("%d posts, %d labelled calls, %d sighted; pairwise precision %.3f recall %.3f; B-cubed precision %.3f recall %.3f",
		len(recs), s.labelled, s.sighted, s.pairP, s.pairR, s.b3P, s.b3R)
	if testing.Verbose() {
		t.Log(diagnoseClusters(recs))
		t.Logf("pairs put together wrongly: %v", wrongPairs(recs, pred))
		for i := 0; named && i < len(recs); i++ {
			t.Logf("%s %v -> %v", recs[i].ID, recs[i].Clusters, pred[recs[i].ID])
		}
	}
	checkClusterFloor(t, s, floor)
}

// clusterDevFloor is what the dev set scored when last measured (raised
// with the funder ranker: recall 0.929 -> 0.953, B-cubed 0.958 -> 0.973;
// with an agency's division read as no other funder: 0.988, 0.989).
var clusterDevFloor = [4]float64{1, 0.987, 1, 0.988}

// TestClustersDev scores the store's matching on the dev cluster set;
// -v names each post's labelled calls and the opportunities it joined.
func TestClustersDev(t *testing.T) {
	scoreClusterSet(t, "clusters_dev.jsonl", clusterDevFloor, true)
}

// clusterNewsFloor is what the newsletter dev set scored when last
// measured: lowered with the kind model's veto where the rules' evidence
// is weak (recall 0.969 -> 0.958, B-cubed 0.984 -> 0.979: one blog post
// of one call read as no opportunity), which cross-validation on
// extraction's training sets chose; raised when a mention that links to
// a page founds the call it posts (0.958 -> 0.976, 0.979 -> 0.989), and
// when a funder that is its post's title conflicts with none (0.990,
// 0.995).
var clusterNewsFloor = [4]float64{1, 0.989, 1, 0.994}

// TestClustersNews scores the store's matching on the newsletter dev set
// (testdata/clusters_news.jsonl: 45 newsletters of many shapes, written by
// people who never saw the code, with their calls' other sightings and
// look-alikes). It is tuned on, like clusters_dev.jsonl.
func TestClustersNews(t *testing.T) {
	scoreClusterSet(t, "clusters_news.jsonl", clusterNewsFloor, true)
}

func checkClusterFloor(t *testing.T, s clusterScores, floor [4]float64) {
	t.Helper()
	got := [4]float64{s.pairP, s.pairR, s.b3P, s.b3R}
	names := [4]string{"pairwise precision", "pairwise recall", "B-cubed precision", "B-cubed recall"}
	for i := range got {
		if got[i] < floor[i]-1e-9 {
			t.Errorf("%s %.3f, below the floor %.3f", names[i], got[i], floor[i])
		}
	}
}

// postFeatures are the features the store matches a post by: its own, or
// those of its mention when it is no opportunity (see scout.Item.Mention);
// false when it makes no sighting. Posts announcing several calls are left
// out.
func postFeatures(r clusterRecord) (match.Features, bool) {
	it := postItem(r)
	switch {
	case len(r.Clusters) != 1 || len(it.Calls) > 1:
		return match.Features{}, false
	case it.Opportunity.Kind != scout.KindNone && it.Opportunity.Kind != scout.KindUnknown:
		return match.Extract(&it), true
	case it.Mention != nil:
		it.Opportunity = it.Mention.Opportunity
		return match.Extract(&it), true
	}
	return match.Features{}, false
}

// coincidentCeiling is how many of the dev set's pairs of distinct calls
// Decide joins when each pair is made to close the same day for the same
// sum (funders' deadlines bunch at month ends, and sums are round), and
// coincidentFloor how many of its pairs of posts of one call it joins: a
// ratchet on precision where the deadline and the sum say nothing.
const coincidentCeiling, coincidentFloor = 28, 94

func TestDecideCoincidentDeadlinesDev(t *testing.T) {
	recs := loadClusters(t, "clusters_dev.jsonl")
	type post struct {
		cluster string
		f       match.Features
	}
	var ps []post
	for _, r := range recs {
		if f, ok := postFeatures(r); ok {
			ps = append(ps, post{r.Clusters[0], f})
		}
	}
	wrong, distinct, right, same := 0, 0, 0, 0
	for i, a := range ps {
		for j, b := range ps {
			switch {
			case i == j:
			case a.cluster == b.cluster:
				same++
				if match.Decide(a.f, b.f).Same() {
					right++
				}
			default:
				distinct++
				b.f.Deadline, b.f.Amount = a.f.Deadline, a.f.Amount
				if match.Decide(a.f, b.f).Same() {
					wrong++
				}
			}
		}
	}
	t.Logf("pairs of distinct calls made to coincide: %d of %d joined; pairs of one call: %d of %d joined", wrong, distinct, right, same)
	if wrong > coincidentCeiling || right < coincidentFloor {
		t.Errorf("joined %d coincident distinct pairs (ceiling %d) and %d true pairs (floor %d)", wrong, coincidentCeiling, right, coincidentFloor)
	}
}
