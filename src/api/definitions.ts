// The odin.moreh.io/v1alpha1 API written once: the fields of the Odin v0.4.0
// API reference with their descriptions, plus the constraints of the Odin v0.8
// CRDs and webhooks that the reference does not show. The JSON Schemas in
// `schemas/`, the CRD manifests and the validator are all generated from these
// definitions, so they cannot drift apart. The kinds themselves are in kinds.ts.
import { int32, ref, type Schema } from './schema.js';
import { API_GROUP, INFERENCE_SERVICE_TEMPLATE } from './types.js';

/** The Kubernetes definition that `template` and `workerTemplate` use. */
export const POD_TEMPLATE_SPEC = 'io.k8s.api.core.v1.PodTemplateSpec';
export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** Defaults that the CRDs declare: none of them can hide a value a template sets. */
export const DEFAULT_REPLICAS = 1;
export const DEFAULT_TEMPLATE_GROUP = API_GROUP;
export const DEFAULT_TEMPLATE_KIND = INFERENCE_SERVICE_TEMPLATE;
/**
 * The default of `service.target`. The CRDs leave it out because the apiserver
 * would write it into a service's own spec, where it overrides a template's target.
 */
export const DEFAULT_SERVICE_TARGET = 'auto';

export const FRAMEWORKS = ['vllm', 'sglang'] as const;
export const SERVICE_TARGETS = ['leader', 'workers', 'all', 'auto'] as const;

/** A DNS subdomain (RFC 1123) or the empty string, which means the default group. */
export const GROUP_PATTERN =
  '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
export const KIND_PATTERN = '^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$';

function podTemplate(description: string): Schema {
  return { ...ref(POD_TEMPLATE_SPEC), description };
}

const FRAMEWORK: Schema = {
  type: 'string',
  enum: [...FRAMEWORKS],
  description: 'Framework specifies the inference engine. Enum: vllm, sglang.',
};

/** Fields that an InferenceServiceTemplate shares with an InferenceService. */
const SHARED_SPEC_PROPERTIES: Record<string, Schema> = {
  framework: FRAMEWORK,
  model: { ...ref('ModelSpec'), description: 'Model identifies the model to serve.' },
  parallelism: {
    ...ref('Parallelism'),
    description: 'Parallelism defines the parallelism parameters for distributed inference.',
  },
  service: {
    ...ref('ServiceSpec'),
    description:
      'Service defines configuration for the Kubernetes Service associated with the InferenceService.',
  },
  template: podTemplate(
    'Template describes the pod template for Deployment or LeaderWorkerSet leader.',
  ),
  workerTemplate: podTemplate(
    'WorkerTemplate describes the pod template for LeaderWorkerSet workers.',
  ),
};

/** Maximum number of templates one service may reference. */
export const MAX_TEMPLATE_REFS = 16;

const INFERENCE_SERVICE_SPEC: Schema = {
  type: 'object',
  properties: {
    ...SHARED_SPEC_PROPERTIES,
    inferencePoolRefs: {
      type: 'array',
      maxItems: 1,
      items: ref('LocalObjectReference'),
      description: 'InferencePoolRefs is a list of references to InferencePools.',
    },
    replicas: {
      ...int32('Number of replicas for Deployments or LeaderWorkerSets. Default is 1.', 0),
      default: DEFAULT_REPLICAS,
    },
    templateRefs: {
      type: 'array',
      // Each reference costs a lookup, a merge and a render on every review,
      // and real services use a runtime base, a preset and a few overlays.
      maxItems: MAX_TEMPLATE_REFS,
      items: ref('TemplateReference'),
      description: 'TemplateRefs is a list of references to InferenceServiceTemplates.',
    },
  },
};

/** The shape of metav1.Condition, with the limits that its Go markers declare. */
const CONDITION: Schema = {
  type: 'object',
  required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
  properties: {
    type: {
      type: 'string',
      maxLength: 316,
      pattern:
        '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$',
      description: 'Type of condition in CamelCase or in foo.example.com/CamelCase.',
    },
    status: {
      type: 'string',
      enum: ['True', 'False', 'Unknown'],
      description: 'Status of the condition, one of True, False, Unknown.',
    },
    observedGeneration: {
      type: 'integer',
      format: 'int64',
      minimum: 0,
      description: 'The .metadata.generation that the condition was set based upon.',
    },
    lastTransitionTime: {
      type: 'string',
      format: 'date-time',
      description: 'The last time the condition transitioned from one status to another.',
    },
    reason: {
      type: 'string',
      minLength: 1,
      maxLength: 1024,
      pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$',
      description: "A programmatic identifier for the condition's last transition, in CamelCase.",
    },
    message: {
      type: 'string',
      maxLength: 32768,
      description: 'A human readable message indicating details about the transition.',
    },
  },
};

/** Odin's own definitions, by name; Kubernetes definitions are added when schemas are built. */
export const API_DEFINITIONS: Record<string, Schema> = {
  InferenceServiceSpec: INFERENCE_SERVICE_SPEC,
  InferenceServiceTemplateSpec: { type: 'object', properties: SHARED_SPEC_PROPERTIES },
  LocalObjectReference: {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1, description: 'Name is the name of the referent.' },
    },
  },
  TemplateReference: {
    type: 'object',
    required: ['name'],
    properties: {
      group: {
        type: 'string',
        maxLength: 253,
        pattern: GROUP_PATTERN,
        default: DEFAULT_TEMPLATE_GROUP,
        description: 'Group is the group of the referent.',
      },
      kind: {
        type: 'string',
        minLength: 1,
        maxLength: 63,
        pattern: KIND_PATTERN,
        default: DEFAULT_TEMPLATE_KIND,
        description: 'Kind is the kind of the referent.',
      },
      name: {
        type: 'string',
        minLength: 1,
        maxLength: 253,
        description: 'Name is the name of the referent.',
      },
    },
  },
  Parallelism: {
    type: 'object',
    properties: {
      data: int32('Data parallelism size.', 1),
      dataLocal: int32('DataLocal data local parallelism size.', 1),
      dataRPCPort: int32('DataRPCPort is the data parallelism RPC port.', 1, 65535),
      expert: { type: 'boolean', description: 'Expert enables expert parallelism.' },
      pipeline: int32('Pipeline parallelism size.', 1),
      tensor: int32('Tensor parallelism size.', 1),
    },
  },
  ModelSpec: {
    type: 'object',
    required: ['name'],
    properties: {
      name: {
        type: 'string',
        minLength: 1,
        description: 'Name is the model identifier (e.g. HuggingFace model ID).',
      },
    },
  },
  ServiceSpec: {
    type: 'object',
    properties: {
      target: {
        type: 'string',
        enum: [...SERVICE_TARGETS],
        description:
          'Specifies which pods receive the mif.moreh.io/inferenceservice label for Service ' +
          'endpoint selection. For LeaderWorkerSet: leader, workers, all, or auto. ' +
          'For Deployment: target is ignored. Default: auto.',
      },
    },
  },
  InferenceServiceStatus: {
    type: 'object',
    properties: {
      replicas: int32(
        'Total number of groups that have been created (updated or not, ready or not).',
        0,
      ),
      updatedReplicas: int32('Number of groups that have been updated (ready or not).', 0),
      readyReplicas: int32('Number of groups that are in a ready state (updated or not).', 0),
      hpaPodSelector: {
        type: 'string',
        description:
          'Pod selector string for HPA to identify pods belonging to this InferenceService.',
      },
      renderedSpec: {
        ...ref('InferenceServiceSpec'),
        description:
          'Fully resolved InferenceServiceSpec after merging templateRefs and template rendering.',
      },
      conditions: {
        type: 'array',
        items: ref('Condition'),
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['type'],
        description: "Conditions represent the latest available observations of an object's state.",
      },
    },
  },
  Condition: CONDITION,
};
