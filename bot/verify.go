package bot

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"time"
)

// MaxSkew is how far a request's timestamp may be from now: Slack's
// documented replay window.
const MaxSkew = 5 * time.Minute

// Errors of request verification; each means 401.
var (
	ErrMissingHeaders = errors.New("missing X-Slack-Signature or X-Slack-Request-Timestamp")
	ErrBadTimestamp   = errors.New("request timestamp is not a number")
	ErrStale          = errors.New("request timestamp is outside the 5-minute window")
	ErrBadSignature   = errors.New("signature does not match")
)

// Verify checks Slack's v0 request signature: HMAC-SHA256 of
// "v0:timestamp:body" with the signing secret, compared in constant time,
// and a timestamp within MaxSkew of now either way. It is written here
// rather than taken from slack-go because slack-go reads the wall clock,
// and the clock must be injected to test Slack's own published example.
func Verify(secret string, h http.Header, body []byte, now time.Time) error {
	if err := CheckHeaders(secret, h, now); err != nil {
		return err
	}
	if !hmac.Equal([]byte(h.Get("X-Slack-Signature")), []byte(Sign(secret, h.Get("X-Slack-Request-Timestamp"), body))) {
		return ErrBadSignature
	}
	return nil
}

// Sign computes the v0 signature of a body, as Slack sends it.
func Sign(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + timestamp + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}
