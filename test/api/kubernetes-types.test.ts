// Kubernetes value types inside pod templates: Quantity, IntOrString and the
// int32/int64 formats, judged the way the apiserver judges a CRD that embeds
// a PodTemplateSpec.
import t from 'tap';
import { validateInferenceServiceTemplate } from '../../src/api/index.js';
import { causes, podTemplate, template } from './support.js';

const CONTAINER = 'spec.template.spec.containers[0]';

function withContainer(container: Record<string, unknown>): unknown {
  return template({ template: podTemplate(container) });
}

const validQuantities: unknown[] = [
  8,
  '8',
  '1000m',
  '1Gi',
  '1.5',
  '.5',
  '+1',
  '-1',
  '1e3',
  '1E-3',
  '16Ki',
  '2E',
  0,
];
const invalidQuantities: unknown[] = [
  '1 core',
  '1GB',
  '',
  'Gi',
  '1.5.5',
  '1ii',
  0.5,
  1.25,
  true,
  {},
  ['1'],
];

t.test('Quantity accepts integers and quantity strings', async (t) => {
  for (const quantity of validQuantities) {
    const object = withContainer({
      resources: { limits: { cpu: quantity, 'amd.com/gpu': quantity } },
    });
    t.same(
      causes(validateInferenceServiceTemplate(object)),
      [],
      `accepts ${JSON.stringify(quantity)}`,
    );
  }
});

t.test('Quantity rejects other values once per field', async (t) => {
  for (const quantity of invalidQuantities) {
    const object = withContainer({ resources: { requests: { cpu: quantity } } });
    t.same(
      causes(validateInferenceServiceTemplate(object)),
      [{ field: `${CONTAINER}.resources.requests.cpu`, type: 'Invalid' }],
      `rejects ${JSON.stringify(quantity)}`,
    );
  }
});

t.test('Quantity mixes integers and strings', async (t) => {
  const object = withContainer({
    resources: {
      requests: { cpu: 1, memory: '1Gi', 'amd.com/gpu': 8 },
      limits: { cpu: '1000m', memory: 1073741824, 'amd.com/gpu': '8' },
    },
  });
  t.same(causes(validateInferenceServiceTemplate(object)), []);
});

t.test('Quantity error details and paths', async (t) => {
  const object = withContainer({ resources: { limits: { cpu: '1 core', 'amd.com/gpu': 0.5 } } });
  const errors = validateInferenceServiceTemplate(object);
  t.same(causes(errors), [
    { field: `${CONTAINER}.resources.limits.cpu`, type: 'Invalid' },
    { field: `${CONTAINER}.resources.limits[amd.com/gpu]`, type: 'Invalid' },
  ]);
  const cpu = errors.find((error) => error.field.endsWith('.cpu'));
  t.equal(cpu?.detail, 'must be a quantity such as `8`, `500m` or `16Gi`');
  const gpu = errors.find((error) => error.field.endsWith('[amd.com/gpu]'));
  t.equal(gpu?.detail, 'must be of type integer or string');
});

t.test('IntOrString accepts an integer or a string', async (t) => {
  for (const port of [8000, 'http', '8000']) {
    const object = withContainer({
      readinessProbe: { httpGet: { path: '/health', port } },
      livenessProbe: { tcpSocket: { port } },
    });
    t.same(causes(validateInferenceServiceTemplate(object)), [], `accepts ${JSON.stringify(port)}`);
  }
});

t.test('IntOrString rejects other types', async (t) => {
  for (const port of [80.5, true, { number: 80 }, ['http']]) {
    const object = withContainer({ readinessProbe: { httpGet: { port } } });
    t.same(
      causes(validateInferenceServiceTemplate(object)),
      [{ field: `${CONTAINER}.readinessProbe.httpGet.port`, type: 'Invalid' }],
      `rejects ${JSON.stringify(port)}`,
    );
  }
});

t.test('int32 fields enforce their range', async (t) => {
  const inRange = withContainer({ ports: [{ containerPort: 2147483647 }] });
  t.same(causes(validateInferenceServiceTemplate(inRange)), []);

  const outOfRange = withContainer({
    ports: [{ containerPort: 2147483648 }, { containerPort: -2147483649 }],
  });
  t.same(causes(validateInferenceServiceTemplate(outOfRange)), [
    { field: `${CONTAINER}.ports[0].containerPort`, type: 'Invalid' },
    { field: `${CONTAINER}.ports[1].containerPort`, type: 'Invalid' },
  ]);
});

t.test('int64 fields enforce their range', async (t) => {
  const inRange = template({ template: { spec: { terminationGracePeriodSeconds: 2 ** 40 } } });
  t.same(causes(validateInferenceServiceTemplate(inRange)), []);

  const outOfRange = template({ template: { spec: { activeDeadlineSeconds: 2 ** 64 } } });
  const errors = validateInferenceServiceTemplate(outOfRange);
  t.same(causes(errors), [{ field: 'spec.template.spec.activeDeadlineSeconds', type: 'Invalid' }]);
  t.match(errors[0]?.detail, /int64/);
});

t.test('date-time fields require RFC 3339', async (t) => {
  const object = template({ template: { metadata: { creationTimestamp: '2025-01-02' } } });
  t.same(causes(validateInferenceServiceTemplate(object)), [
    { field: 'spec.template.metadata.creationTimestamp', type: 'Invalid' },
  ]);
});

t.test('enum-like Kubernetes strings stay free-form', async (t) => {
  // The OpenAPI document types these as plain strings; the apiserver checks them when the pod is created.
  const object = withContainer({ imagePullPolicy: 'Sometimes' });
  t.same(causes(validateInferenceServiceTemplate(object)), []);
});
