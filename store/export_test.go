package store

import "context"

// OpenKeyOf is an item's open key, which only the store sees: set while
// the item is open, nil once it is not, so the order may be flagged again.
func OpenKeyOf(ctx context.Context, s *Store, id uint64) (*string, error) {
	var row itemRow
	err := s.db.WithContext(ctx).Select("open_key").Where("id = ?", id).Take(&row).Error
	return row.OpenKey, err
}
