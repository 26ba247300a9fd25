package i18n

// reports holds the daily digest and the weekly and monthly reports.
// Messages without arguments are not run through Sprintf: write a
// percent sign there as %, elsewhere as %%.
var reports = map[string]message{
	// Titles.
	"report.daily_title":   {"Daily report · %[1]s · %[2]s", "日报 · %[1]s · %[2]s"},
	"report.weekly_title":  {"Weekly report · %[1]s · %[2]s to %[3]s (week %[4]d)", "周报 · %[1]s · %[2]s 至 %[3]s(第 %[4]d 周)"},
	"report.monthly_title": {"Monthly report · %[1]s · %[2]s", "月报 · %[1]s · %[2]s"},
	"report.continued":     {"%[1]s (%[2]d/%[3]d)", "%[1]s(%[2]d/%[3]d)"},
	"report.so_far":        {"(so far)", "(截至目前)"},
	"report.to_date":       {"(to %[1]s)", "(截至 %[1]s)"},

	// The commands.
	"err.report_usage":  {"Reports: `/ops digest [DATE] [shop=…]` (a day, default yesterday) · `/ops report weekly [DATE]` (default last week) · `/ops report monthly [YYYY-MM]` (default last month).", "报告:`/ops digest [日期] [shop=…]`(某天,默认昨天)· `/ops report weekly [日期]`(默认上周)· `/ops report monthly [YYYY-MM]`(默认上月)。"},
	"err.report_kind":   {"%[1]s is not a kind of report; use daily, weekly or monthly.", "%[1]s 不是报告类型;请用 daily、weekly 或 monthly(日报、周报、月报)。"},
	"err.report_arg":    {"%[1]s — a report takes a date (or a month, YYYY-MM) and `shop=…`, e.g. `/ops report weekly 2026-11-16 shop=main`.", "%[1]s — 报告只接受日期(或月份 YYYY-MM)和 `shop=…`,例如 `/ops report weekly 2026-11-16 shop=main`。"},
	"err.report_future": {"%[1]s has not started yet (today is %[2]s).", "%[1]s 还没有开始(今天是 %[2]s)。"},

	// The daily digest.
	"report.nothing_logged": {":warning: Nothing was logged for %[1]s. Log it with `/metric date=%[1]s shop=%[2]s uv=… paid=… sales=…`; missing figures are not zeros.", ":warning: %[1]s 没有记录任何数据。用 `/metric date=%[1]s shop=%[2]s uv=… paid=… sales=…` 补录;缺失不等于零。"},
	"report.vs_prev":        {"%[1]s vs the day before", "较前一天 %[1]s"},
	"report.vs_avg":         {"%[1]s vs the %[2]d-day average", "较近 %[2]d 日均值 %[1]s"},
	"report.prev_was":       {"day before %[1]s", "前一天 %[1]s"},
	"report.avg_was":        {"%[2]d-day average %[1]s", "近 %[2]d 日均值 %[1]s"},
	"report.anomalies":      {":warning: *Anomalies* (against the average of the 7 days before; threshold %[1]d%% unless set per metric):", ":warning: *异常*(与前 7 天均值相比;阈值 %[1]d%%,指标另有设置的除外):"},
	"report.anomaly":        {"*%[1]s* %[2]s vs %[3]d-day average (%[4]s vs %[5]s)", "*%[1]s* 较近 %[3]d 日均值 %[2]s(%[4]s / 均值 %[5]s)"},
	"report.no_anomalies":   {"No anomalies: no figure moved %[1]d%% or more from its 7-day average.", "无异常:没有指标偏离近 7 日均值 %[1]d%% 及以上。"},
	"report.missing":        {"Not logged (missing is not zero): %[1]s", "未记录(缺失不等于零):%[1]s"},
	"report.targets":        {"*Targets*", "*目标*"},
	"report.target_day":     {"%[1]s: %[2]s of the daily target %[3]s — %[4]s", "%[1]s:%[2]s / 日目标 %[3]s — %[4]s"},
	"report.below_half":     {"*below half of the daily target*", "*未达日目标的一半*"},
	"report.target_mtd":     {"%[1]s month to date (%[2]s): %[3]s of %[4]s — %[5]s, with %[6]s of the month passed", "%[1]s 本月累计(%[2]s):%[3]s / %[4]s — %[5]s,本月已过 %[6]s"},
	"report.col_metric":     {"Metric", "指标"},
	"report.col_value":      {"Value", "数值"},
	"report.col_delta":      {"Δ vs %[1]s", "较 %[1]s"},
	"report.col_vs_avg":     {"vs %[1]d-day avg", "较 %[1]d 日均"},
	"report.chart_note":     {":bar_chart: Chart: sales, UV and conversion rate over the last %[1]d days, attached.", ":bar_chart: 附图:近 %[1]d 天的销售额、访客数和转化率。"},

	// Weekly and monthly.
	"report.last_week":         {"Last week", "上周"},
	"report.last_month":        {"Last month", "上月"},
	"report.coverage":          {"Figures logged on %[1]d of %[2]d days.", "%[2]d 天中有 %[1]d 天有数据。"},
	"report.coverage_gaps":     {"Figures logged on %[1]d of %[2]d days. Nothing logged on %[3]s (missing is not zero).", "%[2]d 天中有 %[1]d 天有数据,%[3]s 没有记录(缺失不等于零)。"},
	"report.vs_last_week":      {"%[1]s vs last week", "较上周 %[1]s"},
	"report.vs_last_month":     {"%[1]s vs last month", "较上月 %[1]s"},
	"report.daily_avg":         {"daily average %[1]s", "日均 %[1]s"},
	"report.best_worst":        {"*Best day* %[1]s %[2]s · *worst day* %[3]s %[4]s (by sales)", "*最好的一天* %[1]s %[2]s · *最差的一天* %[3]s %[4]s(按销售额)"},
	"report.target_period":     {"%[1]s: %[2]s of %[3]s — %[4]s", "%[1]s:%[2]s / %[3]s — %[4]s"},
	"report.target_days":       {"(targets set for %[1]d of %[2]d days)", "(%[2]d 天中有 %[1]d 天设了目标)"},
	"report.met":               {"met", "达成"},
	"report.not_met":           {"not met", "未达成"},
	"report.col_total":         {"Total", "合计"},
	"report.col_avg":           {"Daily avg", "日均"},
	"report.col_change":        {"Change", "变化"},
	"report.levels":            {"%[1]s: the last value logged, not a total.", "%[1]s:为最后一次记录的数值,不是合计。"},
	"report.chart_note_period": {":bar_chart: Chart: sales, UV and conversion rate from %[1]s to %[2]s, attached.", ":bar_chart: 附图:%[1]s 至 %[2]s 的销售额、访客数和转化率。"},

	// Tracked items (the 24-hour rule).
	"report.sla_day":       {"*Tracked items* (%[1]s):", "*跟进事项*(%[1]s):"},
	"report.sla_period":    {"*Tracked items* (24-hour rule):", "*跟进事项*(24 小时规则):"},
	"report.sla":           {"opened %[1]d · resolved %[2]d · still open %[3]d · breached %[4]d · median resolution %[5]s (p90 %[6]s)", "新增 %[1]d · 已解决 %[2]d · 仍未解决 %[3]d · 超时 %[4]d · 解决用时中位数 %[5]s(p90 %[6]s)"},
	"report.sla_untracked": {"not tracked yet. The record starts when the team flags problem orders and bad reviews for follow-up; until then there are no figures, not zeros.", "尚未开始跟进。团队标记问题订单和差评后开始统计;在此之前没有数据,而不是零。"},

	// Checklists.
	"report.checklists_day":    {"*Checklists* (%[1]s):", "*清单*(%[1]s):"},
	"report.checklists_period": {"*Checklists*:", "*清单*:"},
	"report.no_runs":           {"no checklist runs.", "没有清单运行。"},
	"report.checklist_total":   {"%[1]d runs · %[2]d of %[3]d items done (%[4]s) · %[5]d posted late · %[6]d missed", "%[1]d 次 · 完成 %[2]d/%[3]d 项(%[4]s)· 延迟发布 %[5]d · 错过 %[6]d"},
	"report.col_checklist":     {"Checklist", "清单"},
	"report.col_runs":          {"Runs", "次数"},
	"report.col_done":          {"Done", "完成"},
	"report.col_done_late":     {"Done late", "逾期完成"},
	"report.col_late_runs":     {"Posted late", "延迟发布"},
	"report.col_missed":        {"Missed", "错过"},
	"report.by_person":         {"*By person* (items checked off, on time):", "*按人员*(勾选事项数,按时):"},
	"report.person":            {"%[1]s %[2]d (%[3]d on time)", "%[1]s %[2]d 项(按时 %[3]d)"},

	// Commissions.
	"report.commissions":           {"*Commissions* on sales of %[1]s and %[2]s paid orders:", "*提成*(销售额 %[1]s,付款订单 %[2]s 笔):"},
	"report.commissions_so_far":    {"(the month is not over: figures so far)", "(本月未结束:为目前数据)"},
	"report.col_role":              {"Role", "岗位"},
	"report.col_rule":              {"Rule", "规则"},
	"report.col_pool":              {"Pool", "总额"},
	"report.col_person":            {"Person", "人员"},
	"report.col_amount":            {"Amount", "金额"},
	"report.total":                 {"Total", "合计"},
	"report.rule_rate":             {"%[1]s of sales", "销售额的 %[1]s"},
	"report.rule_per_order":        {"%[1]s per paid order", "每笔付款订单 %[1]s"},
	"report.rule_on_target":        {"if the sales target is met", "(需达成销售目标)"},
	"report.unpaid_no_target":      {"%[1]s: paid only when the sales target is met, and no sales target was set for the month (`/metric target sales=…`).", "%[1]s:需达成销售目标才发放,而本月未设销售目标(`/metric target sales=…`)。"},
	"report.unpaid_target_not_met": {"%[1]s: the sales target was not met, so nothing is paid.", "%[1]s:未达成销售目标,不发放。"},
	"report.unpaid_no_members":     {"%[1]s: nobody is listed under `roles.%[2]s` in the config, so the pool is not split.", "%[1]s:配置文件 `roles.%[2]s` 下没有人员,总额未分配。"},
	"report.commission_rule":       {"Each role's pool is split evenly among its members (from `roles`), exact to the fen; rules are under `commissions` in the config.", "各岗位总额在其成员(见 `roles`)间平均分配,精确到分;规则见配置文件的 `commissions`。"},
	"report.role_cs":               {"Customer service", "客服"},
	"report.role_warehouse":        {"Warehouse", "仓库/物流"},
	"report.role_data":             {"Data", "数据"},
	"report.role_marketing":        {"Marketing", "推广/市场"},
	"report.role_assistant":        {"Assistant", "运营助理"},
	"report.role_manager":          {"Manager", "运营/店长"},
}
