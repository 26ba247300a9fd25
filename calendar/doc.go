// Package calendar is the team's calendar: the working calendar (which
// days are working days, with mainland China's public holidays and makeup
// workdays), the platform campaigns with their registration deadlines and
// the job that reminds the team of them, and /ops calendar and
// /ops campaigns.
package calendar
