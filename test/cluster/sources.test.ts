import t, { type Test } from 'tap';
import { ApiClient, ApiError, isGone } from '../../src/cluster/api-client.js';
import { startClusterSources } from '../../src/cluster/sources.js';
import { FakeApiServer } from './fake-apiserver.js';
import { captureLogger, service, template, waitFor } from './helpers.js';

const TEMPLATES = 'inferenceservicetemplates';
const SERVICES = 'inferenceservices';

async function startServer(t: Test): Promise<FakeApiServer> {
  const server = new FakeApiServer();
  await server.start();
  t.teardown(() => server.close());
  return server;
}

t.test('cluster sources sync and follow changes', async (t) => {
  const server = await startServer(t);
  server.put(TEMPLATES, template('mif', 'vllm'));
  server.put(SERVICES, service('team-a', 'demo', ['vllm']));
  const { logger } = captureLogger();
  const sources = await startClusterSources({
    systemNamespace: 'mif',
    logger,
    credentials: server.credentials(),
  });
  t.teardown(() => sources.stop());

  await waitFor(() => sources.services.isReady() && sources.templates.isReady(), 'both listings');
  t.equal(sources.templates.getTemplate('mif', 'vllm')?.spec?.framework, 'vllm');
  t.same(
    sources.services.usersOf('mif', 'vllm', 5).users.map((user) => user.name),
    ['demo'],
  );

  await waitFor(() => server.openWatches === 2, 'two watches open');
  server.put(TEMPLATES, template('team-a', 'vllm'));
  await waitFor(
    () => sources.templates.getTemplate('team-a', 'vllm') !== undefined,
    'new template',
  );
  t.equal(
    sources.services.usersOf('mif', 'vllm', 5).total,
    0,
    'local template shadows the system one',
  );
  t.equal(sources.services.usersOf('team-a', 'vllm', 5).total, 1, 'local template has the user');

  server.remove(SERVICES, 'team-a', 'demo');
  await waitFor(() => sources.services.size === 0, 'service removed');
  t.equal(sources.services.usersOf('team-a', 'vllm', 5).total, 0);
});

t.test('fetchService returns whole object or undefined', async (t) => {
  const server = await startServer(t);
  server.put(SERVICES, service('team-a', 'demo', ['vllm']));
  const { logger } = captureLogger();
  const sources = await startClusterSources({
    systemNamespace: 'mif',
    logger,
    credentials: server.credentials(),
  });
  t.teardown(() => sources.stop());

  const found = await sources.services.fetchService('team-a', 'demo');
  t.equal(found?.metadata?.name, 'demo');
  t.same(
    found?.spec?.template,
    { spec: { containers: [{ name: 'main', image: 'vllm:latest' }] } },
    'pod template included',
  );
  t.equal(await sources.services.fetchService('team-a', 'absent'), undefined);

  server.failures.push(503);
  const error = await sources.services.fetchService('team-a', 'demo').catch((e: unknown) => e);
  t.equal((error as ApiError).statusCode, 503, 'other errors are thrown');
});

t.test('start does not wait for the apiserver', async (t) => {
  const probe = new FakeApiServer();
  await probe.start();
  const credentials = probe.credentials();
  await probe.close();

  const { logger, lines } = captureLogger();
  const sources = await startClusterSources({
    systemNamespace: 'mif',
    logger,
    credentials,
    backoff: { initialMs: 20, maxMs: 100 },
  });
  t.teardown(() => sources.stop());
  t.notOk(sources.services.isReady(), 'services not ready');
  t.notOk(sources.templates.isReady(), 'templates not ready');
  await waitFor(() => lines.filter((line) => line.level === 40).length >= 2, 'retries logged');
});

t.test('ApiClient turns Status bodies into ApiError', async (t) => {
  const server = await startServer(t);
  const client = new ApiClient(server.credentials());
  const error = await client
    .getJson('/apis/odin.moreh.io/v1alpha1/namespaces/a/inferenceservices/b')
    .catch((e: unknown) => e);
  t.type(error, ApiError);
  t.equal((error as ApiError).statusCode, 404);
  t.equal((error as ApiError).reason, 'NotFound');
  t.match((error as ApiError).message, /inferenceservices "b" not found/);
  t.notOk(isGone(error));
  t.ok(isGone(new ApiError(410, 'Expired', 'too old')));
});

t.test('ApiClient rejects watch ERROR events', async (t) => {
  const server = await startServer(t);
  server.put(TEMPLATES, template('mif', 'vllm'));
  server.compact();
  const client = new ApiClient(server.credentials());
  const error = await client
    .watch(`/apis/odin.moreh.io/v1alpha1/${TEMPLATES}?watch=1&resourceVersion=1`, () => undefined)
    .catch((e: unknown) => e);
  t.ok(isGone(error), 'ERROR event with code 410 is Gone');
  t.equal((error as ApiError).reason, 'Expired');
});
