package handlers_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"opsbot/bot"
	"opsbot/chat"
	"opsbot/config"
	"opsbot/handlers"
	"opsbot/store"
	"opsbot/tracked"
)

const order = "123456789012345"

func (f *fixture) openItems() []store.TrackedItem {
	f.t.Helper()
	items, err := f.store.OpenItems(context.Background(), store.ItemFilter{})
	if err != nil {
		f.t.Fatal(err)
	}
	return items
}

func (f *fixture) outbox(channel string) []store.OutboxMessage {
	f.t.Helper()
	msgs, err := f.store.OutboxMessages(context.Background(), channel)
	if err != nil {
		f.t.Fatal(err)
	}
	return msgs
}

func (f *fixture) interact(in chat.Interaction) chat.Outcome {
	f.t.Helper()
	if in.UserName == "" {
		in.UserName = in.UserID
	}
	in.At = f.clock.Now()
	return f.router.Interact(context.Background(), in)
}

// blocksOf decodes an outbox message's blocks.
func blocksOf(t *testing.T, m store.OutboxMessage) []slack.Block {
	t.Helper()
	var b slack.Blocks
	if err := json.Unmarshal([]byte(m.Blocks), &b); err != nil {
		t.Fatalf("blocks of message %d: %v", m.ID, err)
	}
	return b.BlockSet
}

// TestItemsInTheConsole is what a console user does: flag, see the
// countdown, take, resolve, see the history.
func TestItemsInTheConsole(t *testing.T) {
	f := newFixture(t, nil)
	got := f.text("alice", "/urgent "+order+" type=退款 customer threatens a bad review")
	contains(t, got, "Flagged 💸 Urgent refund #1, due Tue 11-24 09:00; posted to #shop-ops, #shop-cs",
		"order "+order, "customer threatens a bad review", "1d 0h left", "unassigned", "[ Take ]", "[ Resolve ]", "/ops take 1")
	if !f.do("alice", "/urgent "+order+" type=refund x").Ephemeral {
		t.Error("the reply to the person who flags is ephemeral")
	}

	f.clock.Advance(90 * time.Minute)
	got = f.text("bob", "/ops open")
	contains(t, got, "Open items (1)", "Urgent refund #1", order, "⏳ 22h 30m left (due Tue 11-24 09:00)", "unassigned", "flagged 1h 30m ago")
	contains(t, f.text("bob", "/ops open mine"), "Open items (0)", "Nothing open")

	contains(t, f.text("bob", "/ops take 1"), "You took 💸 Urgent refund #1", "22h 30m left")
	contains(t, f.text("bob", "/ops take #1"), "is yours already")
	contains(t, f.text("bob", "/ops open mine"), "Open items (1)", "@bob")
	contains(t, f.text("bob", "/ops resolve 1"), "Say how it was resolved")
	if len(f.openItems()) != 1 {
		t.Fatal("a resolve without a note closed the item")
	}

	f.clock.Advance(30 * time.Minute)
	contains(t, f.text("bob", "/ops resolve 1 refunded in full, customer happy"), "Urgent refund #1 resolved after 2h 0m")
	contains(t, f.text("bob", "/ops resolve 1 again"), "was resolved already by @bob")
	contains(t, f.text("bob", "/ops open"), "Nothing open")
	got = f.text("alice", "/ops item 1")
	contains(t, got, "Resolved by @bob Mon 11-23 11:00 after 2h 0m: “refunded in full, customer happy”",
		"History", "flagged by @alice: “customer threatens a bad review”", "flagged again by @alice, note added: “x”", "taken by @bob", "resolved by @bob")
	if strings.Contains(got, "[ Take ]") {
		t.Errorf("a resolved item still has buttons:\n%s", got)
	}

	// The team channel got the item's message, then updates in place; the
	// customer-service channel got a copy (urgent refunds).
	for ch, ref := range map[string]string{"#shop-ops": "item:1", "#shop-cs": "item:1:cs"} {
		msgs := f.outbox(ch)
		if len(msgs) != 4 { // post, note, taken, resolved
			t.Fatalf("%s has %d messages, want 4: %+v", ch, len(msgs), msgs)
		}
		for i, m := range msgs {
			wantOp := store.OpUpdate
			if i == 0 {
				wantOp = store.OpPost
			}
			if m.Ref != ref || m.Op != wantOp {
				t.Errorf("%s message %d = %s %s, want %s %s", ch, i, m.Op, m.Ref, wantOp, ref)
			}
		}
		contains(t, bot.RenderText(blocksOf(t, msgs[3])), "Resolved by @bob")
	}

	for _, bad := range []string{"/ops item", "/ops item x", "/ops item 99", "/ops take", "/ops open type=parcel", "/ops open everything"} {
		if r := f.do("bob", bad); !r.Ephemeral || !strings.Contains(bot.RenderText(r.Blocks), "⚠️") {
			t.Errorf("%s: %s", bad, bot.RenderText(r.Blocks))
		}
	}
}

func TestFlaggingAgainUpdatesTheOpenItem(t *testing.T) {
	f := newFixture(t, nil)
	f.do("alice", "/urgent "+order+" type=ship customer waiting")
	f.clock.Advance(time.Hour)
	got := f.text("carol", "/urgent "+order+" type=发货 called again, very angry")
	contains(t, got, "Order `"+order+"` already has an open 📦 Urgent shipment #1 (flagged by @alice Mon 11-23 09:00): your note was added to it; nothing else changed.",
		"1 more note; latest: called again, very angry", "23h 0m left")
	got = f.text("carol", "/urgent "+order+" type=ship")
	contains(t, got, "already has an open 📦 Urgent shipment #1", "nothing was changed")
	items := f.openItems()
	if len(items) != 1 || items[0].Notes != 1 || !items[0].FlaggedAt.Equal(f.clock.Now().Add(-time.Hour)) {
		t.Fatalf("open items = %+v", items)
	}
	if n := len(f.outbox("#shop-ops")); n != 2 {
		t.Errorf("%d messages in #shop-ops, want the post and one update", n)
	}
	if n := len(f.outbox("#shop-cs")); n != 0 {
		t.Errorf("a shipment went to customer service: %d messages", n)
	}

	// Another type of the same order, and a review of it, are items of their own.
	contains(t, f.text("alice", "/urgent "+order+" type=invoice wrong company name"), "Flagged 🧾 Invoice problem #2")
	contains(t, f.text("alice", "/badreview "+order+" rating=3 product=mug so-so"), "Flagged ⭐ Medium review #3", "★★★☆☆ 3/5", "Product mug")
	contains(t, f.text("alice", "/review "+order+" still so-so"), "already has an open ⭐ Medium review #3")
	if n := len(f.openItems()); n != 3 {
		t.Errorf("%d open items, want 3", n)
	}
}

func TestBadFlagsStoreNothing(t *testing.T) {
	long := strings.Repeat("好", tracked.MaxText+1)
	tests := []struct {
		name  string
		line  string
		wants []string
	}{
		{"short order number", "/urgent 12345 type=refund", []string{"`12345` is not an order number", "^[0-9]{15,20}$"}},
		{"letters", "/urgent ABC123456789012 type=refund", []string{"`ABC123456789012` is not an order number"}},
		{"no order", "/urgent type=refund", []string{"No order number"}},
		{"order too long", "/urgent " + strings.Repeat("9", 70) + " type=refund", []string{"too long for an order number"}},
		{"no type", "/urgent " + order + " hurry", []string{"Which kind of problem?"}},
		{"unknown type", "/urgent " + order + " type=parcel", []string{"`parcel` — unknown type"}},
		{"type twice", "/urgent " + order + " type=ship type=refund", []string{"`type=` is given more than once (`type=ship`, `type=refund`)"}},
		{"note too long", "/urgent " + order + " type=ship " + long, []string{"The note is too long: 1001 characters, at most 1000"}},
		{"review without text", "/review " + order + " rating=1", []string{"The review text is missing"}},
		{"rating out of range", "/review " + order + " rating=6 bad", []string{"`6` — the rating is a whole number from 1 to 5"}},
		{"review too long", "/review " + order + " " + long, []string{"The review text is too long"}},
		{"product too long", "/review " + order + " product=" + strings.Repeat("x", 101) + " bad", []string{"The product is too long"}},
		{"unknown shop", "/urgent " + order + " type=ship shop=nowhere", []string{"Unknown shop `nowhere`"}},
		{"every problem at once", "/urgent 1 type=parcel", []string{"2 problems", "`1` is not an order number", "unknown type"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			r := f.do("alice", tt.line)
			if !r.Ephemeral {
				t.Error("a refusal must be ephemeral")
			}
			got := bot.RenderText(r.Blocks)
			contains(t, got, append([]string{"Nothing was stored"}, tt.wants...)...)
			if n, _ := f.store.CountOpenItems(context.Background(), store.ItemFilter{}); n != 0 {
				t.Errorf("%d items stored despite a refusal", n)
			}
			for _, ch := range []string{"#shop-ops", "#shop-cs"} {
				if m := f.outbox(ch); len(m) != 0 {
					t.Errorf("%s got %d messages despite a refusal", ch, len(m))
				}
			}
		})
	}
	f := newFixture(t, nil)
	contains(t, f.text("alice", "/urgent"), "/urgent ORDER type=ship|refund|invoice|complaint")
	contains(t, f.text("alice", "/review help"), "/review ORDER [rating=1-5]")
}

func TestItemTextIsEscaped(t *testing.T) {
	f := newFixture(t, nil)
	evil := "<!channel> look <https://evil|click> & <@U123>"
	r := f.do("alice", "/review "+order+" rating=1 product=<!here> "+evil)
	check := func(where string, blocks []slack.Block) {
		t.Helper()
		for _, b := range blocks {
			raw := bot.RawText(b)
			if strings.Contains(raw, "<!") || strings.Contains(raw, "<http") || strings.Contains(raw, "<@U123") {
				t.Errorf("%s carries unescaped user text: %s", where, raw)
			}
		}
	}
	check("reply", r.Blocks)
	contains(t, bot.RenderText(r.Blocks), evil, "Product <!here>")
	for _, m := range f.outbox("#shop-ops") {
		check("channel message", blocksOf(t, m))
		contains(t, bot.RenderText(blocksOf(t, m)), evil)
		if strings.Contains(m.Text, "<!") {
			t.Errorf("notification text carries user text: %s", m.Text)
		}
	}
	f.do("alice", "/review "+order+" <https://evil|again>")
	f.do("bob", "/ops resolve 1 <!everyone> sorted")
	history := f.do("bob", "/ops item 1")
	check("history", history.Blocks)
	contains(t, bot.RenderText(history.Blocks), "<https://evil|again>", "<!everyone> sorted")
	check("list", f.do("bob", "/ops open").Blocks)
}

// TestItemButtons drives take, escalate and resolve through the
// interaction path, as Slack delivers the clicks and the modal.
func TestItemButtons(t *testing.T) {
	f := newFixture(t, nil)
	f.do("alice", "/urgent "+order+" type=complaint customer called the platform")
	click := func(user, action string) chat.Outcome {
		return f.interact(chat.Interaction{Kind: chat.KindAction, ActionID: action, Value: "1", UserID: user, ChannelID: "C1"})
	}
	tell := func(out chat.Outcome) string {
		t.Helper()
		if out.Ephemeral == nil {
			t.Fatalf("no reply: %+v", out)
		}
		return bot.RenderText(out.Ephemeral.Blocks)
	}
	contains(t, tell(click("bob", tracked.ActionTake)), "You took 📣 Complaint #1")
	contains(t, tell(click("bob", tracked.ActionTake)), "is yours already")
	contains(t, tell(click("carol", tracked.ActionEscalate)), "escalated to the managers in #shop-managers")
	contains(t, tell(click("bob", tracked.ActionEscalate)), "was escalated already by @carol")
	esc := f.outbox("#shop-managers")
	if len(esc) != 1 {
		t.Fatalf("managers got %d messages, want the escalation", len(esc))
	}
	contains(t, esc[0].Text, "<@carol> escalated 📣 Complaint #1", "<@bob>", "<@boss>")

	out := click("bob", tracked.ActionResolve)
	if out.OpenModal == nil || out.OpenModal.CallbackID != handlers.CallbackResolveItem {
		t.Fatalf("Resolve opened %+v", out)
	}
	submit := func(note string) chat.Outcome {
		return f.interact(chat.Interaction{Kind: chat.KindSubmission, CallbackID: handlers.CallbackResolveItem, UserID: "bob",
			Metadata: out.OpenModal.PrivateMetadata, Values: map[string]string{"note": note}})
	}
	if o := submit("   "); o.FieldErrors["note"] == "" {
		t.Errorf("an empty resolution was accepted: %+v", o)
	}
	if o := submit(strings.Repeat("x", 1001)); !strings.Contains(o.FieldErrors["note"], "too long") {
		t.Errorf("an over-long resolution: %+v", o)
	}
	if len(f.openItems()) != 1 {
		t.Fatal("a refused resolution closed the item")
	}
	if o := submit("apologised, refunded the shipping"); len(o.FieldErrors) != 0 {
		t.Fatalf("resolve: %+v", o.FieldErrors)
	}
	if len(f.openItems()) != 0 {
		t.Fatal("the item is still open")
	}
	contains(t, tell(click("carol", tracked.ActionTake)), "was resolved already by @bob")
	contains(t, tell(click("carol", tracked.ActionResolve)), "was resolved already by @bob")
	if o := submit("twice"); !strings.Contains(o.FieldErrors["note"], "resolved already") {
		t.Errorf("resolving twice: %+v", o)
	}
	if o := f.interact(chat.Interaction{Kind: chat.KindAction, ActionID: tracked.ActionTake, Value: "99", UserID: "bob"}); o.Ephemeral == nil {
		t.Error("a button of a missing item says nothing")
	}
	msgs := f.outbox("#shop-ops")
	last := bot.RenderText(blocksOf(t, msgs[len(msgs)-1]))
	contains(t, last, "Resolved by @bob", "apologised, refunded the shipping")
}

func TestFlagModals(t *testing.T) {
	f := newFixture(t, func(c *config.Config) {
		c.Shops = []config.Shop{{ID: "main", Name: "Taobao C-shop", Channels: []string{"#shop-ops"}}, {ID: "tmall", Name: "Tmall flagship"}}
	})
	for callback, action := range map[string]string{handlers.CallbackFlagUrgent: handlers.ActionFlagUrgent, handlers.CallbackLogReview: handlers.ActionLogReview} {
		for _, in := range []chat.Interaction{
			{Kind: chat.KindShortcut, CallbackID: callback, UserID: "alice"},
			{Kind: chat.KindAction, ActionID: action, UserID: "alice"},
		} {
			out := f.interact(in)
			if out.OpenModal == nil || out.OpenModal.CallbackID != callback || len(out.OpenModal.Title.Text) > 24 {
				t.Errorf("%+v opened %+v", in, out.OpenModal)
			}
		}
	}
	submit := func(callback string, values map[string]string) chat.Outcome {
		return f.interact(chat.Interaction{Kind: chat.KindSubmission, CallbackID: callback, UserID: "alice", Metadata: `{"c":"C1"}`, Values: values})
	}
	out := submit(handlers.CallbackFlagUrgent, map[string]string{"order": "12", "type": "ship", "shop": "main"})
	if !strings.Contains(out.FieldErrors["order"], "is not an order number") {
		t.Errorf("bad order: %+v", out.FieldErrors)
	}
	out = submit(handlers.CallbackFlagUrgent, map[string]string{"order": order, "note": strings.Repeat("x", 1001), "shop": "tmall"})
	if out.FieldErrors["type"] == "" || !strings.Contains(out.FieldErrors["note"], "too long") {
		t.Errorf("no type, long note: %+v", out.FieldErrors)
	}
	out = submit(handlers.CallbackLogReview, map[string]string{"order": order, "rating": "2", "shop": "main"})
	if !strings.Contains(out.FieldErrors["text"], "review text is missing") {
		t.Errorf("no text: %+v", out.FieldErrors)
	}
	if len(f.openItems()) != 0 {
		t.Fatal("a refused form stored an item")
	}
	if out := submit(handlers.CallbackFlagUrgent, map[string]string{"order": order, "type": "refund", "note": "line one\nline two", "shop": "tmall"}); len(out.FieldErrors) != 0 {
		t.Fatalf("urgent: %+v", out.FieldErrors)
	}
	if out := submit(handlers.CallbackLogReview, map[string]string{"order": order, "rating": "1", "product": "mug", "text": "broken", "shop": "main"}); len(out.FieldErrors) != 0 {
		t.Fatalf("review: %+v", out.FieldErrors)
	}
	items := f.openItems()
	if len(items) != 2 {
		t.Fatalf("open items = %+v", items)
	}
	byType := map[string]store.TrackedItem{}
	for _, it := range items {
		byType[it.Type] = it
	}
	if it := byType["refund"]; it.Shop != "tmall" || it.Text != "line one\nline two" || it.CSChannel != "#shop-cs" {
		t.Errorf("refund = %+v", it)
	}
	if it := byType["review"]; it.Shop != "main" || it.Rating != 1 || it.Product != "mug" || it.Text != "broken" {
		t.Errorf("review = %+v", it)
	}
}

func TestItemsInChinese(t *testing.T) {
	f := newFixture(t, func(c *config.Config) { c.Locale = "zh" })
	contains(t, f.text("alice", "/urgent "+order+" 类型=投诉 客户很生气"), "已登记 📣 投诉 #1,截止 周二 11-24 09:00", "剩余 1天0小时", "认领")
	contains(t, f.text("alice", "/ops 未结"), "未解决事项(1)")
	contains(t, f.text("bob", "/ops 解决 1 已道歉"), "已解决,用时 0分钟")
	contains(t, f.text("alice", "/urgent 123"), "未保存任何数据", "不是订单号")
}

func TestBusinessHoursDeadline(t *testing.T) {
	f := newFixture(t, func(c *config.Config) {
		c.SLA.BusinessHours = &config.BusinessHours{Start: "09:00", End: "18:00"}
		c.SLA.Policies["refund"] = config.SLAPolicy{ResolveWithin: "4h"}
	})
	f.clock.Advance(4*24*time.Hour + 8*time.Hour) // Friday 17:00
	contains(t, f.text("alice", "/urgent "+order+" type=refund"), "due Mon 11-30 12:00")
	it := f.openItems()[0]
	if want := time.Date(2026, 11, 30, 11, 0, 0, 0, f.cfg.Location); it.NextAlertAt == nil || !it.NextAlertAt.Equal(want) {
		t.Errorf("first alert at %v, want the warning at %v", it.NextAlertAt, want)
	}
}
