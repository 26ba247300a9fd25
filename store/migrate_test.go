package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"opsbot/store"
	"opsbot/store/storetest"
)

// Replicas starting together on an empty PostgreSQL database all migrate
// it without error: the advisory lock serialises them.
func TestReplicasMigrateAnEmptyPostgresTogether(t *testing.T) {
	url := storetest.PostgresURL(t)
	const replicas = 4
	var wg sync.WaitGroup
	errs := make([]error, replicas)
	for i := range replicas {
		wg.Go(func() {
			st, err := store.Open(context.Background(), url)
			if err == nil {
				st.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("replica %d: %v", i, err)
		}
	}
}

// A PostgreSQL database that is not in UTF8 is refused at start, saying
// what to do. On SQL_ASCII the first start created the tables and every
// later one failed to migrate (pgx refuses its simple-protocol queries
// there); LATIN1 cannot hold the Chinese text the bot stores.
func TestPostgresNeedsUTF8(t *testing.T) {
	for _, enc := range []string{"SQL_ASCII", "LATIN1"} {
		t.Run(enc, func(t *testing.T) {
			url := storetest.PostgresDatabaseURL(t, enc)
			for range 2 { // the first start as well as the later ones
				st, err := store.Open(context.Background(), url)
				if err == nil {
					st.Close()
					t.Fatalf("a %s database was opened", enc)
				}
				for _, want := range []string{enc, "UTF8", "createdb -E UTF8 -T template0"} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q does not say %q", err, want)
					}
				}
			}
		})
	}
	t.Run("UTF8", func(t *testing.T) {
		url := storetest.PostgresDatabaseURL(t, "UTF8")
		for i := range 2 {
			st, err := store.Open(context.Background(), url)
			if err != nil {
				t.Fatalf("start %d: %v", i+1, err)
			}
			st.Close()
		}
	})
}
