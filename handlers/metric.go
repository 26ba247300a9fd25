package handlers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/config"
	"opsbot/kpi"
	"opsbot/money"
	"opsbot/store"
)

func (r *Router) metric(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	// Each metric once, a date (or month) and a shop, and a subcommand:
	// a longer command can only be refused, so it is, before any work.
	if most := len(r.catalog.All()) + 3; len(args) > most {
		return chat.Error(r.tr.T("err.too_many_values", len(args), most))
	}
	if len(args) > 0 {
		switch strings.ToLower(args[0]) {
		case "show", "查看", "显示":
			return r.metricShow(ctx, cmd, args[1:])
		case "export", "导出":
			return r.metricExport(ctx, cmd, args[1:])
		case "target", "targets", "目标":
			return r.metricTarget(ctx, cmd, args[1:])
		case "delete", "remove", "删除":
			return r.metricDelete(ctx, cmd, r.store, args[1:])
		case "help", "帮助", "?":
			return r.metricHelp()
		}
	}
	return r.metricLog(ctx, cmd, args)
}

// figures is a parsed command that logs or targets several metrics.
type figures struct {
	day    civil.Date // the day logged (log)
	month  civil.Date // the month targeted (target), its first day
	shop   config.Shop
	values map[string]int64
	keys   []string // in the order given
}

// problem is one thing wrong with a command; field names the metric key,
// "date", "month" or "shop" it is about, so a form can show it in place.
type problem struct {
	field  string
	text   string // the token and what is wrong with it
	reason string // what is wrong, without the token (for a form field)
}

// bad is a problem with one token.
func bad(field, tok, reason string) problem {
	return problem{field: field, text: tokenRef(tok) + " — " + reason, reason: reason}
}

func texts(ps []problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.text
	}
	return out
}

// parseFigures reads key=value tokens: metrics, the shop, and the day
// (logging) or the month (targets). It reports every bad token.
func (r *Router) parseFigures(cmd chat.Command, args []string, target bool) (figures, []problem) {
	today := r.today(cmd)
	f := figures{day: today.AddDays(-1), month: today.FirstOfMonth(), values: map[string]int64{}}
	shopRef := ""
	var problems []problem
	for _, tok := range args {
		k, v, ok := splitKV(tok)
		if !ok {
			msg := r.tr.T("err.not_kv", tokenRef(tok))
			problems = append(problems, problem{"", msg, msg})
			continue
		}
		switch {
		case !target && isDateKey(k):
			d, msg := r.parseDay(v, today)
			if msg != "" {
				problems = append(problems, bad("date", tok, msg))
				continue
			}
			f.day = d
		case target && isMonthKey(k):
			m, err := civil.ParseMonth(v)
			if err != nil {
				msg := r.tr.T("err.month_format", tokenRef(tok))
				problems = append(problems, problem{"month", msg, msg})
				continue
			}
			f.month = m
		case isShopKey(k):
			shopRef = v
		default:
			m, ok := r.catalog.Lookup(k)
			if !ok {
				msg := r.tr.T("err.metric_unknown", tokenRef(tok), chat.Escape(k))
				problems = append(problems, problem{"", msg, msg})
				continue
			}
			if _, dup := f.values[m.Key]; dup {
				msg := r.tr.T("err.metric_twice", tokenRef(tok), m.Key)
				problems = append(problems, problem{m.Key, msg, msg})
				continue
			}
			n, err := kpi.ParseValue(v, m.Kind)
			if err == nil && target && n == 0 {
				err = &kpi.ValueError{Code: "zero_target", Input: v}
			}
			if err != nil {
				problems = append(problems, bad(m.Key, tok, r.valueProblem(m, v, err)))
				f.values[m.Key] = 0 // so a second bad token for it is not called a duplicate
				continue
			}
			f.values[m.Key] = n
			f.keys = append(f.keys, m.Key)
		}
	}
	shop, msg := r.resolveShop(cmd, shopRef)
	if msg != "" {
		problems = append(problems, problem{"shop", msg, msg})
	}
	f.shop = shop
	return f, problems
}

// metricLog stores several figures of one day at once: every token must be
// right or nothing is stored.
func (r *Router) metricLog(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	if len(args) == 0 {
		return chat.Error(r.tr.T("err.metric_nothing"))
	}
	f, problems := r.parseFigures(cmd, args, false)
	if len(problems) > 0 {
		return r.problemList(texts(problems))
	}
	if len(f.keys) == 0 {
		return chat.Error(r.tr.T("err.metric_nothing"))
	}
	reply, err := r.logFigures(ctx, cmd.UserID, f, cmd.At, nil)
	if err != nil {
		return r.fail(cmd, "log metrics", err)
	}
	return reply
}

// logFigures stores parsed figures and builds the reply the team sees.
// When post is set, the reply is also queued for the channel in the same
// transaction, so the figures and the message commit together.
func (r *Router) logFigures(ctx context.Context, user string, f figures, at time.Time, post func(tx *store.Store, reply chat.Reply) error) (chat.Reply, error) {
	if post == nil {
		changes, stored, err := r.store.LogMetrics(ctx, user, f.shop.ID, f.day.String(), f.values, f.keys, at.UTC())
		if err != nil {
			return chat.Reply{}, err
		}
		return r.loggedReply(user, f, changes, stored), nil
	}
	var reply chat.Reply
	err := r.store.Tx(ctx, func(tx *store.Store) error {
		changes, err := tx.SetMetrics(ctx, user, f.shop.ID, f.day.String(), f.values, f.keys, at.UTC())
		if err != nil {
			return err
		}
		stored, err := tx.DayMetrics(ctx, f.shop.ID, f.day.String())
		if err != nil {
			return err
		}
		reply = r.loggedReply(user, f, changes, stored)
		if post != nil {
			return post(tx, reply)
		}
		return nil
	})
	return reply, err
}

func (r *Router) loggedReply(user string, f figures, changes []store.Change, stored map[string]int64) chat.Reply {
	shop, day := f.shop, f.day
	rows := [][]string{}
	for _, c := range changes {
		m, _ := r.catalog.Lookup(c.Key)
		was := ""
		if c.HadOld {
			was = r.tr.T("metric.was", kpi.Format(kpi.UnitOf(m.Kind), 0, c.Old))
			if c.Old == c.New {
				was = r.tr.T("metric.unchanged")
			}
		}
		rows = append(rows, []string{r.tr.Text(m.Name), kpi.Format(kpi.UnitOf(m.Kind), 0, c.New), was})
	}
	var kpis []string
	for _, d := range kpi.DeriveAll(stored) {
		if d.OK {
			kpis = append(kpis, r.tr.Text(d.Name)+" *"+d.String()+"*"+r.gradeSuffix(d))
		}
	}
	title := r.tr.T("metric.logged", chat.Mention(user), chat.Escape(shop.Name), r.dayLabel(day))
	blocks := []slack.Block{chat.Section(title + "\n" + chat.Table(rows, []bool{false, true, false}))}
	if len(kpis) > 0 {
		blocks = append(blocks, chat.Section(strings.Join(kpis, "  ·  ")))
	}
	blocks = append(blocks, chat.Context(r.tr.T("metric.logged_hint", day.String(), chat.Escape(shop.ID))))
	return chat.Reply{Blocks: blocks, Text: r.tr.T("metric.logged_plain", len(f.keys), shop.Name, day.String())}
}

func (r *Router) gradeSuffix(d kpi.Derived) string {
	if d.Grade == kpi.GradeNone {
		return ""
	}
	return " (" + r.tr.T("grade."+string(d.Grade)) + ")"
}

// valueProblem explains why a value was refused and what is accepted.
func (r *Router) valueProblem(m kpi.Metric, v string, err error) string {
	var ve *kpi.ValueError
	if !errors.As(err, &ve) {
		return err.Error()
	}
	accepted := r.tr.T("accept.count")
	if m.Kind == kpi.Money {
		accepted = r.tr.T("accept.money")
	}
	return r.tr.T("value."+ve.Code, chat.Escape(v), r.tr.Text(m.Name)) + " " + accepted
}

// metricShow prints one day's table: every logged figure and derived KPI,
// against the day before.
func (r *Router) metricShow(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	today := r.today(cmd)
	day := today.AddDays(-1)
	shopRef := ""
	var problems []string
	for _, tok := range args {
		k, v, ok := splitKV(tok)
		switch {
		case !ok:
			d, msg := r.parseDay(tok, today)
			if msg != "" {
				problems = append(problems, tokenRef(tok)+" — "+msg)
				continue
			}
			day = d
		case isDateKey(k):
			d, msg := r.parseDay(v, today)
			if msg != "" {
				problems = append(problems, tokenRef(tok)+" — "+msg)
				continue
			}
			day = d
		case isShopKey(k):
			shopRef = v
		default:
			problems = append(problems, r.tr.T("err.show_arg", tokenRef(tok)))
		}
	}
	shop, msg := r.resolveShop(cmd, shopRef)
	if msg != "" {
		problems = append(problems, msg)
	}
	if len(problems) > 0 {
		return r.readProblems(problems)
	}
	prevDay := day.AddDays(-1)
	days, err := r.store.RangeMetrics(ctx, shop.ID, prevDay.String(), day.String())
	if err != nil {
		return r.fail(cmd, "read metrics", err)
	}
	cur, prev := kpi.Day(days[day.String()]), kpi.Day(days[prevDay.String()])
	header := r.tr.T("show.header", shop.Name, r.dayLabel(day))
	if len(cur) == 0 {
		return chat.Reply{Ephemeral: true, Text: header, Blocks: []slack.Block{
			chat.Header(header),
			chat.Section(r.tr.T("show.empty", day.String(), chat.Escape(shop.ID))),
		}}
	}

	rows := [][]string{{r.tr.T("col.metric"), r.tr.T("col.value"), r.tr.T("col.delta", prevDay.String()[5:]), "Δ%"}}
	var missing []string
	for _, m := range r.catalog.All() {
		v, ok := cur[m.Key]
		if !ok {
			missing = append(missing, r.tr.Text(m.Name))
			continue
		}
		p, hadPrev := prev[m.Key]
		rows = append(rows, r.row(r.tr.Text(m.Name), kpi.UnitOf(m.Kind), 0, v, true, p, hadPrev))
	}
	prevKPIs := kpi.DeriveAll(prev)
	for i, d := range kpi.DeriveAll(cur) {
		row := r.row(r.tr.Text(d.Name), d.Unit, d.Decimals, d.Value, d.OK, prevKPIs[i].Value, prevKPIs[i].OK)
		row[1] = d.String() + r.gradeSuffix(d)
		rows = append(rows, row)
	}
	blocks := []slack.Block{chat.Header(header), chat.Section(chat.Table(rows, []bool{false, true, true, true}))}
	if lines, err := r.targetLines(ctx, shop, day, cur); err != nil {
		return r.fail(cmd, "read targets", err)
	} else if len(lines) > 0 {
		blocks = append(blocks, chat.Section(strings.Join(lines, "\n")))
	}
	if len(missing) > 0 {
		blocks = append(blocks, chat.Context(r.tr.T("show.missing", strings.Join(missing, ", "))))
	}
	return chat.Reply{Ephemeral: true, Text: header, Blocks: blocks}
}

// row is one line of the day table: name, value, change and change in
// percent against the day before. Rates change in percentage points and
// show no percent of a percent.
func (r *Router) row(name string, unit kpi.Unit, decimals int, v int64, ok bool, p int64, hadPrev bool) []string {
	out := []string{name, kpi.Dash, "", ""}
	if !ok {
		return out
	}
	out[1] = kpi.Format(unit, decimals, v)
	if !hadPrev {
		out[2] = kpi.Dash
		return out
	}
	delta := v - p
	out[2] = formatDelta(unit, decimals, delta)
	if unit == kpi.UnitCount || unit == kpi.UnitMoney {
		if pct, ok := kpi.Progress(delta, p); ok {
			out[3] = signed(kpi.FormatRate(pct, 1), pct)
		} else {
			out[3] = kpi.Dash
		}
	}
	return out
}

func formatDelta(unit kpi.Unit, decimals int, delta int64) string {
	switch unit {
	case kpi.UnitRate:
		s := strings.TrimSuffix(kpi.FormatRate(delta, decimals), "%") + " pp"
		return signed(s, delta)
	case kpi.UnitRatio:
		abs := delta
		if abs < 0 {
			abs = -abs
		}
		return signed(fmt.Sprintf("%s%d.%02d", sign(delta), abs/100, abs%100), 1)
	default:
		return signed(kpi.Format(unit, decimals, delta), delta)
	}
}

// signed puts a + before a positive change; negatives carry their minus.
func signed(s string, v int64) string {
	if v > 0 {
		return "+" + s
	}
	return s
}

func sign(v int64) string {
	if v < 0 {
		return "-"
	}
	return ""
}

// targetLines says how a day's figures stand against the month's targets:
// the day against its share of the target (flagged below half) and the
// month to date.
func (r *Router) targetLines(ctx context.Context, shop config.Shop, day civil.Date, cur kpi.Day) ([]string, error) {
	month := day.MonthString()
	targets, err := r.store.Targets(ctx, shop.ID, month)
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, m := range r.catalog.All() {
		t, ok := targets[m.Key]
		if !ok {
			continue
		}
		unit := kpi.UnitOf(m.Kind)
		daily := kpi.DailyTarget(t, day.DaysInMonth())
		name := r.tr.Text(m.Name)
		if v, logged := cur[m.Key]; logged {
			p, _ := kpi.Progress(v, daily)
			line := r.tr.T("target.day", name, kpi.Format(unit, 0, v), kpi.Format(unit, 0, daily), kpi.FormatRate(p, 1))
			if kpi.BelowHalf(v, daily) {
				line = ":warning: " + line + " " + r.tr.T("target.below_half")
			}
			lines = append(lines, line)
		}
		mtd, err := r.store.SumMetric(ctx, shop.ID, m.Key, day.FirstOfMonth().String(), day.String())
		if err != nil {
			return nil, err
		}
		p, _ := kpi.Progress(mtd, t)
		expected, _ := kpi.Progress(int64(day.Day), int64(day.DaysInMonth()))
		lines = append(lines, r.tr.T("target.month", name, month, kpi.Format(unit, 0, mtd), kpi.Format(unit, 0, t), kpi.FormatRate(p, 1), kpi.FormatRate(expected, 1)))
	}
	return lines, nil
}

// metricTarget sets monthly targets; managers only.
func (r *Router) metricTarget(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	if !r.cfg.IsManager(cmd.UserID, cmd.UserName) {
		managers := strings.Join(r.cfg.Managers, ", ")
		if managers == "" {
			managers = r.tr.T("target.no_managers")
		}
		return chat.Error(r.tr.T("err.managers_only", chat.Escape(managers)))
	}
	f, problems := r.parseFigures(cmd, args, true)
	if len(problems) > 0 {
		return r.problemList(texts(problems))
	}
	if len(f.keys) == 0 {
		return chat.Error(r.tr.T("err.target_nothing"))
	}
	shop, month := f.shop, f.month
	changes, err := r.store.SetTargets(ctx, cmd.UserID, shop.ID, month.MonthString(), f.values, f.keys, cmd.At.UTC())
	if err != nil {
		return r.fail(cmd, "store targets", err)
	}
	var lines []string
	for _, c := range changes {
		m, _ := r.catalog.Lookup(c.Key)
		unit := kpi.UnitOf(m.Kind)
		line := r.tr.T("target.set_line", r.tr.Text(m.Name), kpi.Format(unit, 0, c.New), kpi.Format(unit, 0, kpi.DailyTarget(c.New, month.DaysInMonth())), month.DaysInMonth())
		if c.HadOld {
			line += " " + r.tr.T("metric.was", kpi.Format(unit, 0, c.Old))
		}
		lines = append(lines, "• "+line)
	}
	text := r.tr.T("target.set", chat.Mention(cmd.UserID), chat.Escape(shop.Name), month.MonthString())
	return chat.Reply{Text: text, Blocks: []slack.Block{chat.Section(text + "\n" + strings.Join(lines, "\n"))}}
}

// moneyYuan is how exports write money: a plain decimal of yuan that
// spreadsheets read as a number.
func moneyYuan(v int64) string { return money.Fen(v).Yuan() }
