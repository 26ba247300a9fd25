// Package items holds what a tracked item is: a problem order or a bad
// review followed under the 24-hour rule, its states and its history.
// These are the tracked feature's own types; the store maps them to rows
// and the feature, the reports and the tests speak of them.
package items

import (
	"errors"
	"fmt"
	"time"
)

// An item's states.
const (
	StatusOpen     = "open"
	StatusResolved = "resolved"
	// StatusWithdrawn is an item flagged by mistake and taken back: it
	// counts nowhere.
	StatusWithdrawn = "withdrawn"
)

// Kinds of events, the lines of an item's history.
const (
	EventFlagged   = "flagged"
	EventNoted     = "noted" // flagged again while open: the note is added
	EventTaken     = "taken"
	EventWarned    = "warned"
	EventBreached  = "breached"
	EventReminded  = "reminded"
	EventEscalated = "escalated"
	EventResolved  = "resolved"
	EventWithdrawn = "withdrawn"
)

// ErrClosed means the item is not open any more.
var ErrClosed = errors.New("item is resolved already")

// Item is a problem order (urgent shipment, urgent refund, unclear
// invoice, complaint) or a bad review, followed until it is resolved.
type Item struct {
	ID      uint64
	Shop    string
	OrderID string
	Type    string
	Status  string
	Rating  int // 1-5 for reviews, 0 when not given
	Product string
	Text    string
	// Notes counts the notes added by flagging the item again; LastNote is
	// the latest, shown on the item's message.
	Notes    int
	LastNote string
	// Channel is where the item's message is posted; CSChannel, when set,
	// holds a copy (urgent refunds go to customer service too).
	Channel   string
	CSChannel string
	FlaggedBy string
	FlaggedAt time.Time
	Deadline  time.Time
	Assignee  string
	TakenAt   *time.Time
	// Escalation to the managers, by a person.
	EscalatedBy string
	EscalatedAt *time.Time
	ResolvedAt  *time.Time
	ResolvedBy  string
	Resolution  string
	// NextAlertAt is when the sweeper next has something to send, nil when
	// nothing more will be sent. AlertSeq numbers that alert; claiming it
	// advances the number, so each alert is sent once.
	NextAlertAt *time.Time
	AlertSeq    int
	BreachedAt  *time.Time // when the breach notice went out
}

// Ref is the outbox reference of the item's message in its channel.
func (it Item) Ref() string { return fmt.Sprintf("item:%d", it.ID) }

// CSRef is the reference of the copy in the customer-service channel.
func (it Item) CSRef() string { return fmt.Sprintf("item:%d:cs", it.ID) }

// Open reports whether the item is still to be resolved.
func (it Item) Open() bool { return it.Status == StatusOpen }

// Event is one line of an item's history.
type Event struct {
	ID     uint64
	ItemID uint64
	At     time.Time
	Actor  string // "" for the bot
	Kind   string
	Note   string
	// Late marks an alert sent after its time because the bot was down.
	Late bool
}
