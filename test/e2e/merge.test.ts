// End to end: strategic merge patch directives and nulls in templates go
// through the real kube-apiserver (CRD pruning, structural schema and
// storage) and reach the webhook's merge intact. Template updates made with
// `kubectl apply` and `kubectl replace` are checked against the services
// that use them.
// Needs the binaries of scripts/tools/build-kube.sh and `npm run build`.
import t, { type Test } from 'tap';
import { stringify } from 'yaml';
import { findKubeBinaries } from './harness/binaries.js';
import { setUpEnvironment, type Environment } from './harness/environment.js';
import { mustKubectl } from './harness/kubectl.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NAMESPACE = 'team-a';
const API_VERSION = 'odin.moreh.io/v1alpha1';
const VLLM_IMAGE = 'registry.example.com/inference/vllm:0.11.0';
const POOL_LABEL = 'accelerator.example.com/pool';
const ZONE_LABEL = 'topology.example.com/zone';
const TIER_LABEL = 'example.com/tier';

async function runCases(env: Environment): Promise<void> {
  await t.test('directives and nulls stored as written', (t) => storeDirectives(t, env));
  await t.test('renderedSpec applies directives and nulls', (t) => applyDirectives(t, env));
  await t.test('breaking template apply is denied', (t) => denyBreakingApply(t, env));
  await t.test('breaking template replace is denied', (t) => denyBreakingReplace(t, env));
  await t.test('harmless template updates are allowed', (t) => allowHarmlessUpdates(t, env));
}

function template(name: string, spec: Json): Json {
  return {
    apiVersion: API_VERSION,
    kind: 'InferenceServiceTemplate',
    metadata: { name, namespace: NAMESPACE },
    spec,
  };
}

/**
 * A runtime base with two containers, three env entries in the order A, B,
 * C, requests and limits, two nodeSelector entries and two pod labels.
 */
const BASE = template('smp-base', {
  framework: 'vllm',
  template: {
    metadata: { labels: { 'app.kubernetes.io/component': 'inference', [TIER_LABEL]: 'gold' } },
    spec: {
      nodeSelector: { [POOL_LABEL]: 'gpu', [ZONE_LABEL]: 'zone-a' },
      containers: [
        {
          name: 'main',
          image: VLLM_IMAGE,
          args: ['--model', '{{ .Spec.Model.Name }}'],
          env: [
            { name: 'A', value: 'a' },
            { name: 'B', value: 'b' },
            { name: 'C', value: 'c' },
          ],
          resources: {
            limits: { cpu: '8', memory: '64Gi', 'amd.com/gpu': '1' },
            requests: { cpu: '4', memory: '32Gi' },
          },
        },
        { name: 'log-shipper', image: 'registry.example.com/tools/log-shipper:1.0' },
      ],
    },
  },
});

/**
 * An overlay over BASE that deletes the sidecar, replaces the resources of
 * `main` wholesale, moves env C first while changing its value, and deletes
 * the zone entry of the nodeSelector.
 */
const OVERLAY = template('smp-overlay', {
  template: {
    spec: {
      nodeSelector: { [ZONE_LABEL]: null },
      containers: [
        { name: 'log-shipper', $patch: 'delete' },
        {
          name: 'main',
          '$setElementOrder/env': [{ name: 'C' }, { name: 'A' }, { name: 'B' }],
          env: [{ name: 'C', value: 'c-overlay' }],
          resources: { $patch: 'replace', limits: { 'amd.com/gpu': '2' } },
        },
      ],
    },
  },
});

/** A service over BASE and OVERLAY whose own spec deletes the tier label with a null. */
const SERVICE = {
  apiVersion: API_VERSION,
  kind: 'InferenceService',
  metadata: { name: 'smp-user', namespace: NAMESPACE },
  spec: {
    templateRefs: [{ name: 'smp-base' }, { name: 'smp-overlay' }],
    model: { name: 'Qwen/Qwen3-8B' },
    template: { metadata: { labels: { [TIER_LABEL]: null } } },
  },
};

const binaries = await findKubeBinaries();
if ('missing' in binaries) {
  if (process.env.CI === 'true') t.fail(binaries.missing);
  else t.plan(0, binaries.missing);
} else {
  const environment = await setUpEnvironment(t, binaries).catch((error: unknown) => {
    t.fail(`environment did not start: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  });
  if (environment) await runCases(environment);
}

async function getJson(env: Environment, resource: string, name: string): Promise<Json> {
  const output = await mustKubectl(env.kubectl, [
    'get',
    resource,
    name,
    '-n',
    NAMESPACE,
    '-o',
    'json',
  ]);
  return JSON.parse(output) as Json;
}

async function storeDirectives(t: Test, env: Environment): Promise<void> {
  const { kubectl } = env;
  for (const object of [BASE, OVERLAY]) {
    const created = await kubectl(['create', '-f', '-'], stringify(object));
    t.equal(created.code, 0, `${object.metadata.name} created: ${created.stderr}`);
  }

  const stored = await getJson(env, 'ist', 'smp-overlay');
  const podSpec = stored.spec?.template?.spec ?? {};
  t.ok(ZONE_LABEL in (podSpec.nodeSelector ?? {}), 'nodeSelector keeps the null entry');
  t.equal(podSpec.nodeSelector?.[ZONE_LABEL], null, 'the entry is null');
  const containers = (podSpec.containers ?? []) as Json[];
  t.same(containers[0], { name: 'log-shipper', $patch: 'delete' }, '$patch: delete kept');
  t.same(
    containers[1]?.['$setElementOrder/env'],
    [{ name: 'C' }, { name: 'A' }, { name: 'B' }],
    '$setElementOrder/env kept',
  );
  t.same(
    containers[1]?.resources,
    { $patch: 'replace', limits: { 'amd.com/gpu': '2' } },
    '$patch: replace kept',
  );

  const service = await kubectl(['create', '-f', '-'], stringify(SERVICE));
  t.equal(service.code, 0, `smp-user created: ${service.stderr}`);
  const storedService = await getJson(env, 'isvc', 'smp-user');
  const labels = storedService.spec?.template?.metadata?.labels ?? {};
  t.ok(TIER_LABEL in labels, 'the service keeps its null label');
  t.equal(labels[TIER_LABEL], null, 'the label is null');
}

/** Returns the paths of every key starting with `$` and of every null under `value`. */
function directivesAndNulls(value: unknown, path = ''): string[] {
  if (value === null) return [path];
  if (Array.isArray(value))
    return value.flatMap((item, index) => directivesAndNulls(item, `${path}[${index}]`));
  if (typeof value !== 'object' || value === undefined) return [];
  const found: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const itemPath = path === '' ? key : `${path}.${key}`;
    if (key.startsWith('$')) found.push(itemPath);
    found.push(...directivesAndNulls(item, itemPath));
  }
  return found;
}

async function applyDirectives(t: Test, env: Environment): Promise<void> {
  await mustKubectl(env.kubectl, [
    'patch',
    'isvc',
    'smp-user',
    '-n',
    NAMESPACE,
    '--subresource=status',
    '--type=merge',
    '-p',
    '{"status":{}}',
  ]);
  const service = await getJson(env, 'isvc', 'smp-user');
  const rendered = service.status?.renderedSpec as Json | undefined;
  t.ok(rendered, 'renderedSpec present');
  if (!rendered) return;

  const podSpec = rendered.template?.spec ?? {};
  const containers = (podSpec.containers ?? []) as Json[];
  t.same(
    containers.map((container) => container.name),
    ['main'],
    'log-shipper deleted',
  );
  const main = containers[0] ?? {};
  t.same(main.resources, { limits: { 'amd.com/gpu': '2' } }, 'resources replaced');
  t.same(
    main.env,
    [
      { name: 'C', value: 'c-overlay' },
      { name: 'A', value: 'a' },
      { name: 'B', value: 'b' },
    ],
    'env merged in the order of $setElementOrder',
  );
  t.same(main.args, ['--model', 'Qwen/Qwen3-8B'], 'expressions rendered');
  t.same(podSpec.nodeSelector, { [POOL_LABEL]: 'gpu' }, 'zone entry deleted');
  t.same(
    rendered.template?.metadata?.labels,
    { 'app.kubernetes.io/component': 'inference' },
    "tier label deleted by the service's null",
  );
  t.same(directivesAndNulls(rendered), [], 'no directive or null left');
}

/** Creates, with `kubectl apply`, a base template and a service that uses it. */
async function createUsedTemplate(t: Test, env: Environment, name: string): Promise<Json> {
  const base = template(name, {
    framework: 'vllm',
    template: {
      spec: {
        containers: [
          { name: 'main', image: VLLM_IMAGE, args: ['--model', '{{ .Spec.Model.Name }}'] },
        ],
      },
    },
  });
  const service = {
    apiVersion: API_VERSION,
    kind: 'InferenceService',
    metadata: { name: `${name}-user`, namespace: NAMESPACE },
    spec: { templateRefs: [{ name }], model: { name: 'Qwen/Qwen3-8B' } },
  };
  for (const object of [base, service]) {
    const applied = await env.kubectl(['apply', '-f', '-'], stringify(object));
    t.equal(applied.code, 0, `${object.metadata.name} applied: ${applied.stderr}`);
  }
  return base;
}

async function denyBreakingApply(t: Test, env: Environment): Promise<void> {
  const base = await createUsedTemplate(t, env, 'apply-base');
  const broken = structuredClone(base);
  delete broken.spec.template.spec.containers[0].image;

  const result = await env.kubectl(['apply', '-f', '-'], stringify(broken));
  t.equal(result.code, 1, 'apply rejected');
  t.match(result.stderr, /^The InferenceServiceTemplate "apply-base" is invalid: /m);
  t.match(
    result.stderr,
    'spec: Forbidden: would make InferenceService "team-a/apply-base-user" invalid: ' +
      'spec.template.spec.containers[0].image: Required value',
  );
  const stored = await getJson(env, 'ist', 'apply-base');
  t.equal(stored.spec.template.spec.containers[0].image, VLLM_IMAGE, 'image kept');
}

async function denyBreakingReplace(t: Test, env: Environment): Promise<void> {
  const base = await createUsedTemplate(t, env, 'replace-base');
  const broken = structuredClone(base);
  broken.spec.parallelism = { data: 2, pipeline: 2 };

  const result = await env.kubectl(['replace', '-f', '-'], stringify(broken));
  t.equal(result.code, 1, 'replace rejected');
  t.match(result.stderr, /^The InferenceServiceTemplate "replace-base" is invalid: /m);
  t.match(
    result.stderr,
    'spec: Forbidden: would make InferenceService "team-a/replace-base-user" invalid: ' +
      'spec.parallelism: Forbidden: `data` and `pipeline` are mutually exclusive',
  );
  const stored = await getJson(env, 'ist', 'replace-base');
  t.equal(stored.spec.parallelism, undefined, 'parallelism not stored');
}

async function allowHarmlessUpdates(t: Test, env: Environment): Promise<void> {
  const applied = await getJson(env, 'ist', 'apply-base');
  const newImage = 'registry.example.com/inference/vllm:0.11.1';
  const updated = template('apply-base', structuredClone(applied.spec));
  updated.spec.template.spec.containers[0].image = newImage;
  const apply = await env.kubectl(['apply', '-f', '-'], stringify(updated));
  t.equal(apply.code, 0, `apply of a new image allowed: ${apply.stderr}`);
  const stored = await getJson(env, 'ist', 'apply-base');
  t.equal(stored.spec.template.spec.containers[0].image, newImage, 'new image stored');

  const replaced = await getJson(env, 'ist', 'replace-base');
  replaced.spec.parallelism = { tensor: 2 };
  const replace = await env.kubectl(['replace', '-f', '-'], JSON.stringify(replaced));
  t.equal(replace.code, 0, `replace adding tensor parallelism allowed: ${replace.stderr}`);

  await mustKubectl(env.kubectl, [
    'patch',
    'isvc',
    'replace-base-user',
    '-n',
    NAMESPACE,
    '--subresource=status',
    '--type=merge',
    '-p',
    '{"status":{}}',
  ]);
  const user = await getJson(env, 'isvc', 'replace-base-user');
  t.equal(user.status?.renderedSpec?.parallelism?.tensor, 2, 'the service renders the update');
}
