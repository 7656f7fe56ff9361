// The checks that typed structs allow: the schema-level constraints of the
// InferenceService fields, and the cross-field rules on the rendered spec.
// Unknown fields cannot be reported, because decoding drops them.
package main

import (
	"fmt"
	"regexp"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

var (
	frameworks     = []string{"vllm", "sglang"}
	serviceTargets = []string{"leader", "workers", "all", "auto"}
	kindPattern    = regexp.MustCompile(`^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$`)
)

func contains(values []string, value string) bool {
	for _, candidate := range values {
		if candidate == value {
			return true
		}
	}
	return false
}

func supportedReference(ref TemplateReference) bool {
	group, kind := ref.Group, ref.Kind
	return (group == nil || *group == "" || *group == apiGroup) && (kind == nil || *kind == "" || *kind == kindTemplate)
}

func checkReference(ref TemplateReference, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	if ref.Group != nil && *ref.Group != "" && *ref.Group != apiGroup {
		errs = append(errs, field.NotSupported(path.Child("group"), *ref.Group, []string{apiGroup}))
	}
	if ref.Kind != nil && *ref.Kind != "" && *ref.Kind != kindTemplate {
		errs = append(errs, field.NotSupported(path.Child("kind"), *ref.Kind, []string{kindTemplate}))
	}
	if ref.Name == "" {
		errs = append(errs, field.Required(path.Child("name"), "a template name is required"))
	}
	return errs
}

func checkMinimum(path *field.Path, value *int32, minimum int32) field.ErrorList {
	if value == nil || *value >= minimum {
		return nil
	}
	return field.ErrorList{field.Invalid(path, *value, fmt.Sprintf("must be greater than or equal to %d", minimum))}
}

// validateFields checks the service's own fields, as the JSON Schema does.
func validateFields(spec *InferenceServiceSpec) field.ErrorList {
	root := field.NewPath("spec")
	var errs field.ErrorList
	if spec.Framework != nil && !contains(frameworks, *spec.Framework) {
		errs = append(errs, field.NotSupported(root.Child("framework"), *spec.Framework, frameworks))
	}
	if spec.Model != nil && spec.Model.Name == "" {
		errs = append(errs, field.Required(root.Child("model", "name"), ""))
	}
	if p := spec.Parallelism; p != nil {
		path := root.Child("parallelism")
		errs = append(errs, checkMinimum(path.Child("data"), p.Data, 1)...)
		errs = append(errs, checkMinimum(path.Child("dataLocal"), p.DataLocal, 1)...)
		errs = append(errs, checkMinimum(path.Child("pipeline"), p.Pipeline, 1)...)
		errs = append(errs, checkMinimum(path.Child("tensor"), p.Tensor, 1)...)
		errs = append(errs, checkMinimum(path.Child("dataRPCPort"), p.DataRPCPort, 1)...)
		if p.DataRPCPort != nil && *p.DataRPCPort > 65535 {
			errs = append(errs, field.Invalid(path.Child("dataRPCPort"), *p.DataRPCPort, "must be less than or equal to 65535"))
		}
	}
	errs = append(errs, checkMinimum(root.Child("replicas"), spec.Replicas, 0)...)
	if spec.Service != nil && spec.Service.Target != nil && !contains(serviceTargets, *spec.Service.Target) {
		errs = append(errs, field.NotSupported(root.Child("service", "target"), *spec.Service.Target, serviceTargets))
	}
	if len(spec.InferencePoolRefs) > 1 {
		errs = append(errs, field.TooMany(root.Child("inferencePoolRefs"), len(spec.InferencePoolRefs), 1))
	}
	for i, ref := range spec.TemplateRefs {
		errs = append(errs, validateReferenceFields(ref, root.Child("templateRefs").Index(i))...)
	}
	return errs
}

func validateReferenceFields(ref TemplateReference, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	if ref.Name == "" || len(ref.Name) > 253 {
		errs = append(errs, field.Invalid(path.Child("name"), ref.Name, "must be 1 to 253 characters"))
	}
	if g := ref.Group; g != nil && *g != "" {
		for _, message := range validation.IsDNS1123Subdomain(*g) {
			errs = append(errs, field.Invalid(path.Child("group"), *g, message))
		}
	}
	if k := ref.Kind; k != nil && (len(*k) > 63 || !kindPattern.MatchString(*k)) {
		errs = append(errs, field.Invalid(path.Child("kind"), *k, "must match "+kindPattern.String()+" and be at most 63 characters"))
	}
	return errs
}

// checkRendered applies the cross-field rules to a rendered spec.
func checkRendered(spec *InferenceServiceSpec) field.ErrorList {
	root := field.NewPath("spec")
	var errs field.ErrorList
	if spec.Template == nil && spec.WorkerTemplate == nil {
		errs = append(errs, field.Required(root.Child("template"), "at least one of `template` and `workerTemplate` must be set"))
	}
	p := spec.Parallelism
	if p == nil {
		p = &Parallelism{}
	}
	if spec.WorkerTemplate != nil && p.Data == nil && p.Pipeline == nil {
		errs = append(errs, field.Required(root.Child("parallelism"), "`workerTemplate` requires `data` or `pipeline`"))
	}
	if p.Data != nil && p.Pipeline != nil {
		errs = append(errs, field.Forbidden(root.Child("parallelism", "pipeline"), "may not be set when `data` is set"))
	}
	if p.Data != nil && p.DataLocal != nil && *p.DataLocal > 0 && *p.Data%*p.DataLocal != 0 {
		errs = append(errs, field.Invalid(root.Child("parallelism", "data"), *p.Data, "must be a multiple of `dataLocal`"))
	}
	errs = append(errs, checkPodTemplate(root.Child("template"), spec.Template)...)
	errs = append(errs, checkPodTemplate(root.Child("workerTemplate"), spec.WorkerTemplate)...)
	return errs
}

func checkPodTemplate(path *field.Path, template *corev1.PodTemplateSpec) field.ErrorList {
	if template == nil {
		return nil
	}
	var errs field.ErrorList
	errs = append(errs, checkContainers(path.Child("spec", "initContainers"), template.Spec.InitContainers)...)
	errs = append(errs, checkContainers(path.Child("spec", "containers"), template.Spec.Containers)...)
	return errs
}

func checkContainers(path *field.Path, containers []corev1.Container) field.ErrorList {
	var errs field.ErrorList
	for i, container := range containers {
		item := path.Index(i)
		if container.Name == "" {
			errs = append(errs, field.Required(item.Child("name"), ""))
		}
		if container.Image == "" {
			errs = append(errs, field.Required(item.Child("image"), ""))
		}
		seen := map[string]bool{}
		for j, port := range container.Ports {
			if port.Name != "" && seen[port.Name] {
				errs = append(errs, field.Duplicate(item.Child("ports").Index(j).Child("name"), port.Name))
			}
			seen[port.Name] = true
		}
	}
	return errs
}
