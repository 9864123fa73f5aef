package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/scoutdev/scout/internal/feed"
	"github.com/scoutdev/scout/internal/fetch"
)

// parser turns one fetched body into a number of items.
type parser struct {
	name  string
	parse func(body []byte, contentType, url string) (int, error)
}

// floorParsers are the two floors: gofeed alone (the definition,
// what any Go reader pays) and Scout's feed.Parse (decode, depth check,
// gofeed, normalize and sanitize), both without extraction or storage.
var floorParsers = []parser{
	{"floor: fetch + gofeed", func(body []byte, _, _ string) (int, error) {
		f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err != nil {
			return 0, err
		}
		return len(f.Items), nil
	}},
	{"floor: fetch + feed.Parse", func(body []byte, ct, url string) (int, error) {
		f, err := feed.Parse(body, ct, url, feed.Options{})
		if err != nil {
			return 0, err
		}
		return len(f.Items), nil
	}},
}

// measured is the outcome of one timed phase.
type measured struct {
	Wall  time.Duration
	Items int
	Feeds int
	Use   usage // CPU is the phase's own; PeakRSS the phase's peak
}

// runFloor fetches every URL once with a fetch client configured as Scout's
// and parses the body with p, Workers at a time, storing nothing. It runs in
// this process, so its CPU and memory include the farm's.
func runFloor(ctx context.Context, urls []string, t Tuning, p parser) (measured, error) {
	var m measured
	c, err := fetch.New(fetch.Options{
		UserAgent: "scout-bench", Timeout: t.FetchTimeout,
		PerHostConcurrency: t.PerHost, PerHostInterval: -1, GlobalConcurrency: t.Concurrency,
		Allow: []string{"127.0.0.1/32"},
	})
	if err != nil {
		return m, err
	}
	before, _ := readUsage(os.Getpid())
	resetPeak(os.Getpid())
	start := time.Now()
	var items atomic.Int64
	var firstErr error
	var once sync.Once
	jobs := make(chan string)
	var wg sync.WaitGroup
	for range t.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range jobs {
				n, err := fetchParse(ctx, c, u, p)
				if err != nil {
					once.Do(func() { firstErr = err })
				}
				items.Add(int64(n))
			}
		}()
	}
	for _, u := range urls {
		jobs <- u
	}
	close(jobs)
	wg.Wait()
	m.Wall = time.Since(start)
	after, _ := readUsage(os.Getpid())
	m.Items, m.Feeds = int(items.Load()), len(urls)
	m.Use = usage{RSS: after.RSS, PeakRSS: after.PeakRSS, CPU: after.CPU - before.CPU}
	return m, firstErr
}

func fetchParse(ctx context.Context, c *fetch.Client, u string, p parser) (int, error) {
	resp, err := c.Get(ctx, fetch.Request{URL: u})
	if err != nil {
		return 0, fmt.Errorf("floor fetch %s: %w", u, err)
	}
	n, err := p.parse(resp.Body, resp.ContentType, u)
	if err != nil {
		return 0, fmt.Errorf("floor parse %s: %w", u, err)
	}
	return n, nil
}
