package chart

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"opsbot/exact"
)

// logBuffer collects log lines, safely from any goroutine.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) logger() *slog.Logger { return slog.New(slog.NewTextHandler(l, nil)) }

// chinese is a chart of a bounce rate and a visit length, labelled in
// Chinese, with its English fallback.
func chinese() Chart {
	n := 14
	return Chart{
		Dates: dates(n),
		Series: []Series{
			{Unit: exact.BasisPoints, Values: values(n, func(i int) (int64, bool) { return int64(4000 + i*150), true })},
			{Unit: exact.Seconds, Values: values(n, func(i int) (int64, bool) { return int64(90 + i*5), i != 3 })},
			{Unit: exact.Money, Values: values(n, func(i int) (int64, bool) { return int64(250 + i*3), true })},
		},
		Labels:   Labels{Title: "我的店铺 · 2026-11-09 至 2026-11-22", Axes: []string{"跳失率 (%)", "平均停留时长 (分:秒)", "UV价值 (元)"}, Target: "日目标"},
		Fallback: Labels{Title: "main · 2026-11-09 to 2026-11-22", Axes: []string{"Bounce rate (%)", "Average visit length (m:ss)", "UV value (CNY)"}, Target: "daily target"},
	}
}

// Without a CJK font, labels in Chinese are drawn in English, and the
// log says why, once.
func TestFallbackToEnglish(t *testing.T) {
	var logs logBuffer
	d := New(Options{Search: []string{t.TempDir()}, Log: logs.logger()})
	c := chinese()
	got, err := d.PNG(c)
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, got)
	if _, err := d.PNG(c); err != nil {
		t.Fatal(err)
	}
	english := c
	english.Labels = c.Fallback
	want, err := d.PNG(english)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("the fallback is not the English chart")
	}
	if n := strings.Count(logs.String(), "chart labels are drawn in English"); n != 1 {
		t.Errorf("the fallback was logged %d times, want once:\n%s", n, logs.String())
	}
	for _, want := range []string{"no CJK font file in", "fonts-wqy-microhei", "reports.chart_font"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log line lacks %q:\n%s", want, logs.String())
		}
	}
	if d.FontFile() != "" {
		t.Errorf("a font was found in an empty folder: %s", d.FontFile())
	}
}

// A configured file that is not a font is reported, and the chart still
// comes, in English.
func TestConfiguredFontIsNotAFont(t *testing.T) {
	var logs logBuffer
	bad := filepath.Join(t.TempDir(), "wqy-microhei.ttc")
	if err := os.WriteFile(bad, bytes.Repeat([]byte("not a font "), 100), 0o644); err != nil {
		t.Fatal(err)
	}
	d := New(Options{FontFile: bad, Search: []string{filepath.Dir(bad)}, Log: logs.logger()})
	b, err := d.PNG(chinese())
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, b)
	for _, want := range []string{"reports.chart_font cannot draw Chinese labels", "chart labels are drawn in English", "no usable CJK font: " + bad} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log lacks %q:\n%s", want, logs.String())
		}
	}
}

// Font folders are searched for the usual CJK fonts, best name first.
func TestFontCandidates(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"truetype/wqy/wqy-microhei.ttc", "truetype/dejavu/DejaVuSans.ttf", "opentype/noto/NotoSansCJK-Regular.ttc", "x/wqy-zenhei.ttc"} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	listed := filepath.Join(dir, "listed.ttf")
	src := &fontSource{search: []string{listed, filepath.Join(dir, "missing.ttc"), dir}}
	if err := os.WriteFile(listed, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range src.candidates() {
		got = append(got, strings.TrimPrefix(p, dir+"/"))
	}
	want := "listed.ttf opentype/noto/NotoSansCJK-Regular.ttc truetype/wqy/wqy-microhei.ttc x/wqy-zenhei.ttc"
	if strings.Join(got, " ") != want {
		t.Errorf("candidates %q, want %q", got, want)
	}
}

// With a CJK font on the system (the Docker image installs one), labels
// in Chinese are drawn in Chinese. Set OPSBOT_CHART_PNG to a file name to
// keep the chart and look at it.
func TestChineseLabelsWithSystemFont(t *testing.T) {
	var logs logBuffer
	d := New(Options{Log: logs.logger()})
	path := d.FontFile()
	if path == "" {
		t.Skip("no font that draws Chinese on this machine (apt-get install fonts-wqy-microhei or fonts-noto-cjk); the English fallback is tested without one")
	}
	c := chinese()
	got, err := d.PNG(c)
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, got)
	if out := os.Getenv("OPSBOT_CHART_PNG"); out != "" {
		if err := os.WriteFile(out, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	english := c
	english.Labels = c.Fallback
	en, err := d.PNG(english)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got, en) {
		t.Error("the Chinese labels were drawn as the English ones")
	}
	if strings.Contains(logs.String(), "drawn in English") {
		t.Errorf("fell back with a font at %s:\n%s", path, logs.String())
	}
	// The same font named in the config draws the same chart.
	named := New(Options{FontFile: path, Search: []string{}})
	again, err := named.PNG(c)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, again) {
		t.Error("reports.chart_font drew another chart than the same font found on the system")
	}
	// Its pages are given back after a chart and come back for the next.
	ReleaseFonts()
	if again, _ := d.PNG(c); !bytes.Equal(got, again) {
		t.Error("the chart changed after the font's pages were dropped")
	}
}

// Charts drawn at once share the drawer: the font is found once, and
// each draws the same chart.
func TestConcurrentCharts(t *testing.T) {
	d := New(Options{})
	c := chinese()
	out := make([][]byte, 3)
	var wg sync.WaitGroup
	for i := range out {
		wg.Go(func() {
			b, err := d.PNG(c)
			if err != nil {
				t.Error(err)
			}
			out[i] = b
		})
	}
	wg.Wait()
	for i := range out[1:] {
		if !bytes.Equal(out[0], out[i+1]) {
			t.Errorf("chart %d differs from chart 0", i+1)
		}
	}
}
