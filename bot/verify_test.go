package bot

import (
	"errors"
	"net/http"
	"testing"
	"time"
)

// Slack's published example (api.slack.com/authentication/verifying-requests-from-slack).
const (
	exampleSecret = "8f742231b10e8888abcd99yyyzzz85a5"
	exampleTS     = "1531420618"
	exampleBody   = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	exampleSig    = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

func TestVerifySlackExample(t *testing.T) {
	now := time.Unix(1531420618, 0)
	h := http.Header{}
	h.Set("X-Slack-Signature", exampleSig)
	h.Set("X-Slack-Request-Timestamp", exampleTS)
	if got := Sign(exampleSecret, exampleTS, []byte(exampleBody)); got != exampleSig {
		t.Fatalf("Sign = %s, want %s", got, exampleSig)
	}
	if err := Verify(exampleSecret, h, []byte(exampleBody), now); err != nil {
		t.Fatalf("Slack's example does not verify: %v", err)
	}

	header := func(sig, ts string) http.Header {
		h := http.Header{}
		if sig != "" {
			h.Set("X-Slack-Signature", sig)
		}
		if ts != "" {
			h.Set("X-Slack-Request-Timestamp", ts)
		}
		return h
	}
	tests := []struct {
		name   string
		secret string
		h      http.Header
		body   string
		now    time.Time
		want   error
	}{
		{"wrong secret", "8f742231b10e8888abcd99yyyzzz85a6", header(exampleSig, exampleTS), exampleBody, now, ErrBadSignature},
		{"altered body", exampleSecret, header(exampleSig, exampleTS), exampleBody + "&text=x", now, ErrBadSignature},
		{"stale", exampleSecret, header(exampleSig, exampleTS), exampleBody, now.Add(5*time.Minute + time.Second), ErrStale},
		{"future", exampleSecret, header(exampleSig, exampleTS), exampleBody, now.Add(-5*time.Minute - time.Second), ErrStale},
		{"just inside the window", exampleSecret, header(exampleSig, exampleTS), exampleBody, now.Add(5 * time.Minute), nil},
		{"no signature", exampleSecret, header("", exampleTS), exampleBody, now, ErrMissingHeaders},
		{"no timestamp", exampleSecret, header(exampleSig, ""), exampleBody, now, ErrMissingHeaders},
		{"timestamp not a number", exampleSecret, header(exampleSig, "12x"), exampleBody, now, ErrBadTimestamp},
		{"v1 signature", exampleSecret, header("v1="+exampleSig[3:], exampleTS), exampleBody, now, ErrBadSignature},
		{"empty secret", "", header(exampleSig, exampleTS), exampleBody, now, ErrMissingHeaders},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Verify(tt.secret, tt.h, []byte(tt.body), tt.now); !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func FuzzVerify(f *testing.F) {
	f.Add(exampleSig, exampleTS, []byte(exampleBody))
	f.Add("", "", []byte{})
	f.Fuzz(func(t *testing.T, sig, ts string, body []byte) {
		h := http.Header{}
		h.Set("X-Slack-Signature", sig)
		h.Set("X-Slack-Request-Timestamp", ts)
		if err := Verify(exampleSecret, h, body, time.Unix(1531420618, 0)); err == nil && sig != Sign(exampleSecret, ts, body) {
			t.Fatalf("accepted a wrong signature %q", sig)
		}
	})
}
