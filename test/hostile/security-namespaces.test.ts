// Template lookups for a service read only its own namespace and the system
// namespace. A recording TemplateSource wraps the real one and notes every
// getTemplate call while random services, with random references and
// namespaces, pass through every webhook; the template webhook's re-rendering
// of users is checked the same way, per user.
import fc from 'fast-check';
import t from 'tap';
import type { AdmissionRequest, JsonObject } from '../../src/admission/review.js';
import type { InferenceServiceTemplate } from '../../src/api/types.js';
import { namespaceOf } from '../../src/inferenceservice/render.js';
import { MemoryServiceIndex, MemoryTemplateSource } from '../../src/templates/memory-source.js';
import type { TemplateSource } from '../../src/templates/source.js';
import { createWebhooks } from '../../src/webhooks/index.js';
import {
  admissionRequest,
  BASE_TEMPLATE_SPEC,
  prototypeProblems,
  SYSTEM_NAMESPACE,
  templateObject,
} from './support.js';

const RUNS = Number(process.env.HOSTILE_FUZZ_RUNS ?? 300);
const NAMESPACES = ['team-a', 'team-b', 'victim', SYSTEM_NAMESPACE, 'default', ''];
const NAMES = ['base', 'secret', 'victim/secret', '../victim', 'mif/base', ''];

class RecordingSource implements TemplateSource {
  readonly reads: Array<{ namespace: string; name: string; user: string }> = [];
  /** Namespace of the service being rendered, for reads during a template update. */
  user = '';

  constructor(private readonly inner: TemplateSource) {}

  getTemplate(namespace: string, name: string): InferenceServiceTemplate | undefined {
    this.reads.push({ namespace, name, user: this.user });
    return this.inner.getTemplate(namespace, name);
  }

  isReady(): boolean {
    return this.inner.isReady();
  }
}

/** Templates named `base` and `secret` in every namespace, each with its namespace in an env value. */
function everyNamespace(): MemoryTemplateSource {
  const source = new MemoryTemplateSource(SYSTEM_NAMESPACE);
  for (const namespace of NAMESPACES.filter((ns) => ns !== '')) {
    for (const name of ['base', 'secret']) {
      const spec = structuredClone(BASE_TEMPLATE_SPEC) as {
        template: { spec: { containers: Array<{ env: unknown[] }> } };
      };
      spec.template.spec.containers[0].env.push({ name: 'OWNER', value: `owned-by-${namespace}` });
      source.put(templateObject(namespace, name, spec));
    }
  }
  return source;
}

function outsideReads(source: RecordingSource, allowed: readonly string[]): string[] {
  return source.reads
    .filter((read) => !allowed.includes(read.namespace))
    .map((read) => `${read.namespace}/${read.name}`);
}

const serviceCase = fc.record({
  requestNamespace: fc.option(fc.constantFrom(...NAMESPACES), { nil: undefined }),
  objectNamespace: fc.option(fc.constantFrom(...NAMESPACES), { nil: undefined }),
  refs: fc.array(fc.record({ name: fc.constantFrom(...NAMES) }), { maxLength: 4 }),
  subResource: fc.option(fc.constant('status'), { nil: undefined }),
  operation: fc.constantFrom('CREATE' as const, 'UPDATE' as const),
});

void t.test('service reviews read only own and system namespaces', async (t) => {
  await fc.assert(
    fc.asyncProperty(serviceCase, async (item) => {
      const source = new RecordingSource(everyNamespace());
      const webhooks = createWebhooks({ templates: source, systemNamespace: SYSTEM_NAMESPACE });
      const object: JsonObject = {
        apiVersion: 'odin.moreh.io/v1alpha1',
        kind: 'InferenceService',
        metadata: {
          name: 'demo',
          ...(item.objectNamespace === undefined ? {} : { namespace: item.objectNamespace }),
        },
        spec: { templateRefs: item.refs, model: { name: '{{ .Namespace }}' } },
      };
      const request: AdmissionRequest = admissionRequest({
        operation: item.operation,
        namespace: item.requestNamespace,
        object,
        oldObject: item.operation === 'UPDATE' ? object : null,
        ...(item.subResource ? { subResource: item.subResource } : {}),
      });
      const own = namespaceOf(
        object as { metadata?: { namespace?: unknown } },
        item.requestNamespace,
      );
      for (const webhook of webhooks.slice(0, 2)) await webhook.review(request);

      const outside = outsideReads(source, [own, SYSTEM_NAMESPACE]);
      if (outside.length > 0) throw new Error(`a service in ${own} read ${outside.join(', ')}`);
      return true;
    }),
    { numRuns: RUNS },
  );
  t.same(prototypeProblems(), []);
});

void t.test('status patch carries only own and system templates', async (t) => {
  const source = everyNamespace();
  const [mutate] = createWebhooks({ templates: source, systemNamespace: SYSTEM_NAMESPACE });
  const object: JsonObject = {
    apiVersion: 'odin.moreh.io/v1alpha1',
    kind: 'InferenceService',
    metadata: { name: 'demo', namespace: 'victim' },
    spec: { templateRefs: [{ name: 'base' }, { name: 'secret' }] },
  };
  const response = await mutate.review(
    admissionRequest({ namespace: 'team-a', object, subResource: 'status' }),
  );
  const patch = Buffer.from(response.patch ?? '', 'base64').toString('utf8');
  t.match(patch, 'owned-by-team-a', 'the request namespace wins over metadata.namespace');
  t.notMatch(patch, 'owned-by-victim', 'no template of metadata.namespace');
});

void t.test('template updates read each user in its namespace', async (t) => {
  const users = [
    { namespace: 'team-a', name: 'one' },
    { namespace: 'team-b', name: 'two' },
    { namespace: 'victim', name: 'three' },
  ];
  const inner = everyNamespace();
  // Only the system namespace has `shared`, so every user resolves it there.
  inner.put(templateObject(SYSTEM_NAMESPACE, 'shared', BASE_TEMPLATE_SPEC));
  const source = new RecordingSource(inner);
  const services = new MemoryServiceIndex(SYSTEM_NAMESPACE, source, 'default');
  for (const user of users) {
    services.put({
      apiVersion: 'odin.moreh.io/v1alpha1',
      kind: 'InferenceService',
      metadata: user,
      spec: { templateRefs: [{ name: 'shared' }, { name: 'base' }] },
    } as never);
  }
  // The webhook fetches each user before rendering it, so the fetch marks whose reads follow.
  const tracking = Object.assign(Object.create(services) as MemoryServiceIndex, {
    fetchService: (namespace: string, name: string) => {
      source.user = namespace;
      return services.fetchService(namespace, name);
    },
  });
  const [, , validateTemplate] = createWebhooks({
    templates: source,
    services: tracking,
    systemNamespace: SYSTEM_NAMESPACE,
  });
  const updated = templateObject(SYSTEM_NAMESPACE, 'shared', {
    framework: 'sglang',
  }) as unknown as JsonObject;
  source.reads.length = 0;
  const response = await validateTemplate.review(
    admissionRequest({
      kind: 'InferenceServiceTemplate',
      operation: 'UPDATE',
      namespace: SYSTEM_NAMESPACE,
      object: updated,
      oldObject: updated,
    }),
  );
  t.equal(response.allowed, true);
  for (const user of users) {
    t.ok(
      source.reads.some((read) => read.user === user.namespace),
      `the user in ${user.namespace} is rendered`,
    );
  }
  // Before any render the index checks whether a user's namespace has its own
  // `shared`, which would shadow the system one; it reads no other name.
  const shadowChecks = source.reads.filter((read) => read.user === '');
  t.same(
    [...new Set(shadowChecks.map((read) => read.name))],
    ['shared'],
    'shadow checks name the template only',
  );
  const renders = source.reads.filter((read) => read.user !== '');
  const outside = renders.filter(
    (read) => read.namespace !== read.user && read.namespace !== SYSTEM_NAMESPACE,
  );
  t.same(outside, [], 'each user reads only its own and the system namespace');
  for (const read of source.reads.filter((r) => r.name === 'base')) {
    t.not(
      read.namespace,
      SYSTEM_NAMESPACE,
      `users find base in their own namespace first (${read.namespace})`,
    );
  }
});
