package sqlite_test

import (
	"testing"
	"time"

	"github.com/scoutdev/scout/internal/store"
	"github.com/scoutdev/scout/internal/store/storetest"
	"github.com/scoutdev/scout/internal/testdb"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) store.Store {
		return testdb.SQLite(t, now)
	})
}
