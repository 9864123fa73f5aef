package event_test

import (
	"context"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/testdb"
)

// BenchmarkReplayChanges measures how fast a consumer that was offline
// catches up: paging through a backlog of outbox rows (a quarter private
// to another user) with the visibility filter, 1000 rows per page.
func BenchmarkReplayChanges(b *testing.B) {
	const backlog = 100_000
	st := testdb.SQLite(b, nil)
	ctx := context.Background()
	tx, err := st.W.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UnixMicro()
	for i := range backlog {
		owner, vis := int64(1), "public"
		if i%4 == 0 {
			owner, vis = 2, "private"
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (type, source_id, item_id, owner_id, visibility, payload, created_at)
			VALUES ('item.created', 0, $1, $2, $3, '{"id":1,"title":"A grant for film makers","version":1}', $4)`, i, owner, vis, now); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		seen, cursor := 0, int64(0)
		for {
			p, err := st.ListChanges(ctx, store.Viewer{UserID: 1}, cursor, 1000)
			if err != nil {
				b.Fatal(err)
			}
			seen, cursor = seen+len(p.Events), p.Next
			if !p.More {
				break
			}
		}
		if seen != backlog*3/4 {
			b.Fatalf("saw %d changes", seen)
		}
	}
	b.ReportMetric(float64(backlog)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
