package i18n

type message struct{ en, zh string }

// messages is the catalog: one map per feature, each in its own file, so
// features can grow their texts without touching each other's. Keep en and
// zh using the same argument indexes.
var messages = merge(core, calendar, calendarView, items, reports, hardening, imports, figures, access, stock, usability)

// merge joins the features' maps; a key defined twice is a programming
// error caught by TestCatalogIsComplete.
func merge(parts ...map[string]message) map[string]message {
	out := map[string]message{}
	for _, p := range parts {
		for k, v := range p {
			if _, dup := out[k]; dup {
				v = message{en: "!duplicate key " + k, zh: "!duplicate key " + k}
			}
			out[k] = v
		}
	}
	return out
}

// core holds the metric commands, help, checklists and the outbox.
var core = map[string]message{
	// Errors and refusals.
	"err.unknown_command": {"Unknown command `%[1]s`. Try `/help` for the list of commands.", "未知命令 `%[1]s`。输入 `/help` 查看所有命令。"},
	"err.unknown_ops":     {"Unknown `/ops` subcommand `%[1]s`. Available: `metric`, `checklist`, `open`, `item`, `take`, `takeover`, `resolve`, `escalate`, `digest`, `report`, `calendar`, `campaigns`, `outbox`, `help`.", "未知的 `/ops` 子命令 `%[1]s`。可用:`metric`、`checklist`、`open`、`item`、`take`、`takeover`、`resolve`、`escalate`、`digest`、`report`、`calendar`、`campaigns`、`outbox`、`help`。"},
	"err.internal":        {"Something went wrong on our side and nothing was changed. The error is logged; please try again.", "系统出错,未做任何更改。错误已记录,请重试。"},
	"err.not_kv":          {"%[1]s is not `key=value`; write for example `uv=12000` or `date=yesterday`.", "%[1]s 不是 `键=值` 格式;例如 `uv=12000` 或 `date=yesterday`。"},
	"err.metric_unknown":  {"%[1]s — unknown metric `%[2]s`. Accepted keys are listed by `/metric help` (e.g. `uv`, `pv`, `orders`, `paid`, `sales`, or 访客数, 销售额).", "%[1]s — 未知指标 `%[2]s`。可用的键见 `/metric help`(如 `uv`、`pv`、`orders`、`paid`、`sales`,或 访客数、销售额)。"},
	"err.metric_twice":    {"%[1]s — `%[2]s` is given twice; give each metric once.", "%[1]s — `%[2]s` 出现了两次;每个指标只能填一次。"},
	"err.metric_nothing":  {"Nothing to log. Write `key=value` pairs, e.g. `/metric uv=12000 paid=240 orders=300 sales=36000` (see `/metric help`).", "没有要记录的数据。请写 `键=值`,例如 `/metric uv=12000 paid=240 orders=300 sales=36000`(见 `/metric help`)。"},
	"err.date_future":     {"%[1]s is in the future (today is %[2]s); figures are logged for days that have happened.", "%[1]s 是未来的日期(今天是 %[2]s);只能记录已经过去的日子。"},
	"err.month_format":    {"%[1]s — the month must be YYYY-MM, e.g. `month=2026-11`.", "%[1]s — 月份格式应为 YYYY-MM,例如 `month=2026-11`。"},
	"err.shop_unknown":    {"Unknown shop `%[1]s`; shops are %[2]s.", "未知店铺 `%[1]s`;可用店铺:%[2]s。"},
	"err.shop_needed":     {"Which shop? This channel has no default shop; add `shop=…` (one of %[1]s).", "哪个店铺?本频道没有默认店铺;请加上 `shop=…`(可选 %[1]s)。"},
	"err.show_arg":        {"%[1]s — `/metric show` takes a date and `shop=…`, e.g. `/metric show 2026-11-22 shop=main`.", "%[1]s — `/metric show` 只接受日期和 `shop=…`,例如 `/metric show 2026-11-22 shop=main`。"},
	"err.export_arg":      {"%[1]s — `/metric export` takes two dates and `shop=…`, e.g. `/metric export 2026-11-01 2026-11-22`.", "%[1]s — `/metric export` 只接受两个日期和 `shop=…`,例如 `/metric export 2026-11-01 2026-11-22`。"},
	"err.export_range":    {"Give the first and last day: `/metric export FROM TO`, e.g. `/metric export 2026-11-01 2026-11-22`.", "请给出起止日期:`/metric export 起 止`,例如 `/metric export 2026-11-01 2026-11-22`。"},
	"err.export_order":    {"The range runs backwards (%[1]s is after %[2]s); give the earlier day first.", "日期范围颠倒了(%[1]s 晚于 %[2]s);请先写较早的日期。"},
	"err.export_long":     {"That range has %[1]d days; one export holds at most %[2]d. Split it.", "该范围有 %[1]d 天;一次最多导出 %[2]d 天,请分段导出。"},
	"err.managers_only":   {"Only managers may set targets (managers: %[1]s). Nothing was changed.", "只有管理者可以设定目标(管理者:%[1]s)。未做任何更改。"},
	"err.target_nothing":  {"Name a target, e.g. `/metric target sales=1,500,000 month=2026-11`.", "请给出目标,例如 `/metric target sales=1,500,000 month=2026-11`。"},

	// Why a value was refused: %[1]s the value, %[2]s the metric.
	"value.empty":       {"%[2]s has no value.", "%[2]s 没有填写数值。"},
	"value.not_number":  {"“%[1]s” is not a number for %[2]s.", "“%[1]s” 不是 %[2]s 的有效数字。"},
	"value.negative":    {"%[2]s cannot be negative (“%[1]s”).", "%[2]s 不能为负数(“%[1]s”)。"},
	"value.fraction":    {"%[2]s is a count and must be a whole number (“%[1]s”).", "%[2]s 是计数,必须为整数(“%[1]s”)。"},
	"value.decimals":    {"%[2]s is money and has at most 2 decimals (fen) (“%[1]s”).", "%[2]s 是金额,最多两位小数(到分)(“%[1]s”)。"},
	"value.too_large":   {"“%[1]s” is too large for %[2]s.", "“%[1]s” 对 %[2]s 来说过大。"},
	"value.currency":    {"%[2]s is a count, not money; drop the currency sign (“%[1]s”).", "%[2]s 是计数不是金额;请去掉货币符号(“%[1]s”)。"},
	"value.grouping":    {"“%[1]s” has misplaced thousands separators for %[2]s.", "“%[1]s” 的千位分隔符位置不对(%[2]s)。"},
	"value.zero_target": {"a target for %[2]s must be more than zero (“%[1]s”).", "%[2]s 的目标必须大于零(“%[1]s”)。"},
	"accept.count":      {"Accepted: whole numbers like 12000, 12,000 or 1.2万.", "可接受:整数,如 12000、12,000 或 1.2万。"},
	"accept.money":      {"Accepted: amounts like 45600.50, 45,600.50, ¥45,600.50 or 4.56万.", "可接受:金额,如 45600.50、45,600.50、¥45,600.50 或 4.56万。"},

	// Logging.
	"metric.logged":      {"%[1]s logged for *%[2]s* on *%[3]s*:", "%[1]s 记录了 *%[2]s* 在 *%[3]s* 的数据:"},
	"metric.logged_hint": {"Full table: `/metric show %[1]s shop=%[2]s`", "完整表格:`/metric show %[1]s shop=%[2]s`"},
	"metric.was":         {"(was %[1]s)", "(原为 %[1]s)"},
	"metric.unchanged":   {"(unchanged)", "(未变)"},

	// The day table.
	"show.header":  {"%[1]s — %[2]s", "%[1]s — %[2]s"},
	"show.empty":   {"Nothing was logged for %[1]s yet. Log it with `/metric date=%[1]s shop=%[2]s uv=… paid=…`.", "%[1]s 还没有记录数据。用 `/metric date=%[1]s shop=%[2]s uv=… paid=…` 记录。"},
	"show.missing": {"Not logged (missing is not zero): %[1]s", "未记录(缺失不等于零):%[1]s"},
	"col.metric":   {"Metric", "指标"},
	"col.value":    {"Value", "数值"},
	"col.delta":    {"Δ vs %[1]s", "较 %[1]s"},

	// Targets.
	"target.no_managers": {"none configured yet; add Slack user names or IDs under `managers:` in the config", "尚未配置;请在配置文件的 `managers:` 下添加 Slack 用户名或 ID"},
	"target.set":         {"%[1]s set the targets of *%[2]s* for %[3]s:", "%[1]s 设定了 *%[2]s* %[3]s 的目标:"},
	"target.set_line":    {"%[1]s: %[2]s for the month, %[3]s a day over %[4]d days", "%[1]s:月目标 %[2]s,按 %[4]d 天分摊为每日 %[3]s"},

	// Grades.
	"grade.fail":      {"fail", "不及格"},
	"grade.pass":      {"pass", "及格"},
	"grade.good":      {"good", "良好"},
	"grade.excellent": {"excellent", "优秀"},

	// Export.

	// The "Log metrics" modal and App Home.
	"modal.title":             {"Log metrics", "记录数据"},
	"modal.submit":            {"Log", "记录"},
	"modal.close":             {"Cancel", "取消"},
	"modal.more_metrics":      {"%[1]d more metrics do not fit in this form (Slack allows %[2]d fields): log them with `/metric KEY=VALUE`, e.g. `/metric %[3]s=…`.", "另有 %[1]d 项指标放不进此表单(Slack 最多 %[2]d 个字段):请用 `/metric 键=值` 记录,如 `/metric %[3]s=…`。"},
	"list.more":               {"…and %[1]d more not shown (Slack shows at most %[2]d blocks in one message).", "……另有 %[1]d 项未显示(Slack 每条消息最多 %[2]d 个区块)。"},
	"modal.date":              {"Day", "日期"},
	"modal.shop":              {"Shop", "店铺"},
	"modal.placeholder_count": {"e.g. 12000 or 1.2万", "如 12000 或 1.2万"},
	"modal.placeholder_money": {"e.g. 45,600.50", "如 45,600.50"},
	"modal.nothing":           {"Fill in at least one figure.", "请至少填写一项数据。"},
	"home.title":              {"Yesterday — %[1]s", "昨天 — %[1]s"},
	"home.nothing":            {"Nothing logged yet. Use the button below or `/metric`.", "还没有记录数据。请用下面的按钮或 `/metric`。"},
	"home.open_title":         {"Open for you today", "今天待你处理"},
	"home.open_item":          {"☐ %[1]s — %[2]s, due %[3]s", "☐ %[1]s — %[2]s,%[3]s 截止"},
	"home.open_none":          {"Nothing open for you today.", "今天没有待你处理的事项。"},
	"home.open_more":          {"…and %[1]d more (`/checklist`)", "……还有 %[1]d 项(`/checklist`)"},
	"home.log":                {"Log metrics", "记录数据"},
	"home.hint":               {"`/metric show` for the full table · `/help` for every command", "`/metric show` 查看完整表格 · `/help` 查看所有命令"},

	// Checklists.
	"routine.meta":        {"%[1]s, due %[2]s · %[3]d/%[4]d done", "%[1]s 开始,%[2]s 截止 · 已完成 %[3]d/%[4]d"},
	"routine.late":        {":hourglass: posted late (the bot was down at its time)", ":hourglass: 延迟发布(到点时机器人未运行)"},
	"routine.done_button": {"Done", "完成"},
	"routine.undo_button": {"Undo", "撤销"},
	"routine.all_done":    {":white_check_mark: All done.", ":white_check_mark: 全部完成。"},
	"routine.plain":       {"%[1]s: %[2]d/%[3]d done", "%[1]s:已完成 %[2]d/%[3]d"},
	"routine.missed":      {"missed (the bot was down)", "已错过(机器人未运行)"},
	"routine.overdue":     {"overdue", "已逾期"},

	// /checklist.
	"checklist.today":            {"Checklists — %[1]s", "今日清单 — %[1]s"},
	"checklist.none_yet":         {"No checklist has run yet today.", "今天还没有清单。"},
	"checklist.hint":             {"Check items with the buttons on each checklist, or `/checklist done NAME ITEM` (e.g. `/checklist done shop-checks 1 2`).", "点击清单上的按钮打勾,或用 `/checklist done 名称 序号`(如 `/checklist done shop-checks 1 2`)。"},
	"checklist.help":             {"`/checklist` — today's checklists and their progress\n`/checklist done NAME ITEM…` — check items off (by number, list `6,7`, range `1-3`, or the start of their text); on a run missed while the bot was down, they are recorded late\n`/checklist undo NAME ITEM…` — open them again\n`/checklist late NAME ITEM…` — tick items of today's missed run even when a later run is open, marked late\nNAME is a checklist's id (e.g. `shop-checks`), the start of its title, or a title in quotes; the run open now is preferred.", "`/checklist` — 今日清单及进度\n`/checklist done 名称 序号…` — 勾选事项(序号、列表 `6,7`、范围 `1-3` 或事项开头文字);错过的清单(发布时机器人未运行)记为迟到\n`/checklist undo 名称 序号…` — 取消勾选\n`/checklist late 名称 序号…` — 即使已有更晚的清单在进行中,也补登今天错过的那次,标记为迟到\n名称为清单 id(如 `shop-checks`)、标题开头或带引号的标题;优先选择正在进行的那次。"},
	"checklist.checked":          {"✅ Checked %[1]s in *%[2]s* — %[3]d/%[4]d done.", "✅ 已勾选 *%[2]s* 中的 %[1]s — 已完成 %[3]d/%[4]d。"},
	"checklist.unchecked":        {"↩️ Reopened %[1]s in *%[2]s* — %[3]d/%[4]d done.", "↩️ 已取消 *%[2]s* 中的 %[1]s — 已完成 %[3]d/%[4]d。"},
	"err.checklist_sub":          {"Unknown `/checklist` subcommand `%[1]s`. Use `/checklist`, `/checklist done NAME ITEM` or `/checklist undo NAME ITEM`.", "未知的 `/checklist` 子命令 `%[1]s`。可用 `/checklist`、`/checklist done 名称 序号`、`/checklist undo 名称 序号`。"},
	"err.checklist_usage":        {"Name the checklist and the item: `/checklist done shop-checks 1` (see `/checklist` for today's).", "请写出清单和事项:`/checklist done shop-checks 1`(用 `/checklist` 查看今日清单)。"},
	"err.checklist_unknown":      {"No checklist `%[1]s`; use its id (e.g. `shop-checks`) or the start of its title — `/checklist` lists today's.", "没有清单 `%[1]s`;请用清单 id(如 `shop-checks`)或标题开头 — `/checklist` 可查看今日清单。"},
	"err.checklist_no_run":       {"*%[1]s* has not run yet today, so there is nothing to check off.", "*%[1]s* 今天还没有开始,没有可勾选的事项。"},
	"err.checklist_item_range":   {"%[1]s — items are numbered 1 to %[2]d.", "%[1]s — 事项序号为 1 到 %[2]d。"},
	"err.checklist_item_unknown": {"No item starts with “%[1]s”; give its number (1, 2, …) or the start of its text.", "没有以“%[1]s”开头的事项;请写序号(1、2…)或事项开头文字。"},
	"err.button":                 {"That button belongs to a checklist that no longer exists.", "该按钮所属的清单已不存在。"},
	"err.managers_only_outbox":   {"Only managers may see the delivery queue.", "只有管理者可以查看发送队列。"},
	"outbox.title":               {"Delivery queue", "发送队列"},
	"outbox.stats":               {"*%[1]d* waiting (oldest %[2]s) · *%[3]d* undeliverable (dead letters, newest first):", "等待发送 *%[1]d* 条(最早 %[2]s)· 无法投递 *%[3]d* 条(最新在前):"},

	// The working calendar.
	"calendar.makeup_for": {"makeup workday for %[1]s", "%[1]s调休上班"},

	// Help.
	"help.title": {"opsbot — commands", "opsbot — 命令"},
	"help.commands": {"*Log the day's numbers* (default: yesterday, this channel's shop)\n`/metric uv=12000 pv=35000 orders=420 paid=380 sales=45,600.50`\n`/metric 访客数=1.2万 销售额=¥45,600.50 date=2026-11-22 shop=main`\n*See a day* `/metric show [DATE] [shop=…]` — e.g. `/metric show yesterday`\n*Export CSV* `/metric export FROM TO [shop=…]` — e.g. `/metric export 2026-11-01 2026-11-22`\n*Monthly target* (managers) `/metric target sales=1,500,000 month=2026-11`\n*Checklists* `/checklist` · `/checklist done NAME ITEM` (on a run missed while the bot was down: recorded late) · `/checklist late NAME ITEM`\n*Problem orders* `/urgent ORDER type=refund note…` · `/review ORDER rating=1 text…` · `/ops open [mine]` · `/ops item ID` · `/ops take|takeover|resolve|escalate ID` · `/ops withdraw ID REASON`\n*Undo a figure* `/metric delete KEY… [date=…]`  ·  *Audit log* (managers) `/ops audit [DAY | FROM TO] [user=…]`\n*Import the back office's export* `/metric import` — share the CSV/XLSX with me (DM, or \"import\" in a channel); preview first\n*Reports* `/ops digest [DATE]` · `/ops report weekly|monthly|quarterly|yearly`\n*Chart* `/ops chart [FIGURE…] [DATE | FROM TO | YYYY-MM | days=N]` — e.g. `/ops chart bounce_rate avg_visit uv_value days=30`\n*Calendar* `/ops calendar [YYYY-MM]` · `/ops campaigns`\n*Help* `/metric help`, `/help`  ·  every `/metric …` also works as `/ops metric …`",
		"*记录当天数据*(默认:昨天、本频道的店铺)\n`/metric uv=12000 pv=35000 orders=420 paid=380 sales=45,600.50`\n`/metric 访客数=1.2万 销售额=¥45,600.50 date=2026-11-22 shop=main`\n*查看某天* `/metric show [日期] [shop=…]` — 例如 `/metric show 昨天`\n*导出 CSV* `/metric export 起 止 [shop=…]` — 例如 `/metric export 2026-11-01 2026-11-22`\n*月目标*(管理者)`/metric target sales=1,500,000 month=2026-11`\n*清单* `/checklist` · `/checklist done 名称 序号`(错过的清单记为迟到) · `/checklist late 名称 序号`\n*问题订单* `/urgent 订单号 type=refund 备注…` · `/review 订单号 rating=1 内容…` · `/ops open [mine]` · `/ops item ID` · `/ops take|takeover|resolve|escalate ID` · `/ops withdraw ID 原因`\n*撤销数据* `/metric delete 指标… [date=…]`  ·  *审计日志*(管理者)`/ops audit [日期 | 起 止] [user=…]`\n*导入后台报表* `/metric import` — 把 CSV/XLSX 发给我(私信,或在频道中写“导入”);先预览\n*报表* `/ops digest [日期]` · `/ops report weekly|monthly|quarterly|yearly`\n*图表* `/ops chart [指标…] [日期 | 起 止 | YYYY-MM | days=N]` — 例如 `/ops chart 跳失率 停留时长 UV价值 days=30`\n*日历* `/ops calendar [YYYY-MM]` · `/ops campaigns`\n*帮助* `/metric help`、`/help`  ·  所有 `/metric …` 也可写作 `/ops metric …`"},
	"help.keys":         {"*Metric keys* (English or Chinese, any case; ¥ = money in yuan, exact to the fen):", "*指标键*(中英文均可,不分大小写;¥ 表示金额,精确到分):"},
	"help.footer":       {"Dates: YYYY-MM-DD, today, yesterday, 今天, 昨天. Numbers: 12000, 12,000, 1.2万; money also ¥45,600.50.", "日期:YYYY-MM-DD、today、yesterday、今天、昨天。数字:12000、12,000、1.2万;金额还可写 ¥45,600.50。"},
	"help.metric_title": {"/metric — the day's numbers", "/metric — 每日数据"},
	"help.metric": {"`/metric key=value …` logs figures for a day (default yesterday) and shop; all of them or, if one is wrong, none. Logging a figure again replaces it and shows the old value.\n`date=2026-11-22|today|yesterday` · `shop=ID`\nDerived, never typed: payment rate = paid ÷ orders, conversion = paid ÷ UV, average order value = sales ÷ paid, ad spend, ROI = sales ÷ (ads + shipping + discounts) graded fail < 1:3 ≤ pass < 1:4 ≤ good < 1:5 ≤ excellent.\n`/metric show [DATE]` · `/metric export FROM TO` · `/metric target sales=… month=YYYY-MM|year=YYYY` (managers)\n*Import the back office's export* (CSV/XLSX, UTF-8/GBK): share the file with me in a DM, or in a channel with the word `import`; I show a preview, nothing is stored until you press *Import*. Console: `/metric import PATH [sheet=…]`.",
		"`/metric 键=值 …` 记录某天(默认昨天)某店铺的数据;要么全部保存,要么(有一项出错时)全部不保存。再次记录同一指标会覆盖并显示原值。\n`date=2026-11-22|today|yesterday` · `shop=ID`\n自动计算:付款率 = 付款 ÷ 收订,转化率 = 付款 ÷ 访客数,客单价 = 销售额 ÷ 付款,推广花费,ROI = 销售额 ÷ (推广 + 运费 + 优惠),评级:< 1:3 不及格,1:3 及格,1:4 良好,1:5 优秀。\n`/metric show [日期]` · `/metric export 起 止` · `/metric target sales=… month=YYYY-MM|year=YYYY`(管理者)\n*导入后台导出的报表*(CSV/XLSX,UTF-8/GBK):私信发给我,或在频道中分享文件并写上 `导入`(import);我先给出预览,按 *导入* 之前不会保存任何数据。控制台:`/metric import 路径 [sheet=…]`。"},
}
