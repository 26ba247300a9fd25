package config

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with a configuration file.
type Problem struct {
	Line int    // 1-based line in the file; 0 when it cannot be pinned to a line
	Path string // field path such as checklists[3].at; empty for YAML syntax errors
	Msg  string // what is wrong and what is allowed
}

// Problems is the error Parse returns: every problem found in one file, so
// the user can fix them all in one pass.
type Problems struct {
	File string
	List []Problem
}

// Error prints one line per problem: FILE:LINE: PATH: MSG.
func (p *Problems) Error() string {
	file := p.File
	if file == "" {
		file = "config"
	}
	var b strings.Builder
	for i, pr := range p.List {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(file)
		if pr.Line > 0 {
			fmt.Fprintf(&b, ":%d", pr.Line)
		}
		b.WriteString(": ")
		if pr.Path != "" {
			b.WriteString(pr.Path)
			b.WriteString(": ")
		}
		b.WriteString(pr.Msg)
	}
	return b.String()
}

// report collects problems and knows the line of every field path seen in
// the file, so checks made after decoding can still point at a line.
type report struct {
	lines map[string]int
	list  []Problem
}

func newReport() *report {
	return &report{lines: map[string]int{}}
}

// add records a problem at path, on the line of path or of its nearest
// ancestor present in the file (a field left out has no line of its own).
func (r *report) add(path, format string, args ...any) {
	r.list = append(r.list, Problem{Line: r.lineOf(path), Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (r *report) addAt(line int, path, format string, args ...any) {
	r.list = append(r.list, Problem{Line: line, Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (r *report) lineOf(path string) int {
	for path != "" {
		if l, ok := r.lines[path]; ok {
			return l
		}
		path = parentPath(path)
	}
	return 0
}

// pathAt returns the most specific path that starts on line, for errors
// (from the YAML decoder) that only know a line.
func (r *report) pathAt(line int) string {
	best := ""
	for p, l := range r.lines {
		if l == line && (len(p) > len(best) || len(p) == len(best) && p < best) {
			best = p
		}
	}
	return best
}

func (r *report) hasLine(line int) bool {
	for _, p := range r.list {
		if p.Line == line {
			return true
		}
	}
	return false
}

// problems returns nil when all is well, else the problems in file order;
// those without a line go last.
func (r *report) problems(file string) error {
	if len(r.list) == 0 {
		return nil
	}
	sort.SliceStable(r.list, func(i, j int) bool {
		a, b := r.list[i].Line, r.list[j].Line
		if a == 0 || b == 0 {
			return b == 0 && a != 0
		}
		return a < b
	})
	return &Problems{File: file, List: r.list}
}

func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

func childPath(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// hasPath reports whether the file being read sets path.
func (r *report) hasPath(path string) bool {
	_, ok := r.lines[path]
	return ok
}
