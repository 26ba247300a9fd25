package store

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// States of an outbox message.
const (
	OutboxPending = "pending"
	OutboxSent    = "sent"
	OutboxDead    = "dead"
)

// Operations of an outbox message.
const (
	OpPost   = "post"   // chat.postMessage
	OpUpdate = "update" // chat.update of the message posted for Ref
	// OpUpload uploads File (files upload v2) to the channel where the
	// message posted for Ref landed, right after it: a report's chart.
	// The post gives the channel's ID, which uploads need and names
	// ("#shop-ops") are not.
	OpUpload = "upload"
)

// Column sizes, checked by Enqueue so a bad message fails where it is made.
const (
	maxChannelLen = 100
	maxRefLen     = 200
)

// ErrNotPending means a message was no longer pending when the sender came
// to record its outcome: another sender took it over after the lease ran
// out, so Slack may have been sent it twice.
var ErrNotPending = errors.New("outbox message is no longer pending")

// OutboxMessage is one message the bot sends on its own, written in the
// same transaction as the change that caused it and delivered later by the
// sender.
type OutboxMessage struct {
	ID        uint64    `gorm:"primaryKey;index:ix_outbox_channel_state_id,priority:3"`
	CreatedAt time.Time `gorm:"not null"`
	// Channel is an ID or a name; messages of one channel are delivered in
	// ID order, one at a time.
	Channel  string `gorm:"size:100;not null;index:ix_outbox_channel_state_id,priority:1"`
	ThreadTS string `gorm:"size:32;not null;default:''"`
	// Ref names the message for later updates, e.g. "checklist:42".
	Ref string `gorm:"size:200;not null;default:'';index"`
	Op  string `gorm:"size:8;not null"`
	// Text is the notification and fallback text; Blocks the JSON array.
	Text          string    `gorm:"not null;default:''"`
	Blocks        string    `gorm:"not null;default:''"`
	State         string    `gorm:"size:8;not null;index:ix_outbox_state_next,priority:1;index:ix_outbox_channel_state_id,priority:2"`
	Attempts      int       `gorm:"not null;default:0"`
	NextAttemptAt time.Time `gorm:"not null;index:ix_outbox_state_next,priority:2"`
	LastError     string    `gorm:"not null;default:''"`
	// ClaimedBy is the last sender that took the message, for diagnosis.
	ClaimedBy string `gorm:"size:128;not null;default:''"`
	SentTS    string `gorm:"size:32;not null;default:''"`
	SentAt    *time.Time
	// The file of an upload; FileData is cleared once it is sent, so the
	// outbox does not keep every chart forever.
	FileName  string `gorm:"size:200;not null;default:''"`
	FileTitle string `gorm:"size:200;not null;default:''"`
	FileData  []byte
}

// OutboxChannel holds a channel for one sender at a time (the lease) and
// paces it (NotBefore). A zero time means free or unpaced.
type OutboxChannel struct {
	Channel    string    `gorm:"primaryKey;size:100"`
	LeaseOwner string    `gorm:"size:128;not null;default:''"`
	LeaseUntil time.Time `gorm:"not null"`
	NotBefore  time.Time `gorm:"not null"`
}

// SlackMessage remembers where the message posted for a Ref landed, so an
// update to the Ref edits it.
type SlackMessage struct {
	Ref       string    `gorm:"primaryKey;size:200"`
	Channel   string    `gorm:"size:100;not null"`
	TS        string    `gorm:"size:32;not null"`
	UpdatedAt time.Time `gorm:"not null"`
}

// Outgoing is a message to enqueue. Op is "post" (the default) or
// "update"; an update needs the Ref of an earlier post. Blocks is the JSON
// array of Block Kit blocks the caller encoded: the store keeps messages
// without knowing their format.
type Outgoing struct {
	Channel, ThreadTS, Ref, Op, Text string
	Blocks                           json.RawMessage
	File                             *Attachment // with Op "upload"
}

// Attachment is a file to upload.
type Attachment struct {
	Name, Title string
	Data        []byte
}

// Tx runs fn in one transaction with a Store bound to it, so the changes
// fn makes and the messages it enqueues commit together or not at all.
// Methods that open their own transaction nest as savepoints.
func (s *Store) Tx(ctx context.Context, fn func(tx *Store) error) error {
	if s.group != nil {
		r := s.group.do(&groupTx{ctx: ctx, fn: fn, tmpl: *s})
		if r.err == nil {
			r.hooks.run()
		}
		return r.err
	}
	outer := s.hooks == nil
	h := s.hooks
	if outer {
		h = &hooks{}
	}
	start := time.Now()
	err := s.db.WithContext(ctx).Transaction(func(db *gorm.DB) error {
		inner := *s
		inner.db = db
		inner.hooks = h
		return fn(&inner)
	})
	if outer {
		s.observer().Transaction(s.Dialect(), time.Since(start), err)
		if err == nil {
			h.run()
		}
	}
	return err
}

// Enqueue adds a message to the outbox and returns its ID. Call it on the
// Store that Tx passes to fn to commit it with the change it reports.
func (s *Store) Enqueue(ctx context.Context, m Outgoing) (uint64, error) {
	if m.Op == "" {
		m.Op = OpPost
	}
	switch {
	case m.Channel == "":
		return 0, errors.New("enqueue: no channel")
	case len(m.Channel) > maxChannelLen:
		return 0, fmt.Errorf("enqueue: channel %.20q… is longer than %d bytes", m.Channel, maxChannelLen)
	case len(m.Ref) > maxRefLen:
		return 0, fmt.Errorf("enqueue: ref %.20q… is longer than %d bytes", m.Ref, maxRefLen)
	case m.Op != OpPost && m.Op != OpUpdate && m.Op != OpUpload:
		return 0, fmt.Errorf("enqueue: op %q is not %q, %q or %q", m.Op, OpPost, OpUpdate, OpUpload)
	case m.Op == OpUpdate && m.Ref == "":
		return 0, errors.New("enqueue: an update needs the ref of the message it edits")
	case m.Op == OpUpload && (m.Ref == "" || m.File == nil || m.File.Name == "" || len(m.File.Data) == 0):
		return 0, errors.New("enqueue: an upload needs a named, non-empty file and the ref of the post it follows")
	case m.Op != OpUpload && m.File != nil:
		return 0, errors.New("enqueue: only an upload carries a file")
	case m.Op != OpUpload && m.Text == "" && len(m.Blocks) == 0:
		return 0, errors.New("enqueue: no text and no blocks")
	}
	row := OutboxMessage{Channel: m.Channel, ThreadTS: m.ThreadTS, Ref: m.Ref, Op: m.Op, Text: m.Text, State: OutboxPending}
	if m.File != nil {
		row.FileName, row.FileTitle, row.FileData = m.File.Name, m.File.Title, m.File.Data
	}
	if len(m.Blocks) > 0 {
		row.Blocks = string(m.Blocks)
	}
	// A zero NextAttemptAt is due at once, whatever clock the sender runs on.
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return 0, fmt.Errorf("enqueue to %s: %w", m.Channel, err)
	}
	return row.ID, nil
}

// ClaimDue takes up to limit channels for owner until now+lease and
// returns the message due in each: the oldest pending one of the channel,
// if its next attempt is due, the channel is not paced past now, and no
// other owner holds the channel. With ops, only messages of those
// operations are taken (the oldest message of a channel still blocks the
// rest). The database decides, so several senders may claim at once.
func (s *Store) ClaimDue(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int, ops ...string) ([]OutboxMessage, error) {
	if owner == "" {
		return nil, errors.New("claim outbox: no owner")
	}
	now = now.UTC()
	var claimed []OutboxMessage
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		claimed = claimed[:0]
		var due []OutboxMessage
		q := tx.Table("outbox_messages AS m").Select("m.*").
			Joins("LEFT JOIN outbox_channels AS c ON c.channel = m.channel").
			Where("m.state = ?", OutboxPending).
			Where("m.id = (SELECT MIN(o.id) FROM outbox_messages AS o WHERE o.channel = m.channel AND o.state = ?)", OutboxPending).
			Where("m.next_attempt_at <= ?", now).
			Where("(c.channel IS NULL OR (c.lease_until <= ? AND c.not_before <= ?))", now, now)
		if len(ops) > 0 {
			q = q.Where("m.op IN ?", ops)
		}
		if err := q.Order("m.next_attempt_at, m.id").Limit(limit).Find(&due).Error; err != nil {
			return fmt.Errorf("find due messages: %w", err)
		}
		// Channels are locked in one order so that two PostgreSQL senders
		// cannot deadlock on each other's rows.
		slices.SortFunc(due, func(a, b OutboxMessage) int { return cmp.Compare(a.Channel, b.Channel) })
		for _, cand := range due {
			m, ok, err := s.claimChannel(tx, owner, cand.Channel, now, lease, ops)
			if err != nil {
				return err
			}
			if ok {
				claimed = append(claimed, m)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim outbox for %s: %w", owner, err)
	}
	slices.SortFunc(claimed, func(a, b OutboxMessage) int { return cmp.Compare(a.ID, b.ID) })
	return claimed, nil
}

// claimChannel takes the lease of one channel if it is free and returns
// its oldest pending message. The upsert's condition is checked against
// the newest committed row (PostgreSQL waits for a competing lease holder
// and re-checks), and the message is read again after the lease is held,
// since a competitor may have sent it in the meantime.
func (s *Store) claimChannel(tx *gorm.DB, owner, channel string, now time.Time, lease time.Duration, ops []string) (OutboxMessage, bool, error) {
	res := tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "channel"}},
		DoUpdates: clause.AssignmentColumns([]string{"lease_owner", "lease_until"}),
		Where: clause.Where{Exprs: []clause.Expression{
			clause.Expr{SQL: "outbox_channels.lease_until <= ? AND outbox_channels.not_before <= ?", Vars: []any{now, now}},
		}},
	}).Create(&OutboxChannel{Channel: channel, LeaseOwner: owner, LeaseUntil: now.Add(lease)})
	if res.Error != nil {
		return OutboxMessage{}, false, fmt.Errorf("lease channel %s: %w", channel, res.Error)
	}
	if res.RowsAffected != 1 {
		return OutboxMessage{}, false, nil
	}
	var m OutboxMessage
	err := tx.Where("channel = ? AND state = ?", channel, OutboxPending).Order("id").Limit(1).Find(&m).Error
	if err != nil {
		return OutboxMessage{}, false, fmt.Errorf("read channel %s: %w", channel, err)
	}
	if m.ID == 0 || m.NextAttemptAt.After(now) || (len(ops) > 0 && !slices.Contains(ops, m.Op)) {
		return OutboxMessage{}, false, releaseLease(tx, owner, channel)
	}
	if err := tx.Model(&OutboxMessage{}).Where("id = ?", m.ID).Update("claimed_by", owner).Error; err != nil {
		return OutboxMessage{}, false, fmt.Errorf("claim message %d: %w", m.ID, err)
	}
	m.ClaimedBy = owner
	return m, true, nil
}

// releaseLease frees a channel if owner still holds it; a lease that ran
// out and was taken by another sender stays theirs.
func releaseLease(tx *gorm.DB, owner, channel string) error {
	err := tx.Model(&OutboxChannel{}).Where("channel = ? AND lease_owner = ?", channel, owner).
		Updates(map[string]any{"lease_owner": "", "lease_until": time.Time{}}).Error
	if err != nil {
		return fmt.Errorf("release channel %s: %w", channel, err)
	}
	return nil
}

// Sent is what Slack answered for a delivered message.
type Sent struct {
	Channel string    // the channel ID Slack answered with
	TS      string    // the message's ts
	At      time.Time // when Slack accepted it
	// NextSend paces the channel: its next message waits until then.
	NextSend time.Time
}

// MarkSent records a delivery, remembers the ts of the message's Ref, and
// frees the channel until r.NextSend. It returns ErrNotPending (after
// recording the pacing) when the message was already marked.
func (s *Store) MarkSent(ctx context.Context, owner string, id uint64, r Sent) error {
	at := r.At.UTC()
	return s.finish(ctx, owner, id, "mark outbox message sent", r.NextSend, func(tx *gorm.DB, m OutboxMessage) (int64, error) {
		set := map[string]any{"state": OutboxSent, "sent_ts": r.TS, "sent_at": at, "last_error": "", "attempts": gorm.Expr("attempts + 1")}
		if m.Op == OpUpload {
			set["file_data"] = nil // delivered: Slack keeps the file now
		}
		res := tx.Model(&OutboxMessage{}).Where("id = ? AND state = ?", id, OutboxPending).Updates(set)
		if res.Error != nil || res.RowsAffected == 0 || m.Ref == "" || m.Op != OpPost {
			return res.RowsAffected, res.Error
		}
		err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "ref"}},
			DoUpdates: clause.AssignmentColumns([]string{"channel", "ts", "updated_at"}),
		}).Create(&SlackMessage{Ref: m.Ref, Channel: r.Channel, TS: r.TS, UpdatedAt: at}).Error
		return res.RowsAffected, err
	})
}

// MarkRetry records a failed attempt and when to try again; the channel
// is freed, but its later messages wait behind this one.
func (s *Store) MarkRetry(ctx context.Context, owner string, id uint64, errText string, next time.Time) error {
	return s.finish(ctx, owner, id, "mark outbox message for retry", time.Time{}, func(tx *gorm.DB, _ OutboxMessage) (int64, error) {
		res := tx.Model(&OutboxMessage{}).Where("id = ? AND state = ?", id, OutboxPending).Updates(map[string]any{
			"next_attempt_at": next.UTC(), "last_error": errText, "attempts": gorm.Expr("attempts + 1"),
		})
		return res.RowsAffected, res.Error
	})
}

// MarkDead gives up on a message: it stays as a dead letter, and the
// channel's next message goes ahead.
func (s *Store) MarkDead(ctx context.Context, owner string, id uint64, errText string) error {
	return s.finish(ctx, owner, id, "mark outbox message dead", time.Time{}, func(tx *gorm.DB, _ OutboxMessage) (int64, error) {
		res := tx.Model(&OutboxMessage{}).Where("id = ? AND state = ?", id, OutboxPending).Updates(map[string]any{
			"state": OutboxDead, "last_error": errText, "attempts": gorm.Expr("attempts + 1"),
		})
		return res.RowsAffected, res.Error
	})
}

// finish records the outcome of a claimed message: the channel row first,
// then the message, the same order ClaimDue locks them in.
func (s *Store) finish(ctx context.Context, owner string, id uint64, what string, notBefore time.Time, update func(*gorm.DB, OutboxMessage) (int64, error)) error {
	var changed int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var m OutboxMessage
		if err := tx.Select("id", "channel", "ref", "op").Take(&m, id).Error; err != nil {
			return fmt.Errorf("read message: %w", err)
		}
		if err := releaseLease(tx, owner, m.Channel); err != nil {
			return err
		}
		if !notBefore.IsZero() {
			err := tx.Model(&OutboxChannel{}).Where("channel = ? AND not_before < ?", m.Channel, notBefore.UTC()).
				Update("not_before", notBefore.UTC()).Error
			if err != nil {
				return fmt.Errorf("pace channel %s: %w", m.Channel, err)
			}
		}
		var err error
		changed, err = update(tx, m)
		return err
	})
	switch {
	case err != nil:
		return fmt.Errorf("%s %d: %w", what, id, err)
	case changed == 0:
		return fmt.Errorf("%s %d: %w", what, id, ErrNotPending)
	}
	return nil
}

// SlackTS returns where the message posted for ref landed.
func (s *Store) SlackTS(ctx context.Context, ref string) (channel, ts string, ok bool, err error) {
	var m SlackMessage
	res := s.db.WithContext(ctx).Where("ref = ?", ref).Limit(1).Find(&m)
	if res.Error != nil {
		return "", "", false, fmt.Errorf("find slack message of %s: %w", ref, res.Error)
	}
	return m.Channel, m.TS, res.RowsAffected == 1, nil
}

// RefPending reports whether a post for ref is still waiting to be sent.
func (s *Store) RefPending(ctx context.Context, ref string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&OutboxMessage{}).
		Where("ref = ? AND op = ? AND state = ?", ref, OpPost, OutboxPending).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("find pending post of %s: %w", ref, err)
	}
	return n > 0, nil
}

// OutboxStats counts pending and dead messages and dates the oldest
// pending one (nil when none is pending), for monitoring.
func (s *Store) OutboxStats(ctx context.Context) (pending, dead int64, oldestPending *time.Time, err error) {
	db := s.db.WithContext(ctx)
	if err := db.Model(&OutboxMessage{}).Where("state = ?", OutboxPending).Count(&pending).Error; err != nil {
		return 0, 0, nil, fmt.Errorf("count pending outbox messages: %w", err)
	}
	if err := db.Model(&OutboxMessage{}).Where("state = ?", OutboxDead).Count(&dead).Error; err != nil {
		return 0, 0, nil, fmt.Errorf("count dead outbox messages: %w", err)
	}
	// The oldest row rather than MIN(created_at): SQLite returns an
	// aggregate of a datetime column as text.
	var oldest []OutboxMessage
	if err := db.Select("created_at").Where("state = ?", OutboxPending).Order("created_at, id").Limit(1).Find(&oldest).Error; err != nil {
		return 0, 0, nil, fmt.Errorf("date oldest pending outbox message: %w", err)
	}
	if len(oldest) == 1 {
		oldestPending = &oldest[0].CreatedAt
	}
	return pending, dead, oldestPending, nil
}

// DeadLetters lists the messages given up on, newest first.
func (s *Store) DeadLetters(ctx context.Context, limit int) ([]OutboxMessage, error) {
	var out []OutboxMessage
	q := s.db.WithContext(ctx).Where("state = ?", OutboxDead).Order("id DESC")
	if limit > 0 {
		q = q.Limit(limit)
	}
	if err := q.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list dead letters: %w", err)
	}
	return out, nil
}

// OutboxMessages lists a channel's messages in delivery order, for tests
// and diagnosis.
func (s *Store) OutboxMessages(ctx context.Context, channel string) ([]OutboxMessage, error) {
	var out []OutboxMessage
	if err := s.db.WithContext(ctx).Where("channel = ?", channel).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list outbox of %s: %w", channel, err)
	}
	return out, nil
}

// RecordMessage remembers where the message for ref was posted, as
// MarkSent does for the sender's posts: for messages posted by other
// means, such as a fake Slack in tests. Buttons act only on messages
// recorded here (see SlackTS).
func (s *Store) RecordMessage(ctx context.Context, ref, channel, ts string, at time.Time) error {
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "ref"}},
		DoUpdates: clause.AssignmentColumns([]string{"channel", "ts", "updated_at"}),
	}).Create(&SlackMessage{Ref: ref, Channel: channel, TS: ts, UpdatedAt: at.UTC()}).Error
	if err != nil {
		return fmt.Errorf("record message %s: %w", ref, err)
	}
	return nil
}
