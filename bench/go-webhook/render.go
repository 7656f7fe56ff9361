// The rendered spec of an InferenceService, as the Go implementation builds
// it: resolve the referenced templates, merge them and the service's spec
// with k8s.io/apimachinery's strategic merge patch, apply every default, then
// execute each string containing "{{" as a text/template with Sprig and deref.
package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"k8s.io/apimachinery/pkg/util/strategicpatch"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// templateFuncs is built once: sprig.TxtFuncMap allocates a new map on each call.
var templateFuncs = func() template.FuncMap {
	funcs := sprig.TxtFuncMap()
	funcs["deref"] = deref
	return funcs
}()

type renderContext struct {
	Name      string
	Namespace string
	Labels    map[string]string
	Spec      *InferenceServiceSpec
}

type resolvedTemplate struct {
	index     int
	namespace string
	name      string
	stored    *storedTemplate
}

type renderResult struct {
	spec     *InferenceServiceSpec
	errors   field.ErrorList
	warnings []string
}

// renderService returns the rendered spec of a service, or the field errors
// that keep it from rendering.
func (s *store) renderService(service *InferenceService, namespace string) renderResult {
	resolved, errs := s.resolve(namespace, service.Spec.TemplateRefs)
	if len(errs) > 0 {
		return renderResult{errors: errs}
	}
	for _, t := range resolved {
		errs = append(errs, templateParseErrors(t)...)
	}
	if len(errs) > 0 {
		return renderResult{errors: errs}
	}

	merged, err := mergeSpecs(resolved, &service.Spec)
	if err != nil {
		return renderResult{errors: field.ErrorList{field.Invalid(field.NewPath("spec"), nil, err.Error())}}
	}
	applyMergedDefaults(merged)
	tree, err := toTree(merged)
	if err != nil {
		return renderResult{errors: field.ErrorList{field.InternalError(field.NewPath("spec"), err)}}
	}

	context := &renderContext{Name: service.Name, Namespace: namespace, Labels: service.Labels, Spec: merged}
	var warnings []string
	rendered := replaceTemplateStrings(tree, func(text, path string) string {
		output, err := execute(path, text, context)
		if err != nil {
			errs = append(errs, field.Invalid(fieldPath(path), nil, err.Error()))
			return text
		}
		if strings.Contains(output, "<no value>") || strings.Contains(output, "<nil>") {
			warnings = append(warnings, path+`: rendered output contains "<no value>" or "<nil>"`)
		}
		return output
	})
	warnings = append(warnings, referenceWarnings(resolved, &service.Spec)...)
	if len(errs) > 0 {
		return renderResult{errors: errs, warnings: warnings}
	}

	spec := &InferenceServiceSpec{}
	if err := remarshal(rendered, spec); err != nil {
		return renderResult{errors: field.ErrorList{field.Invalid(field.NewPath("spec"), nil, err.Error())}, warnings: warnings}
	}
	return renderResult{spec: spec, errors: checkRendered(spec), warnings: warnings}
}

func (s *store) resolve(namespace string, refs []TemplateReference) ([]resolvedTemplate, field.ErrorList) {
	searched := []string{namespace, s.systemNamespace}
	if namespace == s.systemNamespace {
		searched = searched[:1]
	}
	var resolved []resolvedTemplate
	var errs field.ErrorList
	for i, ref := range refs {
		path := field.NewPath("spec", "templateRefs").Index(i)
		if refErrs := checkReference(ref, path); len(refErrs) > 0 {
			errs = append(errs, refErrs...)
			continue
		}
		found := false
		for _, ns := range searched {
			if stored := s.template(ns, ref.Name); stored != nil {
				resolved = append(resolved, resolvedTemplate{i, ns, ref.Name, stored})
				found = true
				break
			}
		}
		if !found {
			notFound := field.NotFound(path.Child("name"), ref.Name)
			notFound.Detail = fmt.Sprintf("no InferenceServiceTemplate of that name in namespaces %q", searched)
			errs = append(errs, notFound)
		}
	}
	return resolved, errs
}

func templateParseErrors(t resolvedTemplate) field.ErrorList {
	var errs field.ErrorList
	visitTemplateStrings(t.stored.specTree, func(text, path string) string {
		if _, err := parse(path, text); err != nil {
			detail := fmt.Sprintf("template %q is invalid: %s: %v", t.namespace+"/"+t.name, path, err)
			errs = append(errs, field.Invalid(field.NewPath("spec", "templateRefs").Index(t.index).Child("name"), t.name, detail))
		}
		return text
	})
	return errs
}

// mergeSpecs merges the templates in order and then the service's own spec.
func mergeSpecs(resolved []resolvedTemplate, spec *InferenceServiceSpec) (*InferenceServiceSpec, error) {
	merged := []byte("{}")
	var err error
	for _, t := range resolved {
		merged, err = strategicpatch.StrategicMergePatch(merged, t.stored.specJSON, InferenceServiceSpec{})
		if err != nil {
			return nil, fmt.Errorf("template %q cannot be merged: %w", t.namespace+"/"+t.name, err)
		}
	}
	own, err := json.Marshal(spec)
	if err != nil {
		return nil, err
	}
	if merged, err = strategicpatch.StrategicMergePatch(merged, own, InferenceServiceSpec{}); err != nil {
		return nil, err
	}
	result := &InferenceServiceSpec{}
	return result, json.Unmarshal(merged, result)
}

func parse(name, text string) (*template.Template, error) {
	return template.New(name).Funcs(templateFuncs).Parse(text)
}

func execute(path, text string, context *renderContext) (string, error) {
	tmpl, err := parse(path, text)
	if err != nil {
		return "", err
	}
	var output strings.Builder
	if err := tmpl.Execute(&output, context); err != nil {
		return "", err
	}
	return output.String(), nil
}

// toTree turns a value into maps, slices and scalars, as encoding/json decodes it.
func toTree(value interface{}) (interface{}, error) {
	var tree interface{}
	return tree, remarshal(value, &tree)
}

func remarshal(value, into interface{}) error {
	data, err := json.Marshal(value)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, into)
}

// fieldPath keeps a rendered path as one segment: field errors print it as it is.
func fieldPath(path string) *field.Path {
	return field.NewPath(path)
}

func referenceWarnings(resolved []resolvedTemplate, spec *InferenceServiceSpec) []string {
	var warnings []string
	seen := map[string]int{}
	definesTemplate, definesWorker := false, false
	for _, t := range resolved {
		key := t.namespace + "/" + t.name
		if first, ok := seen[key]; ok {
			warnings = append(warnings, fmt.Sprintf("spec.templateRefs[%d] repeats spec.templateRefs[%d] (%s)", t.index, first, t.name))
		} else {
			seen[key] = t.index
		}
		definesTemplate = definesTemplate || t.stored.template.Spec.Template != nil
		definesWorker = definesWorker || t.stored.template.Spec.WorkerTemplate != nil
	}
	if spec.Template != nil && !definesTemplate && definesWorker {
		warnings = append(warnings, "spec.template is set but the referenced templates define only spec.workerTemplate")
	}
	if spec.WorkerTemplate != nil && !definesWorker && definesTemplate {
		warnings = append(warnings, "spec.workerTemplate is set but the referenced templates define only spec.template")
	}
	return warnings
}
