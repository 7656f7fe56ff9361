// mergeSpec on realistic template chains and on each kind of field of an
// InferenceServiceSpec: structs merge, Odin's own lists are replaced, pod
// template lists merge by their Kubernetes merge keys.
import fc from 'fast-check';
import t from 'tap';
import type { JsonObject } from '../../src/admission/review.js';
import { MergeError, mergeSpec, stripDirectives } from '../../src/merge/index.js';
import { specPair } from './arbitraries.js';
import { at, fixtureSpec, mergeAll, names, podSpecOf, withPodSpec } from './support.js';

t.test('llama-tp2 chain', async (t) => {
  const merged = mergeAll([
    fixtureSpec('vllm.yaml'),
    fixtureSpec('preset-llama-3.2-1b-tp2.yaml'),
    fixtureSpec('llama-tp2.yaml'),
  ]);
  const container = at(merged, 'template.spec.containers[0]') as JsonObject;

  t.equal(merged.framework, 'vllm');
  t.equal(merged.replicas, 2);
  t.strictSame(merged.model, { name: 'meta-llama/Llama-3.2-1B-Instruct' });
  t.strictSame(merged.parallelism, { tensor: 2 });
  t.strictSame(names(container.env), [
    'HF_TOKEN',
    'ISVC_EXTRA_ARGS',
    'SERVED_MODEL_NAME',
    'POD_IP',
  ]);
  t.match(at(container, 'env[1].value'), /^--disable-uvicorn-access-log --max-model-len 8192/);
  t.strictSame(container.resources, {
    limits: { 'amd.com/gpu': '2' },
    requests: { 'amd.com/gpu': '2' },
  });
  t.equal(container.image, 'registry.example.com/inference/vllm:0.11.0');
  t.strictSame(at(merged, 'template.spec.nodeSelector'), {
    'accelerator.example.com/model': 'mi250',
  });
  t.strictSame(names(at(merged, 'template.spec.volumes')), ['shm']);
  t.strictSame(at(merged, 'template.metadata.labels'), {
    'app.kubernetes.io/component': 'inference',
  });
  t.strictSame(names(merged.templateRefs), ['vllm', 'preset-llama-3.2-1b-tp2']);
});

t.test('deepseek-dp chain', async (t) => {
  const merged = mergeAll([
    fixtureSpec('vllm-dp.yaml'),
    fixtureSpec('preset-deepseek-r1-dp8-ep.yaml'),
    fixtureSpec('deepseek-dp.yaml'),
  ]);
  const container = at(merged, 'workerTemplate.spec.containers[0]') as JsonObject;

  t.strictSame(merged.service, { target: 'leader' });
  t.strictSame(merged.parallelism, { data: 8, dataLocal: 8, expert: true, tensor: 1 });
  t.strictSame(merged.inferencePoolRefs, [{ name: 'deepseek-pool' }]);
  t.strictSame(names(container.env), ['HF_TOKEN', 'ISVC_EXTRA_ARGS', 'KV_EVENTS_TOPIC']);
  t.equal(at(container, 'env[1].value'), '--max-model-len 16384 --kv-cache-dtype fp8');
  t.strictSame(container.resources, { limits: { 'amd.com/gpu': '8' } });
  t.strictSame(names(container.ports), ['http', 'http1']);
  t.strictSame(at(merged, 'workerTemplate.spec.tolerations[0].key'), 'amd.com/gpu');
  t.equal(merged.template, undefined);
});

t.test('qwen-data-only chain keeps the base pod template', async (t) => {
  const merged = mergeAll([fixtureSpec('vllm-dp.yaml'), fixtureSpec('qwen-data-only.yaml')]);

  t.strictSame(merged.parallelism, { data: 4 });
  t.strictSame(merged.model, { name: 'Qwen/Qwen3-8B' });
  t.strictSame(names(at(merged, 'workerTemplate.spec.containers')), ['main']);
  t.strictSame(merged.service, { target: 'leader' });
});

t.test('overlay template adds env and a volume mount keyed by mountPath', async (t) => {
  const merged = mergeAll([fixtureSpec('vllm.yaml'), fixtureSpec('hf-hub-offline.yaml')]);
  const container = at(merged, 'template.spec.containers[0]') as JsonObject;

  t.strictSame(names(container.env), [
    'HF_HOME',
    'HF_HUB_OFFLINE',
    'ISVC_EXTRA_ARGS',
    'SERVED_MODEL_NAME',
    'POD_IP',
  ]);
  t.strictSame(
    (container.volumeMounts as JsonObject[]).map((mount) => mount.mountPath),
    ['/mnt/models', '/dev/shm'],
  );
  t.strictSame(names(at(merged, 'template.spec.volumes')), ['models', 'shm']);
});

interface SpecCase {
  name: string;
  base: JsonObject;
  overlay: JsonObject;
  expected: JsonObject;
}

const specCases: SpecCase[] = [
  {
    name: 'merges model, parallelism and service field by field',
    base: {
      model: { name: 'a' },
      parallelism: { data: 8, dataLocal: 8 },
      service: { target: 'leader' },
    },
    overlay: { parallelism: { tensor: 2 }, service: { target: 'workers' } },
    expected: {
      model: { name: 'a' },
      parallelism: { data: 8, dataLocal: 8, tensor: 2 },
      service: { target: 'workers' },
    },
  },
  {
    name: 'replaces templateRefs and inferencePoolRefs',
    base: { templateRefs: [{ name: 'a' }, { name: 'b' }], inferencePoolRefs: [{ name: 'p1' }] },
    overlay: { templateRefs: [{ name: 'c' }], inferencePoolRefs: [{ name: 'p2' }] },
    expected: { templateRefs: [{ name: 'c' }], inferencePoolRefs: [{ name: 'p2' }] },
  },
  {
    name: 'deletes a field set to null',
    base: { parallelism: { pipeline: 2, tensor: 2 }, framework: 'vllm' },
    overlay: { parallelism: { pipeline: null }, framework: null },
    expected: { parallelism: { tensor: 2 } },
  },
  {
    name: 'keeps a template target when the service omits service',
    base: { service: { target: 'workers' }, parallelism: { data: 4, dataLocal: 2 } },
    overlay: { replicas: 1 },
    expected: {
      service: { target: 'workers' },
      parallelism: { data: 4, dataLocal: 2 },
      replicas: 1,
    },
  },
  {
    name: 'lets a service target override the template target',
    base: { service: { target: 'workers' } },
    overlay: { service: { target: 'auto' } },
    expected: { service: { target: 'auto' } },
  },
  {
    name: 'adds a pod template that the base lacks',
    base: { template: { spec: { containers: [{ name: 'main', image: 'x' }] } } },
    overlay: { workerTemplate: { spec: { containers: [{ name: 'main', image: 'y' }] } } },
    expected: {
      template: { spec: { containers: [{ name: 'main', image: 'x' }] } },
      workerTemplate: { spec: { containers: [{ name: 'main', image: 'y' }] } },
    },
  },
  {
    name: 'replaces a scalar of another type',
    base: { replicas: 'two' },
    overlay: { replicas: 2 },
    expected: { replicas: 2 },
  },
  {
    name: 'keeps a resource quantity as written, integer or string',
    base: withPodSpec({
      containers: [{ name: 'main', resources: { requests: { cpu: '1', memory: 1073741824 } } }],
    }),
    overlay: withPodSpec({ containers: [{ name: 'main', resources: { requests: { cpu: 2 } } }] }),
    expected: withPodSpec({
      containers: [{ name: 'main', resources: { requests: { cpu: 2, memory: 1073741824 } } }],
    }),
  },
];

t.test('spec fields', async (t) => {
  for (const c of specCases) {
    t.strictSame(mergeSpec(c.base, c.overlay), c.expected, c.name);
  }
});

t.test('atomic pod lists are replaced and keyed lists merge', async (t) => {
  const base = withPodSpec({
    containers: [
      {
        name: 'main',
        image: 'registry.example/vllm:demo',
        args: ['--port', '8000', '--disable-log-requests', '--max-model-len=8192'],
        env: [{ name: 'A', value: '1' }],
      },
    ],
    tolerations: [{ key: 'amd.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    nodeSelector: { 'moai.moreh.io/accelerator.vendor': 'amd' },
  });
  const overlay = withPodSpec({
    containers: [{ name: 'main', args: ['--max-model-len=4096'] }],
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infer', effect: 'NoSchedule' }],
    nodeSelector: { 'moai.moreh.io/accelerator.model': 'mi300x' },
  });

  t.strictSame(podSpecOf(mergeSpec(base, overlay)), {
    containers: [
      {
        name: 'main',
        image: 'registry.example/vllm:demo',
        args: ['--max-model-len=4096'],
        env: [{ name: 'A', value: '1' }],
      },
    ],
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infer', effect: 'NoSchedule' }],
    nodeSelector: {
      'moai.moreh.io/accelerator.vendor': 'amd',
      'moai.moreh.io/accelerator.model': 'mi300x',
    },
  });
});

t.test('inputs stay unchanged', async (t) => {
  const base = fixtureSpec('vllm.yaml');
  const overlay = fixtureSpec('preset-llama-3.2-1b-tp2.yaml');
  const baseCopy = structuredClone(base);
  const overlayCopy = structuredClone(overlay);

  mergeSpec(base, overlay);

  t.strictSame(base, baseCopy);
  t.strictSame(overlay, overlayCopy);
});

t.test('error paths use the spec prefix', async (t) => {
  const overlay = withPodSpec({ containers: [{ image: 'x' }] });
  const base = withPodSpec({ containers: [{ name: 'main' }] });

  t.throws(() => mergeSpec(base, overlay), {
    name: 'MergeError',
    path: 'spec.template.spec.containers[0]',
  });
  t.throws(() => mergeSpec(base, overlay, { pathPrefix: 'status.renderedSpec' }), {
    name: 'MergeError',
    path: 'status.renderedSpec.template.spec.containers[0]',
  });
});

t.test('stripDirectives removes directive keys and null values only', async (t) => {
  const template = {
    template: {
      spec: {
        '$setElementOrder/containers': [{ name: 'main' }],
        containers: [
          { name: 'sidecar', $patch: 'delete' },
          { name: 'main', image: null, resources: { $patch: 'replace', limits: { cpu: '1' } } },
        ],
        volumes: [{ name: 'data', $retainKeys: ['name', 'emptyDir'], emptyDir: {} }],
      },
      metadata: { finalizers: ['f'], '$deleteFromPrimitiveList/finalizers': ['g'] },
    },
    replicas: null,
    templateRefs: [null],
  };

  t.strictSame(stripDirectives(template), {
    template: {
      spec: {
        containers: [{ name: 'sidecar' }, { name: 'main', resources: { limits: { cpu: '1' } } }],
        volumes: [{ name: 'data', emptyDir: {} }],
      },
      metadata: { finalizers: ['f'] },
    },
    templateRefs: [null],
  });
  t.equal(stripDirectives('text'), 'text', 'returns a scalar unchanged');
});

/** Returns the paths of directive keys and null object values in a value. */
function leftovers(value: unknown, path = 'spec'): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => leftovers(item, `${path}[${i}]`));
  }
  if (value === null || typeof value !== 'object') {
    return [];
  }
  return Object.entries(value).flatMap(([key, child]) =>
    key.startsWith('$') || child === null ? [`${path}.${key}`] : leftovers(child, `${path}.${key}`),
  );
}

t.test('merged specs hold no directives or nulls', async (t) => {
  const pairs = fc.sample(specPair(), { seed: 11, numRuns: 300 });
  let merged = 0;
  for (const { original, patch } of pairs) {
    let result: JsonObject;
    try {
      result = mergeSpec(stripDirectives(original) as JsonObject, patch);
    } catch (error) {
      t.type(error, MergeError);
      continue;
    }
    merged++;
    t.strictSame(leftovers(result), [], JSON.stringify(patch));
  }
  t.ok(merged > 250, `${merged} of 300 generated pairs merge`);
});

t.test('stripDirectives returns a clean value itself', async (t) => {
  const clean = { template: { spec: { containers: [{ name: 'main', args: ['a', null] }] } } };
  t.equal(stripDirectives(clean), clean, 'nothing to strip');
  const withNull = { template: { spec: { containers: [{ name: 'main', image: null }] } } };
  const stripped = stripDirectives(withNull) as typeof withNull;
  t.not(stripped, withNull, 'copied');
  t.strictSame(stripped, { template: { spec: { containers: [{ name: 'main' }] } } });
  const withDirective = { template: { spec: { containers: [{ name: 'x', $patch: 'replace' }] } } };
  t.strictSame(stripDirectives(withDirective), {
    template: { spec: { containers: [{ name: 'x' }] } },
  });
});

t.test('stripDirectives still enforces the limits on clean values', async (t) => {
  let deep: unknown = 'leaf';
  for (let level = 0; level < 70; level++) deep = { next: deep };
  t.throws(() => stripDirectives(deep), MergeError, 'too deep');
  const wide = { list: Array.from({ length: 100_001 }, () => 1) };
  t.throws(() => stripDirectives(wide), MergeError, 'too many values');
});
