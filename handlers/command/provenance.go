package command

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"

	"opsbot/chat"
)

// Provenance: a button or a form acts only on what the bot made. A button
// of a channel message must sit on the message the bot posted for its run
// or item (the channel and ts the outbox recorded); a button of a reply
// only its asker sees (an import's preview) carries a value the bot sealed
// (SealRef), because Slack tells the bot no usable ts of such a message;
// a form's private metadata must carry the bot's seal, made for the person
// it was opened for.

// SetSealKey sets the key that seals modal metadata and button values.
// Every replica must use the same key (main derives it from the bot
// token), or what one replica sealed is refused by another. Until it is
// set, a random key is used, which is right for one process.
func (e *Env) SetSealKey(key []byte) { e.sealKey = append([]byte(nil), key...) }

func (e *Env) key() []byte {
	e.keyOnce.Do(func() {
		if e.sealKey == nil {
			k := make([]byte, 32)
			_, _ = rand.Read(k)
			e.sealKey = k
		}
	})
	return e.sealKey
}

// Seal encodes v as a modal's private metadata (or a button's value),
// sealed for user.
func (e *Env) Seal(user string, v any) string { return Seal(e.key(), user, v) }

// Seal encodes v as private metadata with a MAC, under key, over the user
// it is for and the content. Exported for tools and tests that stand in
// for Slack (a form posted without opening it first).
func Seal(key []byte, user string, v any) string {
	body, _ := json.Marshal(v)
	return string(body) + "." + mac(key, user, body)
}

// Unseal decodes metadata that Seal made for user; false when it was not
// made by the bot, or for someone else.
func (e *Env) Unseal(user, metadata string, v any) bool {
	i := strings.LastIndexByte(metadata, '.')
	if i < 0 {
		return false
	}
	body, sum := []byte(metadata[:i]), metadata[i+1:]
	if !hmac.Equal([]byte(sum), []byte(mac(e.key(), user, body))) {
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

// sealedRef is what a sealed button value carries: which kind of object
// (so a value sealed for one feature's buttons names nothing in another)
// and its ID.
type sealedRef struct {
	Kind string `json:"k"`
	ID   uint64 `json:"id"`
}

// SealRef is the value of a button that acts on object id of kind (an
// import's Import and Cancel): sealed by the bot for no particular person,
// since who may press it (the uploader, a manager) is checked when it is
// pressed. About 70 bytes, far within Slack's 2,000 for a button value.
func (e *Env) SealRef(kind string, id uint64) string {
	return e.Seal("", sealedRef{Kind: kind, ID: id})
}

// UnsealRef reads a button value SealRef made for kind; false when the bot
// did not make it: typed or edited in a crafted payload, sealed for
// another kind, or under another key.
func (e *Env) UnsealRef(kind, value string) (uint64, bool) {
	var r sealedRef
	if !e.Unseal("", value, &r) || r.Kind != kind || r.ID == 0 {
		return 0, false
	}
	return r.ID, true
}

// ClaimedRef is the ID a button value names, sealed or not, to name it in
// a refusal ("use /metric import confirm 7"); it is not to be acted on.
func ClaimedRef(value string) (uint64, bool) {
	if id, err := strconv.ParseUint(strings.TrimPrefix(value, "#"), 10, 64); err == nil {
		return id, true
	}
	var r sealedRef
	if i := strings.LastIndexByte(value, '.'); i > 0 && json.Unmarshal([]byte(value[:i]), &r) == nil && r.ID > 0 {
		return r.ID, true
	}
	return 0, false
}

// Posts is where the outbox recorded the bot's posted messages.
type Posts interface {
	SlackTS(ctx context.Context, ref string) (channel, ts string, ok bool, err error)
}

// PostedAt reports whether a click came from the message the bot posted
// for one of refs.
func PostedAt(ctx context.Context, posts Posts, in chat.Interaction, refs ...string) (bool, error) {
	if in.ChannelID == "" || in.MessageTS == "" {
		return false, nil
	}
	for _, ref := range refs {
		ch, ts, ok, err := posts.SlackTS(ctx, ref)
		if err != nil {
			return false, err
		}
		if ok && ch == in.ChannelID && ts == in.MessageTS {
			return true, nil
		}
	}
	return false, nil
}
