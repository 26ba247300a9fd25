package i18n

// Text is a user-facing text in both supported languages.
type Text struct {
	En string `yaml:"en"`
	Zh string `yaml:"zh"`
}

// In returns the text for a locale, falling back to the other language.
func (t Text) In(locale string) string {
	if locale == "zh" && t.Zh != "" {
		return t.Zh
	}
	if t.En != "" {
		return t.En
	}
	return t.Zh
}
