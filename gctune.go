package main

import (
	"runtime/debug"

	"opsbot/report/chart"
)

// Garbage collection settings for a server whose live heap is a few
// megabytes. Go's default collects each time the heap doubles, at least
// every 4 MB, which under a burst of commands is about 100 collections a
// second, each with stop-the-world pauses on the requests in flight
// (docs/BENCHMARKS.md). Collecting when the heap has grown ninefold
// instead took 5 times fewer collections and 10–40% more commands a
// second, for about 25 MB more at the peak. The soft limit keeps a large
// heap (a big report) from growing ninefold too, and bounds what a flood
// of refused requests can add to the garbage: at 80 MiB the process stays
// under 100 MB of RSS with 256 clients posting forged 1 MiB bodies
// (bench/flood.sh, docs/BENCHMARKS.md), while the peer benchmark, whose
// peak is about 72 MB, never reaches it.
const (
	gcPercent     = 800
	gcMemoryLimit = 80 << 20
)

// tuneGC applies those settings, unless GOGC or GOMEMLIMIT says otherwise.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(gcMemoryLimit)
	}
}

// releaseStartMemory collects once the bot is wired and gives the freed
// pages back to the system. With gcPercent at 800 the garbage of starting
// (parsing the playbook and the chart library's fonts, migrating, reading
// Slack's channel lists) would otherwise sit in the heap until the first
// collection, which an idle bot may not reach for hours: it was most of
// the idle RSS above the 30 MB target.
// The chart fonts' pages go too (see chart.ReleaseFonts).
func releaseStartMemory() {
	chart.ReleaseFonts()
	debug.FreeOSMemory()
}
