package handlers

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"

	"opsbot/chat"
	"opsbot/store"
)

// Provenance: a button or a form acts only on what the bot made. A button
// must sit on the message the bot posted for its run or item (the channel
// and ts the outbox recorded); a form's private metadata must carry the
// bot's seal, made for the person it was opened for.

// SetSealKey sets the key that seals modal metadata. Every replica must
// use the same key (main derives it from the bot token), or a form opened
// through one replica is refused by another. Without one, New picks a
// random key, which is right for one process.
func (r *Router) SetSealKey(key []byte) { r.sealKey = append([]byte(nil), key...) }

func randomKey() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return k
}

// seal encodes v as a modal's private metadata, sealed for user.
func (r *Router) seal(user string, v any) string { return Seal(r.sealKey, user, v) }

// Seal encodes v as private metadata with a MAC, under key, over the user
// it is for and the content. Exported for tools and tests that stand in
// for Slack (a form posted without opening it first).
func Seal(key []byte, user string, v any) string {
	body, _ := json.Marshal(v)
	return string(body) + "." + mac(key, user, body)
}

// unseal decodes metadata that seal made for user; false when it was not
// made by the bot, or for someone else.
func (r *Router) unseal(user, metadata string, v any) bool {
	i := strings.LastIndexByte(metadata, '.')
	if i < 0 {
		return false
	}
	body, sum := []byte(metadata[:i]), metadata[i+1:]
	if !hmac.Equal([]byte(sum), []byte(mac(r.sealKey, user, body))) {
		return false
	}
	return json.Unmarshal(body, v) == nil
}

func mac(key []byte, user string, body []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("opsbot-modal\x00" + user + "\x00"))
	m.Write(body)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// postedAt reports whether a click came from the message the bot posted
// for one of refs.
func (r *Router) postedAt(ctx context.Context, in chat.Interaction, refs ...string) (bool, error) {
	if in.ChannelID == "" || in.MessageTS == "" {
		return false, nil
	}
	for _, ref := range refs {
		ch, ts, ok, err := r.store.SlackTS(ctx, ref)
		if err != nil {
			return false, err
		}
		if ok && ch == in.ChannelID && ts == in.MessageTS {
			return true, nil
		}
	}
	return false, nil
}

// fromItemMessage reports whether an item's button was clicked on the
// item's own message (in its channel, or the customer-service copy).
func (r *Router) fromItemMessage(ctx context.Context, in chat.Interaction, it store.TrackedItem) (bool, error) {
	return r.postedAt(ctx, in, it.Ref(), it.CSRef())
}
