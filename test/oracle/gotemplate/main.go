// Command gotemplate is the reference for the TypeScript template engine: it runs
// Go's text/template with Sprig v3.3.0 and deref on cases read as JSON from stdin
// and writes each case's output or error text as JSON to stdout.
//
// Input: {"functions": [names], "cases": [{"template": T, "context": C} or
// {"template": T, "json": J}]}. A context decodes into render.Context, so absent
// optional fields are nil pointers; json decodes as encoding/json's interface{}.
// With -dump-types it prints the Go field names and types of the spec instead.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"text/template"

	"github.com/Masterminds/sprig/v3"

	"odin-webhook/test/oracle/gotemplate/render"
)

type testCase struct {
	Name     string          `json:"name"`
	Template string          `json:"template"`
	Context  json.RawMessage `json:"context,omitempty"`
	JSON     json.RawMessage `json:"json,omitempty"`
}

type request struct {
	Functions []string   `json:"functions"`
	Cases     []testCase `json:"cases"`
}

type result struct {
	Output *string `json:"output,omitempty"`
	Error  *string `json:"error,omitempty"`
}

// funcMap keeps the Sprig functions the TypeScript engine provides, plus deref.
func funcMap(names []string) (template.FuncMap, error) {
	all := sprig.TxtFuncMap()
	all["deref"] = deref
	out := template.FuncMap{}
	for _, name := range names {
		f, ok := all[name]
		if !ok {
			if isBuiltin(name) {
				continue
			}
			return nil, fmt.Errorf("function %q is neither a Sprig function nor deref", name)
		}
		out[name] = f
	}
	return out, nil
}

func isBuiltin(name string) bool {
	switch name {
	case "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print",
		"printf", "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne":
		return true
	}
	return false
}

func decodeData(c testCase) (interface{}, error) {
	if len(c.Context) > 0 {
		var ctx render.Context
		err := json.Unmarshal(c.Context, &ctx)
		return ctx, err
	}
	if len(c.JSON) > 0 {
		var v interface{}
		err := json.Unmarshal(c.JSON, &v)
		return v, err
	}
	return nil, nil
}

func run(c testCase, funcs template.FuncMap, index int) (res result) {
	name := c.Name
	if name == "" {
		name = fmt.Sprintf("case%d", index)
	}
	defer func() {
		if r := recover(); r != nil {
			text := fmt.Sprintf("panic: %v", r)
			res = result{Error: &text}
		}
	}()
	data, err := decodeData(c)
	if err != nil {
		text := "decode: " + err.Error()
		return result{Error: &text}
	}
	tmpl, err := template.New(name).Funcs(funcs).Parse(c.Template)
	if err != nil {
		text := err.Error()
		return result{Error: &text}
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		text := err.Error()
		return result{Error: &text}
	}
	out := buf.String()
	return result{Output: &out}
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-dump-types" {
		dumpTypes(os.Stdout)
		return
	}
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "reading request:", err)
		os.Exit(2)
	}
	funcs, err := funcMap(req.Functions)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	results := make([]result, len(req.Cases))
	for i, c := range req.Cases {
		results[i] = run(c, funcs, i)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, "writing results:", err)
		os.Exit(2)
	}
}
