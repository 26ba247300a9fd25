package store_test

import (
	"context"
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
