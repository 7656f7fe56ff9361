// Defaults of an InferenceService. The service's own spec is merged last, so
// service.target and parallelism.dataLocal are written into it only where
// neither the service nor a referenced template sets them. The merged spec
// gets every default before it is rendered.
package main

func stringPointer(value string) *string { return &value }

func int32Pointer(value int32) *int32 { return &value }

func applyStaticDefaults(spec *InferenceServiceSpec) {
	if spec.Replicas == nil {
		spec.Replicas = int32Pointer(defaultReplicas)
	}
	for i := range spec.TemplateRefs {
		ref := &spec.TemplateRefs[i]
		if ref.Group == nil {
			ref.Group = stringPointer(apiGroup)
		}
		if ref.Kind == nil {
			ref.Kind = stringPointer(kindTemplate)
		}
	}
}

func targetSet(spec *InferenceServiceSpec) bool {
	return spec.Service != nil && spec.Service.Target != nil
}

func dataLocalSet(spec *InferenceServiceSpec) bool {
	return spec.Parallelism != nil && spec.Parallelism.DataLocal != nil
}

// applyServiceDefaults writes the defaults into a service's own spec, given
// the specs of the templates it references.
func applyServiceDefaults(spec *InferenceServiceSpec, templates []resolvedTemplate) {
	applyStaticDefaults(spec)
	target, dataLocal := targetSet(spec), dataLocalSet(spec)
	for _, t := range templates {
		target = target || targetSet(&t.stored.template.Spec)
		dataLocal = dataLocal || dataLocalSet(&t.stored.template.Spec)
	}
	if !target {
		if spec.Service == nil {
			spec.Service = &ServiceSpec{}
		}
		spec.Service.Target = stringPointer(defaultServiceTarget)
	}
	if !dataLocal && spec.Parallelism != nil && spec.Parallelism.Data != nil {
		spec.Parallelism.DataLocal = int32Pointer(*spec.Parallelism.Data)
	}
}

func applyMergedDefaults(spec *InferenceServiceSpec) {
	applyStaticDefaults(spec)
	if !targetSet(spec) {
		if spec.Service == nil {
			spec.Service = &ServiceSpec{}
		}
		spec.Service.Target = stringPointer(defaultServiceTarget)
	}
	if spec.Parallelism != nil && spec.Parallelism.Data != nil && spec.Parallelism.DataLocal == nil {
		spec.Parallelism.DataLocal = int32Pointer(*spec.Parallelism.Data)
	}
}
