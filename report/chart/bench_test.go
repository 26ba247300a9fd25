package chart

import "testing"

// BenchmarkPNG draws the same 3-panel chart with English labels (the
// built-in fonts) and with Chinese ones (the system's CJK font, found
// once, mapped and repacked for each chart).
func BenchmarkPNG(b *testing.B) {
	c := chinese()
	en := c
	en.Labels = c.Fallback
	d := New(Options{})
	b.Run("english", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := d.PNG(en); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("chinese", func(b *testing.B) {
		if d.FontFile() == "" {
			b.Skip("no font that draws Chinese on this machine")
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := d.PNG(c); err != nil {
				b.Fatal(err)
			}
		}
	})
}
