package config

import (
	"fmt"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// walk checks the node tree against the shape of t before decoding: it
// records the line of every field path, and reports unknown and repeated
// keys and values of the wrong kind with the path and the allowed choices,
// which the decoder's own messages ("field x not found in type
// config.Shop") do not give.
func (r *report) walk(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if !r.expect(n, yaml.MappingNode, t, path) {
			return
		}
		fields := yamlFields(t)
		r.mapping(n, path, func(key string, v *yaml.Node, p string, line int) {
			ft, ok := fields[key]
			if !ok {
				r.addAt(line, p, "unknown key %q; allowed here: %s", key, strings.Join(fieldNames(t), ", "))
				return
			}
			r.walk(v, ft, p)
		})
	case reflect.Map:
		if !r.expect(n, yaml.MappingNode, t, path) {
			return
		}
		r.mapping(n, path, func(_ string, v *yaml.Node, p string, _ int) {
			r.walk(v, t.Elem(), p)
		})
	case reflect.Slice:
		if !r.expect(n, yaml.SequenceNode, t, path) {
			return
		}
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			r.lines[p] = c.Line
			r.walk(c, t.Elem(), p)
		}
	default:
		r.expect(n, yaml.ScalarNode, t, path)
	}
}

// mapping visits the entries of a mapping node, recording key lines and
// reporting repeated keys.
func (r *report) mapping(n *yaml.Node, path string, visit func(key string, v *yaml.Node, p string, line int)) {
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Value == "<<" { // merge key: the decoder handles it
			continue
		}
		p := childPath(path, k.Value)
		if first, dup := seen[k.Value]; dup {
			r.addAt(k.Line, p, "is set twice (first on line %d); keep one", first)
			continue
		}
		seen[k.Value] = k.Line
		r.lines[p] = k.Line
		visit(k.Value, v, p, k.Line)
	}
}

// expect reports n unless it is of the kind (and, for scalars, the type)
// that t needs.
func (r *report) expect(n *yaml.Node, kind yaml.Kind, t reflect.Type, path string) bool {
	ok := n.Kind == kind
	if ok && kind == yaml.ScalarNode {
		switch t.Kind() {
		case reflect.Int:
			ok = n.ShortTag() == "!!int"
		case reflect.Bool:
			ok = n.ShortTag() == "!!bool" || isYAML11Bool(n.Value)
		}
	}
	if !ok {
		r.addAt(n.Line, path, "%s is not allowed here; use %s", describeNode(n), describeType(t))
	}
	return ok
}

// isYAML11Bool accepts the yes/no/on/off spellings the decoder still takes
// for bool fields.
func isYAML11Bool(s string) bool {
	switch strings.ToLower(s) {
	case "y", "yes", "on", "n", "no", "off":
		return true
	}
	return false
}

func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping (key: value lines)"
	case yaml.SequenceNode:
		return "a list"
	}
	return fmt.Sprintf("%q", n.Value)
}

func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Struct:
		return "a mapping with the keys " + strings.Join(fieldNames(t), ", ")
	case reflect.Map:
		return "a mapping (name: value lines)"
	case reflect.Slice:
		return `a list (one "- " line per entry, or [a, b])`
	case reflect.Int:
		return "a whole number, e.g. 30"
	case reflect.Bool:
		return "true or false"
	}
	return "a single value (text)"
}

// yamlFields maps the YAML names of t's fields to their types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	m := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		if name := yamlName(t.Field(i)); name != "" {
			m[name] = t.Field(i).Type
		}
	}
	return m
}

// fieldNames lists t's YAML names in declaration order, as the file has them.
func fieldNames(t reflect.Type) []string {
	var names []string
	for i := 0; i < t.NumField(); i++ {
		if name := yamlName(t.Field(i)); name != "" {
			names = append(names, name)
		}
	}
	return names
}

func yamlName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "-" {
		return ""
	}
	if name == "" {
		return strings.ToLower(f.Name)
	}
	return name
}
