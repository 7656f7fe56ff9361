// Walks the string values of a decoded JSON tree that contain "{{", building
// a string's field path (spec.template.spec.containers[0].args[0]) only for
// those strings.
package main

import (
	"strconv"
	"strings"
)

type stringWalker struct {
	segments []string
	replace  bool
	visit    func(text, path string) string
}

func (w *stringWalker) path() string {
	return "spec" + strings.Join(w.segments, "")
}

func (w *stringWalker) walk(value interface{}) interface{} {
	switch typed := value.(type) {
	case string:
		if strings.Contains(typed, "{{") {
			return w.visit(typed, w.path())
		}
	case map[string]interface{}:
		for key, child := range typed {
			w.segments = append(w.segments, "."+key)
			if result := w.walk(child); w.replace {
				typed[key] = result
			}
			w.segments = w.segments[:len(w.segments)-1]
		}
	case []interface{}:
		for i, child := range typed {
			w.segments = append(w.segments, "["+strconv.Itoa(i)+"]")
			if result := w.walk(child); w.replace {
				typed[i] = result
			}
			w.segments = w.segments[:len(w.segments)-1]
		}
	}
	return value
}

// replaceTemplateStrings replaces, in place, each string of a spec tree that
// contains "{{" with what visit returns for it.
func replaceTemplateStrings(tree interface{}, visit func(text, path string) string) interface{} {
	walker := &stringWalker{replace: true, visit: visit}
	return walker.walk(tree)
}

// visitTemplateStrings calls visit for each string that contains "{{" and
// changes nothing, so trees shared between requests stay read-only.
func visitTemplateStrings(tree interface{}, visit func(text, path string) string) {
	walker := &stringWalker{visit: visit}
	walker.walk(tree)
}
