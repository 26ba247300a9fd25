package handlers_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"opsbot/bot"
	"opsbot/chat"
	"opsbot/config"
	"opsbot/store"
)

// upload shares a file with the bot, as a Slack file share or the console's
// /metric import PATH do, with the command's further words.
func (f *fixture) upload(user, name string, data []byte, args string) chat.Reply {
	f.t.Helper()
	return f.router.Handle(context.Background(), chat.Command{
		UserID: user, UserName: user, ChannelID: "C1", ChannelName: "shop-ops", Name: "/metric",
		Text: strings.TrimSpace("import " + args), At: f.clock.Now(),
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
	f := newFixture(t, nil)
	r := f.upload("alice", "生意参谋.csv", gbk(t, backOffice), "")
	got := bot.RenderText(r.Blocks)
	t.Log(got)
	if n := len(f.day("main", "2026-11-20")); n != 0 {
		t.Fatalf("preview stored %d values", n)
	}
	r = f.do("alice", "/metric import confirm 1")
	t.Log(bot.RenderText(r.Blocks))
	t.Log(f.day("main", "2026-11-20"), f.day("main", "2026-11-21"))
	t.Log(f.audit())
	_ = store.ImportApplied
	_ = config.Default
	_ = excelize.NewFile
	_ = bytes.NewBuffer
}
