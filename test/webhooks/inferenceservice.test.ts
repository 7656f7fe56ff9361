// The InferenceService webhooks on the edges of the contract: requests that
// do not belong on the path, objects being deleted, the status subresource,
// dry runs and a template source that has not synced yet.
import fastJsonPatch from 'fast-json-patch';
import t from 'tap';
import type { JsonObject } from '../../src/admission/review.js';
import { loadTemplateDirectory } from '../../src/templates/file-source.js';
import type { TemplateSource } from '../../src/templates/source.js';
import { createWebhooks } from '../../src/webhooks/index.js';
import { admissionRequest, decodePatch, readObject } from '../helpers/reviews.js';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
const templates = await loadTemplateDirectory(`${EXAMPLES}templates`);
const [mutate, validate] = createWebhooks({ templates, systemNamespace: 'mif' });
const llama = readObject(`${EXAMPLES}services/llama-tp2.yaml`);

t.test('requests that do not belong on the path get 400', async (t) => {
  const template = readObject(`${EXAMPLES}templates/vllm.yaml`);
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } };
  const cases = [
    { name: 'template on the service path', request: admissionRequest({ object: template }) },
    {
      name: 'pod on the service path',
      request: {
        ...admissionRequest({ object: pod }),
        kind: { group: '', version: 'v1', kind: 'Pod' },
      },
    },
    {
      name: 'delete on the service path',
      request: admissionRequest({ operation: 'DELETE', oldObject: llama }),
    },
    {
      name: 'null object on create',
      request: admissionRequest({ object: null, kind: 'InferenceService' }),
    },
    {
      name: 'list as object',
      request: { ...admissionRequest({ object: llama }), object: [] as never },
    },
  ];
  for (const webhook of [mutate, validate]) {
    for (const item of cases) {
      const verdict = await webhook.review(item.request);
      t.equal(verdict.allowed, false, `${webhook.name}: ${item.name}`);
      t.equal(verdict.status?.code, 400, `${webhook.name}: ${item.name}`);
    }
  }
});

t.test('update of an object being deleted is allowed without templates', async (t) => {
  const orphan = readObject(`${EXAMPLES}services/invalid-missing-template.yaml`);
  const deleting = structuredClone(orphan);
  (deleting.metadata as JsonObject).deletionTimestamp = '2026-01-01T00:00:00Z';
  for (const webhook of [mutate, validate]) {
    const verdict = await webhook.review(
      admissionRequest({ operation: 'UPDATE', object: deleting, oldObject: deleting }),
    );
    t.equal(verdict.allowed, true, webhook.name);
    t.equal(verdict.patch, undefined, webhook.name);
  }
});

t.test('status write fills renderedSpec once', async (t) => {
  const request = admissionRequest({
    operation: 'UPDATE',
    object: llama,
    oldObject: llama,
    subResource: 'status',
  });
  const first = await mutate.review(request);
  const operations = decodePatch(first.patch);
  t.same(
    operations.map((op) => op.path),
    ['/status'],
  );
  const updated = fastJsonPatch.applyPatch(structuredClone(llama), operations as never, true, false)
    .newDocument as JsonObject;
  const rendered = (updated.status as JsonObject).renderedSpec as JsonObject;
  t.equal(rendered.framework, 'vllm');
  t.same(rendered.service, { target: 'auto' });

  const again = await mutate.review({ ...request, object: updated });
  t.equal(again.patch, undefined, 'a second status write gives no patch');
  const verdict = await validate.review({ ...request, object: updated });
  t.equal(verdict.allowed, true);
});

t.test('status write of a service that does not render warns', async (t) => {
  const orphan = readObject(`${EXAMPLES}services/invalid-missing-template.yaml`);
  const verdict = await mutate.review(
    admissionRequest({
      operation: 'UPDATE',
      object: orphan,
      oldObject: orphan,
      subResource: 'status',
    }),
  );
  t.equal(verdict.allowed, true);
  t.equal(verdict.patch, undefined);
  t.match(verdict.warnings?.[0], /renderedSpec left unchanged, no render: spec\.templateRefs\[0\]\.name/);
});

t.test('dry run gets the same answer as a real request', async (t) => {
  for (const webhook of [mutate, validate]) {
    const real = await webhook.review(admissionRequest({ object: llama, uid: 'same' }));
    const dry = await webhook.review(
      admissionRequest({ object: llama, uid: 'same', dryRun: true }),
    );
    t.same(dry, real, webhook.name);
  }
});

t.test('unsynced template source answers 503', async (t) => {
  const unsynced: TemplateSource = { getTemplate: () => undefined, isReady: () => false };
  const webhooks = createWebhooks({ templates: unsynced, systemNamespace: 'mif' });
  for (const webhook of webhooks.slice(0, 2)) {
    const verdict = await webhook.review(admissionRequest({ object: llama }));
    t.equal(verdict.status?.code, 503, webhook.name);
  }
  const selfContained = readObject(`${EXAMPLES}services/self-contained.yaml`);
  const verdict = await webhooks[1].review(admissionRequest({ object: selfContained }));
  t.equal(verdict.allowed, true, 'a service without references needs no templates');
});

t.test('wrong shapes reach the mutating webhook and get an answer', async (t) => {
  const shapes: unknown[] = [
    null,
    'text',
    7,
    [],
    { replicas: 'two' },
    { service: 'x', parallelism: [], templateRefs: 'vllm' },
  ];
  for (const spec of shapes) {
    const object = { ...structuredClone(llama), spec } as JsonObject;
    const verdict = await mutate.review(admissionRequest({ object }));
    t.equal(verdict.allowed, true, JSON.stringify(spec));
    const operations = decodePatch(verdict.patch);
    fastJsonPatch.applyPatch(structuredClone(object), operations as never, true, false);
    const judged = await validate.review(admissionRequest({ object }));
    t.equal(judged.allowed, false, `validation denies ${JSON.stringify(spec)}`);
  }
});

t.test('status patch applies when rendered lists shrink or grow', async (t) => {
  const args = (count: number): string[] => Array.from({ length: count }, (_, i) => `--flag-${i}`);
  for (const [stored, own] of [
    [3, 1],
    [2, 12],
    [12, 2],
  ]) {
    const object = readObject(`${EXAMPLES}services/self-contained.yaml`);
    const container = (
      (object.spec as JsonObject).template as { spec: { containers: JsonObject[] } }
    ).spec.containers[0];
    container.args = args(own);
    const staleSpec = structuredClone(object.spec) as JsonObject;
    const staleContainer = (staleSpec.template as { spec: { containers: JsonObject[] } }).spec
      .containers[0];
    staleContainer.args = args(stored);
    object.status = { renderedSpec: staleSpec };

    const request = admissionRequest({
      operation: 'UPDATE',
      object,
      oldObject: object,
      subResource: 'status',
    });
    const verdict = await mutate.review(request);
    const operations = decodePatch(verdict.patch);
    const updated = fastJsonPatch.applyPatch(
      structuredClone(object),
      operations as never,
      true,
      false,
    ).newDocument as JsonObject;
    const rendered = (updated.status as JsonObject).renderedSpec as JsonObject;
    const renderedArgs = (rendered.template as { spec: { containers: JsonObject[] } }).spec
      .containers[0].args;
    t.same(renderedArgs, args(own), `${stored} stored arguments become ${own}`);
  }
});
