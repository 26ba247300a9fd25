// Package checklist is the team's scheduled routine: when each checklist
// runs (the schedule, on the wall clock and the working calendar), the
// message a run posts and its nudge, checking items off by command and by
// button, and the job that posts runs, records missed ones and nudges.
package checklist
