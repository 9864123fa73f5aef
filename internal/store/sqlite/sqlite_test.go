package sqlite_test

import (
	"testing"

	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/store/storetest"
	"github.com/scoutdev/scout/internal/testdb"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, o storetest.Options) store.Store {
		s := testdb.SQLite(t, o.Now)
		s.Precedence, s.GroupPrecedence = o.Precedence, o.GroupPrecedence
		return s
	})
}

func TestRecordsOfExistingRows(t *testing.T) {
	storetest.RecordsOfExistingRows(t, testdb.SQLite(t, storetest.NewClock(storetest.T0).Now))
}

func TestSummariesOfExistingRows(t *testing.T) {
	storetest.SummariesOfExistingRows(t, testdb.SQLite(t, storetest.NewClock(storetest.T0).Now))
}

func TestSightingsOfExistingRows(t *testing.T) {
	storetest.SightingsOfExistingRows(t, testdb.SQLite(t, storetest.NewClock(storetest.T0).Now))
}

func TestSourceKeysOfExistingRows(t *testing.T) {
	s := testdb.SQLite(t, storetest.NewClock(storetest.T0).Now)
	storetest.SourceKeysOfExistingRows(t, s, func(q string) error { _, err := s.W.Exec(q); return err })
}

func TestMatchKeysFollowSightings(t *testing.T) {
	s := testdb.SQLite(t, storetest.NewClock(storetest.T0).Now)
	storetest.MatchKeysFollowSightings(t, s, s.R, s.W)
}

func TestFeaturesOfExistingRows(t *testing.T) {
	s := testdb.SQLite(t, storetest.NewClock(storetest.T0).Now)
	storetest.FeaturesOfExistingRows(t, s, s.R)
}
