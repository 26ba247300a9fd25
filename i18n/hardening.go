package i18n

// hardening holds the refusals of input no person would type: too long,
// too many values, not UTF-8.
var hardening = map[string]message{
	"err.text_not_utf8":   {"This command has bytes that are not UTF-8 text, so it was not read and nothing was done. Type it again, or paste it as plain text.", "该命令包含不是 UTF-8 文本的字节,未被读取,也未做任何操作。请重新输入,或以纯文本粘贴。"},
	"err.text_too_long":   {"This command is %[1]d characters long; opsbot reads at most %[2]d. Nothing was done.", "该命令长 %[1]d 个字符;opsbot 最多读取 %[2]d 个。未做任何操作。"},
	"err.too_many_values": {"This command has %[1]d values; one `/metric` command takes at most %[2]d. Nothing was stored.", "该命令有 %[1]d 个值;一条 `/metric` 命令最多 %[2]d 个。未保存任何数据。"},
	"err.more_problems":   {"…and %[1]d more.", "……另有 %[1]d 处问题。"},
}
