package store

import (
	"context"
	"time"
)

// OpenKeyOf is an item's open key, which only the store sees: set while
// the item is open, nil once it is not, so the order may be flagged again.
func OpenKeyOf(ctx context.Context, s *Store, id uint64) (*string, error) {
	var row itemRow
	err := s.db.WithContext(ctx).Select("open_key").Where("id = ?", id).Take(&row).Error
	return row.OpenKey, err
}

// BatchCall is one call for RunBatch.
type BatchCall = *groupTx

// SeenCall is a FirstSeen call for RunBatch.
func SeenCall(key string, at time.Time) BatchCall {
	return &groupTx{seen: &seenKey{key: key, at: at.UTC()}}
}

// MetricCall is a LogMetrics call for RunBatch.
func MetricCall(actor, shop, day string, values map[string]int64, keys []string, at time.Time) BatchCall {
	return &groupTx{metric: &metricLog{actor: actor, shop: shop, day: day, values: values, keys: keys, at: at.UTC()}}
}

// TxCall is a Store.Tx call for RunBatch.
func TxCall(fn func(tx *Store) error) BatchCall { return &groupTx{fn: fn} }

// RunBatch runs calls as one batch of st's group writer, as if they had
// all been waiting when it took them, and returns each call's error and,
// for a FirstSeen call, whether it was first. Nothing else may use st
// meanwhile.
func RunBatch(st *Store, calls ...BatchCall) (errs []error, first []bool) {
	batch := make([]*groupTx, len(calls))
	for i, t := range calls {
		t.ctx, t.tmpl, t.done = context.Background(), *st, make(chan groupResult, 1)
		batch[i] = t
	}
	for len(batch) > 0 {
		batch = st.group.commit(batch)
	}
	for _, t := range calls {
		r := <-t.done
		errs, first = append(errs, r.err), append(first, r.first)
	}
	return errs, first
}

// Exec runs a statement on st's database, for a test to set the scene.
func Exec(st *Store, q string) error { return st.db.Exec(q).Error }

// FlushedTo is the WAL position the flush after st's last pipelined
// PostgreSQL batch reached; "" if none ran.
func FlushedTo(st *Store) string { return st.group.flushedTo }

// QueryBool runs a query of one boolean on st's database.
func QueryBool(st *Store, q string, args ...any) (bool, error) {
	var b bool
	err := st.db.Raw(q, args...).Row().Scan(&b)
	return b, err
}
