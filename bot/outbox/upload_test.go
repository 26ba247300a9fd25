package outbox_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"opsbot/bot/outbox"
	"opsbot/store"
)

// TestUploadFollowsItsPost: a report's chart is queued after the report
// under a channel name; the sender uploads it (files upload v2) to the
// channel ID Slack answered for the post, once the post is out, and then
// drops the file's bytes from the outbox.
func TestUploadFollowsItsPost(t *testing.T) {
	e := newEnv(t)
	e.fake.AddChannel("C9", "shop-managers")
	png := bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, 100)
	e.enqueue(store.Outgoing{Channel: "#shop-managers", Ref: "report:daily:main:2026-11-22", Text: "Daily report"})
	id := e.enqueue(store.Outgoing{Channel: "#shop-managers", Op: store.OpUpload, Ref: "report:daily:main:2026-11-22",
		File: &store.Attachment{Name: "chart.png", Title: "Daily report", Data: png}})
	orphan := e.enqueue(store.Outgoing{Channel: "#shop-managers", Op: store.OpUpload, Ref: "report:never", File: &store.Attachment{Name: "x.png", Data: png}})
	e.sim(outbox.Options{}).run(250*time.Millisecond, time.Minute, nil)

	files := e.fake.Files()
	if len(files) != 1 {
		t.Fatalf("files = %+v", files)
	}
	f := files[0]
	if !f.Completed || f.Channel != "C9" || f.Name != "chart.png" || f.Title != "Daily report" || !bytes.Equal(f.Content, png) {
		t.Errorf("file = %+v", f)
	}
	posts, uploads := e.fake.Calls("chat.postMessage"), e.fake.Calls("files.completeUploadExternal")
	if len(posts) != 1 || len(uploads) != 1 {
		t.Fatalf("%d posts, %d uploads", len(posts), len(uploads))
	}
	msgs, _ := e.st.OutboxMessages(context.Background(), "#shop-managers")
	for _, m := range msgs {
		if m.ID == id && (m.State != store.OutboxSent || m.FileData != nil) {
			t.Errorf("sent upload kept state %s and %d bytes", m.State, len(m.FileData))
		}
	}
	letters, _ := e.st.DeadLetters(context.Background(), 10)
	if len(letters) != 1 || letters[0].ID != orphan || !strings.Contains(letters[0].LastError, "report:never") {
		t.Errorf("dead letters = %+v", letters)
	}
}

func TestEnqueueChecksUploads(t *testing.T) {
	e := newEnv(t)
	for _, m := range []store.Outgoing{
		{Channel: "C1", Op: store.OpUpload, File: &store.Attachment{Name: "a.png", Data: []byte{1}}}, // no ref
		{Channel: "C1", Op: store.OpUpload, Ref: "r"},                                                // no file
		{Channel: "C1", Op: store.OpUpload, Ref: "r", File: &store.Attachment{Name: "a.png"}},        // empty file
		{Channel: "C1", Text: "x", File: &store.Attachment{Name: "a.png", Data: []byte{1}}},          // a post with a file
	} {
		if _, err := e.st.Enqueue(context.Background(), m); err == nil {
			t.Errorf("enqueued %+v", m)
		}
	}
}
