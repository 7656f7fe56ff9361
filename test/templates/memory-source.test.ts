// The in-memory service index behind --services-dir: users of a template
// across namespaces, and deletes.
import t from 'tap';
import type { InferenceService } from '../../src/api/types.js';
import { MemoryServiceIndex, MemoryTemplateSource } from '../../src/templates/memory-source.js';

function service(namespace: string, name: string, spec: Record<string, unknown>): InferenceService {
  return {
    apiVersion: 'odin.moreh.io/v1alpha1',
    kind: 'InferenceService',
    metadata: { name, namespace },
    spec,
  } as InferenceService;
}

function buildIndex(): MemoryServiceIndex {
  const templates = new MemoryTemplateSource('mif');
  templates.put({
    apiVersion: 'odin.moreh.io/v1alpha1',
    kind: 'InferenceServiceTemplate',
    metadata: { name: 'vllm', namespace: 'mif' },
    spec: {},
  } as never);
  return new MemoryServiceIndex('mif', templates, 'default');
}

t.test('service index tracks users', async (t) => {
  const index = buildIndex();
  index.put(service('team-a', 's1', { templateRefs: [{ name: 'vllm' }] }));
  index.put(service('team-b', 's2', { templateRefs: [{ name: 'vllm' }] }));
  index.put(service('team-b', 's3', { templateRefs: [{ name: 'other' }] }));
  const noNamespace = service('team-a', 's4', { templateRefs: [{ name: 'vllm' }] });
  delete noNamespace.metadata?.namespace;
  index.put(noNamespace);

  const users = index.usersOf('mif', 'vllm', 10);
  t.equal(users.total, 3, 'users in every namespace');
  t.strictSame(
    users.users.map((user) => `${user.namespace}/${user.name}`).sort(),
    ['default/s4', 'team-a/s1', 'team-b/s2'],
    'default namespace for a service without one',
  );
  t.strictSame(
    users.users[0].templateRefs.map((reference) => reference.name),
    ['vllm'],
    'references indexed',
  );

  index.delete('team-a', 's1');
  t.equal(index.usersOf('mif', 'vllm', 10).total, 2, 'deleted service no longer a user');
  t.equal(await index.fetchService('team-a', 's1'), undefined, 'deleted service not fetched');
});
