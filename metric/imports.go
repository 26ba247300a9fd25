package metric

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/config"
	"opsbot/handlers/command"
	"opsbot/sheet"
	"opsbot/store"
)

// ImportStore is the storage of /metric import.
type ImportStore interface {
	CreateImport(ctx context.Context, imp *store.MetricImport) error
	Import(ctx context.Context, id uint64) (store.MetricImport, error)
	AppliedImport(ctx context.Context, checksum, scope string) (store.MetricImport, bool, error)
	ApplyImport(ctx context.Context, id uint64, actor string, values []store.ImportValue, at time.Time) ([]store.ImportChange, error)
	CancelImport(ctx context.Context, id uint64, actor string, at time.Time) error
	ClaimAwaiting(ctx context.Context, actor, channel string, since, at time.Time) (bool, error)
	RangeMetrics(ctx context.Context, shop, from, to string) (map[string]map[string]int64, error)
}

// Action IDs of the preview's buttons (of an import or an annual target
// split); their value is the import ID, sealed by the bot (importValue).
const (
	ActionImportConfirm = "metric_import_confirm"
	ActionImportCancel  = "metric_import_cancel"
)

// importKind is what the preview's button values are sealed for, so a
// value sealed for another feature's buttons names no metric import.
const importKind = "metric_import"

// importValue is the value of the Import and Cancel buttons of import id.
// The preview is a reply only its asker sees, and Slack tells the bot no
// usable ts of such a message, so the buttons cannot be checked against
// where the bot posted them: their value is sealed instead, and a payload
// crafted to name another import is refused (ImportButton).
func (r *Commands) importValue(id uint64) string { return r.SealRef(importKind, id) }

const (
	// importAwait is how long after /metric import a file shared without
	// the word "import" is still taken as the import.
	importAwait = 15 * time.Minute
	// ImportExpiry is how long a preview may be confirmed: after a day the
	// figures it compared against may have moved on. The import job
	// deletes what can no longer be confirmed after it.
	ImportExpiry = 24 * time.Hour
	// previewLines bounds each list of the preview, so it fits Slack's
	// 3,000 characters a section.
	previewLines = 15
)

// metricImport answers /metric import: a file to preview, confirm ID,
// cancel ID, or (with no file) how to send one.
func (r *Commands) metricImport(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	if len(args) > 0 {
		switch strings.ToLower(args[0]) {
		case "confirm", "确认", "yes":
			return r.importDecide(ctx, cmd.UserID, cmd.At, args[1:], true, false)
		case "cancel", "取消", "no":
			return r.importDecide(ctx, cmd.UserID, cmd.At, args[1:], false, false)
		}
	}
	if cmd.Upload == nil {
		if cmd.ChannelID != "" {
			err := r.store.CreateImport(ctx, &store.MetricImport{Actor: cmd.UserID, Channel: cmd.ChannelID, Status: store.ImportAwaiting, CreatedAt: cmd.At})
			if err != nil {
				return r.Fail(cmd, "await upload", err)
			}
		}
		reply := notice(r.Tr.T("import.how", r.importLimits()))
		reply.Blocks = append(reply.Blocks, slack.NewActionBlock("import_open",
			slack.NewButtonBlockElement(ActionOpenImport, "open", chat.PlainText(r.Tr.T("import.button_choose")))))
		return reply
	}
	if cmd.Upload.Passive {
		ok, err := r.store.ClaimAwaiting(ctx, cmd.UserID, cmd.ChannelID, cmd.At.Add(-importAwait), cmd.At)
		if err != nil {
			return r.Fail(cmd, "claim awaiting upload", err)
		}
		if !ok {
			return chat.Reply{} // a file shared for people, not for the bot
		}
	}
	return r.importPreview(ctx, cmd, args)
}

func (r *Commands) importLimits() string {
	return r.Tr.T("import.limits", sheet.FormatBytes(r.Cfg.ImportMaxBytes()), r.Cfg.ImportMaxRows())
}

// importArgs are the options of an import: sheet=, encoding=, shop=.
type importArgs struct {
	sheet, encoding, shop string
}

func (r *Commands) parseImportArgs(args []string) (importArgs, []string) {
	var a importArgs
	var problems []string
	for _, tok := range args {
		k, v, ok := command.SplitKV(tok)
		switch {
		case !ok && (strings.EqualFold(tok, "import") || tok == "导入"):
		case ok && (k == "sheet" || k == "工作表"):
			a.sheet = v
		case ok && (k == "encoding" || k == "charset" || k == "编码"):
			a.encoding = v
		case ok && command.IsShopKey(k):
			a.shop = v
		default:
			problems = append(problems, r.Tr.T("err.import_arg", command.TokenRef(tok)))
		}
	}
	return a, problems
}

// importPreview reads a file and shows what confirming it would store;
// nothing is stored but the preview itself.
func (r *Commands) importPreview(ctx context.Context, cmd chat.Command, args []string) chat.Reply {
	up := cmd.Upload
	name := chat.Escape(chat.Truncate(up.Name, 100))
	opts, problems := r.parseImportArgs(args)
	if len(problems) > 0 {
		return r.ProblemList(problems)
	}
	if up.Size > r.Cfg.ImportMaxBytes() || int64(len(up.Content)) > r.Cfg.ImportMaxBytes() {
		return chat.Error(r.Tr.T("err.import_too_large", name, r.importLimits()))
	}
	if up.Content == nil && up.Fetch != nil {
		data, err := up.Fetch(ctx)
		if err != nil {
			return chat.Error(r.Tr.T("err.import_download", name))
		}
		up.Content = data
	}
	spec := ImportSpec{
		Catalog: r.catalog, Headers: r.Cfg.Import.Headers, Check: r.Cfg.Import.Check, Today: r.Today(cmd),
		Shop: func(ref string) (string, bool) {
			s, ok := r.Cfg.ShopByRef(ref)
			return s.ID, ok
		},
	}
	tab, err := sheet.Parse(up.Content, sheet.Options{
		Name: up.Name, Encoding: opts.encoding, Sheet: opts.sheet,
		MaxBytes: r.Cfg.ImportMaxBytes(), MaxRows: r.Cfg.ImportMaxRows(), IsHeader: spec.IsImportHeader,
	})
	if err != nil {
		return chat.Error(r.sheetProblem(name, err))
	}
	// A shop column names each row's shop; without one every row is the
	// shop the command names, or the channel's.
	if !hasShopColumn(tab, spec) {
		shop, msg := r.ResolveShop(cmd, opts.shop)
		if msg != "" {
			return chat.Error(msg)
		}
		spec.DefaultShop = shop.ID
	}
	scope := "sheet=" + tab.Sheet + " shop=" + spec.DefaultShop
	if prev, ok, err := r.store.AppliedImport(ctx, tab.Checksum, scope); err != nil {
		return r.Fail(cmd, "find import", err)
	} else if ok {
		return notice(r.Tr.T("import.already", name, prev.ID, r.when(*prev.DecidedAt), chat.Mention(prev.DecidedBy), prev.Stored))
	}
	plan, err := PlanImport(tab, spec)
	if err != nil {
		return chat.Error(r.headerProblem(name, tab, err))
	}
	pv, err := r.classify(ctx, plan)
	if err != nil {
		return r.Fail(cmd, "read metrics", err)
	}
	if len(plan.Rows) == 0 {
		return r.ProblemListAs("err.import_no_rows", r.refusedLines(plan, len(plan.Refused)))
	}
	if len(pv.fresh)+len(pv.replaced) == 0 {
		reply := chat.Reply{Ephemeral: true, Text: r.Tr.T("import.nothing_new", name, len(pv.same))}
		reply.Blocks = []slack.Block{chat.Section(reply.Text)}
		if len(plan.Refused) > 0 {
			reply.Blocks = append(reply.Blocks, chat.Section(r.listSection("import.refused", r.refusedLines(plan, previewLines), len(plan.Refused))))
		}
		return reply
	}
	payload, err := json.Marshal(pv.values)
	if err != nil {
		return r.Fail(cmd, "encode import", err)
	}
	imp := store.MetricImport{
		Actor: cmd.UserID, Channel: cmd.ChannelID, FileName: chat.Truncate(up.Name, 200), Checksum: tab.Checksum, Scope: chat.Truncate(scope, 200),
		Status: store.ImportPending, Rows: len(plan.Rows), Payload: string(payload), CreatedAt: cmd.At,
	}
	if err := r.store.CreateImport(ctx, &imp); err != nil {
		return r.Fail(cmd, "record import", err)
	}
	return r.previewReply(imp, tab, plan, pv)
}

func hasShopColumn(tab *sheet.Table, spec ImportSpec) bool {
	for _, h := range tab.Header {
		if k, _ := spec.ColumnKey(h); k == ColumnShop {
			return true
		}
	}
	return false
}

// preview is a plan set against what is stored.
type preview struct {
	values   []store.ImportValue
	fresh    []importCell // no stored value
	replaced []importCell // a different stored value
	same     []importCell // the same value stored already
}

type importCell struct {
	row      ImportRow
	key      string
	old, new int64
}

func (r *Commands) classify(ctx context.Context, plan *ImportPlan) (preview, error) {
	var pv preview
	stored := map[string]map[string]map[string]int64{}
	for _, row := range plan.Rows {
		if _, ok := stored[row.Shop]; ok {
			continue
		}
		days, err := r.store.RangeMetrics(ctx, row.Shop, plan.From.String(), plan.To.String())
		if err != nil {
			return pv, err
		}
		stored[row.Shop] = days
	}
	for _, row := range plan.Rows {
		for _, k := range plan.Keys {
			v, ok := row.Values[k]
			if !ok {
				continue
			}
			pv.values = append(pv.values, store.ImportValue{Shop: row.Shop, Day: row.Day.String(), Key: k, Value: v})
			c := importCell{row: row, key: k, new: v}
			old, had := stored[row.Shop][row.Day.String()][k]
			c.old = old
			switch {
			case !had:
				pv.fresh = append(pv.fresh, c)
			case old != v:
				pv.replaced = append(pv.replaced, c)
			default:
				pv.same = append(pv.same, c)
			}
		}
	}
	return pv, nil
}

// previewReply shows the import: range, new values by row, replaced
// values old → new, ignored columns, refused rows, and the buttons.
func (r *Commands) previewReply(imp store.MetricImport, tab *sheet.Table, plan *ImportPlan, pv preview) chat.Reply {
	name := chat.Escape(chat.Truncate(imp.FileName, 100))
	source := tab.Format
	if tab.Sheet != "" {
		source += ", " + r.Tr.T("import.sheet", chat.Escape(tab.Sheet))
	}
	if tab.Encoding != "" {
		source += ", " + tab.Encoding
	}
	shops := map[string]bool{}
	for _, row := range plan.Rows {
		shops[row.Shop] = true
	}
	var shopIDs []string
	for _, s := range r.Cfg.Shops {
		if shops[s.ID] {
			shopIDs = append(shopIDs, chat.Escape(s.ID))
		}
	}
	title := r.Tr.T("import.preview", imp.ID, name, source)
	summary := r.Tr.T("import.summary", plan.From.String(), plan.To.String(), strings.Join(shopIDs, ", "),
		len(plan.Rows), len(pv.fresh), len(pv.replaced), len(pv.same))
	blocks := []slack.Block{chat.Section("*" + title + "*\n" + summary)}
	if len(pv.fresh) > 0 {
		blocks = append(blocks, chat.Section(r.listSection("import.new", r.freshLines(pv.fresh), countRows(pv.fresh))))
	}
	if len(pv.replaced) > 0 {
		var lines []string
		for _, c := range pv.replaced {
			m, _ := r.catalog.Lookup(c.key)
			unit := UnitOf(m.Kind)
			lines = append(lines, r.Tr.T("import.replace_line", c.row.Day.String(), chat.Escape(c.row.Shop), r.Tr.Text(m.Name), Format(unit, 0, c.old), Format(unit, 0, c.new)))
		}
		blocks = append(blocks, chat.Section(r.listSection("import.replaced", lines, len(lines))))
	}
	if len(plan.Ignored) > 0 {
		var names []string
		for _, h := range plan.Ignored {
			names = append(names, "“"+chat.Escape(chat.Truncate(h, 40))+"”")
		}
		blocks = append(blocks, chat.Section(chat.Truncate(r.Tr.T("import.ignored", strings.Join(names, ", ")), 2900)))
	}
	if len(plan.Refused) > 0 {
		blocks = append(blocks, chat.Section(r.listSection("import.refused", r.refusedLines(plan, previewLines), len(plan.Refused))))
	}
	var checked []string
	for _, c := range plan.Columns {
		if c.Check {
			checked = append(checked, "“"+chat.Escape(chat.Truncate(c.Header, 40))+"”")
		}
	}
	if len(checked) > 0 && len(plan.Mismatches) == 0 {
		blocks = append(blocks, chat.Section(r.Tr.T("import.checked", strings.Join(checked, ", "))))
	}
	if len(plan.Mismatches) > 0 {
		var lines []string
		for _, m := range plan.Mismatches {
			lines = append(lines, r.Tr.T("import.mismatch_line", m.Line, chat.Escape(m.Column), chat.Escape(m.File), m.Ours))
		}
		blocks = append(blocks, chat.Section(r.listSection("import.mismatches", lines, len(lines))))
	}
	value := r.importValue(imp.ID)
	blocks = append(blocks,
		slack.NewActionBlock("import_actions",
			slack.NewButtonBlockElement(ActionImportConfirm, value, chat.PlainText(r.Tr.T("import.button_confirm"))).WithStyle(slack.StylePrimary),
			slack.NewButtonBlockElement(ActionImportCancel, value, chat.PlainText(r.Tr.T("import.button_cancel")))),
		chat.Context(r.Tr.T("import.confirm_hint", strconv.FormatUint(imp.ID, 10))))
	return chat.Reply{Ephemeral: true, Text: title, Blocks: blocks}
}

func countRows(cells []importCell) int {
	n, last := 0, ""
	for _, c := range cells {
		if id := c.row.Day.String() + c.row.Shop; id != last {
			n, last = n+1, id
		}
	}
	return n
}

// freshLines writes the new values one row a line:
// 2026-11-01 main: 访客数 1,200 · 支付金额 ¥3,456.78.
func (r *Commands) freshLines(cells []importCell) []string {
	var lines []string
	var cur []string
	last, head := "", ""
	flush := func() {
		if len(cur) > 0 {
			lines = append(lines, head+": "+strings.Join(cur, " · "))
		}
	}
	for _, c := range cells {
		if id := c.row.Day.String() + "|" + c.row.Shop; id != last {
			flush()
			cur, last, head = nil, id, c.row.Day.String()+" "+chat.Escape(c.row.Shop)
		}
		m, _ := r.catalog.Lookup(c.key)
		cur = append(cur, r.Tr.Text(m.Name)+" "+Format(UnitOf(m.Kind), 0, c.new))
	}
	flush()
	return lines
}

// listSection is a titled list cut to previewLines lines and Slack's
// section limit, saying how many more there are.
func (r *Commands) listSection(key string, lines []string, total int) string {
	var b strings.Builder
	b.WriteString(r.Tr.T(key, total))
	shown := 0
	for _, l := range lines {
		if shown == previewLines || utf8.RuneCountInString(b.String())+utf8.RuneCountInString(l) > 2700 {
			break
		}
		b.WriteString("\n• " + l)
		shown++
	}
	if shown < len(lines) {
		b.WriteString("\n" + r.Tr.T("import.more", len(lines)-shown))
	}
	return b.String()
}

// refusedLines says why each refused row was refused, by row number.
func (r *Commands) refusedLines(plan *ImportPlan, n int) []string {
	var out []string
	for _, p := range plan.Refused {
		v := chat.Escape(chat.Truncate(p.Value, 40))
		var reason string
		switch p.Code {
		case "value":
			m, _ := r.catalog.Lookup(r.columnMetric(plan, p.Column))
			reason = r.valueProblem(m, chat.Truncate(p.Value, 40), p.Err)
		case "duplicate":
			reason = r.Tr.T("import.row_duplicate", v, p.Other)
		case "shop_unknown":
			reason = r.Tr.T("import.row_shop_unknown", v, shopList(r.Cfg))
		case "date_format", "date_future":
			reason = r.Tr.T("import.row_"+p.Code, v)
		default:
			reason = r.Tr.T("import.row_" + p.Code)
		}
		out = append(out, r.Tr.T("import.row", p.Line, reason))
	}
	return out
}

func (r *Commands) columnMetric(plan *ImportPlan, header string) string {
	for _, c := range plan.Columns {
		if c.Header == header {
			return c.Key
		}
	}
	return ""
}

// sheetProblem explains why a file could not be read.
func (r *Commands) sheetProblem(name string, err error) string {
	var se *sheet.Error
	errors.As(err, &se)
	switch {
	case errors.Is(err, sheet.ErrTooLarge), errors.Is(err, sheet.ErrTooManyRows):
		return r.Tr.T("err.import_too_large", name, r.importLimits())
	case errors.Is(err, sheet.ErrSheet) && se != nil:
		var names []string
		for _, s := range se.Sheets {
			names = append(names, "`"+chat.Escape(s)+"`")
		}
		return r.Tr.T("err.import_sheet", name, chat.Escape(se.Sheet), strings.Join(names, ", "))
	case errors.Is(err, sheet.ErrEncoding):
		return r.Tr.T("err.import_encoding", name)
	case errors.Is(err, sheet.ErrFormat):
		return r.Tr.T("err.import_format", name)
	case errors.Is(err, sheet.ErrEmpty):
		return r.Tr.T("err.import_empty", name)
	case errors.Is(err, sheet.ErrNoHeader):
		return r.Tr.T("err.import_no_header", name, r.headerExamples())
	}
	return r.Tr.T("err.import_unreadable", name)
}

func (r *Commands) headerProblem(name string, tab *sheet.Table, err error) string {
	var he *HeaderError
	if !errors.As(err, &he) {
		return r.Tr.T("err.import_unreadable", name)
	}
	var cols []string
	for _, h := range tab.Header {
		cols = append(cols, "“"+chat.Escape(chat.Truncate(h, 40))+"”")
	}
	found := chat.Truncate(strings.Join(cols, ", "), 1500)
	switch he.Code {
	case "same_key":
		var names []string
		for _, c := range he.Columns {
			names = append(names, "“"+chat.Escape(c)+"”")
		}
		return r.Tr.T("err.import_same_key", name, strings.Join(names, ", "), he.Key)
	case "no_date":
		return r.Tr.T("err.import_no_date", name, found)
	}
	return r.Tr.T("err.import_no_metric", name, found, r.headerExamples())
}

func (r *Commands) headerExamples() string {
	return "`统计日期`/`date`, `访客数`/`uv`, `支付金额`/`sales` …"
}

// importDecide confirms or cancels a previewed import. Only the person
// who uploaded it, or a manager, may.
func (r *Commands) importDecide(ctx context.Context, userID string, at time.Time, args []string, confirm, post bool) chat.Reply {
	if len(args) != 1 {
		return chat.Error(r.Tr.T("err.import_id"))
	}
	id, err := strconv.ParseUint(strings.TrimPrefix(args[0], "#"), 10, 64)
	if err != nil {
		return chat.Error(r.Tr.T("err.import_id"))
	}
	cmd := chat.Command{UserID: userID, At: at, Name: "/metric"}
	imp, err := r.store.Import(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && imp.Status == store.ImportAwaiting) || (err == nil && imp.Status == store.ImportUsed) {
		return chat.Error(r.Tr.T("err.import_unknown", id, int(ImportExpiry.Hours())))
	}
	if err != nil {
		return r.Fail(cmd, "read import", err)
	}
	split := imp.Kind == store.KindTargetSplit
	if split && !r.Cfg.IsManager(userID) {
		return chat.Error(r.Tr.T("err.split_managers", id))
	}
	if imp.Actor != userID && !r.Cfg.IsManager(userID) {
		return chat.Error(r.Tr.T("err.import_not_yours", id, chat.Mention(imp.Actor)))
	}
	if imp.Status != store.ImportPending {
		return chat.Error(r.Tr.T("err.import_decided_"+imp.Status, id))
	}
	if expired(imp, at) {
		if split {
			return chat.Error(r.Tr.T("err.split_expired", id, int(ImportExpiry.Hours())))
		}
		return chat.Error(r.Tr.T("err.import_expired", id, int(ImportExpiry.Hours())))
	}
	name := chat.Escape(chat.Truncate(imp.FileName, 100))
	if !confirm {
		if err := r.store.CancelImport(ctx, id, userID, at); errors.Is(err, store.ErrImportDecided) {
			return chat.Error(r.Tr.T("err.import_decided", id))
		} else if err != nil {
			return r.Fail(cmd, "cancel import", err)
		}
		if split {
			return notice(r.Tr.T("split.cancelled", id))
		}
		return notice(r.Tr.T("import.cancelled", id, name))
	}
	if split {
		return r.applySplit(ctx, imp, userID, at)
	}
	var values []store.ImportValue
	if err := json.Unmarshal([]byte(imp.Payload), &values); err != nil {
		return r.Fail(cmd, "decode import", err)
	}
	// From a button, the team sees the import in the channel where the
	// file was shared: the message is queued in the transaction that
	// stores the figures, so it is posted exactly when they are stored.
	var reply chat.Reply
	err = r.store.Tx(ctx, func(tx *store.Store) error {
		changes, err := tx.ApplyImport(ctx, id, userID, values, at)
		if err != nil {
			return err
		}
		reply = r.importDone(imp, userID, changes)
		if post && imp.Channel != "" {
			_, err = chat.Enqueue(ctx, tx, store.Outgoing{Channel: imp.Channel, Op: store.OpPost}, reply)
		}
		return err
	})
	if errors.Is(err, store.ErrImportDecided) {
		return chat.Error(r.Tr.T("err.import_decided", id))
	}
	if err != nil {
		return r.Fail(cmd, "apply import", err)
	}
	if post && imp.Channel != "" {
		r.Notify()
	}
	return reply
}

// importDone says what a confirmed import stored.
func (r *Commands) importDone(imp store.MetricImport, userID string, changes []store.ImportChange) chat.Reply {
	fresh, replaced := 0, 0
	var from, to string
	for _, c := range changes {
		if c.HadOld {
			replaced++
		} else {
			fresh++
		}
		if from == "" || c.Day < from {
			from = c.Day
		}
		if c.Day > to {
			to = c.Day
		}
	}
	short := imp.Checksum
	if len(short) > 12 {
		short = short[:12]
	}
	name := chat.Escape(chat.Truncate(imp.FileName, 100))
	text := r.Tr.T("import.done", chat.Mention(userID), name, len(changes), fresh, replaced, from, to)
	return chat.Reply{Text: text, Blocks: []slack.Block{
		chat.Section(text),
		chat.Context(r.Tr.T("import.done_audit", imp.ID, short)),
	}}
}

// expired reports whether a preview is too old to confirm.
func expired(imp store.MetricImport, at time.Time) bool { return at.Sub(imp.CreatedAt) > ImportExpiry }

// ImportButton answers the preview's Import and Cancel buttons: only with
// the value the bot sealed for that import, by its uploader or a manager.
func (r *Commands) ImportButton(ctx context.Context, in chat.Interaction) chat.Outcome {
	id, ok := r.UnsealRef(importKind, in.Value)
	if !ok {
		hint := r.Tr.T("err.import_id")
		if claimed, ok := command.ClaimedRef(in.Value); ok {
			hint = r.Tr.T("import.confirm_hint", strconv.FormatUint(claimed, 10))
		}
		r.Log.Warn("refused an import button whose value the bot did not seal", "user", in.UserID, "channel", in.ChannelID, "value", chat.Truncate(in.Value, 80))
		return chat.Outcome{Ephemeral: command.Ptr(chat.Error(r.Tr.T("access.err_provenance") + "\n" + hint))}
	}
	reply := r.importDecide(ctx, in.UserID, in.At, []string{strconv.FormatUint(id, 10)}, in.ActionID == ActionImportConfirm, true)
	reply.Ephemeral = true
	return chat.Outcome{Ephemeral: &reply}
}

// notice is a short answer for the person who asked.
func notice(text string) chat.Reply {
	return chat.Note(text)
}

// when shows an instant in the team's zone.
func (r *Commands) when(t time.Time) string {
	return t.In(r.Cfg.Location).Format("2006-01-02 15:04")
}

// The import form: a file input, in a modal opened from the button of the
// /metric import answer.
const (
	ActionOpenImport = "open_metric_import"
	CallbackImport   = "metric_import"
	blockImportFile  = "file"
	blockImportSheet = "sheet"
)

// ImportModal asks for the file (CSV or XLSX) and, optionally, a sheet.
func (r *Commands) ImportModal(in chat.Interaction) slack.ModalViewRequest {
	// Sealed for the person, like every form: the channel decides which
	// shop the figures go to, so a forged one must not choose it.
	meta := r.Seal(in.UserID, command.ModalMeta{Channel: in.ChannelID})
	file := slack.NewFileInputBlockElement("value").WithFileTypes("csv", "xlsx", "txt")
	file.MaxFiles = 1
	sheetInput := slack.NewInputBlock(blockImportSheet, chat.PlainText(r.Tr.T("import.modal_sheet")), nil,
		slack.NewPlainTextInputBlockElement(chat.PlainText(r.Tr.T("import.modal_sheet_hint")), "value"))
	sheetInput.Optional = true
	return chat.Modal(CallbackImport, r.Tr.T("import.modal_title"), r.Tr.T("import.modal_submit"), r.Tr.T("modal.close"), meta, []slack.Block{
		slack.NewInputBlock(blockImportFile, chat.PlainText(r.Tr.T("import.modal_file")), chat.PlainText(r.importLimits()), file),
		sheetInput,
	})
}

// SubmitImport previews the file chosen in the form, as a file shared
// with the word "import" would be; the preview goes to the person in the
// channel the form was opened from.
func (r *Commands) SubmitImport(ctx context.Context, in chat.Interaction) chat.Outcome {
	var meta command.ModalMeta
	if !r.Unseal(in.UserID, in.Metadata, &meta) {
		return chat.Outcome{FieldErrors: map[string]string{blockImportFile: chat.Truncate(r.Tr.T("access.err_form_stale"), 150)}}
	}
	if len(in.Uploads) == 0 {
		return chat.Outcome{FieldErrors: map[string]string{blockImportFile: r.Tr.T("import.modal_no_file")}}
	}
	var args []string
	if sh := strings.TrimSpace(in.Values[blockImportSheet]); sh != "" {
		args = append(args, "sheet="+sh)
	}
	up := *in.Uploads[0]
	up.Passive = false
	reply := r.metricImport(ctx, chat.Command{
		UserID: in.UserID, UserName: in.UserName, ChannelID: meta.Channel, Name: "/metric", At: in.At, Upload: &up,
	}, args)
	reply.Ephemeral = true
	channel := meta.Channel
	if channel == "" {
		channel = in.UserID // the app's DM with the person
	}
	return chat.Outcome{Ephemeral: &reply, Channel: channel}
}

// shopList names the shops for a refusal.
func shopList(cfg *config.Config) string {
	var ids []string
	for _, s := range cfg.Shops {
		ids = append(ids, "`"+chat.Escape(s.ID)+"`")
	}
	return strings.Join(ids, ", ")
}
