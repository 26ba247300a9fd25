package stock

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/xuri/excelize/v2"

	"opsbot/chat"
	"opsbot/civil"
	"opsbot/config"
	"opsbot/store"
)

// Action and callback IDs of the sheet's buttons and modal.
const (
	ActionApprove   = "stock_sheet_approve"
	ActionEditLine  = "stock_sheet_edit"
	CallbackEdit    = "stock_sheet_line"
	blockEditSKU    = "stock_sku"
	blockEditQty    = "stock_qty"
	sheetRefPrefix  = "stock-sheet:"
	sheetTableLines = 30 // lines in the message; all of them are in the CSV
)

// sheetLines computes a shop's sheet on a day: every SKU that needs an
// order, then those without sales history (said so, not suggested zero).
// SKUs that need nothing are counted, not listed.
func (f *Feature) sheetLines(ctx context.Context, shop string, day civil.Date) (lines []store.StockSheetLine, nothing int, err error) {
	rows, err := f.shopRows(ctx, shop, day)
	if err != nil {
		return nil, 0, err
	}
	for _, r := range rows {
		sug, ok := r.pos.Suggest()
		if ok && sug.Qty == 0 {
			nothing++
			continue
		}
		lines = append(lines, store.StockSheetLine{
			ItemID: r.item.ID, Code: r.item.Code, Name: r.item.Name,
			OnHand: r.pos.OnHand, InTransit: r.pos.InTransit, Sold7: r.pos.Sold7, Sold28: r.pos.Sold28, Days28: r.pos.Days28,
			LeadDays: r.pos.Lead, NoHistory: !ok, Suggested: sug.Qty, Qty: sug.Qty,
			Explain: chat.Truncate(r.pos.Explain(f.Tr, sug), 300),
		})
	}
	slices.SortStableFunc(lines, func(a, b store.StockSheetLine) int {
		if a.NoHistory != b.NoHistory {
			if a.NoHistory {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.Code, b.Code)
	})
	return lines, nothing, nil
}

// postSheet builds a shop's sheet of a day and queues it with its CSV, in
// the transaction that claims it: posted once, across ticks and replicas.
func (f *Feature) postSheet(ctx context.Context, shop config.Shop, day civil.Date, now time.Time, late bool) (bool, error) {
	if done, err := f.st.StockSheetExists(ctx, shop.ID, day.String()); err != nil || done {
		return false, err
	}
	lines, nothing, err := f.sheetLines(ctx, shop.ID, day)
	if err != nil {
		return false, err
	}
	if len(lines) == 0 && nothing == 0 {
		return false, nil // a shop without SKUs has no sheet
	}
	channel := f.channel()
	posted := false
	err = f.st.Tx(ctx, func(tx *store.Store) error {
		sh := store.StockSheet{Shop: shop.ID, Date: day.String(), State: store.SheetProposed, Channel: channel, Nothing: nothing, CreatedAt: now.UTC()}
		created, err := tx.CreateStockSheet(ctx, &sh, slices.Clone(lines))
		if err != nil || !created {
			return err
		}
		msg := f.renderSheet(sh, lines)
		if late {
			msg.Blocks = append(msg.Blocks, chat.Context(f.Tr.T("stock.sheet_late")))
		}
		ref := sheetRefPrefix + strconv.FormatUint(sh.ID, 10)
		if _, err := chat.Enqueue(ctx, tx, store.Outgoing{Channel: channel, Ref: ref, Op: store.OpPost}, msg); err != nil {
			return err
		}
		if len(lines) > 0 {
			xlsx, err := f.sheetXLSX(lines)
			if err != nil {
				return err
			}
			base := fmt.Sprintf("replenishment-%s-%s", shop.ID, day)
			for _, file := range []*store.Attachment{{Name: base + ".csv", Title: msg.Text, Data: f.sheetCSV(lines)}, {Name: base + ".xlsx", Title: msg.Text, Data: xlsx}} {
				if _, err := tx.Enqueue(ctx, store.Outgoing{Channel: channel, Ref: ref, Op: store.OpUpload, File: file}); err != nil {
					return err
				}
			}
		}
		posted = true
		return nil
	})
	return posted, err
}

// renderSheet is the sheet's message: the lines to order as a table with
// their explanations, the SKUs without history, and the buttons while it
// is proposed.
func (f *Feature) renderSheet(sh store.StockSheet, lines []store.StockSheetLine) chat.Reply {
	nothing := sh.Nothing
	shopName := sh.Shop
	if s, ok := f.Cfg.ShopByRef(sh.Shop); ok {
		shopName = s.Name
	}
	title := f.Tr.T("stock.sheet_title", shopName, sh.Date, sh.ID)
	var order, fresh []store.StockSheetLine
	var units int64
	for _, l := range lines {
		switch {
		case l.NoHistory && l.Qty == 0:
			fresh = append(fresh, l)
		case l.Qty > 0:
			order = append(order, l)
			units += l.Qty
		}
	}
	blocks := []slack.Block{chat.Header(title)}
	if len(order) == 0 {
		blocks = append(blocks, chat.Section(f.Tr.T("stock.sheet_nothing", nothing)))
	} else {
		blocks = append(blocks, chat.Section(f.Tr.T("stock.sheet_summary", len(order), units, nothing)))
		table := [][]string{{f.Tr.T("stock.col_sku"), f.Tr.T("stock.col_name"), f.Tr.T("stock.col_order"), f.Tr.T("stock.col_why")}}
		for _, l := range order[:min(len(order), sheetTableLines)] {
			q := strconv.FormatInt(l.Qty, 10)
			if l.Qty != l.Suggested {
				q += "*"
			}
			table = append(table, []string{l.Code, chat.Truncate(l.Name, 12), q, l.Explain})
		}
		blocks = append(blocks, tableSections(table, []bool{false, false, true, false})...)
		if len(order) > sheetTableLines {
			blocks = append(blocks, chat.Context(f.Tr.T("stock.sheet_more", len(order)-sheetTableLines)))
		}
		if slices.ContainsFunc(order, func(l store.StockSheetLine) bool { return l.Qty != l.Suggested }) {
			blocks = append(blocks, chat.Context(f.Tr.T("stock.sheet_edited_mark")))
		}
	}
	if len(fresh) > 0 {
		var codes []string
		for _, l := range fresh[:min(len(fresh), 20)] {
			codes = append(codes, chat.Escape(l.Code))
		}
		more := ""
		if len(fresh) > 20 {
			more = " " + f.Tr.T("stock.more", len(fresh)-20)
		}
		blocks = append(blocks, chat.Context(f.Tr.T("stock.sheet_no_history", len(fresh), strings.Join(codes, ", ")+more)))
	}
	id := strconv.FormatUint(sh.ID, 10)
	switch {
	case sh.State == store.SheetApproved:
		at := ""
		if sh.ApprovedAt != nil {
			at = sh.ApprovedAt.In(f.Cfg.Location).Format("01-02 15:04")
		}
		blocks = append(blocks, chat.Section(f.Tr.T("stock.sheet_approved", chat.Mention(sh.ApprovedBy), at)))
	case sh.State == store.SheetProposed && len(order) > 0:
		approve := slack.NewButtonBlockElement(ActionApprove, id, chat.PlainText(f.Tr.T("stock.btn_approve"))).WithStyle(slack.StylePrimary)
		approve.Confirm = slack.NewConfirmationBlockObject(chat.PlainText(f.Tr.T("stock.confirm_title")),
			chat.PlainText(f.Tr.T("stock.confirm_text", len(order), units)), chat.PlainText(f.Tr.T("stock.btn_approve")), chat.PlainText(f.Tr.T("stock.btn_cancel")))
		edit := slack.NewButtonBlockElement(ActionEditLine, id, chat.PlainText(f.Tr.T("stock.btn_edit")))
		blocks = append(blocks, slack.NewActionBlock("stock_sheet:"+id, approve, edit),
			chat.Context(f.Tr.T("stock.sheet_commands", id)))
	}
	return chat.Reply{Text: title, Blocks: blocks}
}

// sheetCSV is the sheet as a spreadsheet opens it: UTF-8 with a BOM (so
// Excel reads the Chinese names), cells that a spreadsheet would run as a
// formula quoted as text.
func (f *Feature) sheetCSV(lines []store.StockSheetLine) []byte {
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"sku", "name", "on_hand", "in_transit", "sold_7d", "sold_28d", "days_28d", "avg_28d", "lead_days", "suggested", "order_qty", "explanation"})
	for _, l := range lines {
		avg := "—"
		if l.Days28 > 0 {
			avg = tenths(l.Sold28, int64(l.Days28))
		}
		_ = w.Write([]string{safeCell(l.Code), safeCell(l.Name), strconv.FormatInt(l.OnHand, 10), strconv.FormatInt(l.InTransit, 10),
			strconv.FormatInt(l.Sold7, 10), strconv.FormatInt(l.Sold28, 10), strconv.Itoa(l.Days28), avg, strconv.Itoa(l.LeadDays),
			strconv.FormatInt(l.Suggested, 10), strconv.FormatInt(l.Qty, 10), safeCell(l.Explain)})
	}
	w.Flush()
	return b.Bytes()
}

// sheetXLSX is the sheet as an Excel workbook: numbers as numbers, the
// header bold and frozen, so a buyer can sort and sum it.
func (f *Feature) sheetXLSX(lines []store.StockSheetLine) ([]byte, error) {
	x := excelize.NewFile()
	defer x.Close()
	const name = "补货需求表"
	if err := x.SetSheetName("Sheet1", name); err != nil {
		return nil, fmt.Errorf("sheet xlsx: %w", err)
	}
	header := []any{f.Tr.T("stock.col_sku"), f.Tr.T("stock.col_name"), f.Tr.T("stock.col_on_hand"), f.Tr.T("stock.col_transit"),
		"sold_7d", "sold_28d", "days_28d", "lead_days", "suggested", f.Tr.T("stock.col_order"), f.Tr.T("stock.col_why")}
	if err := x.SetSheetRow(name, "A1", &header); err != nil {
		return nil, fmt.Errorf("sheet xlsx: %w", err)
	}
	for i, l := range lines {
		row := []any{l.Code, l.Name, l.OnHand, l.InTransit, l.Sold7, l.Sold28, l.Days28, l.LeadDays, l.Suggested, l.Qty, l.Explain}
		if err := x.SetSheetRow(name, fmt.Sprintf("A%d", i+2), &row); err != nil {
			return nil, fmt.Errorf("sheet xlsx: %w", err)
		}
	}
	if bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err == nil {
		_ = x.SetRowStyle(name, 1, 1, bold)
	}
	_ = x.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	var b bytes.Buffer
	if err := x.Write(&b); err != nil {
		return nil, fmt.Errorf("sheet xlsx: %w", err)
	}
	return b.Bytes(), nil
}

// safeCell keeps a spreadsheet from reading a cell as a formula.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// sheetWords checks that a sheet command has its n words, the first naming
// the sheet, and finds that sheet; the message says what was wrong.
func (f *Feature) sheetWords(ctx context.Context, shop config.Shop, words []string, n int, usage string) (store.StockSheet, string) {
	if len(words) != n {
		return store.StockSheet{}, f.Tr.T(usage)
	}
	sh, _, msg := f.sheetByRef(ctx, shop, words[0])
	return sh, msg
}

// sheetRef reads a sheet number; "" for the shop's latest.
func (f *Feature) sheetByRef(ctx context.Context, shop config.Shop, ref string) (store.StockSheet, []store.StockSheetLine, string) {
	var id uint64
	if ref == "" || strings.EqualFold(ref, "latest") {
		sh, err := f.st.LatestStockSheet(ctx, shop.ID)
		if errors.Is(err, store.ErrNotFound) {
			return sh, nil, f.Tr.T("stock.err_no_sheet", chat.Escape(shop.Name))
		}
		if err != nil {
			return sh, nil, f.Tr.T("err.internal")
		}
		id = sh.ID
	} else {
		n, err := strconv.ParseUint(strings.TrimPrefix(ref, "#"), 10, 63)
		if err != nil {
			return store.StockSheet{}, nil, f.Tr.T("stock.err_sheet_ref", chat.Escape(chat.Truncate(ref, 20)))
		}
		id = n
	}
	sh, lines, err := f.st.StockSheet(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && sh.Shop != shop.ID) {
		return sh, nil, f.Tr.T("stock.err_sheet_unknown", id, chat.Escape(shop.ID))
	}
	if err != nil {
		f.Log.Error("read stock sheet", "sheet", id, "err", err)
		return sh, nil, f.Tr.T("err.internal")
	}
	return sh, lines, ""
}

// sheetCmd is /stock sheet [N]: a sheet as posted (default the latest).
// `/stock sheet now` builds a preview of today's sheet without posting it.
func (f *Feature) sheetCmd(ctx context.Context, cmd chat.Command, shop config.Shop, words []string) chat.Reply {
	if len(words) > 1 {
		return chat.Error(f.Tr.T("stock.err_sheet_usage"))
	}
	if len(words) == 1 && (strings.EqualFold(words[0], "now") || words[0] == "预览") {
		today := f.today(cmd.At)
		lines, nothing, err := f.sheetLines(ctx, shop.ID, today)
		if err != nil {
			return f.Fail(cmd, "stock sheet preview", err)
		}
		msg := f.renderSheet(store.StockSheet{Shop: shop.ID, Date: today.String(), State: "preview", Nothing: nothing}, lines)
		msg.Blocks[0] = chat.Header(f.Tr.T("stock.preview_title", shop.Name, today.String()))
		msg.Ephemeral = true
		if len(lines) > 0 {
			msg.Files = []chat.File{{Name: fmt.Sprintf("replenishment-%s-%s-preview.csv", shop.ID, today), Title: msg.Text, MimeType: "text/csv", Content: f.sheetCSV(lines)}}
		}
		return msg
	}
	ref := ""
	if len(words) == 1 {
		ref = words[0]
	}
	sh, lines, msg := f.sheetByRef(ctx, shop, ref)
	if msg != "" {
		return chat.Error(msg)
	}
	out := f.renderSheet(sh, lines)
	out.Ephemeral = true
	return out
}

// approveCmd is /stock approve N.
func (f *Feature) approveCmd(ctx context.Context, cmd chat.Command, shop config.Shop, words []string) chat.Reply {
	sh, msg := f.sheetWords(ctx, shop, words, 1, "stock.err_approve_usage")
	if msg != "" {
		return chat.Error(msg)
	}
	return f.approve(ctx, cmd.UserID, sh.ID, cmd.At)
}

// approve records every line of a proposed sheet as an order in transit,
// with its ETA from the SKU's lead time, and updates the posted sheet: one
// transaction. Only managers may approve; a sheet is approved once.
func (f *Feature) approve(ctx context.Context, userID string, sheetID uint64, at time.Time) chat.Reply {
	if !f.Cfg.IsManager(userID) {
		return chat.Error(f.Tr.T("stock.err_not_manager"))
	}
	today := f.today(at)
	var (
		count int
		units int64
		by    string
	)
	err := f.st.Tx(ctx, func(tx *store.Store) error {
		count, units = 0, 0
		sh, lines, err := tx.StockSheet(ctx, sheetID)
		if err != nil {
			return err
		}
		won, err := tx.ApproveStockSheet(ctx, sheetID, userID, at)
		if err != nil {
			return err
		}
		if !won {
			by = sh.ApprovedBy
			return errApproved
		}
		for _, l := range lines {
			if l.Qty <= 0 {
				continue
			}
			it, err := tx.StockItemByID(ctx, l.ItemID)
			if err != nil {
				return err
			}
			eta := today.AddDays(f.lead(it)).String()
			o := store.StockOrder{ItemID: it.ID, Open: true, Qty: l.Qty, Remaining: l.Qty, ETA: eta, SheetID: sheetID}
			if err := tx.SaveStockOrder(ctx, &o); err != nil {
				return err
			}
			it.InTransit += l.Qty
			if it.NextETA == "" || eta < it.NextETA {
				it.NextETA = eta
			}
			if err := tx.SaveStockItem(ctx, &it); err != nil {
				return err
			}
			if err := tx.AddStockMove(ctx, &store.StockMove{ItemID: it.ID, At: at, Actor: userID, Kind: "approve", Qty: l.Qty, Date: eta, OnHand: it.OnHand, InTransit: it.InTransit, Note: "sheet " + strconv.FormatUint(sheetID, 10)}); err != nil {
				return err
			}
			if _, err := f.checkWarn(ctx, tx, it, today); err != nil {
				return err
			}
			count++
			units += l.Qty
		}
		sh.State, sh.ApprovedBy = store.SheetApproved, userID
		atUTC := at.UTC()
		sh.ApprovedAt = &atUTC
		if err := tx.AddAudit(ctx, store.AuditEntry{At: at, Actor: userID, Action: "stock.sheet.approve", Shop: sh.Shop, Subject: "sheet " + strconv.FormatUint(sheetID, 10), NewValue: ptr(fmt.Sprintf("%d lines, %d units", count, units))}); err != nil {
			return err
		}
		return f.updateSheetMessage(ctx, tx, sh, lines)
	})
	switch {
	case errors.Is(err, errApproved):
		return chat.Error(f.Tr.T("stock.err_approved", sheetID, chat.Mention(by)))
	case errors.Is(err, store.ErrNotFound):
		return chat.Error(f.Tr.T("stock.err_sheet_unknown", sheetID, ""))
	case err != nil:
		f.Log.Error("approve stock sheet", "sheet", sheetID, "user", userID, "err", err)
		return chat.Error(f.Tr.T("err.internal"))
	}
	f.Notify()
	text := f.Tr.T("stock.approved", sheetID, count, units)
	return chat.Note(text)
}

var errApproved = errors.New("sheet approved already")

func ptr(s string) *string { return &s }

// updateSheetMessage edits the posted sheet in place.
func (f *Feature) updateSheetMessage(ctx context.Context, tx *store.Store, sh store.StockSheet, lines []store.StockSheetLine) error {
	msg := f.renderSheet(sh, lines)
	ref := sheetRefPrefix + strconv.FormatUint(sh.ID, 10)
	_, err := chat.Enqueue(ctx, tx, store.Outgoing{Channel: cmp.Or(sh.Channel, f.channel()), Ref: ref, Op: store.OpUpdate}, msg)
	return err
}

// editCmd is /stock edit N SKU QTY.
func (f *Feature) editCmd(ctx context.Context, cmd chat.Command, shop config.Shop, words []string) chat.Reply {
	sh, msg := f.sheetWords(ctx, shop, words, 3, "stock.err_edit_usage")
	if msg != "" {
		return chat.Error(msg)
	}
	problems := f.editLine(ctx, cmd.UserID, sh.ID, words[1], words[2], cmd.At)
	if len(problems) > 0 {
		return f.ProblemList(slices.Collect(mapsValues(problems)))
	}
	text := f.Tr.T("stock.line_edited", chat.Escape(normCode(words[1])), sh.ID, chat.Escape(words[2]))
	return chat.Note(text)
}

// editLine sets the quantity of one line of a proposed sheet (0 drops it)
// and updates the posted sheet. Problems are keyed by the modal's block.
func (f *Feature) editLine(ctx context.Context, userID string, sheetID uint64, skuText, qtyText string, at time.Time) map[string]string {
	problems := map[string]string{}
	if !f.Cfg.IsManager(userID) {
		problems[blockEditSKU] = f.Tr.T("stock.err_not_manager")
		return problems
	}
	qty, msg := f.parseQty(strings.TrimSpace(qtyText), true)
	if msg != "" {
		problems[blockEditQty] = msg
	}
	code := normCode(skuText)
	err := f.st.Tx(ctx, func(tx *store.Store) error {
		sh, lines, err := tx.StockSheet(ctx, sheetID)
		if err != nil {
			return err
		}
		if sh.State != store.SheetProposed {
			problems[blockEditSKU] = f.Tr.T("stock.err_approved", sheetID, chat.Mention(sh.ApprovedBy))
			return errRefused
		}
		i := slices.IndexFunc(lines, func(l store.StockSheetLine) bool { return l.Code == code })
		if i < 0 {
			problems[blockEditSKU] = f.Tr.T("stock.err_not_on_sheet", chat.Escape(chat.Truncate(skuText, 64)), sheetID)
		}
		if len(problems) > 0 {
			return errRefused
		}
		ok, err := tx.SetSheetLineQty(ctx, sheetID, lines[i].ID, qty, userID)
		if err != nil || !ok {
			return cmpErr(err, errApproved)
		}
		old := strconv.FormatInt(lines[i].Qty, 10)
		lines[i].Qty, lines[i].EditedBy = qty, userID
		if err := tx.AddAudit(ctx, store.AuditEntry{At: at, Actor: userID, Action: "stock.sheet.edit", Shop: sh.Shop, Subject: fmt.Sprintf("sheet %d %s", sheetID, code), OldValue: &old, NewValue: ptr(strconv.FormatInt(qty, 10))}); err != nil {
			return err
		}
		return f.updateSheetMessage(ctx, tx, sh, lines)
	})
	switch {
	case errors.Is(err, errRefused):
	case errors.Is(err, errApproved):
		problems[blockEditSKU] = f.Tr.T("stock.err_approved", sheetID, "")
	case errors.Is(err, store.ErrNotFound):
		problems[blockEditSKU] = f.Tr.T("stock.err_sheet_unknown", sheetID, "")
	case err != nil:
		f.Log.Error("edit stock sheet", "sheet", sheetID, "err", err)
		problems[blockEditSKU] = f.Tr.T("err.internal")
	default:
		f.Notify()
	}
	return problems
}

var errRefused = errors.New("refused")

func mapsValues(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for _, k := range []string{blockEditSKU, blockEditQty} {
			if v, ok := m[k]; ok && !yield(v) {
				return
			}
		}
	}
}
