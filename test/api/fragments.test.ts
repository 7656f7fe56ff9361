// Pod templates in specs are fragments that strategic merge lays over each
// other: partial overlays pass, merge keys stay required, strategic merge
// directives are accepted, and unknown fields are errors at every depth.
import t from 'tap';
import { validateInferenceService, validateInferenceServiceTemplate } from '../../src/api/index.js';
import { causes, service, sortedCauses, template, type Cause } from './support.js';

interface Case {
  name: string;
  spec: Record<string, unknown>;
  expected: Cause[];
}

const POD = 'spec.template.spec';

const cases: Case[] = [
  {
    name: 'accepts an env-only container overlay',
    spec: {
      template: { spec: { containers: [{ name: 'main', env: [{ name: 'A', value: 'b' }] }] } },
    },
    expected: [],
  },
  {
    name: 'accepts a pod template without containers',
    spec: {
      workerTemplate: { spec: { nodeSelector: { 'moai.moreh.io/accelerator.vendor': 'amd' } } },
    },
    expected: [],
  },
  {
    name: 'accepts items with only their merge key',
    spec: {
      template: {
        spec: {
          containers: [{ name: 'main', ports: [{ containerPort: 8000 }] }],
          volumes: [{ name: 'shm' }],
          tolerations: [{ operator: 'Exists' }],
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } },
        },
      },
    },
    expected: [],
  },
  {
    name: 'requires merge keys on list items',
    spec: {
      template: {
        spec: {
          containers: [
            {
              image: 'x',
              env: [{ value: 'b' }],
              ports: [{ name: 'http' }],
              volumeMounts: [{ name: 'shm' }],
            },
          ],
          initContainers: [{ image: 'y' }],
          volumes: [{ emptyDir: {} }],
          imagePullSecrets: [{}],
        },
      },
    },
    expected: [
      { field: `${POD}.containers[0].name`, type: 'Required' },
      { field: `${POD}.containers[0].env[0].name`, type: 'Required' },
      { field: `${POD}.containers[0].ports[0].containerPort`, type: 'Required' },
      { field: `${POD}.containers[0].volumeMounts[0].mountPath`, type: 'Required' },
      { field: `${POD}.initContainers[0].name`, type: 'Required' },
      { field: `${POD}.volumes[0].name`, type: 'Required' },
      { field: `${POD}.imagePullSecrets[0].name`, type: 'Required' },
    ],
  },
  {
    name: 'accepts strategic merge directives',
    spec: {
      template: {
        spec: {
          $patch: 'merge',
          containers: [
            { $patch: 'replace' },
            { name: 'sidecar', $patch: 'delete' },
            { name: 'main', env: [{ name: 'A', $patch: 'delete' }] },
          ],
          '$setElementOrder/containers': [{ name: 'main' }],
          volumes: [{ name: 'shm', $retainKeys: ['name', 'emptyDir'], emptyDir: {} }],
          nodeSelector: { $patch: 'replace', zone: 'a' },
        },
        metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] },
      },
      parallelism: { $patch: 'replace', tensor: 2 },
    },
    expected: [],
  },
  {
    name: 'rejects unknown directives and directive values',
    spec: {
      template: {
        spec: {
          $patch: 'remove',
          '$setElementOrder/nodeSelector': [],
          containers: [{ name: 'main', $retainKeys: ['image'] }],
        },
      },
    },
    expected: [
      { field: `${POD}.$patch`, type: 'NotSupported' },
      { field: `${POD}[$setElementOrder/nodeSelector]`, type: 'Forbidden' },
      { field: `${POD}.containers[0].$retainKeys`, type: 'Forbidden' },
    ],
  },
  {
    name: 'rejects unknown fields at every depth',
    spec: {
      replica: 1,
      parallelism: { tensors: 2 },
      template: {
        labels: {},
        metadata: { labels: { ok: 'yes' }, label: {} },
        spec: {
          container: [],
          containers: [
            {
              name: 'main',
              imagePullPolicy: 'Always',
              resources: { limits: { cpu: 1 }, limit: {} },
              readinessProbe: { httpGet: { port: 8000, paths: '/health' } },
              env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k', keys: [] } } }],
            },
          ],
        },
      },
    },
    expected: [
      { field: 'spec.replica', type: 'Forbidden' },
      { field: 'spec.parallelism.tensors', type: 'Forbidden' },
      { field: 'spec.template.labels', type: 'Forbidden' },
      { field: 'spec.template.metadata.label', type: 'Forbidden' },
      { field: `${POD}.container`, type: 'Forbidden' },
      { field: `${POD}.containers[0].resources.limit`, type: 'Forbidden' },
      { field: `${POD}.containers[0].readinessProbe.httpGet.paths`, type: 'Forbidden' },
      { field: `${POD}.containers[0].env[0].valueFrom.secretKeyRef.keys`, type: 'Forbidden' },
    ],
  },
];

for (const { name, spec, expected } of cases) {
  t.test(`fragment ${name}`, async (t) => {
    const sorted = sortedCauses(expected);
    t.same(causes(validateInferenceServiceTemplate(template(spec))), sorted, 'in a template');
    t.same(causes(validateInferenceService(service(spec))), sorted, 'in a service');
  });
}

t.test('unknown field detail suggests the field', async (t) => {
  const errors = validateInferenceService(service({ parallelism: { dataRpcPort: 1 } }));
  t.equal(errors.length, 1);
  t.equal(errors[0]?.detail, 'unknown field; did you mean `dataRPCPort`?');
});

t.test('unknown field detail lists fields', async (t) => {
  const errors = validateInferenceService(service({ model: { name: 'm', revision: 'main' } }));
  t.equal(errors[0]?.field, 'spec.model.revision');
  t.equal(errors[0]?.detail, 'unknown field; supported fields: `name`');
});

t.test('list directives beside scalar lists are accepted', async (t) => {
  const template = {
    apiVersion: 'odin.moreh.io/v1alpha1',
    kind: 'InferenceServiceTemplate',
    metadata: { name: 'overlay', namespace: 'mif' },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'main',
              '$deleteFromPrimitiveList/args': ['-c'],
              '$setElementOrder/command': ['a'],
            },
          ],
        },
      },
    },
  };
  t.same(validateInferenceServiceTemplate(template), []);
  const wrong = structuredClone(template);
  (wrong.spec.template.spec.containers[0] as Record<string, unknown>)[
    '$deleteFromPrimitiveList/args'
  ] = [1];
  t.equal(validateInferenceServiceTemplate(wrong).length, 1, 'items keep the list item type');
});
