package command_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/jonboulle/clockwork"

	"opsbot/config"
	"opsbot/handlers/command"
)

func env(t *testing.T, key string) *command.Env {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	e := command.NewEnv(cfg, clockwork.NewFakeClock(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	e.SetSealKey([]byte(key))
	return e
}

// A sealed button value reads back only as what the bot sealed: its kind
// and ID, under its key, for no particular person.
func TestSealRef(t *testing.T) {
	e := env(t, "key one")
	genuine := e.SealRef("metric_import", 7)
	if len(genuine) > 2000 {
		t.Fatalf("value of %d characters; Slack allows 2,000 for a button", len(genuine))
	}
	for _, c := range []struct {
		name, value string
		want        uint64
	}{
		{"genuine", genuine, 7},
		{"bare id", "7", 0},
		{"empty", "", 0},
		{"edited id", strings.Replace(genuine, `"id":7`, `"id":8`, 1), 0},
		{"edited kind", strings.Replace(genuine, "metric_import", "stock_import", 1), 0},
		{"another kind", e.SealRef("stock_import", 7), 0},
		{"another key", env(t, "key two").SealRef("metric_import", 7), 0},
		{"sealed for a person", e.Seal("U0ALICE", map[string]any{"k": "metric_import", "id": 7}), 0},
		{"zero id", e.SealRef("metric_import", 0), 0},
		{"truncated", genuine[:len(genuine)-1], 0},
	} {
		got, ok := e.UnsealRef("metric_import", c.value)
		if got != c.want || ok != (c.want != 0) {
			t.Errorf("%s: UnsealRef(%q) = %d, %v; want %d", c.name, c.value, got, ok, c.want)
		}
	}
}

// ClaimedRef reads the number a value names, sealed or not, only to name
// it in a refusal.
func TestClaimedRef(t *testing.T) {
	e := env(t, "key one")
	for value, want := range map[string]uint64{
		"12": 12, "#12": 12, e.SealRef("stock_import", 9): 9, `{"k":"x","id":5}.forged`: 5,
		"": 0, "abc": 0, "{nonsense": 0, `{"id":0}.x`: 0,
	} {
		if got, ok := command.ClaimedRef(value); got != want || ok != (want != 0) {
			t.Errorf("ClaimedRef(%q) = %d, %v; want %d", value, got, ok, want)
		}
	}
}
