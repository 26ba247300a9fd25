package config

import (
	"strings"
	"testing"
)

func TestBusinessHours(t *testing.T) {
	if c := mustDefault(t); c.SLA.BusinessHours != nil {
		t.Errorf("the built-in playbook counts business hours %+v; calendar hours are the default", c.SLA.BusinessHours)
	}
	c := mustParse(t, "sla:\n  business_hours: {start: \"09:00\", end: \"18:00\"}\n")
	if bh := c.SLA.BusinessHours; bh == nil || bh.Start != "09:00" || bh.End != "18:00" {
		t.Errorf("business_hours = %+v", bh)
	}
	if len(c.SLA.Policies) != 5 {
		t.Errorf("a file with only business_hours lost the default policies: %v", c.SLA.Policies)
	}

	tests := []struct {
		name, src string
		line      int
		path, msg string
	}{
		{"bad start", "sla:\n  business_hours:\n    start: \"9am\"\n    end: \"18:00\"\n", 3, "sla.business_hours.start", `"9am" is not a time of day`},
		{"bad end", "sla:\n  business_hours:\n    start: \"09:00\"\n    end: \"25:00\"\n", 4, "sla.business_hours.end", `"25:00" is not a time of day`},
		{"end before start", "sla:\n  business_hours:\n    start: \"18:00\"\n    end: \"09:00\"\n", 4, "sla.business_hours.end", "09:00 is not after start (18:00)"},
		{"empty", "sla:\n  business_hours: {start: \"09:00\"}\n", 2, "sla.business_hours.end", `"" is not a time of day`},
		{"unknown key", "sla:\n  business_hours: {start: \"09:00\", end: \"18:00\", days: workdays}\n", 2, "sla.business_hours.days", "allowed here: start, end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseProblems(t, tt.src)
			if len(got) != 1 {
				t.Fatalf("got %d problems, want 1:\n%v", len(got), (&Problems{File: "test.yaml", List: got}).Error())
			}
			g := got[0]
			if g.Line != tt.line || g.Path != tt.path || !strings.Contains(g.Msg, tt.msg) {
				t.Errorf("got %d %q: %s\nwant %d %q: …%s…", g.Line, g.Path, g.Msg, tt.line, tt.path, tt.msg)
			}
		})
	}
}
