package stock

import (
	"context"
	"errors"
	"fmt"
	"time"

	"opsbot/civil"
	"opsbot/config"
	"opsbot/jobs"
)

// sheetGrace is how late a sheet is still built after its time (the bot
// was down): within the day it was due. Later, next week's sheet will do.
const sheetGrace = 12 * time.Hour

// Name of the job.
func (f *Feature) Name() string { return "stock" }

// sheetTime is when the sheet is built: the playbook's weekday and time.
func (f *Feature) sheetTime() (time.Weekday, int, int, error) {
	wd, h, m, err := config.ParseWeekly(f.Cfg.Stock.Sheet)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("stock.sheet: %w", err)
	}
	return wd, h, m, nil
}

// sheetDay is the working day a nominal sheet day moves to: itself when
// it is a working day of the calendar, else the working day before
// (on_holiday: before, so the order goes out before the break) or after;
// ok is false for skip, or when no working day is within a week.
func (f *Feature) sheetDay(nominal civil.Date) (civil.Date, bool) {
	if f.cal == nil || f.cal.IsWorkday(nominal) {
		return nominal, true
	}
	step := -1
	switch f.Cfg.Stock.OnHoliday {
	case "skip":
		return civil.Date{}, false
	case "after":
		step = 1
	}
	for d, i := nominal.AddDays(step), 1; i < 7; d, i = d.AddDays(step), i+1 {
		if f.cal.IsWorkday(d) {
			return d, true
		}
	}
	return civil.Date{}, false
}

// sheetsAround lists the sheet days (after the calendar) whose nominal
// day lies within a week of day, with their times.
func (f *Feature) sheetsAround(day civil.Date) ([]time.Time, []civil.Date, error) {
	wd, h, m, err := f.sheetTime()
	if err != nil {
		return nil, nil, err
	}
	var ats []time.Time
	var days []civil.Date
	for d := day.AddDays(-7); !d.After(day.AddDays(14)); d = d.AddDays(1) {
		if d.Weekday() != wd {
			continue
		}
		eff, ok := f.sheetDay(d)
		if !ok {
			continue
		}
		ats = append(ats, eff.At(f.Cfg.Location, h, m))
		days = append(days, eff)
	}
	return ats, days, nil
}

// Tick builds each shop's sheet when its time has come: once (the
// database's unique key on shop and day decides), late within the day
// if the bot was down at its time.
func (f *Feature) Tick(ctx context.Context, now time.Time) error {
	if err := f.sync(ctx); err != nil {
		return err
	}
	if err := f.refreshSums(ctx, f.today(now)); err != nil {
		return err
	}
	if err := f.sweepImports(ctx, now); err != nil {
		return err
	}
	epoch, err := jobs.Epoch(ctx, f.st, now)
	if err != nil {
		return err
	}
	ats, days, err := f.sheetsAround(f.today(now))
	if err != nil {
		return err
	}
	queued := false
	var errs []error
	for i, at := range ats {
		if at.After(now) || now.Sub(at) > sheetGrace || at.Before(epoch) {
			continue
		}
		for _, shop := range f.Cfg.Shops {
			posted, err := f.postSheet(ctx, shop, days[i], now, now.Sub(at) > 5*time.Minute)
			if err != nil {
				errs = append(errs, fmt.Errorf("sheet of %s on %s: %w", shop.ID, days[i], err))
			}
			queued = queued || posted
		}
	}
	if queued {
		f.Notify()
	}
	return errors.Join(errs...)
}

// sweepEvery is how often the job deletes expired import previews: an
// expired one is refused when confirmed anyway, so within the hour is
// soon enough.
const sweepEvery = time.Hour

// sweepImports deletes the import previews that can no longer be
// confirmed (ImportExpiry after they were made) and the cancelled ones,
// at most once an hour.
func (f *Feature) sweepImports(ctx context.Context, now time.Time) error {
	return f.sweep.Sweep(ctx, now, ImportExpiry, f.Log, "expired stock import previews", f.st.DeleteStaleStockImports)
}

// Next is the first sheet time after `after`, for the simulation.
func (f *Feature) Next(_ context.Context, after time.Time) (time.Time, bool, error) {
	ats, _, err := f.sheetsAround(f.today(after))
	if err != nil {
		return time.Time{}, false, err
	}
	for _, at := range ats {
		if at.After(after) {
			return at, true, nil
		}
	}
	return time.Time{}, false, nil
}
