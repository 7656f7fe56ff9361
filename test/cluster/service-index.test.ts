import t from 'tap';
import { ClusterServiceIndex, decodeServiceReferences } from '../../src/cluster/service-index.js';
import { ClusterTemplateSource, decodeTemplate } from '../../src/cluster/template-cache.js';
import type { InferenceServiceTemplate } from '../../src/api/types.js';
import type { ServiceReferences } from '../../src/templates/source.js';
import { service, template } from './helpers.js';

const SYSTEM = 'mif';

function decodedTemplate(namespace: string, name: string): InferenceServiceTemplate {
  return decodeTemplate(template(namespace, name)) as InferenceServiceTemplate;
}

function decodedService(...args: Parameters<typeof service>): ServiceReferences {
  return decodeServiceReferences(service(...args)) as ServiceReferences;
}

function buildIndex(): { templates: ClusterTemplateSource; services: ClusterServiceIndex } {
  const templates = new ClusterTemplateSource();
  templates.replace([
    decodedTemplate('mif', 'vllm'),
    decodedTemplate('mif', 'llama'),
    decodedTemplate('team-a', 'vllm'),
    decodedTemplate('team-b', 'custom'),
  ]);
  const services = new ClusterServiceIndex(SYSTEM, templates, () => Promise.resolve(undefined));
  services.replace([
    decodedService('team-a', 's1', ['vllm', 'llama']),
    decodedService('team-a', 's2', ['vllm']),
    decodedService('team-b', 's3', ['vllm']),
    decodedService('team-b', 's4', [
      'custom',
      { name: 'llama', group: 'odin.moreh.io', kind: 'InferenceServiceTemplate' },
    ]),
    decodedService('team-c', 's5', [{ name: 'vllm', group: 'other.example.com' }]),
    decodedService('team-c', 's6', [{ name: 'vllm', kind: 'ConfigMap' }]),
    decodedService('team-c', 's7', [{ name: 'llama', group: '', kind: '' }]),
    decodedService('mif', 's8', ['vllm']),
    decodedService('team-d', 's9', ['missing', 'missing']),
  ]);
  return { templates, services };
}

function userKeys(users: ServiceReferences[]): string[] {
  return users.map((user) => `${user.namespace}/${user.name}`).sort();
}

t.test('usersOf follows namespace and shadowing rules', async (t) => {
  const { services } = buildIndex();
  const cases: Array<{ template: string; users: string[]; why: string }> = [
    { template: 'mif/vllm', users: ['mif/s8', 'team-b/s3'], why: 'team-a has its own vllm' },
    { template: 'team-a/vllm', users: ['team-a/s1', 'team-a/s2'], why: 'local template' },
    {
      template: 'mif/llama',
      users: ['team-a/s1', 'team-b/s4', 'team-c/s7'],
      why: 'explicit and empty group or kind count',
    },
    { template: 'team-b/custom', users: ['team-b/s4'], why: 'local template' },
    { template: 'mif/custom', users: [], why: 'team-b/custom shadows it' },
    {
      template: 'team-b/vllm',
      users: ['team-b/s3'],
      why: 'a name used before its template exists',
    },
    { template: 'mif/missing', users: ['team-d/s9'], why: 'a reference named twice counts once' },
    { template: 'team-c/vllm', users: [], why: 'other group and other kind do not count' },
    { template: 'team-x/vllm', users: [], why: 'no service in that namespace' },
  ];
  for (const { template: key, users, why } of cases) {
    const [namespace, name] = key.split('/');
    const result = services.usersOf(namespace, name, 10);
    t.same(userKeys(result.users), users, `${key}: ${why}`);
    t.equal(result.total, users.length, `${key}: total`);
  }
});

t.test('usersOf caps users but counts all', async (t) => {
  const { services } = buildIndex();
  const result = services.usersOf('mif', 'llama', 2);
  t.equal(result.total, 3);
  t.equal(result.users.length, 2);
});

t.test('index follows template and service changes', async (t) => {
  const { templates, services } = buildIndex();

  templates.remove(decodedTemplate('team-a', 'vllm'));
  t.same(userKeys(services.usersOf('mif', 'vllm', 10).users), [
    'mif/s8',
    'team-a/s1',
    'team-a/s2',
    'team-b/s3',
  ]);

  services.upsert(decodedService('team-a', 's2', ['llama']));
  t.same(userKeys(services.usersOf('mif', 'vllm', 10).users), ['mif/s8', 'team-a/s1', 'team-b/s3']);
  t.same(userKeys(services.usersOf('mif', 'llama', 10).users), [
    'team-a/s1',
    'team-a/s2',
    'team-b/s4',
    'team-c/s7',
  ]);

  services.remove(decodedService('team-a', 's1', []));
  t.same(userKeys(services.usersOf('mif', 'vllm', 10).users), ['mif/s8', 'team-b/s3']);

  templates.upsert(decodedTemplate('team-b', 'vllm'));
  t.same(userKeys(services.usersOf('mif', 'vllm', 10).users), ['mif/s8']);
  t.same(userKeys(services.usersOf('team-b', 'vllm', 10).users), ['team-b/s3']);
});

t.test('replace drops services that are gone', async (t) => {
  const { services } = buildIndex();
  services.replace([decodedService('team-b', 's3', ['vllm'])]);
  t.equal(services.size, 1);
  t.same(userKeys(services.usersOf('mif', 'vllm', 10).users), ['team-b/s3']);
  t.same(services.usersOf('team-a', 'vllm', 10).users, []);
});

t.test('isReady waits for both listings', async (t) => {
  const templates = new ClusterTemplateSource();
  const services = new ClusterServiceIndex(SYSTEM, templates, () => Promise.resolve(undefined));
  t.notOk(templates.isReady(), 'templates before listing');
  t.notOk(services.isReady(), 'services before listing');

  services.replace([]);
  t.notOk(services.isReady(), 'services listed, templates not yet');

  templates.replace([]);
  t.ok(templates.isReady(), 'templates after listing');
  t.ok(services.isReady(), 'services after both listings');
});

t.test('decodeServiceReferences keeps only references', async (t) => {
  const object = service('team-a', 's1', [
    { name: 'vllm', group: 'odin.moreh.io', kind: 'InferenceServiceTemplate' },
  ]);
  (object.spec as { templateRefs: Array<Record<string, unknown>> }).templateRefs[0].extra =
    'x'.repeat(1000);
  t.same(decodeServiceReferences(object), {
    namespace: 'team-a',
    name: 's1',
    templateRefs: [{ name: 'vllm', group: 'odin.moreh.io', kind: 'InferenceServiceTemplate' }],
  });

  t.same(decodeServiceReferences({ metadata: { namespace: 'a', name: 'b' } }), {
    namespace: 'a',
    name: 'b',
    templateRefs: [],
  });
  t.same(
    decodeServiceReferences({
      metadata: { namespace: 'a', name: 'b' },
      spec: { templateRefs: 'vllm' },
    }),
    { namespace: 'a', name: 'b', templateRefs: [] },
    'templateRefs that is not a list',
  );
  t.equal(decodeServiceReferences({ metadata: { name: 'b' } }), undefined, 'no namespace');
});

t.test('decodeTemplate drops managedFields', async (t) => {
  const object = template('mif', 'vllm');
  (object.metadata as Record<string, unknown>).managedFields = [{ manager: 'kubectl' }];
  const decoded = decodeTemplate(object);
  t.same(decoded?.metadata, { namespace: 'mif', name: 'vllm' });
  t.same(decoded?.spec, { framework: 'vllm' });
  t.equal(decodeTemplate({ metadata: { namespace: 'mif' } }), undefined, 'no name');
});
