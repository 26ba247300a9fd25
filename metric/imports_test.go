package metric_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"opsbot/bot"
	"opsbot/chat"
	"opsbot/config"
	"opsbot/handlers/handlerstest"
	"opsbot/metric"
)

// upload shares a file with the bot, as a Slack file share or the console's
// /metric import PATH do, with the command's further words.
func upload(f *handlerstest.Fixture, user, name string, data []byte, args string) chat.Reply {
	f.T.Helper()
	return f.Router.Handle(context.Background(), chat.Command{
		UserID: user, UserName: user, ChannelID: "C1", ChannelName: "shop-ops", Name: "/metric",
		Text: strings.TrimSpace("import " + args), At: f.Clock.Now(),
		Upload: &chat.Upload{Name: name, Size: int64(len(data)), Content: data},
	})
}

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A back-office export as 生意参谋 writes it: GBK, no BOM, a title line,
// Chinese headers, derived columns and columns opsbot does not keep.
const backOffice = "生意参谋 店铺整体 日报\n" +
	"统计日期,访客数,浏览量,支付买家数,支付金额,客单价,支付转化率,跳失率,平均停留时长,人均浏览量\n" +
	"2026-11-20,1200,3600,30,\"3,456.78\",115.23,2.50%,45.12%,00:01:35,3.00\n" +
	"2026-11-21,1300,3900,26,4000.00,153.85,2.00%,40.00%,95秒,3.00\n"

func TestImportGBKBackOfficeExport(t *testing.T) {
	f := handlerstest.New(t, nil)
	data := gbk(t, backOffice)
	got := bot.RenderText(upload(f, "alice", "生意参谋.csv", data, "").Blocks)
	want := `Import 1 — preview of “生意参谋.csv” (csv, gbk)
2026-11-20 to 2026-11-21 · shop main · 2 row(s): 12 new value(s), 0 replaced, 0 unchanged. Nothing is stored until you confirm.
New (2 row(s)):
• 2026-11-20 main: Page views (PV) 3,600 · Unique visitors (UV) 1,200 · Orders paid 30 · Sales ¥3,456.78 · Bounce rate 45.12% · Average visit length 1:35
• 2026-11-21 main: Page views (PV) 3,900 · Unique visitors (UV) 1,300 · Orders paid 26 · Sales ¥4,000.00 · Bounce rate 40.00% · Average visit length 1:35
Columns ignored: “人均浏览量”
Checked, not stored: “客单价”, “支付转化率” agree with opsbot's arithmetic.
[ Import ] [ Cancel ]
  Or type ` + "`/metric import confirm 1` · `/metric import cancel 1`"
	if got != want {
		t.Errorf("preview:\n%s\nwant:\n%s", got, want)
	}
	if n := len(f.Day("main", "2026-11-20")); n != 0 {
		t.Fatalf("the preview stored %d values", n)
	}
	r := f.Do("alice", "/metric import confirm 1")
	handlerstest.Contains(t, bot.RenderText(r.Blocks), "@alice imported “生意参谋.csv”: 12 value(s) stored (12 new, 0 replaced), 2026-11-20 to 2026-11-21.", "Audit: import 1, file checksum sha256:")
	if r.Ephemeral {
		t.Error("the import's confirmation is for the team, not only the importer")
	}
	wantDays := map[string]map[string]int64{
		"2026-11-20": {"pv": 3600, "uv": 1200, "paid": 30, "sales": 345678, "bounce_rate": 4512, "avg_visit": 95},
		"2026-11-21": {"pv": 3900, "uv": 1300, "paid": 26, "sales": 400000, "bounce_rate": 4000, "avg_visit": 95},
	}
	for day, w := range wantDays {
		if got := f.Day("main", day); !reflect.DeepEqual(got, w) {
			t.Errorf("%s stored %v, want %v", day, got, w)
		}
	}
	sum := sha256.Sum256(data)
	audit := f.Audit()
	if len(audit) != 1 || audit[0].Action != "metric.import" || audit[0].Actor != "alice" ||
		audit[0].Subject != "import 1 生意参谋.csv sha256:"+hex.EncodeToString(sum[:]) {
		t.Fatalf("audit = %+v, want one metric.import entry with file name and checksum", audit)
	}
	if !strings.Contains(*audit[0].NewValue, "main 2026-11-20 sales -→345678") {
		t.Errorf("audit lacks the changes: %s", *audit[0].NewValue)
	}

	// The same file again stores nothing, and says so; no preview to confirm.
	r = upload(f, "alice", "生意参谋 (1).csv", data, "")
	handlerstest.Contains(t, r.Text, "was imported already (import 1, 2026-11-23 09:00, by <@alice>, 12 value(s) stored)", "changes nothing")
	if len(f.Audit()) != 1 {
		t.Errorf("a second import was audited")
	}
	// A second confirmation (a double click) changes nothing either.
	handlerstest.Contains(t, f.Text("alice", "/metric import confirm 1"), "Import 1 was imported already; nothing changed.")
	if len(f.Audit()) != 1 {
		t.Errorf("a second confirmation was audited")
	}
}

func TestImportUTF8WithBOMReplacesAndKeeps(t *testing.T) {
	f := handlerstest.New(t, nil)
	f.Do("alice", "/metric uv=1000 sales=500 date=2026-11-21")
	src := "\ufeffdate,uv,sales(元),orders\n2026-11-21,1100,500.00,\n2026-11-22,900,¥800.5,12\n"
	got := bot.RenderText(upload(f, "bob", "daily.csv", []byte(src), "").Blocks)
	handlerstest.Contains(t, got,
		"Import 1 — preview of “daily.csv” (csv, utf-8-bom)",
		"2026-11-21 to 2026-11-22 · shop main · 2 row(s): 3 new value(s), 1 replaced, 1 unchanged.",
		"New (1 row(s)):\n• 2026-11-22 main: Unique visitors (UV) 900 · Orders placed 12 · Sales ¥800.50",
		"Replaced (1 value(s), old → new):\n• 2026-11-21 main Unique visitors (UV) 1,000 → 1,100")
	// Only the uploader (or a manager) may decide.
	handlerstest.Contains(t, f.Text("carol", "/metric import confirm 1"), "Import 1 was uploaded by @bob; only they or a manager may confirm or cancel it.")
	handlerstest.Contains(t, f.Text("bob", "/metric import confirm 1"), "4 value(s) stored (3 new, 1 replaced), 2026-11-21 to 2026-11-22")
	if d := f.Day("main", "2026-11-21"); d["uv"] != 1100 || d["sales"] != 50000 || len(d) != 2 {
		t.Errorf("2026-11-21 = %v: the empty orders cell must stay missing, not zero", d)
	}
	if d := f.Day("main", "2026-11-22"); d["uv"] != 900 || d["sales"] != 80050 || d["orders"] != 12 {
		t.Errorf("2026-11-22 = %v", d)
	}
	a := f.Audit()[0]
	if a.Action != "metric.import" || *a.NewValue != "main 2026-11-21 uv 1000→1100\nmain 2026-11-22 orders -→12\nmain 2026-11-22 sales -→80050\nmain 2026-11-22 uv -→900" {
		t.Errorf("audit %q: %q", a.Action, *a.NewValue)
	}
	// The same figures in another file: nothing new, nothing to confirm.
	handlerstest.Contains(t, upload(f, "bob", "again.csv", []byte("date,uv\n2026-11-22,900\n"), "").Text, "Nothing new in “again.csv”: all 1 value(s) are stored already.")
}

func twoSheets(t *testing.T) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(x.SetSheetName("Sheet1", "说明"))
	must(x.SetSheetRow("说明", "A1", &[]any{"本报表由生意参谋导出"}))
	_, err := x.NewSheet("日报")
	must(err)
	must(x.SetSheetRow("日报", "A1", &[]any{"统计日期", "访客数", "支付金额", "跳失率", "平均停留时长"}))
	must(x.SetCellValue("日报", "A2", time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)))
	style, err := x.NewStyle(&excelize.Style{NumFmt: 14})
	must(err)
	must(x.SetCellStyle("日报", "A2", "A2", style))
	must(x.SetCellValue("日报", "B2", 2500))
	must(x.SetCellValue("日报", "C2", 12345.6))
	must(x.SetCellValue("日报", "D2", 0.3171))
	pct, err := x.NewStyle(&excelize.Style{NumFmt: 10})
	must(err)
	must(x.SetCellStyle("日报", "D2", "D2", pct))
	must(x.SetCellValue("日报", "E2", "00:02:05"))
	var buf bytes.Buffer
	must(x.Write(&buf))
	return buf.Bytes()
}

func TestImportXLSXNamedSheet(t *testing.T) {
	f := handlerstest.New(t, nil)
	data := twoSheets(t)
	handlerstest.Contains(t, upload(f, "alice", "report.xlsx", data, "").Text, "“report.xlsx” has no header row with a date column and a metric column among its first 20 rows.")
	handlerstest.Contains(t, upload(f, "alice", "report.xlsx", data, "sheet=月报").Text, "“report.xlsx” has no sheet “月报”. Its sheets: `说明`, `日报`.")
	got := bot.RenderText(upload(f, "alice", "report.xlsx", data, "sheet=日报").Blocks)
	handlerstest.Contains(t, got, "Import 1 — preview of “report.xlsx” (xlsx, sheet “日报”)",
		"• 2026-11-22 main: Unique visitors (UV) 2,500 · Sales ¥12,345.60 · Bounce rate 31.71% · Average visit length 2:05")
	f.Do("alice", "/metric import confirm 1")
	want := map[string]int64{"uv": 2500, "sales": 1234560, "bounce_rate": 3171, "avg_visit": 125}
	if got := f.Day("main", "2026-11-22"); !reflect.DeepEqual(got, want) {
		t.Errorf("stored %v, want %v", got, want)
	}
	// The same sheet again is the same import; the file's other sheet is not.
	handlerstest.Contains(t, upload(f, "alice", "report.xlsx", data, "sheet=日报").Text, "was imported already (import 1")
	handlerstest.Contains(t, upload(f, "alice", "report.xlsx", data, "").Text, "has no header row")
}

func TestImportRefusesBadRowsByNumber(t *testing.T) {
	f := handlerstest.New(t, nil)
	src := "日期,访客数,支付金额,跳失率\n" +
		"2026-11-20,100,10.00,5%\n" +
		"2026-11-21,12.5,20.00,5%\n" + // a fraction of a visitor
		"2026-11-31,100,20.00,5%\n" + // no such day
		"2026-11-24,100,20.00,5%\n" + // tomorrow
		"2026-11-22,100,20.001,5%\n" + // a tenth of a fen
		"2026-11-20,300,30.00,5%\n" + // the same day again
		"2026-11-19,,,\n" + // nothing in it
		"2026-11-18,100,20.00,5.123%\n"
	got := bot.RenderText(upload(f, "alice", "bad.csv", []byte(src), "").Blocks)
	handlerstest.Contains(t, got, "2026-11-20 to 2026-11-20 · shop main · 1 row(s): 3 new value(s)",
		"Rows refused (7, not imported):\n"+
			"• row 3: Unique visitors (UV) is a count and must be a whole number (“12.5”). Accepted: whole numbers like 12000, 12,000 or 1.2万.\n"+
			"• row 4: “2026-11-31” is not a date; use YYYY-MM-DD\n"+
			"• row 5: “2026-11-24” is in the future\n"+
			"• row 6: Sales is money and has at most 2 decimals (fen) (“20.001”). Accepted: amounts like 45600.50, 45,600.50, ¥45,600.50 or 4.56万.\n"+
			"• row 7: the same day and shop as row 2 (2026-11-20)\n"+
			"• row 8: no figures\n"+
			"• row 9: Bounce rate is a percentage with at most 2 decimals, e.g. 31.71% (“5.123%”). Accepted: percentages like 31.71% or 31.71.")
	f.Do("alice", "/metric import confirm 1")
	if d := f.Day("main", "2026-11-20"); d["uv"] != 100 || d["sales"] != 1000 || d["bounce_rate"] != 500 {
		t.Errorf("2026-11-20 = %v", d)
	}
	for _, day := range []string{"2026-11-21", "2026-11-22", "2026-11-18"} {
		if d := f.Day("main", day); len(d) != 0 {
			t.Errorf("refused row of %s stored %v", day, d)
		}
	}
	// A file whose every row is bad stores nothing and offers nothing.
	handlerstest.Contains(t, upload(f, "alice", "worse.csv", []byte("日期,访客数\n2026-13-01,1\n"), "").Text, "Nothing to import: every row was refused. 1 problem(s):\n• row 2: “2026-13-01” is not a date")
}

func TestImportShopColumn(t *testing.T) {
	f := handlerstest.New(t, func(c *config.Config) {
		c.Shops = []config.Shop{
			{ID: "main", Name: "Taobao C-shop", Channels: []string{"#shop-ops"}},
			{ID: "tmall", Name: "Tmall flagship", Channels: []string{"#tmall-ops"}},
		}
	})
	src := "统计日期,店铺名称,访客数,支付金额\n" +
		"2026-11-22,Taobao C-shop,100,1000\n" +
		"2026-11-22,tmall,200,2000\n" +
		"2026-11-22,JD,300,3000\n"
	got := bot.RenderText(upload(f, "alice", "shops.csv", []byte(src), "").Blocks)
	handlerstest.Contains(t, got, "2026-11-22 to 2026-11-22 · shop main, tmall · 2 row(s): 4 new value(s)",
		"• 2026-11-22 main: Unique visitors (UV) 100 · Sales ¥1,000.00\n• 2026-11-22 tmall: Unique visitors (UV) 200 · Sales ¥2,000.00",
		"• row 4: unknown shop “JD”; shops: `main`, `tmall`")
	f.Do("alice", "/metric import confirm 1")
	if m, tm := f.Day("main", "2026-11-22"), f.Day("tmall", "2026-11-22"); m["uv"] != 100 || m["sales"] != 100000 || tm["uv"] != 200 || tm["sales"] != 200000 {
		t.Errorf("main %v tmall %v", m, tm)
	}
	if a := f.Audit()[0]; a.Shop != "" {
		t.Errorf("an import over two shops is audited under shop %q", a.Shop)
	}
}

func TestImportLimitsCancelAndMismatch(t *testing.T) {
	f := handlerstest.New(t, func(c *config.Config) { c.Import.MaxRows = 3 })
	var b strings.Builder
	b.WriteString("date,uv\n")
	for d := 1; d <= 4; d++ {
		fmt.Fprintf(&b, "2026-11-%02d,1\n", d)
	}
	handlerstest.Contains(t, upload(f, "alice", "long.csv", []byte(b.String()), "").Text, "“long.csv” is too large to import: files may have at most 5 MB and 3 rows.")
	big := &chat.Upload{Name: "huge.xlsx", Size: 6 << 20}
	r := f.Router.Handle(context.Background(), chat.Command{UserID: "alice", ChannelID: "C1", Name: "/metric", Text: "import", At: f.Clock.Now(), Upload: big})
	handlerstest.Contains(t, r.Text, "“huge.xlsx” is too large to import: files may have at most 5 MB and 3 rows.")
	handlerstest.Contains(t, upload(f, "alice", "old.xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0}, "").Text, "old Excel .xls")
	handlerstest.Contains(t, upload(f, "alice", "x.csv", []byte("name,value\na,1\n"), "").Text, "has no header row with a date column and a metric column")

	// 客单价 in the file disagrees with sales ÷ paid.
	got := bot.RenderText(upload(f, "alice", "m.csv", []byte("日期,支付买家数,支付金额,客单价\n2026-11-22,3,100,30.00\n"), "").Blocks)
	handlerstest.Contains(t, got, "Differs from opsbot's arithmetic (1; the file's figure is not stored):\n• row 2: 客单价 in the file 30.00, opsbot ¥33.33")
	handlerstest.Contains(t, f.Text("alice", "/metric import cancel 1"), "Import 1 of “m.csv” cancelled; nothing was stored.")
	handlerstest.Contains(t, f.Text("alice", "/metric import confirm 1"), "Import 1 was cancelled")
	if d := f.Day("main", "2026-11-22"); len(d) != 0 {
		t.Errorf("a cancelled import stored %v", d)
	}
	handlerstest.Contains(t, f.Text("alice", "/metric import confirm 99"), "There is no import preview number 99.")
	handlerstest.Contains(t, f.Text("alice", "/metric import confirm"), "Name the import by its number")
}

func TestImportByButtonAndAfterTheCommand(t *testing.T) {
	f := handlerstest.New(t, nil)
	ctx := context.Background()
	// A file shared without the word "import" is not for the bot...
	passive := func() chat.Reply {
		return f.Router.Handle(ctx, chat.Command{UserID: "alice", ChannelID: "C1", Name: "/metric", Text: "import", At: f.Clock.Now(),
			Upload: &chat.Upload{Name: "d.csv", Content: []byte("date,uv\n2026-11-22,7\n"), Passive: true}})
	}
	if r := passive(); len(r.Blocks) != 0 || r.Text != "" {
		t.Fatalf("a file shared for people got a reply: %+v", r)
	}
	// ...unless the person ran /metric import there just before.
	r := f.Router.Handle(ctx, chat.Command{UserID: "alice", ChannelID: "C1", Name: "/metric", Text: "import", At: f.Clock.Now()})
	handlerstest.Contains(t, r.Text, "share the file here with the word *import*", "at most 5 MB and 5000 rows")
	// A path typed in Slack is never opened: only the console reads files.
	handlerstest.Contains(t, f.Text("mallory", "/metric import /etc/passwd"), "share the file here with the word import")
	r = passive()
	handlerstest.Contains(t, r.Text, "Import 2 — preview of “d.csv”")
	// The button carries the import's ID sealed by the bot, and works
	// wherever it is pressed: no message the bot recorded is needed.
	confirm := buttons(t, r)[metric.ActionImportConfirm]
	if id, ok := f.Router.UnsealRef("metric_import", confirm); !ok || id != 2 {
		t.Fatalf("no Import button with the import's id: %q", confirm)
	}
	out := f.Router.Interact(ctx, chat.Interaction{Kind: chat.KindAction, ActionID: metric.ActionImportConfirm, Value: confirm, UserID: "alice", At: f.Clock.Now()})
	if out.Ephemeral == nil || !strings.Contains(out.Ephemeral.Text, "1 value(s) stored") {
		t.Fatalf("button outcome %+v", out.Ephemeral)
	}
	if f.Day("main", "2026-11-22")["uv"] != 7 {
		t.Error("the button did not store the import")
	}
	// The team sees the import in the channel, queued with the figures.
	if q := f.Queued("C1"); len(q) != 1 || !strings.Contains(q[0].Text, "<@alice> imported “d.csv”: 1 value(s) stored") {
		t.Errorf("queued for the channel: %+v", q)
	}
	// The waiting is used up: the next plain file is for people again.
	if r := passive(); r.Text != "" {
		t.Errorf("a second file was taken as an import: %q", r.Text)
	}
}

func TestImportPreviewInChinese(t *testing.T) {
	f := handlerstest.New(t, func(c *config.Config) { c.Locale = "zh" })
	got := bot.RenderText(upload(f, "alice", "生意参谋.csv", gbk(t, backOffice), "导入").Blocks)
	handlerstest.Contains(t, got, "导入 1 — “生意参谋.csv” 的预览(csv, gbk)",
		"2026-11-20 至 2026-11-21 · 店铺 main · 2 行:新增 12 个数值,替换 0 个,0 个不变。确认之前不会保存任何数据。",
		"• 2026-11-20 main: 浏览量 3,600 · 访客数 1,200 · 付款 30 · 销售额 ¥3,456.78 · 跳失率 45.12% · 平均停留时长 1:35",
		"忽略的列: “人均浏览量”", "[ 导入 ] [ 取消 ]")
	handlerstest.Contains(t, f.Text("alice", "/metric import confirm 1"), "保存 12 个数值(新增 12,替换 0)")
}

func TestImportForm(t *testing.T) {
	f := handlerstest.New(t, nil)
	ctx := context.Background()
	out := f.Router.Interact(ctx, chat.Interaction{Kind: chat.KindAction, ActionID: metric.ActionOpenImport, UserID: "alice", ChannelID: "C1", At: f.Clock.Now()})
	if out.OpenModal == nil || out.OpenModal.CallbackID != metric.CallbackImport {
		t.Fatalf("no import form: %+v", out)
	}
	raw, _ := json.Marshal(out.OpenModal)
	for _, want := range []string{`"type":"file_input"`, `"filetypes":["csv","xlsx","txt"]`, `"max_files":1`, `"private_metadata":"{\"c\":\"C1\"}.`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("form lacks %s: %s", want, raw)
		}
	}
	submit := func(ups ...*chat.Upload) chat.Outcome {
		return f.Router.Interact(ctx, chat.Interaction{Kind: chat.KindSubmission, CallbackID: metric.CallbackImport, UserID: "alice",
			Metadata: out.OpenModal.PrivateMetadata, Values: map[string]string{"sheet": "日报"}, Uploads: ups, At: f.Clock.Now()})
	}
	forged := f.Router.Interact(ctx, chat.Interaction{Kind: chat.KindSubmission, CallbackID: metric.CallbackImport, UserID: "alice",
		Metadata: `{"c":"C1"}`, Uploads: []*chat.Upload{{Name: "report.xlsx", Content: twoSheets(t)}}, At: f.Clock.Now()})
	if forged.FieldErrors["file"] == "" || forged.Ephemeral != nil {
		t.Errorf("a form the bot did not open was read: %+v", forged)
	}
	if out := submit(); out.FieldErrors["file"] != "Choose a CSV or XLSX file." {
		t.Errorf("a form without a file: %+v", out)
	}
	out = submit(&chat.Upload{Name: "report.xlsx", Content: twoSheets(t)})
	if out.Ephemeral == nil || out.Channel != "C1" || !strings.Contains(out.Ephemeral.Text, "Import 1 — preview of “report.xlsx” (xlsx, sheet “日报”)") {
		t.Fatalf("form outcome %+v", out)
	}
}
