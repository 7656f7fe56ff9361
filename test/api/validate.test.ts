// Schema validation of whole objects: each case is an object and the causes
// (field and type) that validation must report for it.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';
import { validateInferenceService, validateInferenceServiceTemplate } from '../../src/api/index.js';
import { causes, podTemplate, service, sortedCauses, template, type Cause } from './support.js';

const fixture = (name: string): unknown =>
  parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8'));

interface Case {
  name: string;
  object: unknown;
  expected: Cause[];
}

const serviceCases: Case[] = [
  {
    name: 'accepts a complete service',
    object: service({
      framework: 'vllm',
      replicas: 0,
      model: { name: 'meta-llama/Llama-3.2-1B-Instruct' },
      parallelism: { data: 8, dataLocal: 8, dataRPCPort: 13345, expert: true, tensor: 1 },
      service: { target: 'leader' },
      inferencePoolRefs: [{ name: 'pool' }],
      templateRefs: [{ name: 'vllm', group: '', kind: 'InferenceServiceTemplate' }],
      template: podTemplate(),
      workerTemplate: podTemplate(),
    }),
    expected: [],
  },
  {
    name: 'reports each invalid field once',
    object: fixture('invalid-fields.yaml'),
    expected: [
      { field: 'spec.framework', type: 'NotSupported' },
      { field: 'spec.replicas', type: 'Invalid' },
      { field: 'spec.parallelism.tensor', type: 'Invalid' },
      { field: 'spec.parallelism.dataRPCPort', type: 'Invalid' },
    ],
  },
  {
    name: 'rejects another apiVersion and kind',
    object: { ...service({}), apiVersion: 'odin.moreh.io/v1', kind: 'InferenceServiceTemplate' },
    expected: [
      { field: 'apiVersion', type: 'NotSupported' },
      { field: 'kind', type: 'NotSupported' },
    ],
  },
  {
    name: 'requires apiVersion and kind',
    object: { metadata: { name: 'demo' } },
    expected: [
      { field: 'apiVersion', type: 'Required' },
      { field: 'kind', type: 'Required' },
    ],
  },
  {
    name: 'rejects a non-object value',
    object: 'demo',
    expected: [{ field: '', type: 'Invalid' }],
  },
  {
    name: 'rejects int32 values out of range',
    object: service({ replicas: 2147483648, parallelism: { data: -1, pipeline: 1.5 } }),
    expected: [
      { field: 'spec.replicas', type: 'Invalid' },
      { field: 'spec.parallelism.data', type: 'Invalid' },
      { field: 'spec.parallelism.pipeline', type: 'Invalid' },
    ],
  },
  {
    name: 'checks template references',
    object: service({
      templateRefs: [
        { name: 'vllm', group: 'Odin.Moreh.IO', kind: '-Template' },
        { name: '', group: 'x'.repeat(254) },
        { kind: 'InferenceServiceTemplate', namespace: 'mif' },
      ],
    }),
    expected: [
      { field: 'spec.templateRefs[0].group', type: 'Invalid' },
      { field: 'spec.templateRefs[0].kind', type: 'Invalid' },
      { field: 'spec.templateRefs[1].name', type: 'Invalid' },
      { field: 'spec.templateRefs[1].group', type: 'TooLong' },
      { field: 'spec.templateRefs[2].name', type: 'Required' },
      { field: 'spec.templateRefs[2].namespace', type: 'Forbidden' },
    ],
  },
  {
    name: 'limits inferencePoolRefs to one item',
    object: service({ inferencePoolRefs: [{ name: 'a' }, { name: 'b' }] }),
    expected: [{ field: 'spec.inferencePoolRefs', type: 'TooMany' }],
  },
  {
    name: 'requires the model name',
    object: service({ model: {} }),
    expected: [{ field: 'spec.model.name', type: 'Required' }],
  },
  {
    name: 'rejects an unsupported service target',
    object: service({ service: { target: 'leaders' } }),
    expected: [{ field: 'spec.service.target', type: 'NotSupported' }],
  },
  {
    name: 'brackets metadata keys with dots',
    object: {
      ...service({}),
      metadata: { name: 'demo', labels: { 'app.kubernetes.io/name': 5, tier: ['a'] } },
    },
    expected: [
      { field: 'metadata.labels.tier', type: 'Invalid' },
      { field: 'metadata.labels[app.kubernetes.io/name]', type: 'Invalid' },
    ],
  },
  {
    name: 'accepts the metadata the apiserver adds',
    object: {
      ...service({}),
      metadata: {
        name: 'demo',
        namespace: 'team-a',
        uid: '6f1f6c1e-3c1f-4f57-9d59-0c6b9f1f2a10',
        resourceVersion: '42',
        generation: 3,
        creationTimestamp: '2025-01-02T15:04:05Z',
        finalizers: ['odin.moreh.io/finalizer'],
        managedFields: [{ manager: 'kubectl', operation: 'Update', fieldsV1: { 'f:spec': {} } }],
      },
    },
    expected: [],
  },
  {
    name: 'checks status conditions',
    object: {
      ...service({}),
      status: {
        replicas: 1,
        readyReplicas: -1,
        hpaPodSelector: 'app=demo',
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'Rendered',
            message: '',
            lastTransitionTime: 'now',
          },
          { type: 'Ready', status: 'Maybe' },
        ],
      },
    },
    expected: [
      { field: 'status.readyReplicas', type: 'Invalid' },
      { field: 'status.conditions[0].lastTransitionTime', type: 'Invalid' },
      { field: 'status.conditions[1].status', type: 'NotSupported' },
      { field: 'status.conditions[1].reason', type: 'Required' },
      { field: 'status.conditions[1].message', type: 'Required' },
      { field: 'status.conditions[1].lastTransitionTime', type: 'Required' },
    ],
  },
  {
    name: 'validates the rendered spec in the status',
    object: { ...service({}), status: { renderedSpec: { framework: 'tgi', replica: 1 } } },
    expected: [
      { field: 'status.renderedSpec.framework', type: 'NotSupported' },
      { field: 'status.renderedSpec.replica', type: 'Forbidden' },
    ],
  },
  {
    name: 'treats null fields as absent',
    object: service({ framework: null, template: { metadata: { creationTimestamp: null } } }),
    expected: [],
  },
];

const templateCases: Case[] = [
  {
    name: 'accepts a template with a partial spec',
    object: template({ parallelism: { tensor: 2 }, service: { target: 'workers' } }),
    expected: [],
  },
  {
    name: 'rejects service-only fields in a template',
    object: template({ replicas: 1, templateRefs: [], inferencePoolRefs: [] }),
    expected: [
      { field: 'spec.replicas', type: 'Forbidden' },
      { field: 'spec.templateRefs', type: 'Forbidden' },
      { field: 'spec.inferencePoolRefs', type: 'Forbidden' },
    ],
  },
  {
    name: 'rejects a status on a template',
    object: { ...template({}), status: {} },
    expected: [{ field: 'status', type: 'Forbidden' }],
  },
];

for (const { name, object, expected } of serviceCases) {
  t.test(`InferenceService ${name}`, async (t) => {
    t.same(causes(validateInferenceService(object)), sortedCauses(expected));
  });
}

for (const { name, object, expected } of templateCases) {
  t.test(`InferenceServiceTemplate ${name}`, async (t) => {
    t.same(causes(validateInferenceServiceTemplate(object)), sortedCauses(expected));
  });
}

t.test('invalid-fields service has exact messages', async (t) => {
  const details = Object.fromEntries(
    validateInferenceService(fixture('invalid-fields.yaml')).map((error) => [error.field, error]),
  );
  t.same(details['spec.framework'].value, 'tgi');
  t.equal(details['spec.framework'].detail, 'supported values: "vllm", "sglang"');
  t.equal(details['spec.replicas'].detail, 'must be of type integer');
  t.equal(details['spec.parallelism.tensor'].detail, 'must be greater than or equal to 1');
  t.equal(details['spec.parallelism.dataRPCPort'].detail, 'must be less than or equal to 65535');
});
