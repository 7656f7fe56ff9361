import t from 'tap';
import { ApiClient } from '../../src/cluster/api-client.js';
import { fetchReferencedTemplates, fetchTemplate } from '../../src/cluster/template-fetch.js';
import type { InferenceService } from '../../src/api/types.js';
import { FakeApiServer } from './fake-apiserver.js';
import { service, template } from './helpers.js';

const TEMPLATES = 'inferenceservicetemplates';

t.test('fetchReferencedTemplates reads both namespaces', async (t) => {
  const server = new FakeApiServer();
  await server.start();
  t.teardown(() => server.close());
  server.put(TEMPLATES, template('mif', 'vllm'));
  server.put(TEMPLATES, template('team-a', 'vllm'));
  server.put(TEMPLATES, template('mif', 'preset'));
  server.put(TEMPLATES, template('team-b', 'secret'));

  const services = [
    service('team-a', 'one', ['vllm', 'preset', { name: 'other', group: 'example.com' }]),
    service('team-c', 'two', ['secret']),
  ] as InferenceService[];
  const source = await fetchReferencedTemplates(
    new ApiClient(server.credentials()),
    services,
    (item) => item.metadata?.namespace ?? 'default',
    'mif',
  );

  t.ok(source.getTemplate('team-a', 'vllm'), 'local template');
  t.ok(source.getTemplate('mif', 'vllm'), 'system template of the same name');
  t.ok(source.getTemplate('mif', 'preset'), 'system template');
  t.notOk(source.getTemplate('team-b', 'secret'), 'never reads another namespace');

  const paths = server.requests.map((request) => `${request.resource}`);
  t.ok(
    paths.every((resource) => resource === TEMPLATES),
    'only template reads',
  );
  t.notOk(
    server.requests.some((request) => request.watch),
    'no watch',
  );
  t.equal(server.requests.length, 6, 'two lookups per supported reference, other group skipped');
});

t.test('fetchTemplate names template on failure', async (t) => {
  const server = new FakeApiServer();
  await server.start();
  t.teardown(() => server.close());
  const client = new ApiClient(server.credentials());

  t.equal(await fetchTemplate(client, 'mif', 'absent'), undefined, '404 is undefined');
  server.failures.push(403);
  await t.rejects(
    fetchTemplate(client, 'mif', 'vllm'),
    /cannot read InferenceServiceTemplate "mif\/vllm": GET .*403/,
  );
});
