package metric

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/config"
	"opsbot/exact"
	"opsbot/handlers/command"
	"opsbot/store"
)

// TargetSplitStore is the storage of the annual target split.
type TargetSplitStore interface {
	MonthlyTotals(ctx context.Context, shop, key, from, to string) (map[string]store.MonthTotal, error)
	YearTargets(ctx context.Context, shop, key string, year int) (map[string]store.Target, error)
	ApplyTargetSplit(ctx context.Context, id uint64, actor, shop, key string, year int, months, hand map[string]int64, at time.Time) error
}

// splitPayload is what a previewed split stores until it is confirmed.
type splitPayload struct {
	Shop   string           `json:"shop"`
	Key    string           `json:"key"`
	Year   int              `json:"year"`
	Total  int64            `json:"total"`
	Months map[string]int64 `json:"months"` // set by the split
	Hand   map[string]int64 `json:"hand"`   // set by hand, kept
}

func isYearKey(k string) bool { return k == "year" || k == "年" || k == "年份" }

// targetSplitArgs tells a yearly target (year=2027) from monthly ones.
func targetSplitArgs(args []string) bool {
	for _, tok := range args {
		if k, _, ok := command.SplitKV(tok); ok && isYearKey(k) {
			return true
		}
	}
	return false
}

// targetSplit previews `/metric target sales=… year=2027`: the annual
// target split into quarters, months, weeks and days, following last
// year's monthly shape when there is enough history, flat by days
// otherwise. Months with a target set by hand keep it; the split shares
// the rest. Nothing is stored until a manager confirms.
func (r *Commands) targetSplit(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	today := r.Today(cmd)
	year := 0
	shopRef, args := command.TakeShop(args)
	var metric Metric
	var total int64
	var problems []string
	for _, tok := range args {
		k, v, ok := command.SplitKV(tok)
		switch {
		case !ok:
			problems = append(problems, r.Tr.T("err.not_kv", command.TokenRef(tok)))
		case isYearKey(k):
			y, err := strconv.Atoi(v)
			if err != nil || y < today.Year || y > today.Year+5 {
				problems = append(problems, r.Tr.T("err.split_year", command.TokenRef(tok), today.Year, today.Year+5))
				continue
			}
			year = y
		default:
			m, ok := r.catalog.Lookup(k)
			if !ok {
				problems = append(problems, r.Tr.T("err.metric_unknown", command.TokenRef(tok), chat.Escape(k)))
				continue
			}
			if metric.Key != "" {
				problems = append(problems, r.Tr.T("err.split_one_metric", command.TokenRef(tok)))
				continue
			}
			if m.Kind != Count && m.Kind != Money {
				problems = append(problems, r.Tr.T("err.split_kind", command.TokenRef(tok), r.Tr.Text(m.Name)))
				continue
			}
			n, err := parseValue(v, m.Kind)
			if err == nil && n == 0 {
				err = &ValueError{Code: "zero_target", Input: v}
			}
			if err != nil {
				problems = append(problems, command.TokenRef(tok)+" — "+r.valueProblem(m, v, err))
				continue
			}
			metric, total = m, n
		}
	}
	shop, msg := r.ResolveShop(cmd, shopRef)
	if msg != "" {
		problems = append(problems, msg)
	}
	if len(problems) == 0 && metric.Key == "" {
		problems = append(problems, r.Tr.T("err.target_nothing"))
	}
	if len(problems) > 0 {
		return r.ProblemList(problems)
	}
	plan, err := r.planSplit(ctx, shop, metric, year, total)
	if err != nil {
		return r.Fail(cmd, "plan target split", err)
	}
	if plan.free == 0 {
		return chat.Error(r.Tr.T("err.split_all_hand", year))
	}
	if plan.remaining < 0 {
		unit := UnitOf(metric.Kind)
		return chat.Error(r.Tr.T("err.split_hand_over", Format(unit, 0, plan.handSum), Format(unit, 0, total)))
	}
	payload, err := json.Marshal(plan.payload)
	if err != nil {
		return r.Fail(cmd, "encode target split", err)
	}
	imp := store.MetricImport{Actor: cmd.UserID, Channel: cmd.ChannelID, Kind: store.KindTargetSplit, Status: store.ImportPending,
		FileName: fmt.Sprintf("%d %s", year, metric.Key), Rows: 12, Payload: string(payload), CreatedAt: cmd.At}
	if err := r.store.CreateImport(ctx, &imp); err != nil {
		return r.Fail(cmd, "record target split", err)
	}
	return r.splitPreview(imp.ID, shop, metric, plan)
}

type splitPlan struct {
	payload   splitPayload
	seasonal  bool
	logged    int // months of last year with enough days logged
	handSum   int64
	remaining int64
	free      int
}

func (r *Commands) planSplit(ctx context.Context, shop config.Shop, m Metric, year int, total int64) (splitPlan, error) {
	p := splitPlan{payload: splitPayload{Shop: shop.ID, Key: m.Key, Year: year, Total: total, Months: map[string]int64{}, Hand: map[string]int64{}}}
	last := year - 1
	totals, err := r.store.MonthlyTotals(ctx, shop.ID, m.Key, fmt.Sprintf("%d-01-01", last), fmt.Sprintf("%d-12-31", last))
	if err != nil {
		return p, err
	}
	var months [12]MonthShare
	for i := range months {
		d := civil.Date{Year: last, Month: time.Month(i + 1), Day: 1}
		t := totals[d.MonthString()]
		months[i] = MonthShare{Sum: t.Sum, Days: t.Days, Of: d.DaysInMonth()}
		if t.Days*2 >= months[i].Of {
			p.logged++
		}
	}
	weights, seasonal := SeasonalWeights(months)
	p.seasonal = seasonal
	if !seasonal {
		// Flat over this year's days (a leap February has 29).
		for i := range weights {
			weights[i] = int64(civil.Date{Year: year, Month: time.Month(i + 1), Day: 1}.DaysInMonth())
		}
	}
	existing, err := r.store.YearTargets(ctx, shop.ID, m.Key, year)
	if err != nil {
		return p, err
	}
	var freeMonths []string
	var freeWeights []int64
	for i := 0; i < 12; i++ {
		month := civil.Date{Year: year, Month: time.Month(i + 1), Day: 1}.MonthString()
		if t, ok := existing[month]; ok && t.Source != store.TargetFromSplit {
			p.payload.Hand[month] = t.Value
			p.handSum += t.Value
			continue
		}
		freeMonths = append(freeMonths, month)
		freeWeights = append(freeWeights, weights[i])
	}
	p.free = len(freeMonths)
	p.remaining = total - p.handSum
	if p.free == 0 || p.remaining < 0 {
		return p, nil
	}
	for i, v := range Split(p.remaining, freeWeights) {
		p.payload.Months[freeMonths[i]] = v
	}
	return p, nil
}

// splitPreview shows the split: the basis, quarters, and each month with
// its days and weeks; hand-set months are marked.
func (r *Commands) splitPreview(id uint64, shop config.Shop, m Metric, p splitPlan) chat.Reply {
	unit := UnitOf(m.Kind)
	f := func(v int64) string { return Format(unit, 0, v) }
	y := p.payload.Year
	title := r.Tr.T("split.title", id, r.Tr.Text(m.Name), y, f(p.payload.Total), chat.Escape(shop.ID))
	basis := r.Tr.T("split.flat", y-1, p.logged)
	if p.seasonal {
		basis = r.Tr.T("split.seasonal", y-1)
	}
	value := func(month string) (int64, bool) {
		if v, ok := p.payload.Hand[month]; ok {
			return v, true
		}
		return p.payload.Months[month], false
	}
	var quarters []string
	for q := 0; q < 4; q++ {
		var sum int64
		for i := 1; i <= 3; i++ {
			v, _ := value(civil.Date{Year: y, Month: time.Month(q*3 + i), Day: 1}.MonthString())
			sum += v
		}
		share := Progress(exact.Int(sum), exact.Int(p.payload.Total))
		quarters = append(quarters, fmt.Sprintf("Q%d %s (%s)", q+1, f(sum), exact.Format(exact.Percent, 1, share)))
	}
	rows := [][]string{{r.Tr.T("split.col_month"), r.Tr.T("split.col_target"), r.Tr.T("split.col_day"), r.Tr.T("split.col_week"), ""}}
	for i := 1; i <= 12; i++ {
		d := civil.Date{Year: y, Month: time.Month(i), Day: 1}
		v, hand := value(d.MonthString())
		days := Split(v, make([]int64, d.DaysInMonth()))
		day := f(days[0])
		if last := days[len(days)-1]; last != days[0] {
			day += " " + r.Tr.T("split.last_day", f(last))
		}
		note := ""
		if hand {
			note = r.Tr.T("split.hand")
		}
		rows = append(rows, []string{d.MonthString(), f(v), day, f(days[0] * 7), note})
	}
	blocks := []slack.Block{
		chat.Section("*" + title + "*\n" + basis + "\n" + strings.Join(quarters, " · ")),
		chat.Section(chat.Table(rows, []bool{false, true, true, true, false})),
		chat.Context(r.Tr.T("split.exact", f(p.payload.Total))),
		slack.NewActionBlock("split_actions",
			slack.NewButtonBlockElement(ActionImportConfirm, r.importValue(id), chat.PlainText(r.Tr.T("split.button_apply"))).WithStyle(slack.StylePrimary),
			slack.NewButtonBlockElement(ActionImportCancel, r.importValue(id), chat.PlainText(r.Tr.T("import.button_cancel")))),
		chat.Context(r.Tr.T("split.confirm_hint", id)),
	}
	return chat.Reply{Ephemeral: true, Text: title, Blocks: blocks}
}

// applySplit stores a confirmed split.
func (r *Commands) applySplit(ctx context.Context, imp store.MetricImport, userID string, at time.Time) chat.Reply {
	cmd := chat.Command{UserID: userID, At: at, Name: "/metric"}
	var p splitPayload
	if err := json.Unmarshal([]byte(imp.Payload), &p); err != nil {
		return r.Fail(cmd, "decode target split", err)
	}
	err := r.store.ApplyTargetSplit(ctx, imp.ID, userID, p.Shop, p.Key, p.Year, p.Months, p.Hand, at)
	switch {
	case errors.Is(err, store.ErrImportDecided):
		return chat.Error(r.Tr.T("err.import_decided", imp.ID))
	case errors.Is(err, store.ErrTargetsMoved):
		return chat.Error(r.Tr.T("err.split_moved", imp.ID))
	case err != nil:
		return r.Fail(cmd, "apply target split", err)
	}
	m, _ := r.catalog.Lookup(p.Key)
	text := r.Tr.T("split.applied", chat.Mention(userID), r.Tr.Text(m.Name), p.Year, Format(UnitOf(m.Kind), 0, p.Total), len(p.Months), len(p.Hand))
	return chat.Reply{Text: text, Blocks: []slack.Block{chat.Section(text)}}
}
