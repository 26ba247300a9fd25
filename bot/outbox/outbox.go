// Package outbox delivers the messages the bot sends on its own. They are
// written to the store's outbox in the same transaction as the change that
// caused them; a Sender posts them to Slack, paced per channel and in
// order per channel, retrying what may succeed later and setting aside
// (as dead letters) what never will. All its state is in the database, so
// it survives restarts and several replicas can share one PostgreSQL.
package outbox

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/slack-go/slack"

	"opsbot/store"
)

// API is the part of the Slack Web API the sender calls; *slack.Client
// has it.
type API interface {
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	UpdateMessageContext(ctx context.Context, channelID, timestamp string, options ...slack.MsgOption) (string, string, string, error)
}

// Uploader delivers files (files upload v2: getUploadURLExternal, the
// upload, completeUploadExternal); *slack.Client has it. An API without it
// cannot deliver uploads, which are then dead letters.
type Uploader interface {
	UploadFileContext(ctx context.Context, params slack.UploadFileParameters) (*slack.FileSummary, error)
}

// Options tune a Sender; zero fields take the defaults.
type Options struct {
	// Owner names this sender in channel leases; it must differ between
	// processes. Default: hostname, pid and a random suffix.
	Owner string
	// ChannelInterval is the least time between two messages to one
	// channel; Slack allows about one post per second per channel.
	// Default 1s.
	ChannelInterval time.Duration
	// MinBackoff is the wait after a first failure; it doubles with each
	// failure up to MaxBackoff. Defaults 1s and 5m.
	MinBackoff, MaxBackoff time.Duration
	// Poll is how often Run looks for due messages when not notified.
	// Default 500ms.
	Poll time.Duration
	// Lease is how long a claimed channel stays with this sender; a
	// sender that dies holds its channels this long. Default 30s.
	Lease time.Duration
	// SendTimeout bounds one Slack call, well inside the lease. Default
	// Lease/3.
	SendTimeout time.Duration
	// Batch is how many channels one claim takes. Default 32.
	Batch int
	// Sequential delivers the claimed messages one after another in the
	// order they were queued instead of channels side by side. `opsbot
	// simulate` sets it so that what it prints, across channels, is the
	// same on every run.
	Sequential bool
}

func (o Options) withDefaults() Options {
	if o.Owner == "" {
		o.Owner = defaultOwner()
	}
	if o.ChannelInterval <= 0 {
		o.ChannelInterval = time.Second
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 5 * time.Minute
	}
	o.MaxBackoff = max(o.MaxBackoff, o.MinBackoff)
	if o.Poll <= 0 {
		o.Poll = 500 * time.Millisecond
	}
	if o.Lease <= 0 {
		o.Lease = 30 * time.Second
	}
	if o.SendTimeout <= 0 {
		o.SendTimeout = o.Lease / 3
	}
	if o.Batch <= 0 {
		o.Batch = 32
	}
	return o
}

func defaultOwner() string {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// methodOf names the Slack method of an operation, for rate limits.
func methodOf(op string) string {
	switch op {
	case store.OpUpdate:
		return "chat.update"
	case store.OpUpload:
		return "files.upload"
	}
	return "chat.postMessage"
}

// Sender delivers the outbox. Its methods are safe for concurrent use.
type Sender struct {
	st    *store.Store
	api   API
	clock clockwork.Clock
	log   *slog.Logger
	opt   Options
	wake  chan struct{}
	// markSent records a delivery: st.MarkSent (tests make it fail).
	markSent func(ctx context.Context, owner string, id uint64, r store.Sent) error

	mu sync.Mutex
	// limited holds, per Slack method, the end of a 429's Retry-After.
	limited map[string]time.Time
}

// New makes a sender; call Run to start it.
func New(st *store.Store, api API, clock clockwork.Clock, log *slog.Logger, opt Options) *Sender {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Sender{
		st:       st,
		markSent: st.MarkSent,
		api:      api,
		clock:    clock,
		log:      log,
		opt:      opt.withDefaults(),
		wake:     make(chan struct{}, 1),
		limited:  make(map[string]time.Time),
	}
}

// Owner is the name this sender claims channels under.
func (s *Sender) Owner() string { return s.opt.Owner }

// Notify wakes Run early, e.g. after an enqueue.
func (s *Sender) Notify() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx is done, then returns nil. Database errors are
// logged and retried at the next poll.
func (s *Sender) Run(ctx context.Context) error {
	for {
		if _, err := s.Flush(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("outbox: delivery round failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.wake:
		case <-s.clock.After(s.opt.Poll):
		}
	}
}

// Flush delivers everything due now, channels side by side (or in queue order when Sequential), and returns
// how many messages Slack accepted. A message that fails is scheduled for
// later, not retried here.
func (s *Sender) Flush(ctx context.Context) (int, error) {
	total := 0
	for {
		now := s.clock.Now()
		ops, ok := s.allowedOps(now)
		if !ok {
			return total, nil
		}
		msgs, err := s.st.ClaimDue(ctx, s.opt.Owner, now, s.opt.Lease, s.opt.Batch, ops...)
		if err != nil {
			return total, err
		}
		if len(msgs) == 0 {
			return total, nil
		}
		var (
			wg      sync.WaitGroup
			sent    atomic.Int64
			errOnce sync.Once
			first   error
		)
		one := func(m store.OutboxMessage) {
			ok, err := s.deliver(ctx, m)
			if ok {
				sent.Add(1)
			}
			if err != nil {
				errOnce.Do(func() { first = err })
			}
		}
		for _, m := range msgs {
			if s.opt.Sequential {
				one(m) // claimed messages come in queue order
				continue
			}
			wg.Go(func() { one(m) })
		}
		wg.Wait()
		total += int(sent.Load())
		if first != nil {
			return total, first
		}
		if err := ctx.Err(); err != nil {
			return total, err
		}
	}
}

// allowedOps lists the operations whose Slack method is not rate limited
// now; nil with true means all of them.
func (s *Sender) allowedOps(now time.Time) ([]string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	all := []string{store.OpPost, store.OpUpdate, store.OpUpload}
	var ops []string
	for _, op := range all {
		if until, ok := s.limited[methodOf(op)]; ok && now.Before(until) {
			continue
		}
		ops = append(ops, op)
	}
	switch len(ops) {
	case 0:
		return nil, false
	case len(all):
		return nil, true
	}
	return ops, true
}

func (s *Sender) rateLimit(method string, until time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if until.After(s.limited[method]) {
		s.limited[method] = until
	}
}

// deliver sends one claimed message and records the outcome; it reports
// whether Slack accepted the message. Only database errors are returned.
func (s *Sender) deliver(ctx context.Context, m store.OutboxMessage) (bool, error) {
	// A send in flight is finished, not cut off, when ctx ends: a request
	// cancelled after Slack took it would be marked for retry and posted
	// twice. SendTimeout bounds how long shutdown waits for it. It is a
	// deadline for real sockets and so runs on real time, not the injected
	// clock (a fake clock's context would never expire, and its Deadline
	// would mislead the dialer).
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.opt.SendTimeout)
	channel, ts, err := s.send(sendCtx, m)
	cancel()
	now := s.clock.Now()
	rec, cancelRec := context.WithTimeout(context.WithoutCancel(ctx), s.opt.SendTimeout)
	defer cancelRec()
	attempt := m.Attempts + 1
	log := s.log.With("id", m.ID, "channel", m.Channel, "op", m.Op, "ref", m.Ref, "attempt", attempt)

	kind, retryAfter := classify(err)
	switch kind {
	case delivered:
		err := s.recordSent(ctx, log, m.ID, store.Sent{Channel: channel, TS: ts, At: now, NextSend: now.Add(s.opt.ChannelInterval)})
		switch {
		case errors.Is(err, store.ErrNotPending):
			log.Warn("outbox: another sender took this message over after our lease ran out; Slack may show it twice", "ts", ts)
			return true, nil
		case err != nil:
			log.Error("outbox: could not record a delivered message before its lease runs out; Slack may show it twice", "ts", ts, "err", err)
		}
		return err == nil, err
	case rateLimited:
		wait := max(retryAfter, s.opt.MinBackoff)
		s.rateLimit(methodOf(m.Op), now.Add(wait))
		log.Warn("outbox: rate limited by Slack; pausing this method", "method", methodOf(m.Op), "retry_after", wait)
		return false, ignoreNotPending(s.st.MarkRetry(rec, s.opt.Owner, m.ID, err.Error(), now.Add(wait)))
	case permanent:
		log.Error("outbox: message dead-lettered", "err", err)
		return false, ignoreNotPending(s.st.MarkDead(rec, s.opt.Owner, m.ID, err.Error()))
	default:
		wait := s.backoff(attempt)
		log.Warn("outbox: send failed; will retry", "err", err, "in", wait)
		return false, ignoreNotPending(s.st.MarkRetry(rec, s.opt.Owner, m.ID, err.Error(), now.Add(wait)))
	}
}

// recordSent marks a delivered message sent. Slack already has it, so a
// failed write (disk full, database restarting) is retried with backoff
// for up to a third of the lease: giving up early would let the lease run
// out and the message be posted again. Waits are on real time, like the
// database they wait for.
func (s *Sender) recordSent(ctx context.Context, log *slog.Logger, id uint64, r store.Sent) error {
	deadline := time.Now().Add(s.opt.Lease / 3)
	wait := 50 * time.Millisecond
	for {
		rec, cancel := context.WithDeadline(context.WithoutCancel(ctx), deadline)
		err := s.markSent(rec, s.opt.Owner, id, r)
		cancel()
		if err == nil || errors.Is(err, store.ErrNotPending) || time.Now().Add(wait).After(deadline) {
			return err
		}
		log.Warn("outbox: recording a delivered message failed; retrying", "err", err, "in", wait)
		time.Sleep(wait)
		wait = min(wait*2, 2*time.Second)
	}
}

// ignoreNotPending drops ErrNotPending: another sender owns the message
// now and records its fate.
func ignoreNotPending(err error) error {
	if errors.Is(err, store.ErrNotPending) {
		return nil
	}
	return err
}

// backoff is the wait after the attempt-th failure: MinBackoff doubled per
// failure, capped at MaxBackoff, with "equal jitter" (between half and all
// of it) so a burst of failures does not come back as a burst.
func (s *Sender) backoff(attempt int) time.Duration {
	d := s.opt.MinBackoff
	for i := 1; i < attempt && d < s.opt.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, s.opt.MaxBackoff)
	half := d / 2
	return half + mrand.N(d-half+1)
}

// send makes the Slack call for one message and returns the channel ID
// and ts Slack answered.
func (s *Sender) send(ctx context.Context, m store.OutboxMessage) (string, string, error) {
	opts := []slack.MsgOption{slack.MsgOptionText(m.Text, false)}
	if m.Blocks != "" {
		var blocks slack.Blocks
		if err := json.Unmarshal([]byte(m.Blocks), &blocks); err != nil {
			return "", "", permanentError{fmt.Sprintf("invalid_blocks: stored blocks do not decode: %v", err)}
		}
		opts = append(opts, slack.MsgOptionBlocks(blocks.BlockSet...))
	}
	switch m.Op {
	case store.OpPost:
		if m.ThreadTS != "" {
			opts = append(opts, slack.MsgOptionTS(m.ThreadTS))
		}
		return s.api.PostMessageContext(ctx, m.Channel, opts...)
	case store.OpUpdate:
		channel, ts, found, err := s.st.SlackTS(ctx, m.Ref)
		if err != nil {
			return "", "", err
		}
		if !found {
			return "", "", s.missingRef(ctx, m.Ref)
		}
		channel, ts, _, err = s.api.UpdateMessageContext(ctx, channel, ts, opts...)
		return channel, ts, err
	case store.OpUpload:
		return s.upload(ctx, m)
	}
	return "", "", permanentError{fmt.Sprintf("unknown op %q", m.Op)}
}

// upload sends a message's file to the channel where the post for its Ref
// landed (by the channel ID Slack answered, which uploads need), after
// that post.
func (s *Sender) upload(ctx context.Context, m store.OutboxMessage) (string, string, error) {
	up, ok := s.api.(Uploader)
	if !ok {
		return "", "", permanentError{"this transport cannot upload files"}
	}
	if len(m.FileData) == 0 {
		return "", "", permanentError{"upload without a file"}
	}
	channel, _, found, err := s.st.SlackTS(ctx, m.Ref)
	if err != nil {
		return "", "", err
	}
	if !found {
		return "", "", s.missingRef(ctx, m.Ref)
	}
	params := slack.UploadFileParameters{
		Channel: channel, Filename: m.FileName, Title: m.FileTitle, FileSize: len(m.FileData),
		Reader: bytes.NewReader(m.FileData), ThreadTimestamp: m.ThreadTS,
	}
	if _, err := up.UploadFileContext(ctx, params); err != nil {
		return "", "", err
	}
	return channel, "", nil
}

// missingRef explains why an update has nothing to edit: its post is
// still on its way (try later), or it will never exist.
func (s *Sender) missingRef(ctx context.Context, ref string) error {
	pending, err := s.st.RefPending(ctx, ref)
	switch {
	case err != nil:
		return err
	case pending:
		return fmt.Errorf("the post for ref %q is not sent yet", ref)
	}
	return permanentError{fmt.Sprintf("nothing to update: no message was posted for ref %q (its post is dead or was never enqueued)", ref)}
}

// permanentError is a failure found before calling Slack that no retry
// can fix.
type permanentError struct{ reason string }

func (e permanentError) Error() string { return e.reason }

type outcome int

const (
	delivered outcome = iota
	rateLimited
	transient
	permanent
)

// isTransient tells Slack's ok:false errors that may pass on a retry;
// every other ok:false error is permanent.
func isTransient(code string) bool {
	switch code {
	case "internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited", "rate_limited":
		return true
	}
	return false
}

// classify sorts a send's error. Connection errors, timeouts, HTTP errors
// other than 429-with-Retry-After, and database errors are transient: the
// message may go through later. So is any other non-Slack answer, such as
// a proxy's 403, because dead-lettering on a misconfiguration would lose
// every message.
func classify(err error) (outcome, time.Duration) {
	if err == nil {
		return delivered, 0
	}
	if rl, ok := errors.AsType[*slack.RateLimitedError](err); ok {
		return rateLimited, rl.RetryAfter
	}
	if _, ok := errors.AsType[permanentError](err); ok {
		return permanent, 0
	}
	if se, ok := errors.AsType[slack.SlackErrorResponse](err); ok {
		if isTransient(se.Err) {
			return transient, 0
		}
		return permanent, 0
	}
	return transient, 0
}
