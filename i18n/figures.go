package i18n

// figures holds what the replies and reports say about figures that are
// missing, partly logged, or too small to show (issue 15).
var figures = map[string]message{
	"figures.gaps":                {"Not computed, as inputs were not logged (missing is not zero): %[1]s.", "因输入未记录而无法计算(缺失不等于零):%[1]s。"},
	"figures.gap":                 {"%[1]s (needs %[2]s)", "%[1]s(缺 %[2]s)"},
	"figures.days_logged":         {"(logged on %[1]d of %[2]d days)", "(%[2]d 天中有 %[1]d 天有记录)"},
	"figures.commissions_partly":  {"*Commissions* (sales: %[1]s; paid orders: %[2]s):", "*提成*(销售额:%[1]s;付款订单:%[2]s):"},
	"figures.target_day_small":    {"%[1]s: %[2]s (the monthly target %[3]s is too small to split into days)", "%[1]s:%[2]s(月目标 %[3]s 太小,无法分摊到每天)"},
	"figures.days_over":           {"(over the %[1]d of %[2]d days that logged all its inputs)", "(按 %[2]d 天中输入齐全的 %[1]d 天计算)"},
	"figures.gap_apart":           {"%[1]s (%[2]s were never logged on the same day)", "%[1]s(%[2]s 从未在同一天记录)"},
	"figures.not_logged":          {"not logged", "未记录"},
	"figures.target_mtd_none":     {"%[1]s month to date (%[2]s): not logged yet — target %[3]s, with %[4]s of the month passed", "%[1]s 本月累计(%[2]s):尚未记录 — 目标 %[3]s,本月已过 %[4]s"},
	"figures.target_period_none":  {"%[1]s: not logged on any of the %[2]d days — target %[3]s", "%[1]s:%[2]d 天均未记录 — 目标 %[3]s"},
	"figures.target_period_small": {"%[1]s: %[2]s — the target rounds to nothing over this period, so progress is not shown", "%[1]s:%[2]s — 目标分摊到本期后不足一个单位,不显示进度"},
	"figures.commissions_nothing": {"*Commissions*: neither sales nor paid orders were logged in %[1]s, so there is nothing to compute.", "*提成*:%[1]s 没有记录销售额或付款订单,无法计算。"},
	"report.unpaid_not_logged":    {"%[1]s: %[3]s not logged this month, so this commission cannot be computed.", "%[1]s:本月未记录 %[3]s,无法计算该提成。"},
	"grade.just_under":            {"%[1]s: just under 1:%[2]d, exactly", "%[1]s:精确值略低于 1:%[2]d"},
	"err.target_too_small":        {"%[1]s — a monthly target of %[2]s is too small to split over the %[3]d days of %[4]s: each day's share would show as 0. The smallest is %[5]s.", "%[1]s — 月目标 %[2]s 太小,无法分摊到 %[4]s 的 %[3]d 天:每日目标会显示为 0。最小为 %[5]s。"},
}
