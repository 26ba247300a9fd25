package tracked_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"opsbot/bot"
	"opsbot/chat"
	"opsbot/config"
	"opsbot/handlers/handlerstest"
	"opsbot/store"
	"opsbot/tracked"
	"opsbot/tracked/items"
)

const order = "123456789012345"

// TestItemsInTheConsole is what a console user does: flag, see the
// countdown, take, resolve, see the history.
func TestItemsInTheConsole(t *testing.T) {
	f := handlerstest.New(t, nil)
	got := f.Text("alice", "/urgent "+order+" type=退款 customer threatens a bad review")
	handlerstest.Contains(t, got, "Flagged 💸 Urgent refund #1, due Tue 11-24 09:00; posted to #shop-ops, #shop-cs",
		"order "+order, "customer threatens a bad review", "1d 0h left", "unassigned", "/ops take 1")
	// The private copy has no buttons: buttons act only on the posted message.
	if strings.Contains(got, "[ Take ]") {
		t.Errorf("the flagger's private copy carries buttons:\n%s", got)
	}
	if posted := bot.RenderText(handlerstest.BlocksOf(t, f.Queued("#shop-ops")[0])); !strings.Contains(posted, "[ Take ]") || !strings.Contains(posted, "[ Resolve ]") {
		t.Errorf("the posted message lacks its buttons:\n%s", posted)
	}
	if !f.Do("alice", "/urgent "+order+" type=refund x").Ephemeral {
		t.Error("the reply to the person who flags is ephemeral")
	}

	f.Clock.Advance(90 * time.Minute)
	got = f.Text("bob", "/ops open")
	handlerstest.Contains(t, got, "Open items (1)", "Urgent refund #1", order, "⏳ 22h 30m left (due Tue 11-24 09:00)", "unassigned", "flagged 1h 30m ago")
	handlerstest.Contains(t, f.Text("bob", "/ops open mine"), "Open items (0)", "Nothing open")

	handlerstest.Contains(t, f.Text("bob", "/ops take 1"), "You took 💸 Urgent refund #1", "22h 30m left")
	handlerstest.Contains(t, f.Text("bob", "/ops take #1"), "is yours already")
	handlerstest.Contains(t, f.Text("bob", "/ops open mine"), "Open items (1)", "@bob")
	handlerstest.Contains(t, f.Text("bob", "/ops resolve 1"), "Say how it was resolved")
	if len(f.OpenItems()) != 1 {
		t.Fatal("a resolve without a note closed the item")
	}

	f.Clock.Advance(30 * time.Minute)
	handlerstest.Contains(t, f.Text("bob", "/ops resolve 1 refunded in full, customer happy"), "Urgent refund #1 resolved after 2h 0m")
	handlerstest.Contains(t, f.Text("bob", "/ops resolve 1 again"), "was resolved already by @bob")
	handlerstest.Contains(t, f.Text("bob", "/ops open"), "Nothing open")
	got = f.Text("alice", "/ops item 1")
	handlerstest.Contains(t, got, "Resolved by @bob Mon 11-23 11:00 after 2h 0m: “refunded in full, customer happy”",
		"History", "flagged by @alice: “customer threatens a bad review”", "flagged again by @alice, note added: “x”", "taken by @bob", "resolved by @bob")
	if strings.Contains(got, "[ Take ]") {
		t.Errorf("a resolved item still has buttons:\n%s", got)
	}

	// The team channel got the item's message, then updates in place; the
	// customer-service channel got a copy (urgent refunds).
	for ch, ref := range map[string]string{"#shop-ops": "item:1", "#shop-cs": "item:1:cs"} {
		msgs := f.Queued(ch)
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
		handlerstest.Contains(t, bot.RenderText(handlerstest.BlocksOf(t, msgs[3])), "Resolved by @bob")
	}

	for _, bad := range []string{"/ops item", "/ops item x", "/ops item 99", "/ops take", "/ops open type=parcel", "/ops open everything"} {
		if r := f.Do("bob", bad); !r.Ephemeral || !strings.Contains(bot.RenderText(r.Blocks), "⚠️") {
			t.Errorf("%s: %s", bad, bot.RenderText(r.Blocks))
		}
	}
}

func TestFlaggingAgainUpdatesTheOpenItem(t *testing.T) {
	f := handlerstest.New(t, nil)
	f.Do("alice", "/urgent "+order+" type=ship customer waiting")
	f.Clock.Advance(time.Hour)
	got := f.Text("carol", "/urgent "+order+" type=发货 called again, very angry")
	handlerstest.Contains(t, got, "Order `"+order+"` already has an open 📦 Urgent shipment #1 (flagged by @alice Mon 11-23 09:00): your note was added to it; nothing else changed.",
		"1 more note; latest: \n> called again, very angry", "23h 0m left")
	got = f.Text("carol", "/urgent "+order+" type=ship")
	handlerstest.Contains(t, got, "already has an open 📦 Urgent shipment #1", "nothing was changed")
	items := f.OpenItems()
	if len(items) != 1 || items[0].Notes != 1 || !items[0].FlaggedAt.Equal(f.Clock.Now().Add(-time.Hour)) {
		t.Fatalf("open items = %+v", items)
	}
	if n := len(f.Queued("#shop-ops")); n != 2 {
		t.Errorf("%d messages in #shop-ops, want the post and one update", n)
	}
	if n := len(f.Queued("#shop-cs")); n != 0 {
		t.Errorf("a shipment went to customer service: %d messages", n)
	}

	// Another type of the same order, and a review of it, are items of their own.
	handlerstest.Contains(t, f.Text("alice", "/urgent "+order+" type=invoice wrong company name"), "Flagged 🧾 Invoice problem #2")
	handlerstest.Contains(t, f.Text("alice", "/badreview "+order+" rating=3 product=mug so-so"), "Flagged ⭐ Medium review #3", "★★★☆☆ 3/5", "Product mug")
	handlerstest.Contains(t, f.Text("alice", "/review "+order+" still so-so"), "already has an open ⭐ Medium review #3")
	if n := len(f.OpenItems()); n != 3 {
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
			f := handlerstest.New(t, nil)
			r := f.Do("alice", tt.line)
			if !r.Ephemeral {
				t.Error("a refusal must be ephemeral")
			}
			got := bot.RenderText(r.Blocks)
			handlerstest.Contains(t, got, append([]string{"Nothing was stored"}, tt.wants...)...)
			if n, _ := f.Store.CountOpenItems(context.Background(), store.ItemFilter{}); n != 0 {
				t.Errorf("%d items stored despite a refusal", n)
			}
			for _, ch := range []string{"#shop-ops", "#shop-cs"} {
				if m := f.Queued(ch); len(m) != 0 {
					t.Errorf("%s got %d messages despite a refusal", ch, len(m))
				}
			}
		})
	}
	f := handlerstest.New(t, nil)
	handlerstest.Contains(t, f.Text("alice", "/urgent"), "/urgent ORDER type=ship|refund|invoice|complaint")
	handlerstest.Contains(t, f.Text("alice", "/review help"), "/review ORDER [rating=1-5]")
}

func TestItemTextIsEscaped(t *testing.T) {
	f := handlerstest.New(t, nil)
	evil := "<!channel> look <https://evil|click> & <@U123>"
	r := f.Do("alice", "/review "+order+" rating=1 product=<!here> "+evil)
	check := func(where string, blocks []slack.Block) {
		t.Helper()
		for _, b := range blocks {
			raw := handlerstest.RawText(b)
			if strings.Contains(raw, "<!") || strings.Contains(raw, "<http") || strings.Contains(raw, "<@U123") {
				t.Errorf("%s carries unescaped user text: %s", where, raw)
			}
		}
	}
	check("reply", r.Blocks)
	handlerstest.Contains(t, bot.RenderText(r.Blocks), evil, "Product <!here>")
	for _, m := range f.Queued("#shop-ops") {
		check("channel message", handlerstest.BlocksOf(t, m))
		handlerstest.Contains(t, bot.RenderText(handlerstest.BlocksOf(t, m)), evil)
		if strings.Contains(m.Text, "<!") {
			t.Errorf("notification text carries user text: %s", m.Text)
		}
	}
	f.Do("alice", "/review "+order+" <https://evil|again>")
	f.Do("alice", "/ops resolve 1 <!everyone> sorted")
	history := f.Do("bob", "/ops item 1")
	check("history", history.Blocks)
	handlerstest.Contains(t, bot.RenderText(history.Blocks), "<https://evil|again>", "<!everyone> sorted")
	check("list", f.Do("bob", "/ops open").Blocks)
}

// TestItemButtons drives take, escalate and resolve through the
// interaction path, as Slack delivers the clicks and the modal.
func TestItemButtons(t *testing.T) {
	f := handlerstest.New(t, nil)
	f.Do("alice", "/urgent "+order+" type=complaint customer called the platform")
	// The sender posted the item's message: C1 at ts 1.0001.
	if err := f.Store.RecordMessage(context.Background(), "item:1", "C1", "1.0001", f.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	click := func(user, action string) chat.Outcome {
		return f.Interact(chat.Interaction{Kind: chat.KindAction, ActionID: action, Value: "1", UserID: user, ChannelID: "C1", MessageTS: "1.0001"})
	}
	tell := func(out chat.Outcome) string {
		t.Helper()
		if out.Ephemeral == nil {
			t.Fatalf("no reply: %+v", out)
		}
		return bot.RenderText(out.Ephemeral.Blocks)
	}
	handlerstest.Contains(t, tell(click("bob", tracked.ActionTake)), "You took 📣 Complaint #1")
	handlerstest.Contains(t, tell(click("bob", tracked.ActionTake)), "is yours already")
	handlerstest.Contains(t, tell(click("carol", tracked.ActionEscalate)), "You may not escalate 📣 Complaint #1", "@bob")
	handlerstest.Contains(t, tell(click("bob", tracked.ActionEscalate)), "escalated to the managers in #shop-managers")
	handlerstest.Contains(t, tell(click("carol", tracked.ActionEscalate)), "was escalated already by @bob")
	esc := f.Queued("#shop-managers")
	if len(esc) != 1 {
		t.Fatalf("managers got %d messages, want the escalation", len(esc))
	}
	handlerstest.Contains(t, esc[0].Text, "<@bob> escalated 📣 Complaint #1", "<@boss>")

	out := click("bob", tracked.ActionResolve)
	if out.OpenModal == nil || out.OpenModal.CallbackID != tracked.CallbackResolveItem {
		t.Fatalf("Resolve opened %+v", out)
	}
	submit := func(note string) chat.Outcome {
		return f.Interact(chat.Interaction{Kind: chat.KindSubmission, CallbackID: tracked.CallbackResolveItem, UserID: "bob",
			Metadata: out.OpenModal.PrivateMetadata, Values: map[string]string{"note": note}})
	}
	if o := submit("   "); o.FieldErrors["note"] == "" {
		t.Errorf("an empty resolution was accepted: %+v", o)
	}
	if o := submit(strings.Repeat("x", 1001)); !strings.Contains(o.FieldErrors["note"], "too long") {
		t.Errorf("an over-long resolution: %+v", o)
	}
	if len(f.OpenItems()) != 1 {
		t.Fatal("a refused resolution closed the item")
	}
	if o := submit("apologised, refunded the shipping"); len(o.FieldErrors) != 0 {
		t.Fatalf("resolve: %+v", o.FieldErrors)
	}
	if len(f.OpenItems()) != 0 {
		t.Fatal("the item is still open")
	}
	handlerstest.Contains(t, tell(click("carol", tracked.ActionTake)), "was resolved already by @bob")
	handlerstest.Contains(t, tell(click("carol", tracked.ActionResolve)), "was resolved already by @bob")
	if o := submit("twice"); !strings.Contains(o.FieldErrors["note"], "resolved already") {
		t.Errorf("resolving twice: %+v", o)
	}
	if o := f.Interact(chat.Interaction{Kind: chat.KindAction, ActionID: tracked.ActionTake, Value: "99", UserID: "bob", ChannelID: "C1", MessageTS: "1.0001"}); o.Ephemeral == nil {
		t.Error("a button of a missing item says nothing")
	}
	msgs := f.Queued("#shop-ops")
	last := bot.RenderText(handlerstest.BlocksOf(t, msgs[len(msgs)-1]))
	handlerstest.Contains(t, last, "Resolved by @bob", "apologised, refunded the shipping")
}

func TestFlagModals(t *testing.T) {
	f := handlerstest.New(t, func(c *config.Config) {
		c.Shops = []config.Shop{{ID: "main", Name: "Taobao C-shop", Channels: []string{"#shop-ops"}}, {ID: "tmall", Name: "Tmall flagship"}}
	})
	for callback, action := range map[string]string{tracked.CallbackFlagUrgent: tracked.ActionFlagUrgent, tracked.CallbackLogReview: tracked.ActionLogReview} {
		for _, in := range []chat.Interaction{
			{Kind: chat.KindShortcut, CallbackID: callback, UserID: "alice"},
			{Kind: chat.KindAction, ActionID: action, UserID: "alice"},
		} {
			out := f.Interact(in)
			if out.OpenModal == nil || out.OpenModal.CallbackID != callback || len(out.OpenModal.Title.Text) > 24 {
				t.Errorf("%+v opened %+v", in, out.OpenModal)
			}
		}
	}
	submit := func(callback string, values map[string]string) chat.Outcome {
		opened := f.Interact(chat.Interaction{Kind: chat.KindShortcut, CallbackID: callback, UserID: "alice", ChannelID: "C1"})
		return f.Interact(chat.Interaction{Kind: chat.KindSubmission, CallbackID: callback, UserID: "alice", Metadata: opened.OpenModal.PrivateMetadata, Values: values})
	}
	out := submit(tracked.CallbackFlagUrgent, map[string]string{"order": "12", "type": "ship", "shop": "main"})
	if !strings.Contains(out.FieldErrors["order"], "is not an order number") {
		t.Errorf("bad order: %+v", out.FieldErrors)
	}
	out = submit(tracked.CallbackFlagUrgent, map[string]string{"order": order, "note": strings.Repeat("x", 1001), "shop": "tmall"})
	if out.FieldErrors["type"] == "" || !strings.Contains(out.FieldErrors["note"], "too long") {
		t.Errorf("no type, long note: %+v", out.FieldErrors)
	}
	out = submit(tracked.CallbackLogReview, map[string]string{"order": order, "rating": "2", "shop": "main"})
	if !strings.Contains(out.FieldErrors["text"], "review text is missing") {
		t.Errorf("no text: %+v", out.FieldErrors)
	}
	if len(f.OpenItems()) != 0 {
		t.Fatal("a refused form stored an item")
	}
	if out := submit(tracked.CallbackFlagUrgent, map[string]string{"order": order, "type": "refund", "note": "line one\nline two", "shop": "tmall"}); len(out.FieldErrors) != 0 {
		t.Fatalf("urgent: %+v", out.FieldErrors)
	}
	if out := submit(tracked.CallbackLogReview, map[string]string{"order": order, "rating": "1", "product": "mug", "text": "broken", "shop": "main"}); len(out.FieldErrors) != 0 {
		t.Fatalf("review: %+v", out.FieldErrors)
	}
	open := f.OpenItems()
	if len(open) != 2 {
		t.Fatalf("open items = %+v", open)
	}
	byType := map[string]items.Item{}
	for _, it := range open {
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
	f := handlerstest.New(t, func(c *config.Config) { c.Locale = "zh" })
	handlerstest.Contains(t, f.Text("alice", "/urgent "+order+" 类型=投诉 客户很生气"), "已登记 📣 投诉 #1,截止 周二 11-24 09:00", "剩余 1天0小时", "认领")
	handlerstest.Contains(t, f.Text("alice", "/ops 未结"), "未解决事项(1)")
	handlerstest.Contains(t, f.Text("alice", "/ops 解决 1 已道歉"), "已解决,用时 0分钟")
	handlerstest.Contains(t, f.Text("alice", "/urgent 123"), "未保存任何数据", "不是订单号")
}

func TestBusinessHoursDeadline(t *testing.T) {
	f := handlerstest.New(t, func(c *config.Config) {
		c.SLA.BusinessHours = &config.BusinessHours{Start: "09:00", End: "18:00"}
		c.SLA.Policies["refund"] = config.SLAPolicy{ResolveWithin: "4h"}
	})
	f.Clock.Advance(4*24*time.Hour + 8*time.Hour) // Friday 17:00
	handlerstest.Contains(t, f.Text("alice", "/urgent "+order+" type=refund"), "due Mon 11-30 12:00")
	it := f.OpenItems()[0]
	if want := time.Date(2026, 11, 30, 11, 0, 0, 0, f.Cfg.Location); it.NextAlertAt == nil || !it.NextAlertAt.Equal(want) {
		t.Errorf("first alert at %v, want the warning at %v", it.NextAlertAt, want)
	}
}

// Issue 16, item 13: an item flagged by mistake is withdrawn with a
// reason by whoever flagged it or a manager; it is audited with what it
// was, leaves the open list and stops its alerts.
func TestWithdrawAnItemFlaggedByMistake(t *testing.T) {
	for _, loc := range []string{"en", "zh"} {
		f := handlerstest.New(t, func(c *config.Config) { c.Locale = loc })
		f.Do("alice", "/urgent "+order+" type=refund customer waiting")
		if len(f.OpenItems()) != 1 {
			t.Fatalf("%s: no item flagged", loc)
		}
		got := f.Text("carol", "/ops withdraw 1 wrong order")
		if loc == "en" {
			handlerstest.Contains(t, got, "Only @alice, who flagged")
		}
		got = f.Text("alice", "/ops withdraw 1")
		if loc == "en" {
			handlerstest.Contains(t, got, "Say why it is withdrawn")
		}
		if len(f.OpenItems()) != 1 {
			t.Fatalf("%s: a refused withdrawal closed the item", loc)
		}
		got = f.Text("alice", "/ops withdraw 1 flagged the wrong order")
		if loc == "en" {
			handlerstest.Contains(t, got, "was withdrawn", "flagged the wrong order")
		} else {
			handlerstest.Contains(t, got, "已撤回")
		}
		if n := len(f.OpenItems()); n != 0 {
			t.Errorf("%s: %d open items after withdrawal", loc, n)
		}
		var found bool
		for _, e := range f.Audit() {
			if e.Action == "item.withdraw" && e.OldValue != nil && strings.Contains(*e.OldValue, "open refund order "+order) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: withdrawal not audited with the old state: %+v", loc, f.Audit())
		}
		got = f.Text("alice", "/ops item 1")
		if loc == "en" {
			handlerstest.Contains(t, got, "Withdrawn by @alice", "withdrawn by @alice")
		} else {
			handlerstest.Contains(t, got, "撤回")
		}
		if strings.Contains(got, "!item.") {
			t.Errorf("%s: raw i18n key:\n%s", loc, got)
		}
	}
}

// TestItemAccessPerKind: who may take, resolve and escalate is set per
// item kind; holders, flaggers while nobody holds, leads and managers.
func TestItemAccessPerKind(t *testing.T) {
	f := handlerstest.New(t, func(c *config.Config) {
		c.Roles["cs"] = []string{"carol"}
		p := c.SLA.Policies["refund"]
		p.Take, p.Leads = []string{"cs", "bob"}, []string{"cs"}
		c.SLA.Policies["refund"] = p
	})
	f.Do("alice", "/urgent "+order+" type=refund customer waiting")
	handlerstest.Contains(t, f.Text("dave", "/ops take 1"), "You may not take", "cs, @bob")
	handlerstest.Contains(t, f.Text("dave", "/ops resolve 1 done"), "You may not resolve")
	handlerstest.Contains(t, f.Text("bob", "/ops take 1"), "You took")
	// Alice flagged it, but bob holds it now: the holder decides.
	handlerstest.Contains(t, f.Text("alice", "/ops escalate 1"), "You may not escalate", "@bob")
	// Carol is a lead for refunds: she may resolve bob's item.
	handlerstest.Contains(t, f.Text("carol", "/ops take 1"), "/ops takeover 1")
	handlerstest.Contains(t, f.Text("carol", "/ops resolve 1 refunded"), "resolved")
	if len(f.OpenItems()) != 0 {
		t.Fatal("the lead's resolution did not close the item")
	}
	// Another kind keeps the defaults: anyone may take, only holder, flagger or managers resolve.
	f.Do("alice", "/urgent "+order+" type=ship late parcel")
	handlerstest.Contains(t, f.Text("carol", "/ops resolve 2 done"), "You may not resolve")
	handlerstest.Contains(t, f.Text("dave", "/ops take 2"), "You took")
	handlerstest.Contains(t, f.Text("bob", "/ops take 2 over"), "You took over", "@dave")
	handlerstest.Contains(t, f.Text("boss", "/ops resolve 2 shipped"), "resolved")
}
