// The three webhooks on controller-runtime's typed defaulter and validator
// adapters, which decode the object, compute the JSON Patch from the
// defaulted object and build the AdmissionReview response.
package main

import (
	"context"
	"fmt"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/strategicpatch"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"
)

const (
	maxNamedUsers      = 5
	maxRerenderedUsers = 200
)

func requestNamespace(ctx context.Context, objectNamespace string) string {
	if request, err := admission.RequestFromContext(ctx); err == nil && request.Namespace != "" {
		return request.Namespace
	}
	if objectNamespace != "" {
		return objectNamespace
	}
	return "default"
}

type serviceDefaulter struct{ store *store }

func (d serviceDefaulter) Default(ctx context.Context, service *InferenceService) error {
	namespace := requestNamespace(ctx, service.Namespace)
	resolved, _ := d.store.resolve(namespace, service.Spec.TemplateRefs)
	applyServiceDefaults(&service.Spec, resolved)
	return nil
}

type serviceValidator struct{ store *store }

func (v serviceValidator) ValidateCreate(ctx context.Context, service *InferenceService) (admission.Warnings, error) {
	return v.validate(ctx, service)
}

func (v serviceValidator) ValidateUpdate(ctx context.Context, old, service *InferenceService) (admission.Warnings, error) {
	// An object being deleted is let go, so a template removed since cannot keep it alive.
	if old.DeletionTimestamp != nil {
		return nil, nil
	}
	if request, err := admission.RequestFromContext(ctx); err == nil && request.SubResource == "status" {
		return nil, nil
	}
	return v.validate(ctx, service)
}

func (v serviceValidator) ValidateDelete(context.Context, *InferenceService) (admission.Warnings, error) {
	return nil, nil
}

// validate judges the object as it will be stored, with the defaults applied.
func (v serviceValidator) validate(ctx context.Context, service *InferenceService) (admission.Warnings, error) {
	namespace := requestNamespace(ctx, service.Namespace)
	defaulted := service.DeepCopyObject().(*InferenceService)
	resolved, _ := v.store.resolve(namespace, defaulted.Spec.TemplateRefs)
	applyServiceDefaults(&defaulted.Spec, resolved)

	kind := schema.GroupKind{Group: apiGroup, Kind: kindInferenceService}
	if errs := validateFields(&defaulted.Spec); len(errs) > 0 {
		return nil, apierrors.NewInvalid(kind, service.Name, errs)
	}
	result := v.store.renderService(defaulted, namespace)
	if len(result.errors) > 0 {
		return result.warnings, apierrors.NewInvalid(kind, service.Name, result.errors)
	}
	return result.warnings, nil
}

type templateValidator struct{ store *store }

func (v templateValidator) ValidateCreate(_ context.Context, template *InferenceServiceTemplate) (admission.Warnings, error) {
	return nil, v.checkFields(template)
}

func (v templateValidator) ValidateUpdate(ctx context.Context, _, template *InferenceServiceTemplate) (admission.Warnings, error) {
	if err := v.checkFields(template); err != nil {
		return nil, err
	}
	return nil, v.checkUsers(requestNamespace(ctx, template.Namespace), template)
}

func (v templateValidator) ValidateDelete(ctx context.Context, template *InferenceServiceTemplate) (admission.Warnings, error) {
	namespace := requestNamespace(ctx, template.Namespace)
	total, users := v.store.usersOf(namespace, template.Name, maxNamedUsers)
	if total == 0 {
		return nil, nil
	}
	more := ""
	if total > len(users) {
		more = fmt.Sprintf(" and %d more", total-len(users))
	}
	resource := schema.GroupResource{Group: apiGroup, Resource: "inferenceservicetemplates"}
	reason := fmt.Errorf("in use by %d InferenceServices: %s%s; remove it from their spec.templateRefs first",
		total, strings.Join(users, ", "), more)
	return nil, apierrors.NewForbidden(resource, template.Name, reason)
}

// checkFields parses the template's strings and merges its spec once, so a
// template that no service could use is rejected when it is written.
func (v templateValidator) checkFields(template *InferenceServiceTemplate) error {
	probe := &store{systemNamespace: v.store.systemNamespace, templates: map[string]*storedTemplate{}}
	probe.putTemplate(template.DeepCopyObject().(*InferenceServiceTemplate))
	stored := probe.template(template.Namespace, template.Name)
	if stored == nil {
		return fmt.Errorf("the template cannot be encoded")
	}
	errs := templateParseErrors(resolvedTemplate{0, template.Namespace, template.Name, stored})
	if _, err := strategicpatch.StrategicMergePatch([]byte("{}"), stored.specJSON, InferenceServiceSpec{}); err != nil {
		return err
	}
	if len(errs) > 0 {
		return apierrors.NewInvalid(schema.GroupKind{Group: apiGroup, Kind: kindTemplate}, template.Name, errs)
	}
	return nil
}

// checkUsers re-renders up to maxRerenderedUsers services that use the
// template against its new version and rejects the change when one that
// rendered before no longer does.
func (v templateValidator) checkUsers(namespace string, template *InferenceServiceTemplate) error {
	_, users := v.store.usersOf(namespace, template.Name, maxRerenderedUsers)
	changed := &store{systemNamespace: v.store.systemNamespace, templates: map[string]*storedTemplate{}}
	for key, stored := range v.store.templates {
		changed.templates[key] = stored
	}
	updated := template.DeepCopyObject().(*InferenceServiceTemplate)
	updated.Namespace = namespace
	changed.putTemplate(updated)
	for _, key := range users {
		service := v.store.services[key]
		if service == nil {
			continue
		}
		after := changed.renderService(service, service.Namespace)
		if len(after.errors) == 0 || len(v.store.renderService(service, service.Namespace).errors) > 0 {
			continue
		}
		return apierrors.NewForbidden(schema.GroupResource{Group: apiGroup, Resource: "inferenceservicetemplates"},
			template.Name, fmt.Errorf("would make InferenceService %q invalid: %v", key, after.errors[0]))
	}
	return nil
}
