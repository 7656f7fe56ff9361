// Go types of odin.moreh.io/v1alpha1 as the Odin controller decodes them:
// every optional field is a nil-able pointer, so templates see nil pointers
// for absent fields. The template's spec has the same shape as the service's.
package main

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

const (
	apiGroup                   = "odin.moreh.io"
	kindInferenceService       = "InferenceService"
	kindTemplate               = "InferenceServiceTemplate"
	defaultServiceTarget       = "auto"
	defaultReplicas      int32 = 1
)

var groupVersion = schema.GroupVersion{Group: apiGroup, Version: "v1alpha1"}

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

type InferenceService struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              InferenceServiceSpec `json:"spec,omitempty"`
}

type InferenceServiceTemplate struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              InferenceServiceSpec `json:"spec,omitempty"`
}

func newScheme() *runtime.Scheme {
	scheme := runtime.NewScheme()
	scheme.AddKnownTypes(groupVersion, &InferenceService{}, &InferenceServiceTemplate{})
	metav1.AddToGroupVersion(scheme, groupVersion)
	return scheme
}

func (in *InferenceService) DeepCopyObject() runtime.Object {
	out := &InferenceService{TypeMeta: in.TypeMeta}
	in.ObjectMeta.DeepCopyInto(&out.ObjectMeta)
	out.Spec = *in.Spec.DeepCopy()
	return out
}

func (in *InferenceServiceTemplate) DeepCopyObject() runtime.Object {
	out := &InferenceServiceTemplate{TypeMeta: in.TypeMeta}
	in.ObjectMeta.DeepCopyInto(&out.ObjectMeta)
	out.Spec = *in.Spec.DeepCopy()
	return out
}

func copyPointer[T any](in *T) *T {
	if in == nil {
		return nil
	}
	out := *in
	return &out
}

// DeepCopy returns a copy that shares no pointers with the receiver.
func (in *InferenceServiceSpec) DeepCopy() *InferenceServiceSpec {
	out := &InferenceServiceSpec{
		Framework:         copyPointer(in.Framework),
		InferencePoolRefs: append([]LocalObjectReference(nil), in.InferencePoolRefs...),
		Model:             copyPointer(in.Model),
		Replicas:          copyPointer(in.Replicas),
		Template:          in.Template.DeepCopy(),
		WorkerTemplate:    in.WorkerTemplate.DeepCopy(),
	}
	if in.Parallelism != nil {
		p := *in.Parallelism
		p.Data, p.DataLocal, p.DataRPCPort = copyPointer(p.Data), copyPointer(p.DataLocal), copyPointer(p.DataRPCPort)
		p.Expert, p.Pipeline, p.Tensor = copyPointer(p.Expert), copyPointer(p.Pipeline), copyPointer(p.Tensor)
		out.Parallelism = &p
	}
	if in.Service != nil {
		out.Service = &ServiceSpec{Target: copyPointer(in.Service.Target)}
	}
	if in.TemplateRefs != nil {
		out.TemplateRefs = make([]TemplateReference, len(in.TemplateRefs))
		for i, ref := range in.TemplateRefs {
			out.TemplateRefs[i] = TemplateReference{Group: copyPointer(ref.Group), Kind: copyPointer(ref.Kind), Name: ref.Name}
		}
	}
	return out
}
