package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jonboulle/clockwork"

	"opsbot/bot"
	"opsbot/bot/outbox"
	"opsbot/calendar"
	"opsbot/chat"
	"opsbot/checklist"
	"opsbot/config"
	"opsbot/i18n"
	"opsbot/jobs"
	"opsbot/store"
)

// simLayout is how simulate writes times: minutes, in the team's zone.
const simLayout = "2006-01-02T15:04"

// runSimulate runs the real scheduler and jobs on a fake clock over a
// range, against a throwaway database, and prints every message the bot
// would post with its time and channel.
func runSimulate(ctx context.Context, g *globals, args []string, e env) error {
	// No --db: a simulation always runs on a throwaway database.
	fs := configFlags("simulate", "simulate --from 2026-11-23T08:00 --to 2026-11-24T10:00 [--script FILE] [--config PATH]", g, e)
	fromText := fs.String("from", "", "start, "+simLayout+" in the team's time zone (required)")
	toText := fs.String("to", "", "end, "+simLayout+" (required)")
	script := fs.String("script", "", `commands to inject: lines "2026-11-23T09:05 @alice [#channel] /command text"`)
	files := fs.String("files", os.TempDir(), "where attached files (exports, charts) are written")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := loadConfig(g, e)
	if err != nil {
		return err
	}
	from, err := time.ParseInLocation(simLayout, *fromText, cfg.Location)
	if err != nil {
		return usageError{fmt.Errorf("--from %q: use %s, e.g. 2026-11-23T08:00", *fromText, simLayout)}
	}
	to, err := time.ParseInLocation(simLayout, *toText, cfg.Location)
	if err != nil {
		return usageError{fmt.Errorf("--to %q: use %s, e.g. 2026-11-24T10:00", *toText, simLayout)}
	}
	if !to.After(from) {
		return usageError{fmt.Errorf("--to %s is not after --from %s", *toText, *fromText)}
	}
	if to.Sub(from) > 62*24*time.Hour {
		return usageError{fmt.Errorf("a simulation covers at most 62 days; this one has %d", int(to.Sub(from).Hours()/24))}
	}

	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	// A throwaway file rather than :memory:, whose shared cache locks whole
	// tables and fails concurrent writers instead of queueing them.
	tmp, err := os.MkdirTemp("", "opsbot-simulate-")
	if err != nil {
		return fmt.Errorf("simulation database: %w", err)
	}
	defer os.RemoveAll(tmp)
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(tmp, "simulate.db"))
	if err != nil {
		return err
	}
	defer st.Close()
	clock := clockwork.NewFakeClockAt(from)
	tr := i18n.New(cfg.Locale)
	printer := bot.PrintFiles{PrintAPI: &bot.PrintAPI{Out: e.stdout, Clock: clock, Loc: cfg.Location, Stamp: tr.Stamp, Updated: tr.T("console.updated")}, Dir: *files}
	a, err := newApp(cfg, st, clock, log, printer, outbox.Options{ChannelInterval: time.Millisecond, Poll: time.Hour, Sequential: true})
	if err != nil {
		return err
	}
	source := tr.T("sim.builtin")
	if g.config != "" {
		source = g.config
	}
	fmt.Fprintf(e.stdout, "%s\n\n", tr.T("sim.start", tr.Stamp(from), tr.Stamp(to), cfg.Timezone, source))

	steps, err := calendarNotes(cfg, from, to, e.stdout)
	if err != nil {
		return err
	}
	if *script != "" {
		more, err := scriptSteps(*script, cfg, a, clock, e.stdout, *files, from, to)
		if err != nil {
			return err
		}
		steps = append(steps, more...)
	}
	sim := &jobs.Simulation{Clock: clock, Runner: a.runner, Planners: a.planners, Outbox: a.sender, Steps: steps}
	if err := sim.Run(ctx, to); err != nil {
		return fmt.Errorf("simulate: %w", err)
	}
	fmt.Fprintf(e.stdout, "%s\n", tr.T("sim.end", tr.Stamp(to)))
	return nil
}

// calendarNotes explains, at their time, the runs the working calendar
// skips; the runs it adds on makeup days say so in their own message.
func calendarNotes(cfg *config.Config, from, to time.Time, out io.Writer) ([]jobs.Step, error) {
	cal, err := calendar.New(cfg.Calendar, cfg.Timezone)
	if err != nil {
		return nil, err
	}
	tr := i18n.New(cfg.Locale)
	var specs []checklist.Spec
	for _, cl := range cfg.Checklists {
		if !cfg.ChecklistEnabled(cl) {
			continue
		}
		s, err := checklist.FromConfig(cl)
		if err != nil {
			return nil, err
		}
		specs = append(specs, s)
	}
	_, skips := checklist.Between(specs, from, to, cfg.Location, calendar.WorkingDays{Cal: cal, Tr: tr})
	var steps []jobs.Step
	for _, sk := range skips {
		sk := sk
		day := tr.Day(sk.Date)
		at := sk.Date.At(cfg.Location, 0, 0)
		if at.Before(from) {
			at = from
		}
		steps = append(steps, jobs.Step{At: at, Run: func(context.Context) error {
			fmt.Fprintf(out, "%s\n\n", tr.T("sim.skipped", day, sk.ID, sk.Reason))
			return nil
		}})
	}
	return steps, nil
}

// scriptSteps reads a script of commands to type at given times. Every
// bad line is reported, and so is a line outside the simulated range,
// which would otherwise never run.
func scriptSteps(path string, cfg *config.Config, a *app, clock clockwork.Clock, out io.Writer, files string, from, to time.Time) ([]jobs.Step, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open script: %w", err)
	}
	defer f.Close()
	tr := i18n.New(cfg.Locale)
	var steps []jobs.Step
	var problems []string
	bad := func(n int, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("%s:%d: ", path, n)+fmt.Sprintf(format, args...))
	}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 3 || !strings.HasPrefix(fields[1], "@") {
			bad(n, "write TIME @user [#channel] /command …, e.g. 2026-11-23T09:05 @alice /metric uv=1200")
			continue
		}
		at, err := time.ParseInLocation(simLayout, fields[0], cfg.Location)
		if err != nil {
			bad(n, "time %q: use %s", fields[0], simLayout)
			continue
		}
		if at.Before(from) || !at.Before(to) {
			bad(n, "%s is outside the simulation (%s to %s); move it or widen --from/--to", fields[0], from.Format(simLayout), to.Format(simLayout))
			continue
		}
		user := strings.TrimPrefix(fields[1], "@")
		channel := strings.TrimPrefix(cfg.Channels.Team, "#")
		rest := fields[2:]
		if strings.HasPrefix(rest[0], "#") {
			channel, rest = strings.TrimPrefix(rest[0], "#"), rest[1:]
		}
		if len(rest) == 0 || !strings.HasPrefix(rest[0], "/") {
			bad(n, "no /command after the user")
			continue
		}
		cmd := chat.Command{UserID: user, UserName: user, ChannelID: channel, ChannelName: channel, Name: rest[0], Text: strings.Join(rest[1:], " ")}
		steps = append(steps, jobs.Step{At: at, Run: func(ctx context.Context) error {
			cmd.At = clock.Now()
			fmt.Fprintf(out, "── %s #%s @%s> %s %s\n", tr.Stamp(at.In(cfg.Location)), channel, user, cmd.Name, cmd.Text)
			c := &bot.Console{Out: out, FileDir: files, Private: tr.T("console.ephemeral")}
			c.Print(a.router.Handle(ctx, cmd))
			fmt.Fprintln(out)
			return nil
		}})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read script: %w", err)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("the script has %s:\n%s", count(len(problems), "bad line"), strings.Join(problems, "\n"))
	}
	return steps, nil
}
