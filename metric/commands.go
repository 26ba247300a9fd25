package metric

import (
	"context"
	"errors"
	"maps"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/config"
	"opsbot/exact"
	"opsbot/handlers/command"
	"opsbot/money"
	"opsbot/store"
)

func (r *Commands) Command(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	// Each metric once, a date (or month) and a shop, and a subcommand:
	// a longer command can only be refused, so it is, before any work.
	if most := len(r.catalog.All()) + 3; len(args) > most {
		return chat.Error(r.Tr.T("err.too_many_values", len(args), most))
	}
	if len(args) > 0 {
		switch strings.ToLower(args[0]) {
		case "show", "查看", "显示":
			return r.metricShow(ctx, cmd, args[1:])
		case "export", "导出":
			return r.metricExport(ctx, cmd, args[1:])
		case "import", "导入":
			return r.metricImport(ctx, cmd, args[1:])
		case "target", "targets", "目标":
			return r.metricTarget(ctx, cmd, args[1:])
		case "delete", "remove", "删除":
			return r.metricDelete(ctx, cmd, args[1:])
		case "help", "帮助", "?":
			return r.Help()
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

// parseFigures reads key=value tokens: metrics, the shop, and the day
// (logging) or the month (targets). It reports every bad token.
func (r *Commands) parseFigures(cmd chat.Command, args []string, target bool) (figures, []command.Problem) {
	today := r.Today(cmd)
	f := figures{day: today.AddDays(-1), month: today.FirstOfMonth(), values: map[string]int64{}}
	shopRef := ""
	var problems []command.Problem
	for _, tok := range args {
		k, v, ok := command.SplitKV(tok)
		if !ok {
			msg := r.Tr.T("err.not_kv", command.TokenRef(tok))
			problems = append(problems, command.Says("", msg))
			continue
		}
		switch {
		case !target && command.IsDateKey(k):
			d, msg := r.ParseDay(v, today)
			if msg != "" {
				problems = append(problems, command.Bad("date", tok, msg))
				continue
			}
			f.day = d
		case target && command.IsMonthKey(k):
			m, err := civil.ParseMonth(v)
			if err != nil {
				msg := r.Tr.T("err.month_format", command.TokenRef(tok))
				problems = append(problems, command.Says("month", msg))
				continue
			}
			f.month = m
		case command.IsShopKey(k):
			shopRef = v
		default:
			m, ok := r.catalog.Lookup(k)
			if !ok {
				msg := r.Tr.T("err.metric_unknown", command.TokenRef(tok), chat.Escape(k))
				problems = append(problems, command.Says("", msg))
				continue
			}
			if _, dup := f.values[m.Key]; dup {
				msg := r.Tr.T("err.metric_twice", command.TokenRef(tok), m.Key)
				problems = append(problems, command.Says(m.Key, msg))
				continue
			}
			if target && m.Kind != Count && m.Kind != Money {
				msg := r.Tr.T("err.target_kind", command.TokenRef(tok), r.Tr.Text(m.Name))
				problems = append(problems, command.Says(m.Key, msg))
				continue
			}
			n, err := parseValue(v, m.Kind)
			if err == nil && target && n == 0 {
				err = &ValueError{Code: "zero_target", Input: v}
			}
			if err != nil {
				problems = append(problems, command.Bad(m.Key, tok, r.valueProblem(m, v, err)))
				f.values[m.Key] = 0 // so a second bad token for it is not called a duplicate
				continue
			}
			f.values[m.Key] = n
			f.keys = append(f.keys, m.Key)
		}
	}
	shop, msg := r.ResolveShop(cmd, shopRef)
	if msg == "" && !target {
		msg = r.shopWriteProblem(cmd, shop)
	}
	if msg != "" {
		problems = append(problems, command.Says("shop", msg))
	}
	f.shop = shop
	return f, problems
}

// shopWriteProblem says why the user may not log the shop's figures here,
// or "" when they may (see config.MayWrite and WritesIn).
func (r *Commands) shopWriteProblem(cmd chat.Command, shop config.Shop) string {
	if !r.Cfg.MayWrite(shop, cmd.UserID) {
		names := make([]string, len(shop.Writers))
		for i, w := range shop.Writers {
			names[i] = chat.Escape(strings.TrimSpace(w))
			if _, isRole := r.Cfg.Roles[strings.ToLower(strings.TrimPrefix(names[i], "@"))]; !isRole {
				names[i] = chat.Mention(strings.TrimPrefix(w, "@"))
			}
		}
		return r.Tr.T("access.err_shop_writer", chat.Escape(shop.Name), strings.Join(names, ", "))
	}
	if !r.Cfg.WritesIn(shop, cmd.ChannelID) && !r.Cfg.WritesIn(shop, cmd.ChannelName) {
		names := make([]string, len(shop.WriteChannels))
		for i, ch := range shop.WriteChannels {
			names[i] = chat.Escape(ch)
		}
		return r.Tr.T("access.err_shop_channel", chat.Escape(shop.Name), strings.Join(names, ", "))
	}
	return ""
}

// metricLog stores several figures of one day at once: every token must be
// right or nothing is stored.
func (r *Commands) metricLog(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	if len(args) == 0 {
		return chat.Error(r.Tr.T("err.metric_nothing"))
	}
	f, problems := r.parseFigures(cmd, args, false)
	if len(problems) > 0 {
		return r.ProblemList(command.Texts(problems))
	}
	if len(f.keys) == 0 {
		return chat.Error(r.Tr.T("err.metric_nothing"))
	}
	reply, err := r.logFigures(ctx, cmd.UserID, f, cmd.At, nil)
	if err != nil {
		return r.Fail(cmd, "log metrics", err)
	}
	return reply
}

// logFigures stores parsed figures and builds the reply the team sees.
// When post is set, the reply is also queued for the channel in the same
// transaction, so the figures and the message commit together.
func (r *Commands) logFigures(ctx context.Context, user string, f figures, at time.Time, post func(tx *store.Store, reply chat.Reply) error) (chat.Reply, error) {
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

func (r *Commands) loggedReply(user string, f figures, changes []store.Change, stored map[string]int64) chat.Reply {
	shop, day := f.shop, f.day
	rows := [][]string{}
	for _, c := range changes {
		m, _ := r.catalog.Lookup(c.Key)
		was := ""
		if c.HadOld {
			was = r.Tr.T("metric.was", Format(UnitOf(m.Kind), 0, c.Old))
			if c.Old == c.New {
				was = r.Tr.T("metric.unchanged")
			}
		}
		rows = append(rows, []string{r.Tr.Text(m.Name), Format(UnitOf(m.Kind), 0, c.New), was})
	}
	var kpis []string
	for _, d := range DeriveAll(stored) {
		if d.OK {
			kpis = append(kpis, r.Tr.Text(d.Name)+" *"+d.String()+"*"+r.gradeSuffix(d))
		}
	}
	title := r.Tr.T("metric.logged", chat.Mention(user), chat.Escape(shop.Name), r.DayLabel(day))
	blocks := []slack.Block{chat.Section(title + "\n" + chat.Table(rows, []bool{false, true, false}))}
	if len(kpis) > 0 {
		blocks = append(blocks, chat.Section(strings.Join(kpis, "  ·  ")))
	}
	blocks = append(blocks, chat.Context(r.Tr.T("metric.logged_hint", day.String(), chat.Escape(shop.ID))))
	return chat.Reply{Blocks: blocks, Text: r.Tr.T("metric.logged_plain", len(f.keys), shop.Name, day.String())}
}

func (r *Commands) gradeSuffix(d Derived) string { return GradeText(r.Tr, d.Grade, d.JustUnder) }

// valueProblem explains why a value was refused and what is accepted.
func (r *Commands) valueProblem(m Metric, v string, err error) string {
	var ve *ValueError
	if !errors.As(err, &ve) {
		return err.Error()
	}
	accepted := r.Tr.T("accept." + m.Kind.String())
	return r.Tr.T("value."+ve.Code, chat.Escape(v), r.Tr.Text(m.Name)) + " " + accepted
}

// metricShow prints one day's table: every logged figure and derived KPI,
// against the day before.
func (r *Commands) metricShow(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	today := r.Today(cmd)
	day := today.AddDays(-1)
	shopRef, args := command.TakeShop(args)
	var problems []string
	for _, tok := range args {
		k, v, ok := command.SplitKV(tok)
		switch {
		case !ok, command.IsDateKey(k):
			in := tok
			if ok {
				in = v
			}
			d, msg := r.ParseDay(in, today)
			if msg != "" {
				problems = append(problems, command.TokenRef(tok)+" — "+msg)
				continue
			}
			day = d
		default:
			problems = append(problems, r.Tr.T("err.show_arg", command.TokenRef(tok)))
		}
	}
	shop, msg := r.ResolveShop(cmd, shopRef)
	if msg != "" {
		problems = append(problems, msg)
	}
	if len(problems) > 0 {
		return r.ReadProblems(problems)
	}
	prevDay := day.AddDays(-1)
	days, err := r.store.RangeMetrics(ctx, shop.ID, prevDay.String(), day.String())
	if err != nil {
		return r.Fail(cmd, "read metrics", err)
	}
	cur, prev := Day(days[day.String()]), Day(days[prevDay.String()])
	header := r.Tr.T("show.header", shop.Name, r.DayLabel(day))
	if len(cur) == 0 {
		return chat.Reply{Ephemeral: true, Text: header, Blocks: []slack.Block{
			chat.Header(header),
			chat.Section(r.Tr.T("show.empty", day.String(), chat.Escape(shop.ID))),
		}}
	}

	if r.stock != nil { // SKU data, when the shop keeps it, gives the sell-through
		online, sold, err := r.stock.SellThroughCounts(ctx, shop.ID, day)
		if err != nil {
			return r.Fail(cmd, "stock counts", err)
		}
		if online > 0 {
			cur = maps.Clone(cur)
			cur["items_online"], cur["items_sold_30d"] = online, sold
		}
	}
	rows := [][]string{{r.Tr.T("col.metric"), r.Tr.T("col.value"), r.Tr.T("col.delta", prevDay.String()[5:]), "Δ%"}}
	var missing []string
	for _, m := range r.catalog.All() {
		v, ok := cur[m.Key]
		if !ok {
			missing = append(missing, r.Tr.Text(m.Name))
			continue
		}
		p, hadPrev := prev[m.Key]
		rows = append(rows, row(r.Tr.Text(m.Name), UnitOf(m.Kind), 0, exact.Int(v), exact.Of(p, hadPrev)))
	}
	prevKPIs := DeriveAll(prev)
	kpis := DeriveAll(cur)
	for i, d := range kpis {
		rw := row(r.Tr.Text(d.Name), d.Unit, d.Decimals, d.Value, prevKPIs[i].Value)
		rw[1] = d.String() + r.gradeSuffix(d)
		rows = append(rows, rw)
	}
	blocks := []slack.Block{chat.Header(header), chat.Section(chat.Table(rows, []bool{false, true, true, true}))}
	if lines, err := r.targetLines(ctx, shop, day); err != nil {
		return r.Fail(cmd, "read targets", err)
	} else if len(lines) > 0 {
		blocks = append(blocks, chat.Section(strings.Join(lines, "\n")))
	}
	var notes []string
	if len(missing) > 0 {
		notes = append(notes, r.Tr.T("show.missing", strings.Join(missing, ", ")))
	}
	notes = append(notes, GapLines(r.Tr, r.catalog, Gaps(kpis))...)
	if len(notes) > 0 {
		blocks = append(blocks, chat.Context(chat.Truncate(strings.Join(notes, "\n"), maxContextText)))
	}
	return chat.Reply{Ephemeral: true, Text: header, Blocks: blocks}
}

// maxContextText bounds the notes under the day table (Block Kit's
// limit for a text object).
const maxContextText = 3000

// row is one line of the day table: name, value, change and change in
// percent against the day before. Rates change in percentage points and
// show no percent of a percent. The signs come from the one shared
// formatter (exact.Signed): a falling ROI shows −1.00, a change that
// rounds to zero shows no sign.
func row(name string, unit Unit, decimals int, v, p exact.Num) []string {
	out := []string{name, Dash, "", ""}
	if !v.OK() {
		return out
	}
	out[1] = exact.Format(unit, decimals, v)
	out[2] = exact.Signed(unit, decimals, v.Sub(p))
	if p.OK() && (unit == UnitCount || unit == UnitMoney) {
		out[3] = exact.SignedPercent(exact.Change(v, p), 1)
	}
	return out
}

// targetLines says how a day's figures stand against the month's targets:
// the day against its share of the target (flagged below half) and the
// month to date, as the daily report says it.
func (r *Commands) targetLines(ctx context.Context, shop config.Shop, day civil.Date) ([]string, error) {
	targets, err := r.store.Targets(ctx, shop.ID, day.MonthString())
	if err != nil || len(targets) == 0 {
		return nil, err
	}
	days, err := r.store.RangeMetrics(ctx, shop.ID, day.FirstOfMonth().String(), day.String())
	if err != nil {
		return nil, err
	}
	byDate := make(map[string]Day, len(days))
	for d, v := range days {
		byDate[d] = v
	}
	var lines []string
	for _, m := range r.catalog.All() {
		if t, ok := targets[m.Key]; ok {
			lines = append(lines, DayTargetLines(r.Tr, DayTarget(m, t, day, byDate))...)
		}
	}
	return lines, nil
}

// metricTarget sets monthly targets; managers only.
func (r *Commands) metricTarget(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	if !r.Cfg.IsManager(cmd.UserID) {
		managers := strings.Join(r.Cfg.Managers, ", ")
		if managers == "" {
			managers = r.Tr.T("target.no_managers")
		}
		return chat.Error(r.Tr.T("err.managers_only", chat.Escape(managers)))
	}
	if len(args) > 0 {
		switch strings.ToLower(args[0]) {
		case "confirm", "确认", "cancel", "取消":
			return r.metricImport(ctx, cmd, args)
		}
	}
	if targetSplitArgs(args) {
		return r.targetSplit(ctx, cmd, args)
	}
	f, problems := r.parseFigures(cmd, args, true)
	if len(problems) > 0 {
		return r.ProblemList(command.Texts(problems))
	}
	if len(f.keys) == 0 {
		return chat.Error(r.Tr.T("err.target_nothing"))
	}
	shop, month := f.shop, f.month
	var small []string
	for _, k := range f.keys {
		if n := f.values[k]; targetTooSmall(n, month.DaysInMonth()) {
			m, _ := r.catalog.Lookup(k)
			unit := UnitOf(m.Kind)
			least := int64(month.DaysInMonth()+1) / 2
			small = append(small, r.Tr.T("err.target_too_small", chat.Escape(r.Tr.Text(m.Name)), Format(unit, 0, n),
				month.DaysInMonth(), month.MonthString(), Format(unit, 0, least)))
		}
	}
	if len(small) > 0 {
		return r.ProblemList(small)
	}
	changes, err := r.store.SetTargets(ctx, cmd.UserID, shop.ID, month.MonthString(), f.values, f.keys, cmd.At.UTC())
	if err != nil {
		return r.Fail(cmd, "store targets", err)
	}
	var lines []string
	for _, c := range changes {
		m, _ := r.catalog.Lookup(c.Key)
		unit := UnitOf(m.Kind)
		line := r.Tr.T("target.set_line", r.Tr.Text(m.Name), Format(unit, 0, c.New), exact.Format(unit, 0, DailyTarget(c.New, month.DaysInMonth())), month.DaysInMonth())
		if c.HadOld {
			line += " " + r.Tr.T("metric.was", Format(unit, 0, c.Old))
		}
		lines = append(lines, "• "+line)
	}
	text := r.Tr.T("target.set", chat.Mention(cmd.UserID), chat.Escape(shop.Name), month.MonthString())
	return chat.Reply{Text: text, Blocks: []slack.Block{chat.Section(text + "\n" + strings.Join(lines, "\n"))}}
}

// moneyYuan is how exports write money: a plain decimal of yuan that
// spreadsheets read as a number.
func moneyYuan(v int64) string { return money.Fen(v).Yuan() }
