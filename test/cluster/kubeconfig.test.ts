import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadKubeConfig } from '../../src/cluster/kubeconfig.js';
import { startClusterSources } from '../../src/cluster/sources.js';
import { FakeApiServer } from './fake-apiserver.js';
import { captureLogger, waitFor } from './helpers.js';

function kubeconfigText(server: string, token: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: fake',
    '  cluster:',
    `    server: ${server}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    '- name: tester',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: fake',
    '  context: {cluster: fake, user: tester}',
    'current-context: fake',
    '',
  ].join('\n');
}

t.test('kubeconfig file drives the watches', async (t) => {
  const server = new FakeApiServer();
  await server.start();
  t.teardown(() => server.close());
  const directory = await mkdtemp(join(tmpdir(), 'odin-kubeconfig-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  const file = join(directory, 'config');
  await writeFile(file, kubeconfigText(`http://127.0.0.1:${server.port}`, 'secret-token'));

  const { logger } = captureLogger();
  const sources = await startClusterSources({ kubeconfig: file, systemNamespace: 'mif', logger });
  t.teardown(() => sources.stop());
  await waitFor(() => sources.services.isReady(), 'listings through the kubeconfig');
  t.ok(server.requests.length >= 2, 'requests reached the server');
  for (const request of server.requests) {
    t.equal(request.authorization, 'Bearer secret-token', `${request.resource} carries the token`);
  }
});

t.test('loadKubeConfig rejects a config without current context', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'odin-kubeconfig-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  const file = join(directory, 'config');
  await writeFile(file, 'apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\n');
  await t.rejects(loadKubeConfig(file), /has no current context with a cluster/);
});
