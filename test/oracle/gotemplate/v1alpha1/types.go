// Package v1alpha1 mirrors the InferenceServiceSpec of odin.moreh.io/v1alpha1 as
// the controller decodes it: every optional field is a nil-able pointer, so that
// templates see the same nil pointers the TypeScript renderer models.
package v1alpha1

import corev1 "k8s.io/api/core/v1"

type InferenceServiceSpec struct {
	Framework         *string                 `json:"framework,omitempty"`
	InferencePoolRefs []LocalObjectReference  `json:"inferencePoolRefs,omitempty"`
	Model             *ModelSpec              `json:"model,omitempty"`
	Parallelism       *Parallelism            `json:"parallelism,omitempty"`
	Replicas          *int32                  `json:"replicas,omitempty"`
	Service           *ServiceSpec            `json:"service,omitempty"`
	Template          *corev1.PodTemplateSpec `json:"template,omitempty"`
	TemplateRefs      []TemplateReference     `json:"templateRefs,omitempty"`
	WorkerTemplate    *corev1.PodTemplateSpec `json:"workerTemplate,omitempty"`
}

type LocalObjectReference struct {
	Name string `json:"name"`
}

type ModelSpec struct {
	Name string `json:"name"`
}

type Parallelism struct {
	Data        *int32 `json:"data,omitempty"`
	DataLocal   *int32 `json:"dataLocal,omitempty"`
	DataRPCPort *int32 `json:"dataRPCPort,omitempty"`
	Expert      *bool  `json:"expert,omitempty"`
	Pipeline    *int32 `json:"pipeline,omitempty"`
	Tensor      *int32 `json:"tensor,omitempty"`
}

type ServiceSpec struct {
	Target *string `json:"target,omitempty"`
}

type TemplateReference struct {
	Group *string `json:"group,omitempty"`
	Kind  *string `json:"kind,omitempty"`
	Name  string  `json:"name"`
}
