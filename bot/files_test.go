package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"opsbot/calendar"
	"opsbot/config"
	"opsbot/handlers/command"
	"opsbot/stock"

	"opsbot/bot/slackfake"
)

func fileEvent(id, channel, channelType, text, fileID, name, url string, size int) string {
	ev := map[string]any{
		"type": "event_callback", "event_id": id, "team_id": "T1",
		"event": map[string]any{
			"type": "message", "subtype": "file_share", "user": "U0ALICE", "channel": channel, "channel_type": channelType,
			"text": text, "files": []any{map[string]any{"id": fileID, "name": name, "size": size, "mode": "hosted", "url_private_download": url}},
		},
	}
	b, _ := json.Marshal(ev)
	return string(b)
}

func (r *rig) event(body string) {
	r.t.Helper()
	if resp := r.post("/slack/events", "application/json", body, nil); resp.StatusCode != http.StatusOK {
		r.t.Fatalf("event status %d", resp.StatusCode)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r.slack.Wait(ctx)
}

func ephemeralTexts(r *rig) []string {
	var out []string
	for _, c := range r.fake.Calls("chat.postEphemeral") {
		out = append(out, c.Params.Get("text")+" "+c.Params.Get("blocks"))
	}
	return out
}

// click presses a button of the bot's ephemeral message in C0OPS, as
// Slack sends it (an ephemeral message has no "message", only its
// container, whose message_ts the bot never learned), and waits for what
// follows. The value is all the button carries of its import.
func (r *rig) click(actionID, value string) {
	r.t.Helper()
	click := fmt.Sprintf(`{"type":"block_actions","team":{"id":"T1"},"user":{"id":"U0ALICE","name":"alice"},"channel":{"id":"C0OPS"},`+
		`"container":{"type":"message","message_ts":"1700000000.999999","channel_id":"C0OPS","is_ephemeral":true},"response_url":%q,`+
		`"actions":[{"action_id":%q,"block_id":"import_actions","value":%q,"type":"button"}]}`, r.fake.ResponseURL(), actionID, value)
	if resp := r.post("/slack/interactions", "application/x-www-form-urlencoded", url.Values{"payload": {click}}.Encode(), nil); resp.StatusCode != http.StatusOK {
		r.t.Fatalf("click status %d", resp.StatusCode)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // failure bound only
	defer cancel()
	r.slack.Wait(ctx)
}

// buttonValue is the value of the button actionID in a message's blocks
// as sent to Slack.
func buttonValue(t *testing.T, blocks, actionID string) string {
	t.Helper()
	var bs []struct {
		Elements []struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
	}
	if err := json.Unmarshal([]byte(blocks), &bs); err != nil {
		t.Fatalf("blocks %q: %v", blocks, err)
	}
	for _, b := range bs {
		for _, e := range b.Elements {
			if e.ActionID == actionID {
				return e.Value
			}
		}
	}
	t.Fatalf("no button %s in %s", actionID, blocks)
	return ""
}

// lastResponse is the text of the last post to a response_url.
func lastResponse(r *rig) string {
	posts := r.fake.ResponsePosts()
	if len(posts) == 0 {
		return ""
	}
	return string(posts[len(posts)-1].Body)
}

func TestSharedFileIsPreviewedAndImported(t *testing.T) {
	r := newRig(t, nil)
	r.slack.Token = "xoxb-test"
	day := time.Now().AddDate(0, 0, -1).Format("2006-01-02")
	csv := fmt.Sprintf("统计日期,访客数,支付金额\n%s,1234,567.89\n", day)
	link := r.fake.ShareFile("F1", "生意参谋.csv", []byte(csv))

	// A file shared in a channel without asking is for people: no download.
	r.event(fileEvent("Ev1", "C0OPS", "channel", "here is the file", "F1", "生意参谋.csv", link, len(csv)))
	if n := len(r.fake.Calls(slackfake.MethodFileDownload)); n != 0 || len(ephemeralTexts(r)) != 0 {
		t.Fatalf("a plain file share was downloaded (%d) or answered", n)
	}

	// With "import" it is downloaded with the bot token and previewed.
	r.event(fileEvent("Ev2", "C0OPS", "channel", "import please", "F1", "生意参谋.csv", link, len(csv)))
	calls := r.fake.Calls(slackfake.MethodFileDownload)
	if len(calls) != 1 || calls[0].Params.Get("authorization") != "Bearer xoxb-test" {
		t.Fatalf("download calls %+v, want one with the bot token", calls)
	}
	texts := ephemeralTexts(r)
	if len(texts) != 1 || !strings.Contains(texts[0], "Import 1 — preview of “生意参谋.csv” (csv, utf-8)") || !strings.Contains(texts[0], "metric_import_confirm") {
		t.Fatalf("preview not shown to the uploader: %q", texts)
	}
	if d, _ := r.store.DayMetrics(context.Background(), "main", day); len(d) != 0 {
		t.Fatalf("a preview stored %v", d)
	}
	// An Import button whose value the bot did not seal (the bare import
	// number of a crafted payload, or a value sealed with another key) is
	// refused through the click's response_url, and stores nothing.
	for _, forged := range []string{"1", command.Seal([]byte("another key"), "", map[string]any{"k": "metric_import", "id": 1})} {
		r.click("metric_import_confirm", forged)
		if got := lastResponse(r); !strings.Contains(got, "was not made by opsbot") || !strings.Contains(got, "/metric import confirm 1") {
			t.Errorf("forged click %q answered %s", forged, got)
		}
	}
	if d, _ := r.store.DayMetrics(context.Background(), "main", day); len(d) != 0 {
		t.Fatalf("a forged button stored %v", d)
	}
	// The Import button of the preview stores it.
	r.click("metric_import_confirm", buttonValue(t, r.fake.Calls("chat.postEphemeral")[0].Params.Get("blocks"), "metric_import_confirm"))
	if d, _ := r.store.DayMetrics(context.Background(), "main", day); d["uv"] != 1234 || d["sales"] != 56789 {
		t.Fatalf("after Import: %v", d)
	}

	// Without the token (no files:read), Slack's sign-in page is not
	// read as a CSV: the person is told, nothing is stored.
	r.slack.Token = "xoxe-expired"
	r.event(fileEvent("Ev3", "D0ALICE", "im", "", "F2", "other.csv", link, len(csv)))
	texts = ephemeralTexts(r)
	if last := texts[len(texts)-1]; !strings.Contains(last, "could not download") || !strings.Contains(last, "files:read") {
		t.Errorf("a failed download was not explained: %q", last)
	}
}

func TestSharedFileTooLargeIsNotDownloaded(t *testing.T) {
	r := newRig(t, nil)
	r.slack.Token = "xoxb-test"
	link := r.fake.ShareFile("F9", "huge.xlsx", []byte("x"))
	r.event(fileEvent("Ev9", "D0ALICE", "im", "", "F9", "huge.xlsx", link, 200<<20))
	if n := len(r.fake.Calls(slackfake.MethodFileDownload)); n != 0 {
		t.Errorf("a 200 MB file was downloaded")
	}
	texts := ephemeralTexts(r)
	if len(texts) != 1 || !strings.Contains(texts[0], "too large to import") || !strings.Contains(texts[0], "5 MB") {
		t.Errorf("reply %q", texts)
	}
}

// The import form: Slack sends the chosen file in the submission's state;
// the bot downloads it with its token and shows the preview in the channel
// the form was opened from.
func TestImportFormSubmission(t *testing.T) {
	r := newRig(t, nil)
	r.slack.Token = "xoxb-test"
	day := time.Now().AddDate(0, 0, -1).Format("2006-01-02")
	csv := fmt.Sprintf("日期,访客数\n%s,77\n", day)
	link := r.fake.ShareFile("F7", "form.csv", []byte(csv))
	// The metadata the bot sealed when it opened the form for alice.
	meta, _ := json.Marshal(command.Seal(testSealKey, "U0ALICE", map[string]string{"c": "C0OPS"}))
	payload := fmt.Sprintf(`{"type":"view_submission","team":{"id":"T1"},"user":{"id":"U0ALICE","name":"alice"},
		"view":{"id":"V1","callback_id":"metric_import","private_metadata":%s,
		"state":{"values":{"file":{"value":{"type":"file_input","files":[{"id":"F7","name":"form.csv","size":%d,"url_private_download":%q}]}}}}}}`, meta, len(csv), link)
	resp := r.post("/slack/interactions", "application/x-www-form-urlencoded", url.Values{"payload": {payload}}.Encode(), nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("submission status %d", resp.StatusCode)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r.slack.Wait(ctx)
	calls := r.fake.Calls("chat.postEphemeral")
	if len(calls) != 1 || calls[0].Params.Get("channel") != "C0OPS" || calls[0].Params.Get("user") != "U0ALICE" ||
		!strings.Contains(calls[0].Params.Get("text"), "Import 1 — preview of “form.csv”") {
		t.Fatalf("preview not shown in the channel: %+v", calls)
	}
	if n := len(r.fake.Calls(slackfake.MethodFileDownload)); n != 1 {
		t.Errorf("%d downloads", n)
	}
}

// A file shared with "stock import" (or 库存导入) is per-SKU sales and
// stock: previewed by the stock feature, stored only on its Import button.
func TestSharedStockFileIsPreviewedAndImported(t *testing.T) {
	r := newRig(t, nil)
	r.slack.Token = "xoxb-test"
	cfg, _ := config.Default()
	cal, err := calendar.New(cfg.Calendar, cfg.Timezone)
	if err != nil {
		t.Fatal(err)
	}
	r.router.UseStock(stock.New(cfg, r.store, cal, r.clock, slog.New(slog.DiscardHandler)))
	day := time.Now().AddDate(0, 0, -1).Format("2006-01-02")
	csv := fmt.Sprintf("商品编码,商品名称,销量,库存,统计日期\nA100,Linen shirt,12,128,%s\n", day)
	link := r.fake.ShareFile("F5", "库存.csv", []byte(csv))
	r.event(fileEvent("Ev5", "C0OPS", "channel", "库存导入", "F5", "库存.csv", link, len(csv)))
	texts := ephemeralTexts(r)
	if len(texts) != 1 || !strings.Contains(texts[0], "stock_import_confirm") || strings.Contains(texts[0], "metric_import_confirm") {
		t.Fatalf("stock preview not shown to the uploader: %q", texts)
	}
	if _, err := r.store.StockItem(context.Background(), "main", "A100"); err == nil {
		t.Fatal("the preview stored an SKU")
	}
	value := buttonValue(t, r.fake.Calls("chat.postEphemeral")[0].Params.Get("blocks"), "stock_import_confirm")
	// The metric import's value for import 1 names no stock import.
	for _, forged := range []string{"1", command.Seal(testSealKey, "", map[string]any{"k": "metric_import", "id": 1})} {
		r.click("stock_import_confirm", forged)
		if got := lastResponse(r); !strings.Contains(got, "was not made by opsbot") || !strings.Contains(got, "/stock import confirm 1") {
			t.Errorf("forged click %q answered %s", forged, got)
		}
	}
	if _, err := r.store.StockItem(context.Background(), "main", "A100"); err == nil {
		t.Fatal("a forged button imported the file")
	}
	r.click("stock_import_confirm", value)
	it, err := r.store.StockItem(context.Background(), "main", "A100")
	if err != nil || it.OnHand != 128 || it.Name != "Linen shirt" {
		t.Fatalf("after Import: %+v, %v", it, err)
	}
}

// An annual target split is answered as any slash command (in the
// acknowledgement, or through response_url when late), and its buttons
// work through the click's response_url: no chat.postEphemeral is needed,
// so it works in a channel the bot is not in (where that call fails with
// not_in_channel). A forged value is refused and applies nothing.
func TestSplitPreviewButtonsWorkThroughTheNormalPath(t *testing.T) {
	r := secureRig(t, nil)
	r.fake.Script("chat.postEphemeral", slackfake.Response{Body: `{"ok":false,"error":"not_in_channel"}`})
	year := time.Now().Year() + 1
	resp, ack := r.cmd("U0BOSS", "boss", "/metric", fmt.Sprintf("target sales=1,200,000 year=%d", year), nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("ack status %d", resp.StatusCode)
	}
	r.wait()
	// Within the acknowledgement budget the preview is the ack; on a busy
	// machine it follows through response_url. Either is the normal path.
	var preview map[string]any
	if strings.Contains(text(ack), "metric_import_confirm") {
		preview = ack
	} else if posts := r.fake.ResponsePosts(); len(posts) == 1 {
		preview = posts[0].JSON
	}
	if preview["response_type"] != "ephemeral" || !strings.Contains(text(preview), "metric_import_confirm") {
		t.Fatalf("split preview not answered: ack %s, response posts %d", text(ack), len(r.fake.ResponsePosts()))
	}
	blocks, _ := json.Marshal(preview["blocks"])
	value := buttonValue(t, string(blocks), "metric_import_confirm")
	answered := len(r.fake.ResponsePosts())
	press := func(value string) string {
		r.interaction(map[string]any{"type": "block_actions", "user": map[string]any{"id": "U0BOSS", "name": "boss"}, "channel": map[string]any{"id": "C0OPS"},
			"container": map[string]any{"type": "message", "message_ts": "1700000000.000001", "channel_id": "C0OPS", "is_ephemeral": true}, "response_url": r.fake.ResponseURL(),
			"actions": []any{map[string]any{"action_id": "metric_import_confirm", "block_id": "split_actions", "value": value, "type": "button"}}})
		r.wait()
		posts := r.fake.ResponsePosts()
		if len(posts) != answered+1 {
			t.Fatalf("%d answers through response_url, want %d", len(posts), answered+1)
		}
		answered++
		return string(posts[len(posts)-1].Body)
	}
	month := fmt.Sprintf("%d-01", year)
	for _, forged := range []string{"1", strings.Replace(value, `"id":1`, `"id":2`, 1)} {
		if got := press(forged); !strings.Contains(got, "was not made by opsbot") || !strings.Contains(got, "/metric import confirm") {
			t.Errorf("forged click %q answered %s", forged, got)
		}
	}
	if tg, _ := r.store.Targets(context.Background(), "main", month); len(tg) != 0 {
		t.Fatalf("a forged button applied the split: %v", tg)
	}
	press(value)
	// Flat without a year of history: January's share of ¥1,200,000 by its
	// 31 days, to the fen.
	days := int64(time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC).YearDay())
	want := int64(120_000_000) * 31 / days
	if tg, _ := r.store.Targets(context.Background(), "main", month); tg["sales"] < want || tg["sales"] > want+1 {
		t.Fatalf("after Apply: %v, want %d", tg, want)
	}
	if calls := r.fake.Calls("chat.postEphemeral"); len(calls) != 0 {
		t.Errorf("chat.postEphemeral was called %d times; the split needs none", len(calls))
	}
}
