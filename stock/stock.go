// Package stock is the warehouse side of the routine (库存与补货): each
// shop's SKUs, their audited stock movements and daily sales, the views
// of /stock, the warnings when an SKU's cover runs short or it runs out,
// the digest's stock section, and the weekly replenishment sheet
// (补货需求表) with its approval. It owns its rules, arithmetic, messages,
// commands, interactions and scheduled job; handlers only route to it.
package stock

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

	"opsbot/calendar"
	"opsbot/civil"
	"opsbot/config"
	"opsbot/handlers/command"
	"opsbot/jobs"
	"opsbot/store"
)

// Feature is the stock feature with its dependencies.
type Feature struct {
	*command.Env
	st  *store.Store
	cal *calendar.Calendar

	syncMu sync.Mutex
	synced bool
	// readFiles allows /stock import PATH (the console only).
	readFiles bool

	sweep jobs.Throttle // the job's deleting of expired imports
}

// New builds the feature.
func New(cfg *config.Config, st *store.Store, cal *calendar.Calendar, clock clockwork.Clock, log *slog.Logger) *Feature {
	return &Feature{Env: command.NewEnv(cfg, clock, log), st: st, cal: cal, sweep: jobs.Throttle{Every: sweepEvery}}
}

// channel is where warnings and sheets go.
func (f *Feature) channel() string {
	return f.Cfg.ChannelFor(cmp.Or(f.Cfg.Stock.Channel, "team"))
}

// sync adds the SKUs of the config that the database lacks, and writes
// the config's own fields (name, case pack, minimum order, lead and
// safety days) over the stored ones: the config is the source of what it
// declares. It runs once per process; the unique key makes replicas safe.
func (f *Feature) sync(ctx context.Context) error {
	f.syncMu.Lock()
	defer f.syncMu.Unlock()
	if f.synced || len(f.Cfg.Stock.Items) == 0 {
		f.synced = true
		return nil
	}
	now := f.Clock.Now()
	err := f.st.Tx(ctx, func(tx *store.Store) error {
		for _, ci := range f.Cfg.Stock.Items {
			shop := ci.Shop
			if shop == "" && len(f.Cfg.Shops) > 0 {
				shop = f.Cfg.Shops[0].ID
			}
			if s, ok := f.Cfg.ShopByRef(shop); ok {
				shop = s.ID
			}
			code := normCode(ci.SKU)
			it, err := tx.StockItem(ctx, shop, code)
			if errors.Is(err, store.ErrNotFound) {
				it = store.StockItem{Shop: shop, Code: code}
			} else if err != nil {
				return err
			}
			before := it
			it.Name = cmp.Or(ci.Name, it.Name)
			it.CasePack = cmp.Or(ci.CasePack, it.CasePack)
			it.MinOrder = cmp.Or(ci.MinOrder, it.MinOrder)
			it.LeadDays = cmp.Or(ci.LeadDays, it.LeadDays)
			it.SafetyDays = cmp.Or(ci.SafetyDays, it.SafetyDays)
			if it.ID != 0 && before == it {
				continue
			}
			if it.ID == 0 {
				it.SumsOn = f.today(now).String() // a new SKU has no sales: its sums are known
				if _, err := tx.CreateStockItem(ctx, &it); err != nil {
					return err
				}
				if err := tx.AddStockMove(ctx, &store.StockMove{ItemID: it.ID, At: now, Actor: "config", Kind: "add", Note: it.Name}); err != nil {
					return err
				}
				continue
			}
			if err := tx.SaveStockItem(ctx, &it); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("stock items from the config: %w", err)
	}
	f.synced = true
	return nil
}

// normCode is how SKU codes are kept: upper case, so a100 and A100 are
// one SKU.
func normCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// lead and safety are an SKU's days, or the section's defaults.
func (f *Feature) lead(it store.StockItem) int {
	if it.LeadDays > 0 {
		return it.LeadDays
	}
	return f.Cfg.Stock.LeadDays
}

func (f *Feature) safety(it store.StockItem) int {
	if it.SafetyDays > 0 {
		return it.SafetyDays
	}
	return f.Cfg.Stock.SafetyDays
}

// position puts an SKU's numbers together for a day; sums are its sales
// over the windows before that day.
func (f *Feature) position(it store.StockItem, w store.SalesWindow, day civil.Date) Position {
	return f.newDayView(day).position(it, w)
}

// dayView holds what every SKU's position on a day shares, so a view of
// thousands of SKUs computes it once.
type dayView struct {
	f        *Feature
	day      civil.Date
	slowFrom string
	firsts   map[string][2]int // first sales day → Days7, Days28
}

func (f *Feature) newDayView(day civil.Date) *dayView {
	return &dayView{f: f, day: day, slowFrom: day.AddDays(-f.slowDays()).String(), firsts: map[string][2]int{}}
}

func (v *dayView) position(it store.StockItem, w store.SalesWindow) Position {
	days, ok := v.firsts[it.FirstSaleOn]
	if !ok {
		days = [2]int{window(it.FirstSaleOn, v.day, shortWindow), window(it.FirstSaleOn, v.day, longWindow)}
		v.firsts[it.FirstSaleOn] = days
	}
	f := v.f
	return Position{
		OnHand: it.OnHand, InTransit: it.InTransit, Counted: it.Counted,
		Sold7: w.Sold7, Sold28: w.Sold28, Days7: days[0], Days28: days[1],
		Lead: f.lead(it), Safety: f.safety(it), Review: f.Cfg.Stock.ReviewDays,
		CasePack: max(it.CasePack, 1), MinOrder: it.MinOrder,
		Slow: it.LastSaleOn == "" || it.LastSaleOn < v.slowFrom,
	}
}

func (f *Feature) slowDays() int { return cmp.Or(f.Cfg.Stock.SlowDays, 30) }

// windows are the date bounds of the averages for a day: the 28 and 7
// days before it.
func windows(day civil.Date) (from28, from7, to string) {
	return day.AddDays(-longWindow).String(), day.AddDays(-shortWindow).String(), day.AddDays(-1).String()
}

// itemPosition reads one SKU's sales windows (one primary-key range).
func (f *Feature) itemPosition(ctx context.Context, st *store.Store, it store.StockItem, day civil.Date) (Position, error) {
	from28, from7, to := windows(day)
	sales, err := st.StockSales(ctx, it.ID, from28, to)
	if err != nil {
		return Position{}, err
	}
	var w store.SalesWindow
	for _, s := range sales {
		w.Sold28 += s.Qty
		if s.Date >= from7 {
			w.Sold7 += s.Qty
		}
	}
	return f.position(it, w, day), nil
}

// row is an SKU with its position, for the views, the digest and the sheet.
type row struct {
	item store.StockItem
	pos  Position
}

// shopRows reads every SKU of a shop with its position on a day. The
// sums kept on the SKU rows serve when they are of that day (the job
// refreshes them each morning); otherwise one grouped query over the
// sales' primary key computes them.
func (f *Feature) shopRows(ctx context.Context, shop string, day civil.Date) ([]row, error) {
	items, err := f.st.StockItems(ctx, shop)
	if err != nil || len(items) == 0 {
		return nil, err
	}
	var sums map[uint64]store.SalesWindow
	dayText := day.String()
	for _, it := range items {
		if it.SumsOn != dayText {
			from28, from7, to := windows(day)
			if sums, err = f.st.StockSalesSums(ctx, shop, from28, from7, to); err != nil {
				return nil, err
			}
			break
		}
	}
	rows := make([]row, len(items))
	view := f.newDayView(day)
	for i, it := range items {
		w := store.SalesWindow{Sold7: it.Sold7, Sold28: it.Sold28}
		if sums != nil {
			w = sums[it.ID]
		}
		rows[i] = row{item: it, pos: view.position(it, w)}
	}
	return rows, nil
}

// refreshSums brings the SKU rows' sums to a day, for every shop.
func (f *Feature) refreshSums(ctx context.Context, day civil.Date) error {
	from28, from7, to := windows(day)
	for _, shop := range f.Cfg.Shops {
		stale, err := f.st.StaleStockSums(ctx, shop.ID, day.String())
		if err != nil || !stale {
			if err != nil {
				return err
			}
			continue
		}
		err = f.st.Tx(ctx, func(tx *store.Store) error {
			_, err := tx.RefreshStockSums(ctx, shop.ID, day.String(), from28, from7, to)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// adjustSums keeps an SKU's kept sums right when a day's sales change
// from old to qty (old < 0: none were logged).
func adjustSums(it *store.StockItem, date string, old, qty int64) {
	if it.SumsOn == "" {
		return
	}
	day, err := civil.Parse(it.SumsOn)
	if err != nil {
		return
	}
	from28, from7, to := windows(day)
	delta := qty - max(old, 0)
	if date >= from28 && date <= to {
		it.Sold28 += delta
		if date >= from7 {
			it.Sold7 += delta
		}
	}
}

func (f *Feature) today(at time.Time) civil.Date { return civil.Of(at, f.Cfg.Location) }
