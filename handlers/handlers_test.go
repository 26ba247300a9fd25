package handlers_test

import (
	"context"
	"strings"
	"testing"

	"opsbot/bot"
	"opsbot/chat"
	"opsbot/config"
	"opsbot/handlers/handlerstest"
)

func TestHelpAndChineseLocale(t *testing.T) {
	f := handlerstest.New(t, nil)
	handlerstest.Contains(t, f.Text("alice", "/help"), "/metric uv=12000", "`uv` (访客数, 访客)", "/metric export")
	handlerstest.Contains(t, f.Text("alice", "/metric help"), "payment rate = paid ÷ orders")
	handlerstest.Contains(t, f.Text("alice", "/nope"), "Unknown command `/nope`")
	handlerstest.Contains(t, f.Text("alice", "/ops frobnicate"), "Unknown `/ops` subcommand")

	zh := handlerstest.New(t, func(c *config.Config) { c.Locale = "zh" })
	got := zh.Text("alice", "/metric uv=12000 paid=240 orders=300 sales=36000")
	handlerstest.Contains(t, got, "alice 记录了 My shop 在 2026-11-22 (周日) 的数据", "转化率 2.00%")
	handlerstest.Contains(t, zh.Text("alice", "/metric uv=x"), "未保存任何数据")
}

func TestHomeShowsYesterdayAndWhatIsOpen(t *testing.T) {
	f := handlerstest.New(t, func(c *config.Config) { c.Roles["assistant"] = []string{"amy"} })
	f.Do("amy", "/metric uv=12000 paid=240 sales=36000")
	f.StartRun("shop-checks")
	out := f.Router.Interact(context.Background(), chat.Interaction{Kind: chat.KindHome, UserID: "amy", UserName: "amy", At: f.Clock.Now()})
	if out.Home == nil {
		t.Fatal("no home view")
	}
	got := bot.RenderText(out.Home.Blocks.BlockSet)
	handlerstest.Contains(t, got, "Yesterday — 2026-11-22 (Sun)", "Sales ¥36,000.00", "Conversion rate 2.00%", "Open for you today",
		"☐ Own main images, videos and discounts — Shop and competitor checks", "[ Log metrics ]")
	if strings.Contains(got, "The 400 phone line") {
		t.Error("a CS item is listed for the assistant")
	}
	other := f.Router.Interact(context.Background(), chat.Interaction{Kind: chat.KindHome, UserID: "zed", At: f.Clock.Now()})
	handlerstest.Contains(t, bot.RenderText(other.Home.Blocks.BlockSet), "Nothing open for you today.")
}

func TestHomeListsTakenProblemOrders(t *testing.T) {
	f := handlerstest.New(t, nil)
	f.Do("amy", "/urgent 1234567890123456 type=refund angry customer")
	f.Do("amy", "/ops take 1")
	out := f.Router.Interact(context.Background(), chat.Interaction{Kind: chat.KindHome, UserID: "amy", UserName: "amy", At: f.Clock.Now()})
	handlerstest.Contains(t, bot.RenderText(out.Home.Blocks.BlockSet), "1234567890123456")
}
