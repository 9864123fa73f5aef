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
		s.Precedence = o.Precedence
		return s
	})
}
