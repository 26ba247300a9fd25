package stock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/config"
	"opsbot/sheet"
	"opsbot/store"
)

// Action IDs of the import preview's buttons; their value is the import
// ID, sealed by the bot (importValue).
const (
	ActionImportConfirm = "stock_import_confirm"
	ActionImportCancel  = "stock_import_cancel"
)

// importKind is what the preview's button values are sealed for, so a
// value sealed for another feature's buttons names no stock import.
const importKind = "stock_import"

// Import limits: a back-office export of a day's SKUs, or a few weeks.
const (
	importMaxBytes = 5 << 20
	importMaxRows  = 20000
)

// ImportExpiry is how long a preview may be confirmed, as for metric
// imports: after a day the stock it compared against has moved on. The
// stock job deletes what can no longer be confirmed after it.
const ImportExpiry = 24 * time.Hour

// importValue is the value of the Import and Cancel buttons of import id.
// The preview is a reply only its asker sees, and Slack tells the bot no
// usable ts of such a message, so the buttons cannot be checked against
// where the bot posted them: their value is sealed instead, and a payload
// crafted to name another import is refused (importButton).
func (f *Feature) importValue(id uint64) string { return f.SealRef(importKind, id) }

// importRow is one line of a file as previewed and, once confirmed,
// applied. Sold or Stock is -1 when the file has no such column.
type importRow struct {
	Line  int    `json:"l"`
	Code  string `json:"c"`
	Name  string `json:"n,omitempty"`
	Date  string `json:"d"`
	Sold  int64  `json:"s"`
	Stock int64  `json:"k"`
}

// importHeaders maps the column names of shop back offices, in both
// languages, to the fields of a row.
var importHeaders = map[string]string{
	"sku": "sku", "商品编码": "sku", "商家编码": "sku", "货号": "sku", "sku编码": "sku", "商品编号": "sku", "code": "sku", "编码": "sku",
	"商品名称": "name", "名称": "name", "name": "name", "品名": "name", "宝贝名称": "name",
	"销量": "sold", "销售数量": "sold", "销售件数": "sold", "支付件数": "sold", "sold": "sold", "sales": "sold", "qty": "sold",
	"库存": "stock", "可用库存": "stock", "库存数量": "stock", "现有库存": "stock", "stock": "stock", "on_hand": "stock",
	"日期": "date", "统计日期": "date", "date": "date", "day": "date",
}

func headerField(cell string) string {
	k := strings.ToLower(strings.Join(strings.Fields(cell), ""))
	k = strings.NewReplacer("(", "", ")", "", "（", "", "）", "", "*", "").Replace(k)
	return importHeaders[k]
}

// EnableFileImport lets `/stock import PATH` read files from this
// machine: the console's own user only, never a Slack command.
func (f *Feature) EnableFileImport() { f.readFiles = true }

// importCmd is /stock import PATH [date=…], /stock import confirm N,
// /stock import cancel N.
func (f *Feature) importCmd(ctx context.Context, cmd chat.Command, shop config.Shop, words []string, opts map[string]string) chat.Reply {
	if len(words) == 2 {
		switch strings.ToLower(words[0]) {
		case "confirm", "确认":
			return f.confirmImport(ctx, cmd.UserID, words[1], cmd)
		case "cancel", "取消":
			return f.cancelImport(ctx, cmd.UserID, words[1], cmd.At)
		}
	}
	if up := cmd.Upload; up != nil && len(words) == 0 {
		// A file shared in Slack: its bytes come through the transport,
		// never from a path a Slack user typed.
		name := filepath.Base(up.Name)
		if up.Size > importMaxBytes || int64(len(up.Content)) > importMaxBytes {
			return chat.Error(f.Tr.T("stock.err_import_read", chat.Escape(chat.Truncate(name, 100)), sheet.FormatBytes(importMaxBytes)+" max"))
		}
		if up.Content == nil && up.Fetch != nil {
			data, err := up.Fetch(ctx)
			if err != nil {
				return chat.Error(f.Tr.T("stock.err_import_read", chat.Escape(chat.Truncate(name, 100)), err.Error()))
			}
			up.Content = data
		}
		return f.ImportData(ctx, cmd, shop, name, up.Content, opts["date"])
	}
	if len(words) != 1 {
		return chat.Error(f.Tr.T("stock.err_import_usage"))
	}
	if !f.readFiles {
		return chat.Error(f.Tr.T("stock.err_import_slack"))
	}
	path := words[0]
	info, err := os.Stat(path)
	if err != nil || info.IsDir() {
		return chat.Error(f.Tr.T("stock.err_import_file", chat.Escape(path)))
	}
	if info.Size() > importMaxBytes {
		return chat.Error(f.Tr.T("stock.err_import_read", chat.Escape(filepath.Base(path)), sheet.FormatBytes(importMaxBytes)+" max"))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return chat.Error(f.Tr.T("stock.err_import_file", chat.Escape(path)))
	}
	return f.ImportData(ctx, cmd, shop, filepath.Base(path), data, opts["date"])
}

// ImportData previews a file of per-SKU sales and stock: nothing is
// stored but the preview, which a person confirms or cancels. Transports
// that receive uploads (a file shared in Slack) call it with the bytes.
func (f *Feature) ImportData(ctx context.Context, cmd chat.Command, shop config.Shop, name string, data []byte, dateText string) chat.Reply {
	today := f.today(cmd.At)
	defDate := today.AddDays(-1)
	if dateText != "" {
		d, msg := f.parseDate(dateText, today, false)
		if msg != "" {
			return chat.Error(msg)
		}
		defDate = d
	}
	t, err := sheet.Parse(data, sheet.Options{Name: name, MaxBytes: importMaxBytes, MaxRows: importMaxRows,
		IsHeader: func(cells []string) bool {
			return slices.ContainsFunc(cells, func(c string) bool { return headerField(c) == "sku" })
		}})
	if err != nil {
		return chat.Error(f.Tr.T("stock.err_import_read", chat.Escape(name), chat.Escape(err.Error())))
	}
	cols := map[string]int{}
	var ignored []string
	for i, h := range t.Header {
		field := headerField(h)
		if field == "" || cols[field] > 0 {
			if strings.TrimSpace(h) != "" {
				ignored = append(ignored, h)
			}
			continue
		}
		cols[field] = i + 1 // 0 means absent
	}
	if cols["sold"] == 0 && cols["stock"] == 0 {
		return chat.Error(f.Tr.T("stock.err_import_columns", chat.Escape(strings.Join(t.Header, ", "))))
	}
	rows, problems := f.importRows(t, cols, defDate, today)
	if len(rows) == 0 && len(problems) == 0 {
		return chat.Error(f.Tr.T("stock.err_import_empty", chat.Escape(name)))
	}
	if len(problems) > 0 {
		return f.refuseUnder(f.Tr.T("stock.import_refused", chat.Escape(name), len(problems)), problems)
	}
	done, err := f.st.StockImportDone(ctx, shop.ID, t.Checksum)
	if err != nil {
		return f.Fail(cmd, "stock import", err)
	}
	if done {
		return chat.Error(f.Tr.T("stock.import_again", chat.Escape(name)))
	}
	preview, err := f.previewImport(ctx, shop, name, t, rows, ignored)
	if err != nil {
		return f.Fail(cmd, "stock import preview", err)
	}
	encoded, err := json.Marshal(rows)
	if err != nil {
		return f.Fail(cmd, "stock import", err)
	}
	im := store.StockImport{Shop: shop.ID, Checksum: t.Checksum, FileName: chat.Truncate(name, 200), Actor: cmd.UserID, State: store.ImportPending, Rows: string(encoded), CreatedAt: cmd.At.UTC()}
	if err := f.st.CreateStockImport(ctx, &im); err != nil {
		return f.Fail(cmd, "stock import", err)
	}
	id := strconv.FormatUint(im.ID, 10)
	blocks := []slack.Block{chat.Header(f.Tr.T("stock.import_title", chat.Truncate(name, 80))), chat.Section(preview),
		slack.NewActionBlock("stock_import:"+id,
			slack.NewButtonBlockElement(ActionImportConfirm, f.importValue(im.ID), chat.PlainText(f.Tr.T("stock.btn_import"))).WithStyle(slack.StylePrimary),
			slack.NewButtonBlockElement(ActionImportCancel, f.importValue(im.ID), chat.PlainText(f.Tr.T("stock.btn_cancel")))),
		chat.Context(f.Tr.T("stock.import_commands", id))}
	return chat.Reply{Ephemeral: true, Text: f.Tr.T("stock.import_title", name), Blocks: blocks}
}

// importRows reads and checks every row; problems name the row number.
func (f *Feature) importRows(t *sheet.Table, cols map[string]int, defDate, today civil.Date) ([]importRow, []string) {
	cell := func(r sheet.Row, field string) string {
		if cols[field] == 0 {
			return ""
		}
		return strings.TrimSpace(r.Cell(cols[field] - 1))
	}
	var rows []importRow
	var problems []string
	seen := map[string]int{}
	for _, r := range t.Rows {
		code := normCode(cell(r, "sku"))
		if code == "" && cell(r, "sold") == "" && cell(r, "stock") == "" {
			continue // a blank or total line
		}
		row := importRow{Line: r.Line, Code: code, Name: chat.Truncate(cell(r, "name"), 200), Date: defDate.String(), Sold: -1, Stock: -1}
		var msgs []string
		if !config.SKUPattern.MatchString(code) {
			msgs = append(msgs, f.Tr.T("stock.err_sku_code", chat.Escape(chat.Truncate(cell(r, "sku"), 64))))
		}
		if d := cell(r, "date"); d != "" {
			day, msg := f.parseDate(strings.ReplaceAll(strings.Fields(d + " x")[0], "/", "-"), today, false)
			if msg != "" {
				msgs = append(msgs, msg)
			}
			row.Date = day.String()
		}
		for _, fd := range []struct {
			field  string
			target *int64
		}{{"sold", &row.Sold}, {"stock", &row.Stock}} {
			if cols[fd.field] == 0 {
				continue
			}
			v := cell(r, fd.field)
			if v == "" {
				continue // this row gives no figure for it
			}
			n, msg := f.parseQty(v, true)
			if msg != "" {
				msgs = append(msgs, msg)
				continue
			}
			*fd.target = n
		}
		key := code + "\x00" + row.Date
		if prev, dup := seen[key]; dup && len(msgs) == 0 {
			msgs = append(msgs, f.Tr.T("stock.err_import_dup", chat.Escape(code), row.Date, prev))
		}
		if len(msgs) > 0 {
			problems = append(problems, f.Tr.T("stock.import_row", r.Line, strings.Join(msgs, " ")))
			continue
		}
		seen[key] = r.Line
		rows = append(rows, row)
	}
	return rows, problems
}

// previewImport says what confirming would do.
func (f *Feature) previewImport(ctx context.Context, shop config.Shop, name string, t *sheet.Table, rows []importRow, ignored []string) (string, error) {
	codes := map[string]bool{}
	from, to := rows[0].Date, rows[0].Date
	for _, r := range rows {
		codes[r.Code] = true
		from, to = min(from, r.Date), max(to, r.Date)
	}
	list := make([]string, 0, len(codes))
	for c := range codes {
		list = append(list, c)
	}
	items, err := f.st.StockItemsByCode(ctx, shop.ID, list)
	if err != nil {
		return "", err
	}
	known := map[string]store.StockItem{}
	for _, it := range items {
		known[it.Code] = it
	}
	var fresh []string
	for _, c := range list {
		if _, ok := known[c]; !ok {
			fresh = append(fresh, c)
		}
	}
	slices.Sort(fresh)
	var newSales, counts int
	var replaced []string
	for _, r := range rows {
		if r.Stock >= 0 {
			counts++
		}
		if r.Sold < 0 {
			continue
		}
		it, ok := known[r.Code]
		if !ok {
			newSales++
			continue
		}
		old, had, err := f.st.StockSaleOn(ctx, it.ID, r.Date)
		if err != nil {
			return "", err
		}
		switch {
		case !had:
			newSales++
		case old != r.Sold:
			replaced = append(replaced, fmt.Sprintf("%s %s %d → %d", r.Code, r.Date[5:], old, r.Sold))
		}
	}
	var b strings.Builder
	format := t.Format
	if t.Encoding != "" {
		format += ", " + t.Encoding
	}
	b.WriteString(f.Tr.T("stock.import_summary", len(rows), format, from, to, len(codes), chat.Escape(shop.Name)))
	b.WriteString("\n" + f.Tr.T("stock.import_sales", newSales, len(replaced), counts))
	if len(replaced) > 0 {
		shown := replaced[:min(len(replaced), 10)]
		b.WriteString("\n" + f.Tr.T("stock.import_replaced", chat.Escape(strings.Join(shown, " · "))))
		if len(replaced) > 10 {
			b.WriteString(" " + f.Tr.T("stock.more", len(replaced)-10))
		}
	}
	if len(fresh) > 0 {
		shown := fresh[:min(len(fresh), 20)]
		b.WriteString("\n" + f.Tr.T("stock.import_new_skus", len(fresh), chat.Escape(strings.Join(shown, ", "))))
	}
	if len(ignored) > 0 {
		b.WriteString("\n" + f.Tr.T("stock.import_ignored", chat.Escape(chat.Truncate(strings.Join(ignored, ", "), 300))))
	}
	return b.String(), nil
}

// confirmImport applies a previewed import, all rows in one transaction
// with the warnings they cause, and audits it with the file's name and
// checksum. Only the person who imported it, or a manager, confirms.
func (f *Feature) confirmImport(ctx context.Context, userID, ref string, cmd chat.Command) chat.Reply {
	id, err := strconv.ParseUint(strings.TrimPrefix(ref, "#"), 10, 63)
	if err != nil {
		return chat.Error(f.Tr.T("stock.err_import_ref", chat.Escape(chat.Truncate(ref, 20))))
	}
	today := f.today(cmd.At)
	var (
		im     store.StockImport
		rows   []importRow
		queued bool
	)
	err = f.st.Tx(ctx, func(tx *store.Store) error {
		queued = false
		var err error
		if im, err = tx.StockImportByID(ctx, id); err != nil {
			return err
		}
		if im.Actor != userID && !f.Cfg.IsManager(userID) {
			return errNotYours
		}
		if im.State == store.ImportPending && cmd.At.Sub(im.CreatedAt) > ImportExpiry {
			return errImportExpired
		}
		if done, err := tx.StockImportDone(ctx, im.Shop, im.Checksum); err != nil || done {
			return cmpErr(err, errImportedAlready)
		}
		ok, err := tx.FinishStockImport(ctx, id, store.ImportApplied)
		if err != nil || !ok {
			return cmpErr(err, errImportClosed)
		}
		if err := json.Unmarshal([]byte(im.Rows), &rows); err != nil {
			return fmt.Errorf("stock import %d rows: %w", id, err)
		}
		for _, r := range rows {
			it, err := tx.StockItem(ctx, im.Shop, r.Code)
			if errors.Is(err, store.ErrNotFound) {
				it = store.StockItem{Shop: im.Shop, Code: r.Code, Name: r.Name, SumsOn: today.String()}
				if _, err := tx.CreateStockItem(ctx, &it); err != nil {
					return err
				}
			} else if err != nil {
				return err
			}
			d, err := civil.Parse(r.Date)
			if err != nil {
				return err
			}
			if _, err := f.applyOne(ctx, tx, userID, cmd.At, &it, move{kind: moveImport, code: r.Code, qty: r.Sold, date: d, stock: r.Stock}); err != nil {
				return err
			}
			q, err := f.checkWarn(ctx, tx, it, today)
			if err != nil {
				return err
			}
			queued = queued || q
		}
		sum := im.Checksum
		return tx.AddAudit(ctx, store.AuditEntry{At: cmd.At, Actor: userID, Action: "stock.import", Shop: im.Shop,
			Subject: chat.Truncate(im.FileName, 200), NewValue: ptr(fmt.Sprintf("%d rows, sha256 %s", len(rows), sum))})
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return chat.Error(f.Tr.T("stock.err_import_unknown", id, int(ImportExpiry.Hours())))
	case errors.Is(err, errNotYours):
		return chat.Error(f.Tr.T("stock.err_import_not_yours", id))
	case errors.Is(err, errImportExpired):
		return chat.Error(f.Tr.T("stock.err_import_expired", id, int(ImportExpiry.Hours())))
	case errors.Is(err, errImportedAlready):
		return chat.Error(f.Tr.T("stock.import_again", chat.Escape(im.FileName)))
	case errors.Is(err, errImportClosed):
		return chat.Error(f.Tr.T("stock.err_import_closed", id))
	case err != nil:
		return f.Fail(cmd, "stock import", err)
	}
	if queued {
		f.Notify()
	}
	text := f.Tr.T("stock.imported", chat.Mention(userID), len(rows), chat.Escape(im.FileName))
	return chat.Reply{Text: text, Blocks: []slack.Block{chat.Section(text)}}
}

// cancelImport drops a preview: its importer's or a manager's.
func (f *Feature) cancelImport(ctx context.Context, userID, ref string, at time.Time) chat.Reply {
	id, err := strconv.ParseUint(strings.TrimPrefix(ref, "#"), 10, 63)
	if err != nil {
		return chat.Error(f.Tr.T("stock.err_import_ref", chat.Escape(chat.Truncate(ref, 20))))
	}
	im, err := f.st.StockImportByID(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return chat.Error(f.Tr.T("stock.err_import_unknown", id, int(ImportExpiry.Hours())))
	case err != nil:
		f.Log.Error("cancel stock import", "import", id, "err", err)
		return chat.Error(f.Tr.T("err.internal"))
	case im.Actor != userID && !f.Cfg.IsManager(userID):
		return chat.Error(f.Tr.T("stock.err_import_not_yours", id))
	case im.State == store.ImportPending && at.Sub(im.CreatedAt) > ImportExpiry:
		return chat.Error(f.Tr.T("stock.err_import_expired", id, int(ImportExpiry.Hours())))
	}
	ok, err := f.st.FinishStockImport(ctx, id, store.ImportCancelled)
	if err != nil {
		f.Log.Error("cancel stock import", "import", id, "err", err)
		return chat.Error(f.Tr.T("err.internal"))
	}
	if !ok {
		return chat.Error(f.Tr.T("stock.err_import_closed", id))
	}
	text := f.Tr.T("stock.import_cancelled", id)
	return chat.Note(text)
}

var (
	errImportExpired   = errors.New("import preview expired")
	errNotYours        = errors.New("not the importer")
	errImportedAlready = errors.New("file imported already")
	errImportClosed    = errors.New("import no longer pending")
)
