package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Check compares what Scout stored with what the farm served.
type Check struct {
	Served     int    // items the farm ever served (the ground truth)
	Stored     int    // live item rows of the farm's sources
	Missing    int    // served but not stored
	Duplicates int    // extra rows for a GUID already stored under the same source
	Extra      int    // stored but never served
	Integrity  string // "ok" from PRAGMA integrity_check, "n/a" on PostgreSQL
}

// OK reports whether nothing was lost, duplicated or invented and the
// database is sound. With partial, missing items are allowed (the reader
// has not caught up yet).
func (c Check) OK(partial bool) bool {
	return (partial || c.Missing == 0) && c.Duplicates == 0 && c.Extra == 0 && (c.Integrity == "ok" || c.Integrity == "n/a")
}

// String is the check in one line.
func (c Check) String() string {
	return fmt.Sprintf("served %d, stored %d, missing %d, duplicated %d, extra %d, integrity %s",
		c.Served, c.Stored, c.Missing, c.Duplicates, c.Extra, c.Integrity)
}

// verify checks the stored items of the sources under farmURL against the
// farm's truth (feed path → GUIDs served). The truth is read after the
// items, so that an item served in between counts as missing, not extra.
func verify(ctx context.Context, d *db, farmURL string, truthOf func() (map[string][]string, error)) (Check, error) {
	var c Check
	stored, err := d.stored(ctx)
	if err != nil {
		return c, err
	}
	truth, err := truthOf()
	if err != nil {
		return c, err
	}
	if c.Integrity, err = d.integrity(ctx); err != nil {
		return c, err
	}
	for path, guids := range truth {
		c.Served += len(guids)
		want := make(map[string]bool, len(guids))
		for _, g := range guids {
			want[g] = true
		}
		seen := map[string]bool{}
		for _, g := range stored[farmURL+path] {
			c.Stored++
			switch {
			case seen[g]:
				c.Duplicates++
			case !want[g]:
				c.Extra++
			}
			seen[g] = true
		}
		for g := range want {
			if !seen[g] {
				c.Missing++
			}
		}
	}
	return c, nil
}

// farmTruth reads the ground truth of a farm running in another process.
func farmTruth(ctx context.Context, farmURL string) (map[string][]string, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", strings.TrimRight(farmURL, "/")+"/truth", nil)
	if err != nil {
		return nil, fmt.Errorf("read farm truth: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("read farm truth: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("read farm truth: status %d", resp.StatusCode)
	}
	var t map[string][]string
	if err := json.NewDecoder(resp.Body).Decode(&t); err != nil {
		return nil, fmt.Errorf("read farm truth: %w", err)
	}
	return t, nil
}

// VerifyOptions configure Verify.
type VerifyOptions struct {
	DataDir, DatabaseURL string // the Scout database
	FarmURL              string // a running feedfarm, for its /truth
	Partial              bool   // allow missing items
	MakeDue              bool   // afterwards, make every source due now (keeps a crash test's ingest busy)
}

// Verify checks a Scout database against a running farm's ground truth, for
// scripts that run the farm and `scout serve` as separate processes. It
// returns an error when the check fails.
func Verify(ctx context.Context, o VerifyOptions) (Check, error) {
	d, err := openDB(ctx, o.DataDir, o.DatabaseURL)
	if err != nil {
		return Check{}, err
	}
	defer d.Close()
	c, err := verify(ctx, d, strings.TrimRight(o.FarmURL, "/"), func() (map[string][]string, error) { return farmTruth(ctx, o.FarmURL) })
	if err != nil {
		return c, err
	}
	if !c.OK(o.Partial) {
		return c, fmt.Errorf("verify: %s", c)
	}
	if o.MakeDue {
		err = d.makeDue(ctx, time.Now())
	}
	return c, err
}
