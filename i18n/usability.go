package i18n

import (
	"time"

	"opsbot/civil"
)

// usability holds the texts added after a month of use by a real team
// (issue 16): refusals of repeated options, the date forms people type,
// and singular forms of counted messages.
//
// A key with a ".one" twin is a counted message: T uses the twin when its
// first argument is the integer 1, so English reads "1 problem", not
// "1 problem(s)".
var usability = map[string]message{
	"err.option_twice":         {"`%[1]s=` is given more than once (%[2]s). Give it once; nothing was done.", "`%[1]s=` 写了不止一次(%[2]s)。只能写一次;未做任何操作。"},
	"err.date_format":          {"`%[1]s` is not a date. Accepted: YYYY-MM-DD (2026-11-20), 2026.11.20, 2026/11/20, 11-20, 11/20, 11月20日, 2026年11月20日, `today`, `yesterday`, 今天, 昨天, 前天.", "`%[1]s` 不是日期。可用:YYYY-MM-DD(2026-11-20)、2026.11.20、2026/11/20、11-20、11/20、11月20日、2026年11月20日、`today`、`yesterday`、今天、昨天、前天。"},
	"err.report_month":         {"`%[1]s` is not a month: the month runs from 01 to 12. Use YYYY-MM, e.g. `/ops report monthly 2026-11`.", "`%[1]s` 不是有效月份:月份为 01 至 12。请用 YYYY-MM,例如 `/ops report monthly 2026-11`。"},
	"err.calendar_range":       {"`%[1]s` is outside the working calendar: it covers the years 2000 to 2100.", "`%[1]s` 超出工作日历的范围:日历覆盖 2000 至 2100 年。"},
	"item.err_id_missing":      {"Which item? Give its number, e.g. `/ops take 42` (the number is on the item's message).", "哪个事项?请写编号,例如 `/ops take 42`(编号见事项消息)。"},
	"checklist.already":        {"“%[1]s” was already done by <@%[2]s> at %[3]s.", "“%[1]s” 已由 <@%[2]s> 于 %[3]s 完成。"},
	"checklist.late":           {"⏰ Recorded late: the run was due at %[1]s.", "⏰ 已记为补做:该清单原定 %[1]s 截止。"},
	"err.checklist_ambiguous":  {"`%[1]s` could mean more than one checklist: %[2]s. Nothing was ticked; name one, e.g. `/checklist done %[3]s 1`, or put a title in quotes.", "`%[1]s` 可能指多个清单:%[2]s。未勾选任何事项;请指明其一,例如 `/checklist done %[3]s 1`,或把标题放在引号里。"},
	"item.err_rating_high":     {"A %[1]d-star review is not a bad review: this team handles reviews of 1 to %[2]d stars (`bad_review_max_rating` in the config).", "%[1]d 星评价不算差评:本团队处理 1 至 %[2]d 星的评价(配置项 `bad_review_max_rating`)。"},
	"metric.deleted":           {"🗑️ Deleted %[2]d figures of %[1]s:", "🗑️ 已删除 %[1]s 的 %[2]d 项数据:"},
	"metric.deleted.one":       {"🗑️ Deleted %[2]d figure of %[1]s:", "🗑️ 已删除 %[1]s 的 %[2]d 项数据:"},
	"metric.deleted_line":      {"%[1]s (`%[2]s`), was %[3]s", "%[1]s(`%[2]s`),原为 %[3]s"},
	"metric.delete_absent":     {"Not logged that day, so not deleted: %[1]s.", "当天未记录,未删除:%[1]s。"},
	"err.delete_none":          {"Nothing to delete: %[1]s was not logged for %[2]s.", "没有可删除的数据:%[2]s 未记录 %[1]s。"},
	"err.delete_usage":         {"Name the figures to delete: `/metric delete uv pv [date=2026-11-22] [shop=main]`.", "请写出要删除的指标:`/metric delete uv pv [date=2026-11-22] [shop=main]`。"},
	"err.delete_arg":           {"%[1]s — `/metric delete` takes metric keys, `date=` and `shop=`.", "%[1]s — `/metric delete` 只接受指标名、`date=` 和 `shop=`。"},
	"err.audit_managers":       {"The audit log is for managers.", "审计日志仅限主管查看。"},
	"err.audit_arg":            {"%[1]s — `/ops audit` takes `shop=`, `user=`, a day (`date=`) or two days (FROM TO).", "%[1]s — `/ops audit` 只接受 `shop=`、`user=`、一个日期(`date=`)或两个日期(起 止)。"},
	"err.audit_days":           {"Give one day, or two (FROM TO).", "请写一个日期,或两个日期(起 止)。"},
	"audit.title":              {"Audit log", "审计日志"},
	"audit.none":               {"No change matches.", "没有符合条件的记录。"},
	"audit.more":               {"Showing the newest %[1]d; narrow it with shop=, user= or dates.", "仅显示最新 %[1]d 条;可用 shop=、user= 或日期缩小范围。"},
	"role.assistant":           {"assistant", "运营助理"},
	"role.cs":                  {"customer service", "客服"},
	"role.manager":             {"manager", "主管"},
	"role.warehouse":           {"warehouse", "仓库"},
	"role.marketing":           {"marketing", "推广"},
	"role.data":                {"data", "数据"},
	"console.ephemeral":        {"(only visible to you)", "(仅你可见)"},
	"console.updated":          {"(message updated)", "(消息已更新)"},
	"console.start":            {"opsbot: no Slack credentials set, so starting console mode on %[1]s (to connect Slack, set SLACK_BOT_TOKEN with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET; see README.md)", "opsbot:未设置 Slack 凭据,以控制台模式启动,数据库 %[1]s(要连接 Slack,请设置 SLACK_BOT_TOKEN,以及 SLACK_APP_TOKEN 或 SLACK_SIGNING_SECRET;见 README.md)"},
	"console.log_note":         {"opsbot: warnings are written to %[1]s", "opsbot:警告写入 %[1]s"},
	"sim.start":                {"Simulating %[1]s → %[2]s (%[3]s), %[4]s.", "模拟 %[1]s → %[2]s(%[3]s),%[4]s。"},
	"sim.builtin":              {"the built-in playbook", "内置手册"},
	"sim.end":                  {"End of simulation at %[1]s.", "模拟结束于 %[1]s。"},
	"sim.skipped":              {"·· %[1]s: %[2]s skipped — %[3]s", "·· %[1]s:%[2]s 跳过 — %[3]s"},
	"item.withdrawn":           {"↩️ %[1]s was withdrawn: %[2]s. No reminder follows; the audit log keeps it.", "↩️ 已撤回 %[1]s:%[2]s。不再提醒;审计日志已记录。"},
	"item.event_withdrawn":     {"withdrawn by %[1]s", "%[1]s 撤回"},
	"item.withdrawn_line":      {"↩️ Withdrawn by %[1]s %[2]s: %[3]s", "↩️ %[1]s 于 %[2]s 撤回:%[3]s"},
	"item.err_withdraw_who":    {"Only %[2]s, who flagged %[1]s, or a manager may withdraw it.", "只有登记 %[1]s 的 %[2]s 或主管可以撤回。"},
	"item.err_withdraw_reason": {"Say why it is withdrawn: `/ops withdraw %[1]d flagged the wrong order`.", "请写明撤回原因:`/ops withdraw %[1]d 登记错了订单`。"},
	"report.limits":            {":warning: *Outside the team's limits*", ":warning: *超出团队设定的范围*"},
	"report.limit_below":       {"%[1]s %[2]s is below its floor of %[3]s.", "%[1]s %[2]s 低于下限 %[3]s。"},
	"report.limit_above":       {"%[1]s %[2]s is above its ceiling of %[3]s.", "%[1]s %[2]s 高于上限 %[3]s。"},

	"err.nothing_stored.one":  {"Nothing was stored. %[1]d problem:", "未保存任何数据。共 %[1]d 处问题:"},
	"err.nothing_stored":      {"Nothing was stored. %[1]d problems:", "未保存任何数据。共 %[1]d 处问题:"},
	"err.not_shown.one":       {"Could not answer. %[1]d problem:", "无法查询。共 %[1]d 处问题:"},
	"err.not_shown":           {"Could not answer. %[1]d problems:", "无法查询。共 %[1]d 处问题:"},
	"err.nothing_changed.one": {"Nothing was changed. %[1]d problem:", "未做任何更改。共 %[1]d 处问题:"},
	"err.nothing_changed":     {"Nothing was changed. %[1]d problems:", "未做任何更改。共 %[1]d 处问题:"},

	"campaign.reminder":            {":alarm_clock: *%[1]s*: registration closes in *%[2]d days*, on %[3]s (campaign %[4]s to %[5]s).", ":alarm_clock: *%[1]s*:报名将在 *%[2]d 天后*(%[3]s)截止(活动 %[4]s 至 %[5]s)。"},
	"campaign.reminder.one":        {":alarm_clock: *%[1]s*: registration closes in *%[2]d day*, on %[3]s (campaign %[4]s to %[5]s).", ":alarm_clock: *%[1]s*:报名将在 *%[2]d 天后*(%[3]s)截止(活动 %[4]s 至 %[5]s)。"},
	"campaign.reminder_plain":      {"%[1]s: registration closes in %[2]d days", "%[1]s:报名 %[2]d 天后截止"},
	"campaign.reminder_plain.one":  {"%[1]s: registration closes in %[2]d day", "%[1]s:报名 %[2]d 天后截止"},
	"report.campaign_deadline":     {":alarm_clock: Registration for *%[1]s* closes in %[2]d days.", ":alarm_clock: *%[1]s* 报名 %[2]d 天后截止。"},
	"report.campaign_deadline.one": {":alarm_clock: Registration for *%[1]s* closes in %[2]d day.", ":alarm_clock: *%[1]s* 报名 %[2]d 天后截止。"},
	"campaigns.deadline":           {"registration closes %[1]s, *%[2]d days left*", "报名 %[1]s 截止,*还剩 %[2]d 天*"},
	"campaigns.deadline.one":       {"registration closes %[1]s, *%[2]d day left*", "报名 %[1]s 截止,*还剩 %[2]d 天*"},
	"item.notes":                   {"📝 %[1]d more notes; latest: %[2]s", "📝 追加备注 %[1]d 条;最新:%[2]s"},
	"item.notes.one":               {"📝 %[1]d more note; latest: %[2]s", "📝 追加备注 %[1]d 条;最新:%[2]s"},
	"metric.logged_plain":          {"Logged %[1]d metrics for %[2]s on %[3]s", "已记录 %[2]s %[3]s 的 %[1]d 项指标"},
	"metric.logged_plain.one":      {"Logged %[1]d metric for %[2]s on %[3]s", "已记录 %[2]s %[3]s 的 %[1]d 项指标"},
	"export.done":                  {"Exported %[1]d days (%[2]d with data) of *%[3]s*, %[4]s to %[5]s.", "已导出 *%[3]s* %[4]s 至 %[5]s 共 %[1]d 天(其中 %[2]d 天有数据)。"},
	"export.done.one":              {"Exported %[1]d day (%[2]d with data) of *%[3]s*, %[4]s to %[5]s.", "已导出 *%[3]s* %[4]s 至 %[5]s 共 %[1]d 天(其中 %[2]d 天有数据)。"},
	"routine.nudge":                {":alarm_clock: *%[1]s* was due at %[2]s; %[3]d items still open:", ":alarm_clock: *%[1]s* 已于 %[2]s 截止,仍有 %[3]d 项未完成:"},
	"routine.nudge.one":            {":alarm_clock: *%[1]s* was due at %[2]s; %[3]d item still open:", ":alarm_clock: *%[1]s* 已于 %[2]s 截止,仍有 %[3]d 项未完成:"},
	"routine.nudge_plain":          {"%[1]s: %[2]d items still open", "%[1]s:仍有 %[2]d 项未完成"},
	"routine.nudge_plain.one":      {"%[1]s: %[2]d item still open", "%[1]s:仍有 %[2]d 项未完成"},
	"report.more_in_dm":            {"This report is long: its %[1]d other parts follow in your direct messages.", "报告较长:其余 %[1]d 部分将通过私信发送给你。"},
	"report.more_in_dm.one":        {"This report is long: its %[1]d other part follows in your direct messages.", "报告较长:其余 %[1]d 部分将通过私信发送给你。"},
}

// Day names a date with its weekday in the printer's language:
// "Sun 2026-09-20", "周日 2026-09-20".
func (p Printer) Day(d civil.Date) string { return p.Weekday(d.Weekday()) + " " + d.String() }

// Stamp is a moment as the console and the simulation head their lines:
// the day as Day writes it, then the time (t is in the team's zone).
func (p Printer) Stamp(t time.Time) string {
	return p.Day(civil.Of(t, t.Location())) + " " + t.Format("15:04")
}
