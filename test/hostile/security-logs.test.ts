// No secret reaches the logs. The real `odin-webhook serve` runs as a child
// process at log level trace, watching a fake apiserver on 127.0.0.1 whose
// stored template and service carry secret-looking env values. Requests then
// carry other secrets through every outcome: allowed, patched, denied with
// field errors, a status write, a template update that gets a 503 because
// the apiserver fails, and a body that is not JSON. Afterwards no
// secret appears anywhere in stdout or stderr.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { FakeApiServer } from '../cluster/fake-apiserver.js';
import { getHealth, makeServingFiles, post, writeServingFiles } from '../server/helpers.js';
import {
  admissionRequest,
  BASE_TEMPLATE_SPEC,
  MUTATE_PATH,
  reviewOf,
  serviceObject,
  SYSTEM_NAMESPACE,
  TEMPLATE_PATH,
  templateObject,
  VALIDATE_PATH,
} from './support.js';

const CLI = new URL('../../src/cli.ts', import.meta.url).pathname;
/** Bounds every wait on the child: start, readiness and exit. */
const CHILD_TIMEOUT_MS = 60_000;

const SECRETS = {
  storedTemplate: 'sk-live-stored-template-9d41c2',
  storedService: 'sk-live-stored-service-7a0e55',
  mutated: 'sk-live-mutated-1b2c3d',
  allowed: 'sk-live-allowed-4e5f60',
  denied: 'sk-live-denied-718293',
  deniedFramework: 'sk-live-framework-a4b5c6',
  status: 'sk-live-status-d7e8f9',
  templateUpdate: 'sk-live-template-update-0a1b2c',
  brokenUpdate: 'sk-live-broken-update-3d4e5f',
  notJson: 'sk-live-not-json-6a7b8c',
  processEnvironment: 'sk-live-process-env-9c0d1e',
};

function withEnv(spec: typeof BASE_TEMPLATE_SPEC, value: string): typeof BASE_TEMPLATE_SPEC {
  const copy = structuredClone(spec);
  copy.template.spec.containers[0].env.push({ name: 'API_TOKEN', value });
  return copy;
}

function serviceWithSecret(
  value: string,
  extra: Record<string, unknown> = {},
): ReturnType<typeof serviceObject> {
  const container = { name: 'main', env: [{ name: 'API_TOKEN', value }] };
  return serviceObject({
    templateRefs: [{ name: 'base' }],
    template: { spec: { containers: [container] } },
    ...extra,
  });
}

interface Child {
  process: ChildProcess;
  output: () => string;
  lines: () => Array<Record<string, unknown>>;
}

function startChild(args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', ...args], {
    env: { ...process.env, ODIN_HOSTILE_SECRET_TOKEN: SECRETS.processEnvironment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const lines = (): Array<Record<string, unknown>> =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { process: child, output: () => output, lines };
}

async function until<T>(
  read: () => T | undefined | Promise<T | undefined>,
  description: string,
): Promise<T> {
  const deadline = Date.now() + CHILD_TIMEOUT_MS;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

void t.test('no secret reaches stdout or stderr', async (t) => {
  const apiserver = new FakeApiServer();
  apiserver.put(
    'inferenceservicetemplates',
    templateObject(
      SYSTEM_NAMESPACE,
      'base',
      withEnv(BASE_TEMPLATE_SPEC, SECRETS.storedTemplate),
    ) as never,
  );
  apiserver.put('inferenceservices', serviceWithSecret(SECRETS.storedService));
  await apiserver.start();
  t.teardown(() => apiserver.close());

  const files = await makeServingFiles();
  const paths = await writeServingFiles(files);
  const directory = await mkdtemp(join(tmpdir(), 'odin-hostile-logs-'));
  t.teardown(() =>
    Promise.all([
      rm(paths.directory, { recursive: true, force: true }),
      rm(directory, { recursive: true, force: true }),
    ]),
  );
  const kubeconfig = join(directory, 'kubeconfig');
  await writeFile(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: fake, cluster: {server: "http://127.0.0.1:${apiserver.port}", insecure-skip-tls-verify: true}}]`,
      'users: [{name: fake, user: {}}]',
      'contexts: [{name: fake, context: {cluster: fake, user: fake}}]',
      'current-context: fake',
      '',
    ].join('\n'),
  );

  const child = startChild([
    '--kubeconfig',
    kubeconfig,
    '--port',
    '0',
    '--health-port',
    '0',
    '--host',
    '127.0.0.1',
    '--tls-cert',
    paths.certFile,
    '--tls-key',
    paths.keyFile,
    '--log-level',
    'trace',
  ]);
  const exited = new Promise<number | null>((resolve) =>
    child.process.once('exit', (code) => resolve(code)),
  );
  t.teardown(() => {
    if (child.process.exitCode === null) child.process.kill('SIGKILL');
  });

  const started = await until(
    () => child.lines().find((line) => line.msg === 'server started'),
    'the server to start',
  );
  const port = started.admissionPort as number;
  await until(
    async () =>
      (await getHealth(started.healthPort as number, '/readyz')).status === 200 ? true : undefined,
    'readiness',
  );
  const send = (path: string, body: string): ReturnType<typeof post> =>
    post(port, path, { ca: files.caCert, body });

  const mutated = await send(
    MUTATE_PATH,
    JSON.stringify(reviewOf(admissionRequest({ object: serviceWithSecret(SECRETS.mutated) }))),
  );
  t.ok(JSON.parse(mutated.body).response.patch, 'a mutation with a patch');

  const allowedReply = await send(
    VALIDATE_PATH,
    JSON.stringify(reviewOf(admissionRequest({ object: serviceWithSecret(SECRETS.allowed) }))),
  );
  t.equal(JSON.parse(allowedReply.body).response.allowed, true, 'an allowed review');

  const invalid = serviceWithSecret(SECRETS.denied, {
    framework: SECRETS.deniedFramework,
    replicas: -1,
  });
  const deniedReply = await send(
    VALIDATE_PATH,
    JSON.stringify(reviewOf(admissionRequest({ object: invalid }))),
  );
  t.equal(JSON.parse(deniedReply.body).response.status.code, 422, 'a denied review');
  t.match(deniedReply.body, SECRETS.deniedFramework, 'the denial itself quotes the bad value');

  const status = await send(
    MUTATE_PATH,
    JSON.stringify(
      reviewOf(
        admissionRequest({ object: serviceWithSecret(SECRETS.status), subResource: 'status' }),
      ),
    ),
  );
  t.ok(JSON.parse(status.body).response.patch, 'a status write with the rendered spec');

  const template = (secret: string, spec: typeof BASE_TEMPLATE_SPEC | object): string =>
    JSON.stringify(
      reviewOf(
        admissionRequest({
          kind: 'InferenceServiceTemplate',
          operation: 'UPDATE',
          namespace: SYSTEM_NAMESPACE,
          name: 'base',
          object: templateObject(
            SYSTEM_NAMESPACE,
            'base',
            'framework' in spec
              ? withEnv(spec as typeof BASE_TEMPLATE_SPEC, secret)
              : { framework: 'sglang', model: { name: secret } },
          ) as never,
          oldObject: templateObject(SYSTEM_NAMESPACE, 'base', BASE_TEMPLATE_SPEC) as never,
        }),
      ),
    );
  await until(() => (apiserver.openWatches === 2 ? true : undefined), 'the watches');
  apiserver.failures.push(500);
  const failed = await send(TEMPLATE_PATH, template(SECRETS.templateUpdate, BASE_TEMPLATE_SPEC));
  t.equal(JSON.parse(failed.body).response.status.code, 503, 'a template update answered with 503');
  const broken = await send(TEMPLATE_PATH, template(SECRETS.brokenUpdate, {}));
  t.equal(
    JSON.parse(broken.body).response.status.code,
    422,
    'a template update that breaks its user',
  );

  const notJson = await send(
    VALIDATE_PATH,
    `{"apiVersion":"admission.k8s.io/v1","request":{"object":{"token":"${SECRETS.notJson}"`,
  );
  t.equal(notJson.status, 400, 'a body that is not JSON');

  child.process.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise(
    (resolve) => (timer = setTimeout(() => resolve('timeout'), CHILD_TIMEOUT_MS)),
  );
  t.equal(await Promise.race([exited, timeout]), 0, 'exits 0 on SIGTERM');
  clearTimeout(timer);

  const output = child.output();
  const codes = child
    .lines()
    .filter((line) => line.msg === 'admission review decided')
    .map((line) => line.code);
  t.same(
    [...new Set(codes)].sort(),
    [200, 422, 503],
    'the log has allowed, denied and unavailable reviews',
  );
  t.ok(
    child.lines().some((line) => line.level === 10 || line.level === 20 || line.level === 30),
    'lines were written',
  );
  for (const [name, secret] of Object.entries(SECRETS))
    t.notMatch(output, secret, `${name} is not logged`);
  t.notMatch(output, '"patch"', 'no patch is logged');
});
