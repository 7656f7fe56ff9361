// The documented outcome of each example service when every example
// template is loaded: the mutating patch and the validating verdict.

const REF_DEFAULTS = (index: number) => [
  { op: 'add', path: `/spec/templateRefs/${index}/group`, value: 'odin.moreh.io' },
  { op: 'add', path: `/spec/templateRefs/${index}/kind`, value: 'InferenceServiceTemplate' },
];
const TARGET_AUTO = { op: 'add', path: '/spec/service', value: { target: 'auto' } };
const REPLICAS = { op: 'add', path: '/spec/replicas', value: 1 };

export interface Outcome {
  file: string;
  patch: Array<{ op: string; path: string; value?: unknown }>;
  allowed: boolean;
  causes?: Array<{ field: string; reason: string }>;
}

export const CORPUS_OUTCOMES: Outcome[] = [
  {
    file: 'llama-tp2',
    patch: [TARGET_AUTO, ...REF_DEFAULTS(0), ...REF_DEFAULTS(1)],
    allowed: true,
  },
  { file: 'deepseek-dp', patch: [REPLICAS, ...REF_DEFAULTS(0), ...REF_DEFAULTS(1)], allowed: true },
  {
    file: 'qwen-data-only',
    patch: [
      { op: 'add', path: '/spec/parallelism/dataLocal', value: 4 },
      REPLICAS,
      ...REF_DEFAULTS(0),
    ],
    allowed: true,
  },
  { file: 'self-contained', patch: [REPLICAS, TARGET_AUTO], allowed: true },
  { file: 'no-model', patch: [REPLICAS, TARGET_AUTO, ...REF_DEFAULTS(0)], allowed: true },
  {
    file: 'invalid-pipeline-and-data',
    patch: [
      { op: 'add', path: '/spec/parallelism/dataLocal', value: 2 },
      REPLICAS,
      ...REF_DEFAULTS(0),
    ],
    allowed: false,
    causes: [{ field: 'spec.parallelism', reason: 'FieldValueForbidden' }],
  },
  {
    file: 'invalid-missing-template',
    patch: [REPLICAS, TARGET_AUTO, ...REF_DEFAULTS(0)],
    allowed: false,
    causes: [{ field: 'spec.templateRefs[0].name', reason: 'FieldValueNotFound' }],
  },
  {
    file: 'invalid-override-in-template',
    patch: [REPLICAS, ...REF_DEFAULTS(0), ...REF_DEFAULTS(1)],
    allowed: false,
    causes: [{ field: 'spec.template.spec.containers[0].image', reason: 'FieldValueRequired' }],
  },
  {
    file: 'other-namespace-template',
    patch: [REPLICAS, TARGET_AUTO, ...REF_DEFAULTS(0), ...REF_DEFAULTS(1)],
    allowed: false,
    causes: [{ field: 'spec.templateRefs[1].name', reason: 'FieldValueNotFound' }],
  },
];

export function sortByPath<T extends { path: string }>(operations: T[]): T[] {
  return [...operations].sort((a, b) => a.path.localeCompare(b.path, 'en'));
}
