package bot_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"opsbot/bot"
	"opsbot/config"
	"opsbot/handlers"
	"opsbot/store"
)

// The README's sample goes in through the console as a user would type it.
func TestConsoleImportsTheSampleFile(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clock := clockwork.NewFakeClockAt(time.Date(2026, 11, 23, 9, 0, 0, 0, cfg.Location))
	router := handlers.New(cfg, st, clock, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var out bytes.Buffer
	in := "/metric import ../testdata/import-sample.csv\n/metric import confirm 1\n/metric import ../testdata/import-sample.csv\n/metric import /no/such/file.csv\n/metric help\n"
	c := &bot.Console{Handler: router, Clock: clock, In: strings.NewReader(in), Out: &out, User: "alice", Channel: "shop-ops"}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"Import 1 — preview of “import-sample.csv” (csv, utf-8)",
		"2026-11-20 to 2026-11-22 · shop main · 3 row(s): 18 new value(s), 0 replaced, 0 unchanged.",
		"alice imported “import-sample.csv”: 18 value(s) stored (18 new, 0 replaced), 2026-11-20 to 2026-11-22.",
		"was imported already (import 1",
		"Cannot read `/no/such/file.csv`",
		"Import the back office's export",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("console lacks %q:\n%s", want, got)
		}
	}
	d, _ := st.DayMetrics(context.Background(), "main", "2026-11-22")
	want := map[string]int64{"uv": 1500, "pv": 4200, "paid": 45, "sales": 675050, "bounce_rate": 3850, "avg_visit": 125}
	for k, v := range want {
		if d[k] != v {
			t.Errorf("%s = %d, want %d (%v)", k, d[k], v, d)
		}
	}
}
