// Cross-field rules on rendered specs: each case is a spec and the causes
// (field and type) that the rules must report for it.
import t from 'tap';
import { validateSpecRules } from '../../src/api/index.js';
import { causes, podTemplate, sortedCauses, type Cause } from './support.js';

interface Case {
  name: string;
  spec: unknown;
  expected: Cause[];
}

const cases: Case[] = [
  { name: 'accepts a Deployment spec', spec: { template: podTemplate() }, expected: [] },
  {
    name: 'accepts a LeaderWorkerSet spec with data parallelism',
    spec: {
      template: podTemplate(),
      workerTemplate: podTemplate(),
      parallelism: { data: 8, dataLocal: 4 },
    },
    expected: [],
  },
  {
    name: 'accepts workers with pipeline parallelism',
    spec: { workerTemplate: podTemplate(), parallelism: { pipeline: 2 } },
    expected: [],
  },
  {
    name: 'requires a template or a workerTemplate',
    spec: { parallelism: { tensor: 2 } },
    expected: [{ field: 'spec', type: 'Required' }],
  },
  {
    name: 'requires a template without spec',
    spec: undefined,
    expected: [{ field: 'spec', type: 'Required' }],
  },
  {
    name: 'requires data or pipeline with a workerTemplate',
    spec: { template: podTemplate(), workerTemplate: podTemplate(), parallelism: { tensor: 8 } },
    expected: [{ field: 'spec.parallelism', type: 'Required' }],
  },
  {
    name: 'requires data or pipeline without a parallelism',
    spec: { workerTemplate: podTemplate() },
    expected: [{ field: 'spec.parallelism', type: 'Required' }],
  },
  {
    name: 'rejects data together with pipeline',
    spec: { workerTemplate: podTemplate(), parallelism: { data: 2, dataLocal: 2, pipeline: 2 } },
    expected: [{ field: 'spec.parallelism', type: 'Forbidden' }],
  },
  {
    name: 'requires data with dataLocal',
    spec: { template: podTemplate(), parallelism: { dataLocal: 4 } },
    expected: [{ field: 'spec.parallelism.data', type: 'Required' }],
  },
  {
    name: 'defaults a missing dataLocal',
    spec: { template: podTemplate(), parallelism: { data: 4 } },
    expected: [],
  },
  {
    name: 'rejects data not divisible by dataLocal',
    spec: { template: podTemplate(), parallelism: { data: 8, dataLocal: 3 } },
    expected: [{ field: 'spec.parallelism.dataLocal', type: 'Invalid' }],
  },
  {
    name: 'rejects dataLocal above data',
    spec: { template: podTemplate(), parallelism: { data: 4, dataLocal: 8 } },
    expected: [{ field: 'spec.parallelism.dataLocal', type: 'Invalid' }],
  },
  {
    name: 'requires container names and images',
    spec: {
      template: { spec: { containers: [{ env: [] }, { name: 'b', image: '' }] } },
      workerTemplate: { spec: { containers: [{ name: 'a' }], initContainers: [{ image: 'x' }] } },
      parallelism: { pipeline: 2 },
    },
    expected: [
      { field: 'spec.template.spec.containers[0].name', type: 'Required' },
      { field: 'spec.template.spec.containers[0].image', type: 'Required' },
      { field: 'spec.template.spec.containers[1].image', type: 'Required' },
      { field: 'spec.workerTemplate.spec.containers[0].image', type: 'Required' },
      { field: 'spec.workerTemplate.spec.initContainers[0].name', type: 'Required' },
    ],
  },
  {
    name: 'requires a container in templates',
    spec: { template: { metadata: { labels: { a: 'b' } } } },
    expected: [{ field: 'spec.template.spec.containers', type: 'Required' }],
  },
  {
    name: 'rejects duplicate port names within a container',
    spec: {
      template: podTemplate({
        ports: [
          { name: 'http', containerPort: 8000 },
          { name: 'metrics', containerPort: 9000 },
          { name: 'http', containerPort: 8001 },
        ],
      }),
    },
    expected: [{ field: 'spec.template.spec.containers[0].ports[2].name', type: 'Duplicate' }],
  },
  {
    name: 'allows one port name in two containers',
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'a', image: 'x', ports: [{ name: 'http', containerPort: 8000 }] },
            { name: 'b', image: 'x', ports: [{ name: 'http', containerPort: 8001 }] },
          ],
        },
      },
    },
    expected: [],
  },
  {
    name: 'rejects duplicate container names',
    spec: {
      template: {
        spec: {
          initContainers: [{ name: 'main', image: 'x' }],
          containers: [{ name: 'main', image: 'x' }],
        },
      },
    },
    expected: [{ field: 'spec.template.spec.containers[0].name', type: 'Duplicate' }],
  },
  {
    name: 'ignores values of wrong type',
    spec: {
      template: { spec: { containers: [7, { name: 3, image: 'x', ports: 'http' }] } },
      parallelism: 'wide',
    },
    expected: [],
  },
];

for (const { name, spec, expected } of cases) {
  t.test(`rules ${name}`, async (t) => {
    t.same(causes(validateSpecRules(spec)), sortedCauses(expected));
  });
}

t.test('rules report under the given path', async (t) => {
  const errors = validateSpecRules({ workerTemplate: podTemplate() }, 'status.renderedSpec');
  t.same(causes(errors), [{ field: 'status.renderedSpec.parallelism', type: 'Required' }]);
});

t.test('rule messages name both fields', async (t) => {
  const [mutual] = validateSpecRules({
    workerTemplate: podTemplate(),
    parallelism: { data: 2, pipeline: 2 },
  });
  t.equal(mutual?.detail, '`data` and `pipeline` are mutually exclusive');

  const [workers] = validateSpecRules({ workerTemplate: podTemplate() });
  t.equal(workers?.detail, '`data` or `pipeline` must be set when `workerTemplate` is set');

  const [none] = validateSpecRules({});
  t.equal(none?.detail, 'at least one of `template` and `workerTemplate` must be set');

  const [multiple] = validateSpecRules({
    template: podTemplate(),
    parallelism: { data: 8, dataLocal: 3 },
  });
  t.equal(multiple?.value, 3);
  t.match(multiple?.detail, /`data` \(8\)/);

  const [dataLocal] = validateSpecRules({ template: podTemplate(), parallelism: { dataLocal: 2 } });
  t.equal(dataLocal?.detail, 'must be set when `dataLocal` is set');
});
