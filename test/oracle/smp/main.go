// Command smp-oracle applies Kubernetes strategic merge patches with
// k8s.io/apimachinery, the implementation the Odin controller links, so the
// TypeScript merge can be compared with it case by case.
//
// It reads a JSON array of cases {"original": {...}, "patch": {...}, "schema":
// "spec" | "pod"} on stdin and writes a JSON array with one entry per case:
// {"result": <merged JSON>} or {"error": "<message>"}. A panic inside the
// library is reported as an error that starts with "panic: ".
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/strategicpatch"
)

type mergeCase struct {
	Original json.RawMessage `json:"original"`
	Patch    json.RawMessage `json:"patch"`
	Schema   string          `json:"schema"`
}

type mergeOutcome struct {
	Result json.RawMessage `json:"result,omitempty"`
	Error  string          `json:"error,omitempty"`
}

func main() {
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	var cases []mergeCase
	if err := json.Unmarshal(input, &cases); err != nil {
		fail(err)
	}

	outcomes := make([]mergeOutcome, len(cases))
	for i, c := range cases {
		outcomes[i] = apply(c)
	}

	output, err := json.Marshal(outcomes)
	if err != nil {
		fail(err)
	}
	if _, err := os.Stdout.Write(output); err != nil {
		fail(err)
	}
}

func apply(c mergeCase) (outcome mergeOutcome) {
	defer func() {
		if recovered := recover(); recovered != nil {
			outcome = mergeOutcome{Error: fmt.Sprintf("panic: %v", recovered)}
		}
	}()

	var dataStruct interface{}
	switch c.Schema {
	case "spec":
		dataStruct = &InferenceServiceSpec{}
	case "pod":
		dataStruct = &corev1.PodTemplateSpec{}
	default:
		return mergeOutcome{Error: fmt.Sprintf("unknown schema %q", c.Schema)}
	}

	merged, err := strategicpatch.StrategicMergePatch(c.Original, c.Patch, dataStruct)
	if err != nil {
		return mergeOutcome{Error: err.Error()}
	}
	return mergeOutcome{Result: merged}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "smp-oracle:", err)
	os.Exit(1)
}
