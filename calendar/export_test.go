package calendar

import "sort"

// Test-only exports.

// LibraryYears lists the years whose official schedule the built-in table
// has, in order.
func LibraryYears() []int {
	loadTable()
	years := make([]int, 0, len(table.years))
	for y := range table.years {
		years = append(years, y)
	}
	sort.Ints(years)
	return years
}
