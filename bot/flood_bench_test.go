package bot_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"opsbot/bot"
)

// BenchmarkRefuseUnsigned is what one forged 1 MiB body costs the server:
// without signature headers it is refused before a byte is read; with a
// fresh timestamp and a wrong signature it is read into a lent buffer and
// hashed, and allocates no body.
func BenchmarkRefuseUnsigned(b *testing.B) {
	sl := &bot.Slack{Clock: clockwork.NewRealClock(), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	h := (&bot.HTTPReceiver{Slack: sl, SigningSecret: secret}).Handler()
	for _, signed := range []bool{false, true} {
		name := "no-headers"
		if signed {
			name = "bad-signature"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(1 << 20)
			for b.Loop() {
				body := &countingBody{left: 1 << 20}
				req := httptest.NewRequest(http.MethodPost, "/slack/commands", nil)
				req.Body, req.ContentLength = body, 1<<20
				if signed {
					req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(time.Now().Unix(), 10))
					req.Header.Set("X-Slack-Signature", "v0=00")
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusUnauthorized {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}
