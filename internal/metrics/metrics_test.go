package metrics

import (
	"database/sql"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestHandlerExposesEveryScoutMetric(t *testing.T) {
	r := New()
	r.ObserveHTTP("GET", "GET /v1/items", 200, 3*time.Millisecond)
	r.ObserveFetch(OutcomeOK, time.Second)
	r.AddItems(3, 1)
	r.SetQueueLag(-time.Second)
	r.OutboxLag(ReaderRelay)(1500 * time.Millisecond)
	r.ObserveQueueWait(3 * time.Second)
	if err := r.WatchDB("reader", &sql.DB{}); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	r.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		HTTPDurationName + `_count{method="GET",route="GET /v1/items",status="200"} 1`,
		FetchesName + `{outcome="ok"} 1`,
		ItemsIngestedName + `{change="new"} 3`,
		QueueLagName + " 0",
		OutboxLagName + `{reader="relay"} 1.5`,
		QueueWaitName + `_bucket{le="5"} 1`,
		`go_sql_open_connections{db_name="reader"}`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics output lacks %q", want)
		}
	}
}

func TestNilRegistryRecordsNothing(t *testing.T) {
	var r *Registry
	r.ObserveHTTP("GET", "/", 200, time.Second)
	r.ObserveFetch(OutcomeOK, time.Second)
	r.AddItems(1, 1)
	r.SetQueueLag(time.Second)
	r.OutboxLag(ReaderTail)(time.Second)
	if err := r.WatchDB("x", nil); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	r.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 404 {
		t.Fatalf("nil registry handler status = %d", rec.Code)
	}
}
