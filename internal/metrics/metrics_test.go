package metrics

import (
	"database/sql"
	"fmt"
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

func TestHostLagKeepsTheTopHostsOnly(t *testing.T) {
	r := New()
	var lags []HostLag
	for i := range TopHosts + 5 {
		lags = append(lags, HostLag{Host: fmt.Sprintf("h%02d.example", i), Lag: time.Duration(100-i) * time.Second})
	}
	r.SetHostLags(lags)
	r.SetHostLags(lags[2:]) // h00 and h01 caught up
	rec := httptest.NewRecorder()
	r.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	if n := strings.Count(string(body), HostLagName+"{"); n != TopHosts {
		t.Errorf("%d host lag series, want %d:\n%s", n, TopHosts, body)
	}
	for _, want := range []string{HostLagName + `{host="h02.example"} 98`, HostLagName + `{host="h11.example"} 89`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics output lacks %q", want)
		}
	}
	for _, gone := range []string{`host="h00.example"`, `host="h12.example"`} {
		if strings.Contains(string(body), gone) {
			t.Errorf("metrics output still has %s", gone)
		}
	}
}
