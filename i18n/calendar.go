package i18n

// calendar holds the working calendar and campaign texts.
var calendar = map[string]message{
	"campaign.starts":         {":rotating_light: *%[1]s* starts today and runs to %[2]s.", ":rotating_light: *%[1]s* 今天开始,持续到 %[2]s。"},
	"campaign.owner_role":     {"(in charge: %[1]s)", "(负责:%[1]s)"},
	"campaign.starts_plain":   {"%[1]s starts today", "%[1]s 今天开始"},
	"calendar.missing":        {"The working calendar has no official holiday schedule for %[1]s, and the next %[2]d days reach it. Until it is added, workdays there follow plain Mon–Fri. Add `calendar.official.%[3]s` to the config when the State Council publishes it.", "工作日历缺少 %[1]s 年的官方放假安排,而未来 %[2]d 天会用到。在补上之前,这些日期按普通周一至周五计算。国务院公布后,请在配置中加入 `calendar.official.%[3]s`。"},
	"report.campaign_running": {":rotating_light: Campaign *%[1]s* is running (to %[2]s).", ":rotating_light: 活动 *%[1]s* 进行中(至 %[2]s)。"},
	"calendar.late":           {"Sent late: due %[1]s, while the bot was down.", "延迟发送:原定 %[1]s,当时机器人未运行。"},
}

// calendarView holds /ops calendar and /ops campaigns.
var calendarView = map[string]message{
	"err.calendar_usage":         {"Use `/ops calendar` for this month or `/ops calendar 2026-10`.", "用 `/ops calendar` 查看本月,或 `/ops calendar 2026-10`。"},
	"err.calendar_month":         {"`%[1]s` is not a month; use YYYY-MM, e.g. `/ops calendar 2026-10`.", "`%[1]s` 不是月份;请用 YYYY-MM,例如 `/ops calendar 2026-10`。"},
	"calendar.title":             {"Working calendar %[1]s — %[2]d working days", "工作日历 %[1]s — 共 %[2]d 个工作日"},
	"calendar.grid_head":         {" Mon  Tue  Wed  Thu  Fri  Sat  Sun", "  一   二   三   四   五   六   日"},
	"calendar.holiday_line":      {"%[1]s — holiday: %[2]s", "%[1]s — 放假:%[2]s"},
	"calendar.makeup_line":       {"%[1]s — makeup workday for %[2]s", "%[1]s — %[2]s调休上班"},
	"calendar.registration_line": {"%[1]s — registration deadline: %[2]s", "%[1]s — 报名截止:%[2]s"},
	"calendar.campaign_line":     {"%[1]s to %[2]s — campaign: %[3]s", "%[1]s 至 %[2]s — 活动:%[3]s"},
	"calendar.no_data":           {"No official schedule for %[1]d yet: days follow plain Mon–Fri until `calendar.official` has it.", "%[1]d 年尚无官方放假安排:在 `calendar.official` 补上之前按普通周一至周五计算。"},
	"calendar.legend":            {"H holiday · + makeup workday · · weekend · * campaign", "H 放假 · + 调休上班 · · 周末 · * 活动"},
	"campaigns.title":            {"Campaigns ahead", "即将到来的活动"},
	"campaigns.none":             {"No campaigns in the config. Add them under `campaigns:`.", "配置中没有活动。请在 `campaigns:` 下添加。"},
	"campaigns.line":             {"*%[1]s* %[2]s to %[3]s (%[4]s)", "*%[1]s* %[2]s 至 %[3]s(%[4]s)"},
	"campaigns.in_days":          {"in %[1]d days", "还有 %[1]d 天"},
	"campaigns.running":          {"running now", "进行中"},
	"campaigns.closed":           {"registration closed %[1]s", "报名已于 %[1]s 截止"},
	"campaigns.no_deadline":      {"no registration deadline set (add `registration:` to campaign `%[1]s`)", "未设置报名截止日期(请为活动 `%[1]s` 添加 `registration:`)"},
}
