package i18n

// Test-only exports.

// Keys lists every key of the catalog.
func Keys() []string {
	out := make([]string, 0, len(messages))
	for k := range messages {
		out = append(out, k)
	}
	return out
}

// Template returns a message's raw templates (for tests).
func Template(key string) (en, zh string) {
	m := messages[key]
	return m.en, m.zh
}
