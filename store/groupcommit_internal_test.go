package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// TestTxInsideTxOnTheStoreFailsInsteadOfHanging: a function that starts
// another transaction on the Store, not on its tx, waits for a writer that
// is busy running it. It gets an error after the wait, as it would from
// SQLite's busy timeout, and the outer transaction goes on.
func TestTxInsideTxOnTheStoreFailsInsteadOfHanging(t *testing.T) {
	st, err := Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "nested.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.group.wait = 200 * time.Millisecond
	ctx := context.Background()
	var inner error
	outer := st.Tx(ctx, func(tx *Store) error {
		inner = st.Tx(ctx, func(*Store) error { return nil })
		return nil
	})
	if outer != nil || !errors.Is(inner, errGateTimeout) {
		t.Errorf("outer %v, inner %v; want the inner one to time out", outer, inner)
	}
}
