package bench

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/scoutdev/scout/internal/extract"
	"github.com/scoutdev/scout/internal/scout"
	"github.com/scoutdev/scout/internal/store"
)

// FillOptions size a synthetic store for the API under load.
type FillOptions struct {
	Items   int // total items; rounded down to a multiple of Sources
	Sources int // default 2,000
	Seed    int64
	Now     time.Time // published dates fall in the year before; default time.Now
	// Writers is how many CompleteFetch calls run at once (default 2: one
	// commits while the next batch waits; SQLite has one writer anyway).
	Writers int
}

// FillResult is what Fill stored and how long it took.
type FillResult struct {
	Items, Sources int
	Wall           time.Duration
}

// Rate is items stored per second.
func (r FillResult) Rate() float64 { return float64(r.Items) / r.Wall.Seconds() }

// Fill creates o.Sources public sources and stores o.Items synthetic
// opportunities through CompleteFetch, one call per source (so FTS, the
// entities and the outbox are written as ingestion writes them), with the
// built-in extractor run on every item. The sources' next fetch is a year
// away, so a Scout started on the store leaves them alone. On PostgreSQL
// the store is then vacuumed and analyzed (not counted in Wall), as
// autovacuum would have done in a deployment by the time it is read.
func Fill(ctx context.Context, st store.Store, o FillOptions) (FillResult, error) {
	o.defaults()
	per := o.Items / o.Sources
	start := time.Now()
	ids := make([]int64, o.Sources)
	for i := range ids {
		s, err := st.CreateSource(ctx, scout.Source{URL: fmt.Sprintf("https://funders%d.example.net/feed.xml", i),
			Visibility: scout.VisibilityPublic, NextFetchAt: o.Now.AddDate(1, 0, 0)})
		if err != nil {
			return FillResult{}, fmt.Errorf("fill: create source %d: %w", i, err)
		}
		ids[i] = s.ID
	}
	batches := make(chan store.FetchResult, 2*o.Writers)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go generate(ctx, o, ids, per, batches)
	errs := make(chan error, o.Writers)
	var wg sync.WaitGroup
	for range o.Writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range batches {
				if _, err := st.CompleteFetch(ctx, b); err != nil {
					errs <- fmt.Errorf("fill: %w", err)
					cancel()
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return FillResult{}, err
	}
	if err := ctx.Err(); err != nil {
		return FillResult{}, fmt.Errorf("fill: %w", err)
	}
	res := FillResult{Items: per * o.Sources, Sources: o.Sources, Wall: time.Since(start)}
	if err := settlePostgres(ctx, st); err != nil {
		return res, fmt.Errorf("fill: %w", err)
	}
	return res, nil
}

func (o *FillOptions) defaults() {
	if o.Sources <= 0 {
		o.Sources = 2000
	}
	o.Sources = min(o.Sources, max(o.Items, 1))
	if o.Writers <= 0 {
		o.Writers = 2
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	o.Now = o.Now.UTC().Truncate(time.Second)
}

// generate builds the fetch results of every source on all cores and sends
// them on out, which it closes.
func generate(ctx context.Context, o FillOptions, ids []int64, per int, out chan<- store.FetchResult) {
	defer close(out)
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				items := make([]scout.Item, per)
				for j := range items {
					items[j] = synthItem(o.Seed, o.Now, i, j)
				}
				r := store.FetchResult{SourceID: ids[i], Items: items, Interval: time.Hour, NextFetchAt: o.Now.AddDate(1, 0, 0),
					Log: scout.FetchLog{StartedAt: o.Now, StatusCode: 200}}
				select {
				case out <- r:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	for i := range ids {
		select {
		case next <- i:
		case <-ctx.Done():
		}
	}
	close(next)
	wg.Wait()
}

// Words of the synthetic text. Each item names one program from a
// vocabulary of len(syllables)³ made-up words, so a program name is a rare
// search term (about Items/3,375 hits); "grant" is a common one.
var (
	fillFunders = []string{"Harlow Foundation", "Northern Arts Council", "Meridian Trust", "Lyon Cultural Fund",
		"Okafor Family Foundation", "Riverside Community Arts", "Castellan Institute", "Baltic Film Fund",
		"Whitcombe Endowment", "National Poetry Alliance", "Greenway Environmental Trust", "Sato Media Lab"}
	fillDisciplines = []string{"documentary film", "poetry", "visual arts", "music composition", "journalism",
		"photography", "theatre", "dance", "game design", "illustration", "sound art", "creative nonfiction",
		"ceramics", "animation"}
	fillKinds = []string{"grant", "fellowship", "residency", "commission", "open call", "prize", "award",
		"production grant", "travel grant", "research fellowship", "scholarship", "call for entries"}
	fillPlaces = []string{"Berlin", "Lagos", "Montreal", "Oaxaca", "Glasgow", "Seoul", "Nairobi", "Lisbon",
		"Portland", "Melbourne", "Helsinki", "Cape Town", "Kyoto", "Valparaiso"}
	fillAudiences = []string{"early-career artists", "artists over 40", "collectives of up to five members",
		"students enrolled in a degree program", "practitioners from under-represented communities",
		"independent producers", "writers with one published book"}
	fillFillers = []string{
		"Applicants should submit a portfolio, a project description of no more than 800 words and a budget.",
		"The selection committee meets twice a year and favours projects that engage local audiences.",
		"Funds may be used for materials, travel, living costs and documentation, but not for tuition.",
		"Shortlisted applicants will be invited to a short video interview with the panel.",
		"Successful projects must credit the funder in all published materials.",
		"The program includes mentoring sessions, studio space and a public presentation at the end of the term.",
	}
	syllables = []string{"ka", "lo", "mer", "vin", "tra", "sel", "dor", "qui", "zan", "pe", "rho", "bel",
		"ost", "fen", "gri"}
)

// programName returns made-up word k of the vocabulary, e.g. "Kalomer".
func programName(k int) string {
	n := len(syllables)
	w := syllables[k%n] + syllables[k/n%n] + syllables[k/n/n%n]
	return strings.ToUpper(w[:1]) + w[1:]
}

// programNames is the size of the program-name vocabulary.
var programNames = len(syllables) * len(syllables) * len(syllables)

// synthItem builds item j of source i deterministically from the seed,
// published in the year before now, with its facets extracted.
func synthItem(seed int64, now time.Time, i, j int) scout.Item {
	r := rand.New(rand.NewPCG(uint64(seed), uint64(i)<<32|uint64(j)))
	funder, disc, kind := pickOf(r, fillFunders), pickOf(r, fillDisciplines), pickOf(r, fillKinds)
	place, aud, prog := pickOf(r, fillPlaces), pickOf(r, fillAudiences), programName(r.IntN(programNames))
	published := now.Add(-time.Duration(r.Int64N(int64(365 * 24 * time.Hour)))).Truncate(time.Second)
	lo := (1 + r.IntN(20)) * 1000
	hi := lo * (2 + r.IntN(5))
	var title string
	if r.IntN(3) == 0 {
		title = fmt.Sprintf("%s %s: %s for %s (%s)", prog, kind, disc, aud, place)
	} else {
		title = fmt.Sprintf("The %s %s %s in %s", funder, prog, kind, disc)
	}
	var text, body strings.Builder
	sentence := func(s string) { text.WriteString(s + " "); body.WriteString("<p>" + html.EscapeString(s) + "</p>") }
	sentence(fmt.Sprintf("The %s invites applications for the %s %s in %s, open to %s based in %s.", funder, prog, kind, disc, aud, place))
	sentence(fmt.Sprintf("Awards range from $%d to $%d (USD) per project.", lo, hi))
	switch r.IntN(8) {
	case 0:
		sentence("Applications are accepted on a rolling basis.")
	case 1:
		// no deadline stated
	default:
		deadline := published.AddDate(0, 1+r.IntN(6), r.IntN(28))
		sentence("Deadline: " + deadline.Format("January 2, 2006") + ".")
	}
	for range 2 + r.IntN(3) {
		sentence(pickOf(r, fillFillers))
	}
	url := fmt.Sprintf("https://funders%d.example.net/calls/%d", i, j)
	it := scout.Item{GUID: fmt.Sprintf("api-%d-%d-%d", seed, i, j), URL: url, Title: title,
		Summary: truncateWords(text.String(), 200), ContentHTML: body.String(), ContentText: strings.TrimSpace(text.String()),
		PublishedAt: published, Categories: []string{disc}}
	sum := sha256.Sum256([]byte(it.Title + "\x00" + it.URL + "\x00" + it.ContentText))
	it.ContentHash = hex.EncodeToString(sum[:])
	extract.Rules{}.Enrich(&it)
	return it
}

func pickOf(r *rand.Rand, from []string) string { return from[r.IntN(len(from))] }

// truncateWords cuts s to at most n bytes at a space.
func truncateWords(s string, n int) string {
	if len(s) <= n {
		return strings.TrimSpace(s)
	}
	if k := strings.LastIndexByte(s[:n], ' '); k > 0 {
		n = k
	}
	return s[:n] + "…"
}
