// Faults of the apiserver, injected with a fake apiserver on 127.0.0.1. The
// apiserver is unreachable at start (not ready, 503 reviews, no crash, ready
// once it comes up), a watch is cut mid-run (reviews served from the cache,
// then resynced), history is compacted (410 Gone, relist), and a read fails
// during a template update. Last, 200 reviews at once over HTTPS get the same
// responses as the same reviews one at a time.
import { rm } from 'node:fs/promises';
import fc from 'fast-check';
import t, { type Test } from 'tap';
import type { AdmissionRequest, JsonObject } from '../../src/admission/review.js';
import { startClusterSources, type ClusterSources } from '../../src/cluster/sources.js';
import { startServer } from '../../src/server/serve.js';
import { createWebhooks } from '../../src/webhooks/index.js';
import { FakeApiServer } from '../cluster/fake-apiserver.js';
import { waitFor } from '../cluster/helpers.js';
import {
  getHealth,
  makeServingFiles,
  post,
  testConfig,
  writeServingFiles,
} from '../server/helpers.js';
import { serviceSpec } from './arbitraries.js';
import {
  admissionRequest,
  BASE_TEMPLATE_SPEC,
  fixture,
  memoryLogger,
  reviewOf,
  serviceObject,
  SYSTEM_NAMESPACE,
  templateObject,
  WEBHOOK_PATHS,
} from './support.js';

const TEMPLATES = 'inferenceservicetemplates';
const SERVICES = 'inferenceservices';
const BACKOFF = { initialMs: 20, maxMs: 200 };

async function sources(t: Test, apiserver: FakeApiServer): Promise<ClusterSources> {
  const started = await startClusterSources({
    systemNamespace: SYSTEM_NAMESPACE,
    logger: memoryLogger().logger,
    credentials: apiserver.credentials(),
    backoff: BACKOFF,
  });
  t.teardown(() => started.stop());
  return started;
}

function usingTemplate(name: string): JsonObject {
  return serviceObject({ templateRefs: [{ name }], model: { name: 'meta-llama/Llama-3.2-1B' } });
}

function templateRequest(operation: 'UPDATE' | 'DELETE', spec: unknown): AdmissionRequest {
  const template = templateObject(SYSTEM_NAMESPACE, 'base', spec) as unknown as JsonObject;
  return admissionRequest({
    kind: 'InferenceServiceTemplate',
    operation,
    namespace: SYSTEM_NAMESPACE,
    name: 'base',
    object: operation === 'DELETE' ? null : template,
    oldObject: template,
  });
}

void t.test('unreachable apiserver: not ready, 503, then recovers', async (t) => {
  const apiserver = new FakeApiServer();
  await apiserver.start();
  const port = apiserver.port;
  const credentials = apiserver.credentials();
  await apiserver.close();

  const cluster = await startClusterSources({
    systemNamespace: SYSTEM_NAMESPACE,
    logger: memoryLogger().logger,
    credentials,
    backoff: BACKOFF,
  });
  t.teardown(() => cluster.stop());
  const dependencies = {
    templates: cluster.templates,
    services: cluster.services,
    systemNamespace: SYSTEM_NAMESPACE,
  };
  const [mutate, validate, validateTemplate] = createWebhooks(dependencies);

  const files = await makeServingFiles();
  const paths = await writeServingFiles(files);
  const server = await startServer({
    config: testConfig(paths.certFile, paths.keyFile),
    logger: memoryLogger().logger,
    webhooks: [mutate, validate, validateTemplate],
    readinessChecks: [
      { name: 'templates', isReady: () => cluster.templates.isReady() },
      { name: 'services', isReady: () => cluster.services.isReady() },
    ],
  });
  t.teardown(async () => {
    await server.shutdown();
    await rm(paths.directory, { recursive: true, force: true });
  });

  t.equal((await getHealth(server.healthPort, '/readyz')).status, 503, 'not ready');
  const table = [
    { webhook: mutate, request: admissionRequest({ object: usingTemplate('base') }) },
    { webhook: validate, request: admissionRequest({ object: usingTemplate('base') }) },
    { webhook: validateTemplate, request: templateRequest('DELETE', BASE_TEMPLATE_SPEC) },
  ];
  for (const row of table) {
    const response = await row.webhook.review(row.request);
    t.equal(response.status?.code, 503, `${row.webhook.name}: 503 while not synced`);
  }
  const plain = await mutate.review(admissionRequest({ object: serviceObject({}) }));
  t.equal(plain.allowed, true, 'a service without references needs no cache');

  const revived = new FakeApiServer();
  revived.put(TEMPLATES, templateObject(SYSTEM_NAMESPACE, 'base', BASE_TEMPLATE_SPEC) as never);
  await revived.start(port);
  t.teardown(() => revived.close());
  await waitFor(
    () => cluster.templates.isReady() && cluster.services.isReady(),
    'both listings',
    10_000,
  );

  t.equal((await getHealth(server.healthPort, '/readyz')).status, 200, 'ready once listed');
  const verdict = await validate.review(admissionRequest({ object: usingTemplate('base') }));
  t.equal(verdict.allowed, true, 'reviews use the listed template');
});

void t.test('cut watch: cache serves, then resyncs', async (t) => {
  const apiserver = new FakeApiServer();
  apiserver.put(TEMPLATES, templateObject(SYSTEM_NAMESPACE, 'base', BASE_TEMPLATE_SPEC) as never);
  await apiserver.start();
  t.teardown(() => apiserver.close());
  const cluster = await sources(t, apiserver);
  const [, validate] = createWebhooks({
    templates: cluster.templates,
    services: cluster.services,
    systemNamespace: SYSTEM_NAMESPACE,
  });
  await waitFor(() => apiserver.openWatches === 2, 'two watches');

  apiserver.dropConnections();
  apiserver.failures.push(503, 503, 503);
  const during = await validate.review(admissionRequest({ object: usingTemplate('base') }));
  t.equal(during.allowed, true, 'the cached template serves while the watch is down');

  apiserver.put(TEMPLATES, templateObject(SYSTEM_NAMESPACE, 'preset', BASE_TEMPLATE_SPEC) as never);
  const missing = await validate.review(admissionRequest({ object: usingTemplate('preset') }));
  t.equal(missing.status?.code, 422, 'a template created while cut off is not yet known');

  await waitFor(
    () => cluster.templates.getTemplate(SYSTEM_NAMESPACE, 'preset') !== undefined,
    'resumed watch',
    10_000,
  );
  const after = await validate.review(admissionRequest({ object: usingTemplate('preset') }));
  t.equal(after.allowed, true, 'the resumed watch brings the new template');
});

void t.test('compacted history: 410 leads to a relist', async (t) => {
  const apiserver = new FakeApiServer();
  apiserver.put(TEMPLATES, templateObject(SYSTEM_NAMESPACE, 'base', BASE_TEMPLATE_SPEC) as never);
  await apiserver.start();
  t.teardown(() => apiserver.close());
  const cluster = await sources(t, apiserver);
  const [, validate] = createWebhooks({
    templates: cluster.templates,
    services: cluster.services,
    systemNamespace: SYSTEM_NAMESPACE,
  });
  await waitFor(() => apiserver.openWatches === 2, 'two watches');

  apiserver.dropConnections();
  apiserver.remove(TEMPLATES, SYSTEM_NAMESPACE, 'base');
  apiserver.put(TEMPLATES, templateObject(SYSTEM_NAMESPACE, 'preset', BASE_TEMPLATE_SPEC) as never);
  apiserver.compact();
  const listsBefore = apiserver.requests.filter(
    (request) => request.resource === TEMPLATES && !request.watch,
  ).length;

  await waitFor(
    () => cluster.templates.getTemplate(SYSTEM_NAMESPACE, 'preset') !== undefined,
    'relist',
    10_000,
  );
  const lists = apiserver.requests.filter(
    (request) => request.resource === TEMPLATES && !request.watch,
  ).length;
  t.ok(lists > listsBefore, 'the templates were listed again');
  t.equal(
    cluster.templates.getTemplate(SYSTEM_NAMESPACE, 'base'),
    undefined,
    'the relist drops the deleted template',
  );
  const verdict = await validate.review(admissionRequest({ object: usingTemplate('base') }));
  t.equal(verdict.status?.code, 422, 'a service using the deleted template is invalid');
});

void t.test('failed service read during a template update fails closed', async (t) => {
  const apiserver = new FakeApiServer();
  apiserver.put(TEMPLATES, templateObject(SYSTEM_NAMESPACE, 'base', BASE_TEMPLATE_SPEC) as never);
  apiserver.put(SERVICES, usingTemplate('base'));
  await apiserver.start();
  t.teardown(() => apiserver.close());
  const cluster = await sources(t, apiserver);
  const [, , validateTemplate] = createWebhooks({
    templates: cluster.templates,
    services: cluster.services,
    systemNamespace: SYSTEM_NAMESPACE,
  });
  await waitFor(() => apiserver.openWatches === 2, 'two watches');

  const update = templateRequest('UPDATE', {
    ...BASE_TEMPLATE_SPEC,
    model: { name: 'meta-llama/Llama-3.1-8B' },
  });
  apiserver.failures.push(500);
  const response = await validateTemplate.review(update);
  t.equal(response.allowed, false, 'the change cannot be judged now');
  t.equal(response.status?.code, 503, 'a 503 asks the client to retry');
  t.match(response.status?.message, /retry/);
  const retried = await validateTemplate.review(update);
  t.equal(retried.allowed, true, 'the next update is reviewed normally');
});

void t.test('200 reviews at once match one at a time', async (t) => {
  const fix = fixture([
    BASE_TEMPLATE_SPEC,
    { service: { target: 'leader' }, parallelism: { dataLocal: 2 } },
  ]);
  const files = await makeServingFiles();
  const paths = await writeServingFiles(files);
  const server = await startServer({
    config: testConfig(paths.certFile, paths.keyFile),
    logger: memoryLogger().logger,
    webhooks: fix.webhooks,
  });
  t.teardown(async () => {
    await server.shutdown();
    await rm(paths.directory, { recursive: true, force: true });
  });

  const specs = fc.sample(serviceSpec, { numRuns: 200, seed: 20261204 });
  const requests = specs.map((spec, index) => ({
    path: WEBHOOK_PATHS[index % 2 === 0 ? 0 : 1],
    body: JSON.stringify(
      reviewOf(admissionRequest({ uid: `uid-${index}`, object: serviceObject(spec) })),
    ),
  }));
  const send = async (request: { path: string; body: string }): Promise<string> =>
    (await post(server.admissionPort, request.path, { ca: files.caCert, body: request.body })).body;

  const sequential: string[] = [];
  for (const request of requests) sequential.push(await send(request));
  const concurrent = await Promise.all(requests.map(send));

  t.equal(concurrent.length, 200);
  const differing = concurrent.filter((body, index) => body !== sequential[index]).length;
  t.equal(differing, 0, 'every concurrent answer equals its sequential one');
  const statuses = new Set(
    sequential.map(
      (body) => (JSON.parse(body) as { response: { allowed: boolean } }).response.allowed,
    ),
  );
  t.same([...statuses].sort(), [false, true], 'the sample has both verdicts');
});
