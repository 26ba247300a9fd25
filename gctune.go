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

// gcStartPercent is the setting while the bot starts: starting makes
// several megabytes of garbage (the playbook, migrations, Slack's channel
// lists) among the objects that stay, and collecting it as it goes, a few
// milliseconds in all, packs what stays into fewer pages than one
// collection at the end would (about 0.4 MB less idle RSS).
const gcStartPercent = 50

// tuneGC applies those settings, unless GOGC or GOMEMLIMIT says otherwise.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(gcMemoryLimit)
	}
}

// startGC collects often until the returned function is called (see
// gcStartPercent), unless GOGC says otherwise.
func startGC(getenv func(string) string) (serving func()) {
	if getenv("GOGC") != "" {
		return func() {}
	}
	debug.SetGCPercent(gcStartPercent)
	return func() { debug.SetGCPercent(gcPercent) }
}

// releaseStartMemory collects once the bot is wired, gives the freed
// pages back to the system, and then puts the serving GC setting back.
// With gcPercent at 800 the garbage of starting would otherwise sit in
// the heap until the first collection, which an idle bot may not reach
// for hours: it was most of the idle RSS above the 30 MB target.
// The chart fonts' pages go too (see chart.ReleaseFonts), and the C
// allocator's free memory (trimCHeap).
func releaseStartMemory(serving func()) {
	chart.ReleaseFonts()
	debug.FreeOSMemory()
	trimCHeap()
	serving()
}
