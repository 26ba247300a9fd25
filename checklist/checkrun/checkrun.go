// Package checkrun holds what a checklist run is: one scheduled run of a
// checklist, its state and the items checked off in it. These are the
// checklist feature's own types; the store maps them to rows, and the
// feature, the reports and the tests speak of them.
package checkrun

import (
	"fmt"
	"time"
)

// A run's states.
const (
	Posted = "posted" // posted at its time
	Late   = "late"   // posted after its time (the bot was down), before it was due
	Missed = "missed" // its due time passed while the bot was down; not posted
)

// Run is one scheduled run of a checklist. Its Key (checklist, date,
// wall-clock time) is unique: the database decides that a run happens at
// most once, across restarts and replicas.
type Run struct {
	ID          uint64
	Key         string
	Checklist   string
	Date        string // YYYY-MM-DD in the team's zone
	ScheduledAt time.Time
	DueAt       time.Time
	State       string
	Channel     string
	Items       int
	Note        string
	NudgedAt    *time.Time
	CreatedAt   time.Time
}

// Ref is the outbox reference of the run's message, for in-place updates.
func (r Run) Ref() string { return fmt.Sprintf("run:%d", r.ID) }

// Check records that an item of a run was checked off.
type Check struct {
	RunID  uint64
	Idx    int
	DoneBy string
	DoneAt time.Time
	// Late marks an item ticked on a missed run: the run was never posted,
	// so no button could tick it, and the work is recorded as done late.
	Late bool
}
