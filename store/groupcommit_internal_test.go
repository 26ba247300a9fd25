package store

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
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

// TestWriteSeenKeysInOneStatement: of calls in one batch with the same
// key only the earliest is first, and a key stored before is not.
func TestWriteSeenKeysInOneStatement(t *testing.T) {
	st, err := Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "seen.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	if _, err := st.FirstSeen(context.Background(), "c", at); err != nil {
		t.Fatal(err)
	}
	tx := st.db.Begin()
	defer tx.Rollback()
	res, err := writeSeenKeys(tx, []*seenKey{{"a", at}, {"b", at}, {"a", at}, {"c", at}, {"b", at}})
	if err != nil {
		t.Fatal(err)
	}
	var got []bool
	for _, r := range res {
		got = append(got, r.first)
	}
	if want := []bool{true, true, false, false, false}; !slices.Equal(got, want) {
		t.Errorf("first = %v, want %v", got, want)
	}
}
