// End to end: kube-apiserver and etcd on 127.0.0.1 with the generated CRDs
// and the webhook registered for real, driven with kubectl like a user would.
// Needs the binaries of scripts/tools/build-kube.sh and `npm run build`.
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { findKubeBinaries } from './harness/binaries.js';
import { setUpEnvironment, type Environment } from './harness/environment.js';
import { mustKubectl } from './harness/kubectl.js';
import { REPOSITORY } from './harness/webhook.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SERVICES = join(REPOSITORY, 'examples', 'services');
const TEMPLATES = join(REPOSITORY, 'examples', 'templates');
const PIPELINE_AND_DATA_DENIAL =
  'The InferenceService "pipeline-and-data" is invalid: ' +
  'spec.parallelism: Forbidden: `data` and `pipeline` are mutually exclusive';
const TEMPLATE_DENIED =
  'admission webhook "vinferenceservicetemplate-v1alpha1.odin.moreh.io" denied the request';

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

async function getJson(
  env: Environment,
  resource: string,
  namespace: string,
  name: string,
): Promise<Json> {
  return JSON.parse(
    await mustKubectl(env.kubectl, ['get', resource, name, '-n', namespace, '-o', 'json']),
  ) as Json;
}

function serviceFile(name: string): string {
  return join(SERVICES, `${name}.yaml`);
}

async function runCases(env: Environment): Promise<void> {
  await t.test('templates install', (t) => installTemplates(t, env));
  await t.test('valid services persist defaults', (t) => persistDefaults(t, env));
  await t.test('warnings reach kubectl', (t) => passWarnings(t, env));
  await t.test('invalid services are denied', (t) => denyInvalidServices(t, env));
  await t.test('server dry run defaults without storing', (t) => dryRun(t, env));
  await t.test('status write fills renderedSpec', (t) => fillRenderedSpec(t, env));
  await t.test('template update that breaks a user is denied', (t) => denyBreakingUpdate(t, env));
  await t.test('template in use cannot be deleted', (t) => protectTemplateInUse(t, env));
  await t.test('new template usable within a second', (t) => useNewTemplateQuickly(t, env));
}

async function installTemplates(t: Test, env: Environment): Promise<void> {
  const { kubectl } = env;
  const result = await kubectl(['apply', '-f', TEMPLATES]);
  t.equal(result.code, 0, result.stderr);
  const names = await mustKubectl(kubectl, ['get', 'ist', '-A', '-o', 'name']);
  t.match(names, /inferenceservicetemplate\.odin\.moreh\.io\/vllm\n/);
}

async function persistDefaults(t: Test, env: Environment): Promise<void> {
  const { kubectl } = env;
  for (const name of ['llama-tp2', 'deepseek-dp', 'qwen-data-only', 'no-model', 'self-contained']) {
    const result = await kubectl(['apply', '-f', serviceFile(name)]);
    t.equal(result.code, 0, `${name} created: ${result.stderr}`);
  }

  const llama = await getJson(env, 'isvc', 'team-a', 'llama-tp2');
  t.equal(llama.spec.replicas, 2, 'llama-tp2 keeps its replicas');
  t.equal(llama.spec.service?.target, 'auto', 'llama-tp2 gets service.target');
  for (const reference of llama.spec.templateRefs as Json[]) {
    t.equal(reference.group, 'odin.moreh.io', `${reference.name} group defaulted`);
    t.equal(reference.kind, 'InferenceServiceTemplate', `${reference.name} kind defaulted`);
  }

  const deepseek = await getJson(env, 'isvc', 'team-b', 'deepseek-dp');
  t.equal(deepseek.spec.replicas, 1, 'deepseek-dp gets replicas');
  t.equal(deepseek.spec.service?.target, undefined, 'no target that would hide the template value');
  t.equal(deepseek.spec.parallelism?.dataLocal, undefined, 'no dataLocal without data');

  const qwen = await getJson(env, 'isvc', 'team-a', 'qwen-data-only');
  t.equal(qwen.spec.parallelism.dataLocal, 4, 'dataLocal follows data');
  t.equal(qwen.spec.service?.target, undefined, 'vllm-dp sets the target');

  const selfContained = await getJson(env, 'isvc', 'team-a', 'self-contained');
  t.equal(selfContained.spec.replicas, 1);
  t.equal(selfContained.spec.service?.target, 'auto');
}

async function passWarnings(t: Test, env: Environment): Promise<void> {
  const { kubectl } = env;
  const result = await kubectl(['apply', '--dry-run=server', '-f', serviceFile('no-model')]);
  t.equal(result.code, 0, result.stderr);
  t.match(result.stderr, /Warning: .*<no value>/);
}

/**
 * kubectl prints a 422 that has field causes as "The KIND "NAME" is invalid:"
 * and the causes, not the apiserver's "admission webhook ... denied" message,
 * so the webhook is recognized by its own wording of each cause.
 */
async function denyInvalidServices(t: Test, env: Environment): Promise<void> {
  const { kubectl } = env;
  const cases: Array<{ file: string; name: string; namespace: string; expected: RegExp[] }> = [
    {
      file: 'invalid-pipeline-and-data',
      name: 'pipeline-and-data',
      namespace: 'team-a',
      expected: [exactLine(PIPELINE_AND_DATA_DENIAL)],
    },
    {
      file: 'invalid-missing-template',
      name: 'missing-template',
      namespace: 'team-a',
      expected: [
        exactLine(
          'The InferenceService "missing-template" is invalid: spec.templateRefs[0].name: ' +
            'Not found: "vllm-does-not-exist": no InferenceServiceTemplate of that name ' +
            'in namespaces "team-a", "mif"',
        ),
      ],
    },
    {
      file: 'invalid-override-in-template',
      name: 'override-in-template',
      namespace: 'team-b',
      expected: [
        /^Warning: spec\.template is set, but its templates define only spec\.workerTemplate: put overrides under spec\.workerTemplate$/m,
        exactLine(
          'The InferenceService "override-in-template" is invalid: ' +
            'spec.template.spec.containers[0].image: Required value',
        ),
      ],
    },
    {
      file: 'other-namespace-template',
      name: 'borrowed-template',
      namespace: 'team-c',
      expected: [
        /spec\.templateRefs\[1\]\.name: Not found: "team-a-private"/,
        /in namespaces "team-c", "mif"/,
      ],
    },
    {
      // The CRD schema rejects these before any validating webhook runs.
      file: 'invalid-fields',
      name: 'invalid-fields',
      namespace: 'team-a',
      expected: [
        /The InferenceService "invalid-fields" is invalid/,
        /spec\.framework: Unsupported value: "tgi"/,
        /spec\.replicas: Invalid value/,
        /spec\.parallelism\.tensor: Invalid value: 0/,
        /spec\.parallelism\.dataRPCPort: Invalid value: 70000/,
      ],
    },
  ];
  for (const { file, name, namespace, expected } of cases) {
    const result = await kubectl(['create', '-f', serviceFile(file)]);
    t.equal(result.code, 1, `${file} rejected`);
    for (const pattern of expected) t.match(result.stderr, pattern, `${file}: ${pattern}`);
    const lookup = await kubectl(['get', 'isvc', name, '-n', namespace]);
    t.match(lookup.stderr, /NotFound/, `${file} not stored`);
  }
}

async function dryRun(t: Test, env: Environment): Promise<void> {
  const { kubectl } = env;
  const service = {
    apiVersion: 'odin.moreh.io/v1alpha1',
    kind: 'InferenceService',
    metadata: { name: 'dry-run', namespace: 'team-a' },
    spec: { templateRefs: [{ name: 'vllm' }], model: { name: 'Qwen/Qwen3-8B' } },
  };
  const output = await mustKubectl(
    kubectl,
    ['create', '--dry-run=server', '-o', 'json', '-f', '-'],
    JSON.stringify(service),
  );
  const created = JSON.parse(output) as Json;
  t.equal(created.spec.replicas, 1);
  t.equal(created.spec.service.target, 'auto');
  t.equal(created.spec.templateRefs[0].kind, 'InferenceServiceTemplate');
  const lookup = await kubectl(['get', 'isvc', 'dry-run', '-n', 'team-a']);
  t.match(lookup.stderr, /NotFound/, 'not stored');

  const invalid = await kubectl([
    'create',
    '--dry-run=server',
    '-f',
    serviceFile('invalid-pipeline-and-data'),
  ]);
  t.not(invalid.code, 0, 'invalid dry run rejected');
  t.match(invalid.stderr, exactLine(PIPELINE_AND_DATA_DENIAL));
}

async function fillRenderedSpec(t: Test, env: Environment): Promise<void> {
  const { kubectl } = env;
  await mustKubectl(kubectl, [
    'patch',
    'isvc',
    'llama-tp2',
    '-n',
    'team-a',
    '--subresource=status',
    '--type=merge',
    '-p',
    '{"status":{"replicas":0}}',
  ]);
  const llama = await getJson(env, 'isvc', 'team-a', 'llama-tp2');
  const rendered = llama.status?.renderedSpec as Json | undefined;
  t.ok(rendered, 'renderedSpec present');
  t.equal(rendered?.framework, 'vllm');
  t.equal(rendered?.model?.name, 'meta-llama/Llama-3.2-1B-Instruct');
  t.equal(rendered?.parallelism?.tensor, 2);
  t.equal(rendered?.service?.target, 'auto');
  const args = JSON.stringify(rendered?.template?.spec?.containers?.[0]?.args ?? []);
  t.match(args, /--tensor-parallel-size 2/);
  t.notMatch(args, /\{\{/, 'no template expression left');
}

async function denyBreakingUpdate(t: Test, env: Environment): Promise<void> {
  const { kubectl } = env;
  const breaking = await kubectl([
    'patch',
    'ist',
    'vllm-dp',
    '-n',
    'mif',
    '--type=merge',
    '-p',
    '{"spec":{"parallelism":{"pipeline":2}}}',
  ]);
  t.equal(breaking.code, 1, 'update rejected');
  t.match(breaking.stderr, /^The InferenceServiceTemplate "vllm-dp" is invalid: $/m);
  t.match(
    breaking.stderr,
    exactLine(
      '* spec: Forbidden: would make InferenceService "team-a/qwen-data-only" invalid: ' +
        'spec.parallelism: Forbidden: `data` and `pipeline` are mutually exclusive',
    ),
  );
  t.match(breaking.stderr, /would make InferenceService "team-b\/deepseek-dp" invalid/);
  const template = await getJson(env, 'ist', 'mif', 'vllm-dp');
  t.equal(template.spec.parallelism?.pipeline, undefined, 'template unchanged');

  const harmless = await kubectl(['label', 'ist', 'vllm-dp', '-n', 'mif', 'e2e=harmless']);
  t.equal(harmless.code, 0, `harmless update allowed: ${harmless.stderr}`);
}

async function protectTemplateInUse(t: Test, env: Environment): Promise<void> {
  const { kubectl } = env;
  const denied = await kubectl(['delete', 'ist', 'vllm', '-n', 'mif']);
  t.equal(denied.code, 1, 'delete rejected');
  // The index keeps the users of one namespace in arrival order, so either order may appear.
  const users = '(team-a/llama-tp2, team-a/no-model|team-a/no-model, team-a/llama-tp2)';
  const message =
    `Error from server (Forbidden): ${TEMPLATE_DENIED}: InferenceServiceTemplate "mif/vllm" ` +
    'is in use by 2 InferenceServices: USERS; remove it from their spec.templateRefs first';
  t.match(denied.stderr, new RegExp(`^${escape(message).replace('USERS', users)}$`, 'm'));

  const unused = await kubectl(['delete', 'ist', 'team-a-private', '-n', 'team-a']);
  t.equal(unused.code, 0, `unused template deleted: ${unused.stderr}`);

  await mustKubectl(kubectl, ['delete', 'isvc', 'llama-tp2', 'no-model', '-n', 'team-a']);
  // The index learns of the deletions through its watch, a moment after kubectl returns.
  const deadline = Date.now() + 5000;
  let result = await kubectl(['delete', 'ist', 'vllm', '-n', 'mif']);
  while (result.code !== 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    result = await kubectl(['delete', 'ist', 'vllm', '-n', 'mif']);
  }
  t.equal(result.code, 0, `delete allowed once unused: ${result.stderr}`);
}

async function useNewTemplateQuickly(t: Test, env: Environment): Promise<void> {
  const { kubectl } = env;
  const template = {
    apiVersion: 'odin.moreh.io/v1alpha1',
    kind: 'InferenceServiceTemplate',
    metadata: { name: 'late-base', namespace: 'team-b' },
    spec: {
      framework: 'vllm',
      template: {
        spec: { containers: [{ name: 'main', image: 'registry.example.com/vllm:0.11.0' }] },
      },
    },
  };
  const service = {
    apiVersion: 'odin.moreh.io/v1alpha1',
    kind: 'InferenceService',
    metadata: { name: 'late-user', namespace: 'team-b' },
    spec: { templateRefs: [{ name: 'late-base' }], model: { name: 'Qwen/Qwen3-8B' } },
  };
  await mustKubectl(kubectl, ['create', '-f', '-'], JSON.stringify(template));
  const created = Date.now();

  let attempts = 0;
  let started = created;
  let result = { code: 1 as number | null, stderr: '' };
  while (result.code !== 0 && Date.now() - created < 1000) {
    attempts += 1;
    started = Date.now();
    result = await kubectl(['create', '-f', '-'], JSON.stringify(service));
  }
  t.equal(result.code, 0, `service created: ${result.stderr}`);
  t.ok(
    started - created < 1000,
    `accepted by an attempt started ${started - created} ms after the template`,
  );
  t.comment(`attempts: ${attempts}`);
}

/** Returns a pattern matching `text` as one whole line. */
function exactLine(text: string): RegExp {
  return new RegExp(`^${escape(text)}$`, 'm');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
