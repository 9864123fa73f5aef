package natsbus_test

import (
	"context"
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

// BenchmarkPublish measures acknowledged publishes to the local JetStream,
// one event at a time as the relay sends them.
func BenchmarkPublish(b *testing.B) {
	p := open(b)
	ctx := context.Background()
	evs := make([]scout.Event, 100)
	id := int64(0)
	b.ResetTimer()
	for b.Loop() {
		for i := range evs {
			id++
			evs[i] = scout.Event{ID: id, Type: scout.EventItemCreated, Visibility: scout.VisibilityPublic,
				Payload: []byte(`{"id":1,"title":"A grant"}`), CreatedAt: time.Now()}
		}
		if _, err := p.Publish(ctx, evs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(id)/b.Elapsed().Seconds(), "events/s")
}
