package i18n

// access holds the refusals of who may do what: items held by others,
// acts reserved to holders, leads and managers, shops with writers,
// buttons and forms the bot did not make, and text with control or
// invisible characters.
var access = map[string]message{
	"access.err_not_allowed":  {"You may not %[1]s %[2]s. Who may: its holder (%[3]s), %[4]sand the managers. Nothing changed.", "你不能%[1]s %[2]s。可以操作的人:认领人(%[3]s)、%[4]s以及管理者。未做任何更改。"},
	"access.leads":            {"%[1]s, ", "%[1]s、"},
	"access.act_take":         {"take", "认领"},
	"access.act_take_over":    {"take over", "接手"},
	"access.act_resolve":      {"resolve", "解决"},
	"access.act_escalate":     {"escalate", "升级"},
	"access.err_held":         {"%[1]s is held by %[2]s. To take it over, type `/ops takeover %[3]d`; %[2]s will be told.", "%[1]s 已由 %[2]s 认领。如需接手,请输入 `/ops takeover %[3]d`,系统会通知 %[2]s。"},
	"access.took_over":        {"You took over %[1]s from %[2]s, who has been told: %[3]s.", "你已从 %[2]s 手中接手 %[1]s(已通知对方):%[3]s。"},
	"access.taken_over":       {"%[1]s, %[2]s took over %[3]s (%[4]s) from you.", "%[1]s,%[2]s 已从你手中接手 %[3]s(%[4]s)。"},
	"access.err_raced":        {"%[1]s changed hands while you asked (now %[2]s); nothing changed. Look again and retry.", "%[1]s 在你操作时已易手(现为 %[2]s),未做更改。请查看后重试。"},
	"access.err_provenance":   {"That button or form was not made by opsbot for this message, so it was not acted on. Use the buttons on the bot's own message, or the command.", "该按钮或表单并非 opsbot 为此消息生成,未执行。请使用机器人消息上的按钮,或使用命令。"},
	"access.err_form_stale":   {"This form was not opened by opsbot for you (or is out of date). Close it and open it again.", "该表单不是 opsbot 为你打开的(或已过期)。请关闭后重新打开。"},
	"access.err_shop_writer":  {"You may not log figures for %[1]s: its figures are written by %[2]s. Nothing was stored.", "你不能为 %[1]s 登记数据:该店铺的数据由 %[2]s 登记。未保存任何数据。"},
	"access.err_shop_channel": {"Figures for %[1]s are logged only in %[2]s. Nothing was stored.", "%[1]s 的数据只能在 %[2]s 中登记。未保存任何数据。"},
	"access.err_control":      {"This text contains a control character (%[1]s), which no one types; nothing was done. Type it again as plain text (line breaks and tabs are fine).", "文本中含有控制字符(%[1]s),无法正常输入;未做任何操作。请以纯文本重新输入(换行和制表符可以)。"},
	"access.err_missed_run":   {"%[1]s was missed (the bot was down at its time), so it has no buttons; tick it with `/checklist done %[2]s ITEM…`, recorded late.", "%[1]s 已错过(发布时机器人未运行),没有按钮;请用 `/checklist done %[2]s 项目…` 补登,记为迟到。"},
	"access.late_checked":     {"Marked late on the missed run of %[2]s: %[1]s (%[3]d/%[4]d).", "已在错过的 %[2]s 上补登(标记为迟到):%[1]s(%[3]d/%[4]d)。"},
	"access.err_no_missed":    {"%[1]s has no missed run today to tick late; use `/checklist done`.", "%[1]s 今天没有错过的清单可补登;请使用 `/checklist done`。"},
}
