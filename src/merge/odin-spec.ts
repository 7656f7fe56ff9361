// Patch metadata of the odin.moreh.io/v1alpha1 InferenceServiceSpec. Odin's Go
// types declare no patch tags, so its own lists (inferencePoolRefs,
// templateRefs) are replaced and its structs merge field by field. The pod
// templates use the Kubernetes OpenAPI definitions.
// NOTE: optional structs and numbers are taken to be Go pointers, the usual
// convention of Go API types. This matters only when both sides put a list in
// such a field: Go replaces a pointer field's value and rejects the others.
import { definitionType, field, scalar, struct, type GoType } from './patch-meta.js';

const POD_TEMPLATE_SPEC = 'io.k8s.api.core.v1.PodTemplateSpec';

/** Go type of core/v1 PodTemplateSpec. */
export function podTemplateSpecType(): GoType {
  return definitionType(POD_TEMPLATE_SPEC);
}

const int32Pointer = (): ReturnType<typeof field> => field(scalar('int32'), { pointer: true });

const modelSpec = struct('ModelSpec', () => ({ name: field(scalar('string')) }));

const parallelism = struct('Parallelism', () => ({
  data: int32Pointer(),
  dataLocal: int32Pointer(),
  dataRPCPort: int32Pointer(),
  expert: field(scalar('bool'), { pointer: true }),
  pipeline: int32Pointer(),
  tensor: int32Pointer(),
}));

const serviceSpec = struct('ServiceSpec', () => ({ target: field(scalar('string')) }));

const templateReference = struct('TemplateReference', () => ({
  group: field(scalar('string')),
  kind: field(scalar('string')),
  name: field(scalar('string')),
}));

/** Go type of the InferenceServiceSpec, which also covers an InferenceServiceTemplateSpec. */
export const inferenceServiceSpecType: GoType = struct('InferenceServiceSpec', () => ({
  framework: field(scalar('string')),
  inferencePoolRefs: field({
    kind: 'slice',
    elem: definitionType('io.k8s.api.core.v1.LocalObjectReference'),
  }),
  model: field(modelSpec, { pointer: true }),
  parallelism: field(parallelism, { pointer: true }),
  replicas: int32Pointer(),
  service: field(serviceSpec, { pointer: true }),
  template: field(podTemplateSpecType(), { pointer: true }),
  templateRefs: field({ kind: 'slice', elem: templateReference }),
  workerTemplate: field(podTemplateSpecType(), { pointer: true }),
}));
