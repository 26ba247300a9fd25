package i18n

// stock holds the texts of the stock feature: /stock, its warnings, the
// digest's stock section and the replenishment sheet.
var stock = map[string]message{
	"report.stock_title": {"*Stock*", "*库存*"},
	"help.stock":         {"*Stock and replenishment* `/stock` (list) · `/stock sold A100 12` · `/stock set A100 140` · `/stock top` · `/stock slow` · `/stock sheet` — `/stock help` explains them all.", "*库存与补货* `/stock`(列表)· `/stock sold A100 12` · `/stock set A100 140` · `/stock top` · `/stock slow` · `/stock sheet` — `/stock help` 查看全部。"},

	// Views.
	"stock.list_title":        {"Stock of %[1]s on %[2]s", "%[1]s 库存(%[2]s)"},
	"stock.none":              {"%[1]s has no SKUs yet. Add them with `/stock item add SKU name…` or under `stock.items` in the config.", "%[1]s 还没有商品(SKU)。用 `/stock item add SKU 名称…` 添加,或写在配置的 `stock.items` 中。"},
	"stock.summary":           {"%[1]d SKUs: %[2]d out of stock, %[3]d low, %[4]d slow.", "共 %[1]d 个 SKU:缺货 %[2]d,库存低 %[3]d,滞销 %[4]d。"},
	"stock.more":              {"…and %[1]d more.", "……另有 %[1]d 个。"},
	"stock.col_sku":           {"SKU", "商品编码"},
	"stock.col_name":          {"Name", "名称"},
	"stock.col_on_hand":       {"On hand", "库存"},
	"stock.col_transit":       {"In transit", "在途"},
	"stock.col_avg7":          {"Avg 7d", "7日均销"},
	"stock.col_avg28":         {"Avg 28d", "28日均销"},
	"stock.col_cover":         {"Cover (d)", "可售天数"},
	"stock.col_status":        {"Status", "状态"},
	"stock.col_qty":           {"Qty", "数量"},
	"stock.col_order":         {"Order", "补货量"},
	"stock.col_why":           {"Why", "依据"},
	"stock.col_when":          {"When", "时间"},
	"stock.col_who":           {"Who", "操作人"},
	"stock.col_move":          {"Move", "类型"},
	"stock.col_last_sale":     {"Last sale", "最近销售"},
	"stock.status_out":        {"OUT", "缺货"},
	"stock.status_low":        {"low", "库存低"},
	"stock.status_slow":       {"slow", "滞销"},
	"stock.status_ok":         {"ok", "正常"},
	"stock.status_new":        {"not counted", "未盘点"},
	"stock.item_position":     {"On hand *%[1]d* · in transit %[2]s · avg %[3]s/day (7d), %[4]s/day (28d) · cover *%[5]s* days (warns under %[6]d) · %[7]s", "库存 *%[1]d* · 在途 %[2]s · 日均销量 %[3]s(7日)、%[4]s(28日)· 可售 *%[5]s* 天(低于 %[6]d 天预警)· %[7]s"},
	"stock.terms":             {"Case pack %[1]d · minimum order %[2]d · lead time %[3]d days · safety %[4]d days", "箱规 %[1]d · 起订量 %[2]d · 交期 %[3]d 天 · 安全天数 %[4]d 天"},
	"stock.orders_title":      {"*In transit*", "*在途*"},
	"stock.order_line":        {"%[1]d of %[2]d, ETA %[3]s", "%[2]d 件中还有 %[1]d 件,预计 %[3]s 到货"},
	"stock.sales_title":       {"*Sales, last 14 days*", "*近 14 天销量*"},
	"stock.moves_title":       {"*Last moves*", "*最近变动*"},
	"stock.kind_set":          {"count", "盘点"},
	"stock.kind_arrive":       {"arrived", "到货"},
	"stock.kind_order":        {"ordered", "订货"},
	"stock.kind_sold":         {"sold", "销量"},
	"stock.kind_import":       {"import", "导入"},
	"stock.kind_approve":      {"sheet order", "补货单订货"},
	"stock.kind_add":          {"added", "新增"},
	"stock.kind_edit":         {"edited", "修改"},
	"stock.top_title":         {"Top %[1]d by 7-day sales — %[2]s", "近 7 天销量前 %[1]d — %[2]s"},
	"stock.top_none":          {"No SKU sold anything in the last 7 days.", "近 7 天没有任何 SKU 有销量。"},
	"stock.slow_title":        {"No sale in %[1]d days — %[2]s", "%[1]d 天无销量(滞销)— %[2]s"},
	"stock.slow_none":         {"Every SKU sold in the last %[1]d days.", "近 %[1]d 天每个 SKU 都有销量。"},
	"stock.never":             {"never", "从未"},
	"stock.sell_through":      {"Sell-through (动销率) *%[1]s%%*: %[2]d of %[3]d SKUs sold in 30 days. Slow share (滞销率) %[4]s%%.", "动销率 *%[1]s%%*:%[3]d 个 SKU 中 %[2]d 个近 30 天有销量。滞销率 %[4]s%%。"},
	"stock.sell_through_few":  {"Sell-through: %[1]d of %[2]d SKUs sold in 30 days (shown as a rate from %[3]d SKUs).", "动销:%[2]d 个 SKU 中 %[1]d 个近 30 天有销量(满 %[3]d 个 SKU 才计算动销率)。"},
	"stock.sell_through_note": {"Computed from SKU data; it replaces the typed items_online and items_sold_30d in the digest.", "根据 SKU 数据计算;日报中将取代手工填写的在线商品数与动销商品数。"},
	"stock.cover_days":        {"%[1]s d", "%[1]s 天"},
	"stock.eta":               {"ETA %[1]s", "预计 %[1]s 到货"},

	// Movements.
	"stock.moved_set":         {"%[1]s counted stock of %[2]s (%[3]s):", "%[1]s 盘点了 %[2]s 的库存(%[3]s):"},
	"stock.moved_arrive":      {"%[1]s received goods for %[2]s:", "%[1]s 登记了 %[2]s 的到货:"},
	"stock.moved_order":       {"%[1]s recorded orders for %[2]s (in transit):", "%[1]s 登记了 %[2]s 的订货(在途):"},
	"stock.moved_sold":        {"%[1]s logged sales of %[2]s on %[3]s:", "%[1]s 记录了 %[2]s %[3]s 的销量:"},
	"stock.moved_plain":       {"Stock updated (%[1]d SKUs)", "库存已更新(%[1]d 个 SKU)"},
	"stock.was":               {"was", "原"},
	"stock.clamped":           {"Sales of `%[1]s` exceeded what was on hand; on hand stopped at 0. Count it with `/stock set`.", "`%[1]s` 的销量超过了库存,库存记为 0。请用 `/stock set` 盘点。"},
	"stock.item_added":        {"%[1]s added %[2]s to %[3]s.", "%[1]s 为 %[3]s 添加了 %[2]s。"},
	"stock.item_edited":       {"%[1]s changed %[2]s of %[3]s.", "%[1]s 修改了 %[3]s 的 %[2]s。"},
	"stock.item_added_plain":  {"SKU %[1]s added", "已添加 SKU %[1]s"},
	"stock.item_edited_plain": {"SKU %[1]s changed", "已修改 SKU %[1]s"},

	// Warnings.
	"stock.warn_out":          {":rotating_light: %[1]s is *out of stock*.", ":rotating_light: %[1]s *已缺货*。"},
	"stock.warn_low":          {":warning: %[1]s is low: *%[2]s days* of cover (warns under %[3]d), %[4]d on hand at %[5]s/day.", ":warning: %[1]s 库存低:可售 *%[2]s 天*(低于 %[3]d 天预警),库存 %[4]d,日均 %[5]s。"},
	"stock.warn_transit":      {"%[1]d in transit, arriving %[2]s.", "在途 %[1]d,预计 %[2]s 到货。"},
	"stock.warn_overdue":      {"%[1]d in transit, due %[2]s and not arrived: chase the supplier.", "在途 %[1]d,原定 %[2]s 到货但尚未到货:请催促供应商。"},
	"stock.warn_none_transit": {"Nothing is in transit.", "没有在途货物。"},
	"stock.warn_plain_low":    {"Low stock: %[1]s", "库存低:%[1]s"},
	"stock.warn_plain_out":    {"Out of stock: %[1]s", "缺货:%[1]s"},

	// Digest.
	"stock.digest_out":       {":rotating_light: Out of stock (%[1]d): %[2]s", ":rotating_light: 缺货(%[1]d):%[2]s"},
	"stock.digest_low":       {":warning: Low (%[1]d): %[2]s", ":warning: 库存低(%[1]d):%[2]s"},
	"stock.digest_hot_short": {":fire: Hot items that will run short before the next delivery (%[1]d): %[2]s", ":fire: 热销款库存撑不到下批到货(%[1]d):%[2]s"},
	"stock.digest_ok":        {"All %[1]d SKUs have enough stock.", "%[1]d 个 SKU 库存充足。"},

	// The replenishment sheet.
	"stock.sheet_title":       {"Replenishment sheet — %[1]s, %[2]s (#%[3]d)", "补货需求表 — %[1]s,%[2]s(#%[3]d)"},
	"stock.preview_title":     {"Replenishment preview — %[1]s, %[2]s (not posted)", "补货预览 — %[1]s,%[2]s(未发布)"},
	"stock.sheet_summary":     {"*%[1]d SKUs* to order, *%[2]d units* in all. %[3]d SKUs need nothing. Suggested = 28-day average × (lead + review + safety days) − on hand − in transit, rounded up to the case pack, at least the minimum order.", "需补货 *%[1]d 个 SKU*,共 *%[2]d 件*;%[3]d 个 SKU 无需补货。建议量 = 28 日均销 ×(交期 + 补货周期 + 安全天数)− 库存 − 在途,按箱规向上取整,不低于起订量。"},
	"stock.sheet_nothing":     {"Nothing to order this time: all %[1]d SKUs with sales history have enough stock.", "本次无需补货:%[1]d 个有销售记录的 SKU 库存均充足。"},
	"stock.sheet_more":        {"…and %[1]d more lines in the attached CSV.", "……另有 %[1]d 行见附件 CSV。"},
	"stock.sheet_edited_mark": {"* edited by hand.", "* 为手工修改的数量。"},
	"stock.sheet_no_history":  {"No sales history yet for %[1]d SKUs, so no suggestion: %[2]s. Log sales with `/stock sold`.", "%[1]d 个 SKU 尚无销售记录,无法给出建议:%[2]s。请用 `/stock sold` 记录销量。"},
	"stock.sheet_approved":    {":white_check_mark: Approved by %[1]s at %[2]s: the orders are in transit.", ":white_check_mark: %[1]s 已于 %[2]s 批准:已登记为在途。"},
	"stock.sheet_commands":    {"Managers: `/stock approve %[1]s` · `/stock edit %[1]s SKU QTY` (0 drops a line).", "主管可用:`/stock approve %[1]s` · `/stock edit %[1]s SKU 数量`(0 表示删除该行)。"},
	"stock.sheet_late":        {"Built late: the bot was down at the sheet's time.", "延迟生成:补货单时间点机器人未运行。"},
	"stock.no_history":        {"no sales history yet", "尚无销售记录"},
	"stock.why_avg":           {"%[1]d-day avg %[2]s/day × %[3]d days − %[4]d on hand", "%[1]d 日均销 %[2]s/天 × %[3]d 天 − 库存 %[4]d"},
	"stock.why_transit":       {" − %[1]d in transit", " − 在途 %[1]d"},
	"stock.why_case":          {" → %[1]d (case %[2]d)", " → %[1]d(箱规 %[2]d)"},
	"stock.why_min":           {" → %[1]d (min %[2]d)", " → %[1]d(起订 %[2]d)"},
	"stock.btn_approve":       {"Approve", "批准"},
	"stock.btn_edit":          {"Edit a line", "修改一行"},
	"stock.btn_cancel":        {"Cancel", "取消"},
	"stock.confirm_title":     {"Approve the sheet?", "批准补货单?"},
	"stock.confirm_text":      {"%[1]d orders, %[2]d units, will be recorded as in transit.", "%[1]d 个订单共 %[2]d 件将登记为在途。"},
	"stock.approved":          {"Sheet #%[1]d approved: %[2]d orders, %[3]d units, are in transit.", "补货单 #%[1]d 已批准:%[2]d 个订单共 %[3]d 件已登记为在途。"},
	"stock.line_edited":       {"`%[1]s` on sheet #%[2]d is now %[3]s.", "补货单 #%[2]d 中 `%[1]s` 已改为 %[3]s。"},
	"stock.modal_title":       {"Edit sheet #%[1]d", "修改补货单 #%[1]d"},
	"stock.modal_sku_hint":    {"SKU code on the sheet", "补货单上的商品编码"},
	"stock.modal_qty_hint":    {"Whole units; 0 drops the line", "整数件数;0 表示删除该行"},
	"stock.modal_submit":      {"Save", "保存"},

	// Refusals.
	"stock.err_usage":         {"`%[1]s` is not a stock command or an SKU. Try `/stock help`.", "`%[1]s` 不是库存命令,也不是商品编码。请看 `/stock help`。"},
	"stock.err_twice":         {"`%[1]s=` is given twice; give it once.", "`%[1]s=` 出现了两次;只能写一次。"},
	"stock.err_option":        {"`%[1]s=` does not go with `%[2]s`.", "`%[1]s=` 不能用于 `%[2]s`。"},
	"stock.err_pairs":         {"`/stock %[1]s` takes pairs of SKU and quantity, e.g. `/stock %[1]s A100 120 B200 36`.", "`/stock %[1]s` 后面要写成对的商品编码和数量,例如 `/stock %[1]s A100 120 B200 36`。"},
	"stock.err_qty":           {"`%[1]s` is not a quantity; use whole units such as 120, 1,200 or 1.2万.", "`%[1]s` 不是数量;请用整数件数,如 120、1,200 或 1.2万。"},
	"stock.err_qty_big":       {"`%[1]s` is too large; at most %[2]d.", "`%[1]s` 太大;最多 %[2]d。"},
	"stock.err_qty_zero":      {"`%[1]s`: the quantity must be at least 1.", "`%[1]s`:数量至少为 1。"},
	"stock.err_unknown_sku":   {"Shop `%[2]s` has no SKU `%[1]s`; add it with `/stock item add %[1]s name…`.", "店铺 `%[2]s` 没有商品 `%[1]s`;请先用 `/stock item add %[1]s 名称…` 添加。"},
	"stock.err_sku_twice":     {"`%[1]s` is listed twice; give each SKU once.", "`%[1]s` 出现了两次;每个 SKU 只能写一次。"},
	"stock.err_sku_code":      {"`%[1]s` is not an SKU code; use letters, digits and - _ . / (at most 64), e.g. A100.", "`%[1]s` 不是商品编码;请用字母、数字和 - _ . /(最多 64 个),例如 A100。"},
	"stock.err_name_long":     {"The name has %[1]d characters; at most 200.", "名称有 %[1]d 个字符;最多 200 个。"},
	"stock.err_exists":        {"Shop `%[2]s` already has `%[1]s`; change it with `/stock item edit %[1]s …`.", "店铺 `%[2]s` 已有 `%[1]s`;请用 `/stock item edit %[1]s …` 修改。"},
	"stock.err_item_usage":    {"Use `/stock item add SKU name… [case=12] [min=50] [lead=7] [safety=3]` or `/stock item edit SKU key=value…`.", "用法:`/stock item add SKU 名称… [case=12] [min=50] [lead=7] [safety=3]` 或 `/stock item edit SKU 键=值…`。"},
	"stock.err_eta_past":      {"ETA %[1]s is in the past (today is %[2]s); goods in transit arrive today or later.", "预计到货日 %[1]s 已经过去(今天是 %[2]s);在途货物只能今天或以后到货。"},
	"stock.err_top":           {"Use `/stock top` or `/stock top N` with N from 1 to 100.", "用法:`/stock top` 或 `/stock top N`,N 为 1 到 100。"},
	"stock.err_no_sheet":      {"%[1]s has no replenishment sheet yet. `/stock sheet now` previews today's.", "%[1]s 还没有补货单。`/stock sheet now` 可预览今天的。"},
	"stock.err_sheet_ref":     {"`%[1]s` is not a sheet number; use the number in the sheet's title, e.g. `/stock approve 12`.", "`%[1]s` 不是补货单编号;请用标题中的编号,例如 `/stock approve 12`。"},
	"stock.err_sheet_unknown": {"There is no sheet #%[1]d for shop `%[2]s`.", "店铺 `%[2]s` 没有 #%[1]d 号补货单。"},
	"stock.err_sheet_usage":   {"Use `/stock sheet` (the latest), `/stock sheet N` or `/stock sheet now` (a preview).", "用法:`/stock sheet`(最新)、`/stock sheet N` 或 `/stock sheet now`(预览)。"},
	"stock.err_approve_usage": {"Use `/stock approve N`, N the sheet's number.", "用法:`/stock approve N`,N 为补货单编号。"},
	"stock.err_edit_usage":    {"Use `/stock edit N SKU QTY`, e.g. `/stock edit 12 A100 48` (0 drops the line).", "用法:`/stock edit N SKU 数量`,例如 `/stock edit 12 A100 48`(0 表示删除该行)。"},
	"stock.err_not_manager":   {"Only managers may approve or edit a replenishment sheet.", "只有主管可以批准或修改补货单。"},
	"stock.err_approved":      {"Sheet #%[1]d is already approved %[2]s; nothing changed.", "补货单 #%[1]d 已被批准 %[2]s;未做任何更改。"},
	"stock.err_not_on_sheet":  {"`%[1]s` is not on sheet #%[2]d.", "`%[1]s` 不在补货单 #%[2]d 上。"},

	// Import.
	"stock.import_title":         {"Import preview: %[1]s", "导入预览:%[1]s"},
	"stock.import_summary":       {"*%[1]d rows* (%[2]s) from %[3]s to %[4]s, %[5]d SKUs, for %[6]s.", "*%[1]d 行*(%[2]s),%[3]s 至 %[4]s,%[5]d 个 SKU,店铺 %[6]s。"},
	"stock.import_sales":         {"Sales: %[1]d new, %[2]d replaced. Stock counts: %[3]d. Nothing is stored until you confirm.", "销量:新增 %[1]d 条,覆盖 %[2]d 条。库存盘点:%[3]d 条。确认之前不会保存任何数据。"},
	"stock.import_replaced":      {"Replaced (old → new): %[1]s", "覆盖(原 → 新):%[1]s"},
	"stock.import_new_skus":      {"New SKUs, added on import (%[1]d): %[2]s", "导入时新增的 SKU(%[1]d):%[2]s"},
	"stock.import_ignored":       {"Columns ignored: %[1]s", "忽略的列:%[1]s"},
	"stock.import_commands":      {"Or `/stock import confirm %[1]s` · `/stock import cancel %[1]s`.", "也可用 `/stock import confirm %[1]s` · `/stock import cancel %[1]s`。"},
	"stock.import_refused":       {"Nothing was stored: `%[1]s` has %[2]d bad row(s). Fix them and import the file again:", "未保存任何数据:`%[1]s` 有 %[2]d 行有误。请修正后重新导入:"},
	"stock.import_row":           {"row %[1]d: %[2]s", "第 %[1]d 行:%[2]s"},
	"stock.import_again":         {"`%[1]s` was imported before; importing it again changes nothing.", "`%[1]s` 之前已导入;再次导入不会有任何变化。"},
	"stock.imported":             {"%[1]s imported %[2]d rows of stock and sales from `%[3]s`.", "%[1]s 从 `%[3]s` 导入了 %[2]d 行库存与销量。"},
	"stock.import_cancelled":     {"Import #%[1]d cancelled; nothing was stored.", "导入 #%[1]d 已取消;未保存任何数据。"},
	"stock.btn_import":           {"Import", "导入"},
	"stock.err_import_usage":     {"Use `/stock import PATH [date=YYYY-MM-DD]` (console), then `/stock import confirm N` or `cancel N`. Columns: 商品编码/SKU, 商品名称, 销量, 库存, 日期 (optional; default yesterday).", "用法:`/stock import 路径 [date=YYYY-MM-DD]`(控制台),然后 `/stock import confirm N` 或 `cancel N`。列:商品编码/SKU、商品名称、销量、库存、日期(可选,默认昨天)。"},
	"stock.err_import_slack":     {"In Slack, share the CSV or XLSX file with the bot instead of a path.", "在 Slack 中请直接把 CSV 或 XLSX 文件发给机器人,而不是写路径。"},
	"stock.err_import_file":      {"Cannot read `%[1]s`: no such file.", "无法读取 `%[1]s`:文件不存在。"},
	"stock.err_import_read":      {"Cannot import `%[1]s`: %[2]s.", "无法导入 `%[1]s`:%[2]s。"},
	"stock.err_import_columns":   {"No sales or stock column among %[1]s; name them 销量/sold and 库存/stock, with 商品编码/SKU.", "在 %[1]s 中没有销量或库存列;请使用 销量/sold 与 库存/stock,以及 商品编码/SKU。"},
	"stock.err_import_empty":     {"`%[1]s` has no rows to import.", "`%[1]s` 没有可导入的行。"},
	"stock.err_import_dup":       {"`%[1]s` on %[2]s is already on row %[3]d.", "`%[1]s` 在 %[2]s 的数据已在第 %[3]d 行出现。"},
	"stock.err_import_ref":       {"`%[1]s` is not an import number.", "`%[1]s` 不是导入编号。"},
	"stock.err_import_unknown":   {"There is no import #%[1]d. Previews expire %[2]d hours after the file was shared and are then deleted: share the file again for a fresh one.", "没有 #%[1]d 号导入。预览在分享文件 %[2]d 小时后过期并被删除:请重新分享文件以获取新的预览。"},
	"stock.err_import_expired":   {"Import #%[1]d expired: a preview can be confirmed for %[2]d hours after the file was shared, and nothing was stored. Share the file again for a fresh preview.", "导入 #%[1]d 已过期:预览只能在分享文件后 %[2]d 小时内确认,未保存任何数据。请重新分享文件以获取新的预览。"},
	"stock.err_import_not_yours": {"Import #%[1]d is someone else's; they or a manager confirm it.", "导入 #%[1]d 是别人发起的;需由本人或主管确认。"},
	"stock.err_import_closed":    {"Import #%[1]d was already confirmed or cancelled; nothing changed.", "导入 #%[1]d 已确认或已取消;未做任何更改。"},

	// Help.
	"stock.help_title": {"Stock and replenishment", "库存与补货"},
	"stock.help": {"`/stock` — every SKU: on hand, in transit, average daily sales (7 and 28 days), days of cover, status\n" +
		"`/stock SKU` — one SKU: position, orders in transit, sales of the last 14 days, last moves\n" +
		"`/stock top [N]` — the top N by 7-day sales (default 20)\n" +
		"`/stock slow` — no sale in 30 days, and the sell-through (动销率) from SKU data\n" +
		"`/stock set SKU QTY … [date=…]` — a count of what is on hand (at the start of its day)\n" +
		"`/stock sold SKU QTY … [date=…]` — a day's unit sales (default yesterday); logging a day again replaces it\n" +
		"`/stock arrive SKU QTY …` — goods received; closes what was in transit, oldest first\n" +
		"`/stock order SKU QTY … [eta=DATE]` — goods ordered, in transit (ETA default: the lead time)\n" +
		"`/stock item add SKU name… [case=12] [min=50] [lead=7] [safety=3]`, `/stock item edit SKU key=value…`\n" +
		"`/stock sheet [N|now]` — the replenishment sheet (built every week at `stock.sheet`), `/stock approve N`, `/stock edit N SKU QTY`\n" +
		"`/stock import FILE [date=…]` — per-SKU sales and stock from a CSV or XLSX (商品编码/SKU, 商品名称, 销量, 库存, 日期): a preview, then `/stock import confirm N`\n" +
		"Quantities are whole units (120, 1,200, 1.2万). Several SKUs go in one command, and either all are stored or none. Add `shop=ID` for another shop.",
		"`/stock` — 全部 SKU:库存、在途、日均销量(7 日与 28 日)、可售天数、状态\n" +
			"`/stock SKU` — 单个 SKU:库存情况、在途订单、近 14 天销量、最近变动\n" +
			"`/stock top [N]` — 近 7 天销量前 N(默认 20)\n" +
			"`/stock slow` — 30 天无销量的商品,以及按 SKU 数据计算的动销率\n" +
			"`/stock set SKU 数量 … [date=…]` — 盘点库存(视为当天开始时的库存)\n" +
			"`/stock sold SKU 数量 … [date=…]` — 某天的销量(默认昨天);同一天再次记录会覆盖\n" +
			"`/stock arrive SKU 数量 …` — 到货;按先后冲减在途\n" +
			"`/stock order SKU 数量 … [eta=日期]` — 订货,记为在途(默认按交期计算到货日)\n" +
			"`/stock item add SKU 名称… [case=12] [min=50] [lead=7] [safety=3]`,`/stock item edit SKU 键=值…`\n" +
			"`/stock sheet [N|now]` — 补货需求表(每周按 `stock.sheet` 生成),`/stock approve N`,`/stock edit N SKU 数量`\n" +
			"`/stock import 文件 [date=…]` — 从 CSV 或 XLSX 导入各 SKU 的销量与库存(商品编码/SKU、商品名称、销量、库存、日期):先预览,再 `/stock import confirm N`\n" +
			"数量为整数件(120、1,200、1.2万)。一条命令可写多个 SKU,要么全部保存,要么都不保存。其他店铺请加 `shop=ID`。"},
}
