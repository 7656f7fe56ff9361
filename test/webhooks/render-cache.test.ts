// The render cache must never change a verdict: a cached outcome equals a
// fresh render, and anything a render depends on (templates, labels, name,
// namespace, spec) leads to a new render.
import { readdirSync, readFileSync } from 'node:fs';
import t from 'tap';
import type { JsonObject } from '../../src/admission/review.js';
import type { InferenceService, InferenceServiceTemplate } from '../../src/api/types.js';
import { RenderCache } from '../../src/inferenceservice/render-cache.js';
import { renderInferenceService, type RenderedService } from '../../src/inferenceservice/render.js';
import { parseYamlDocuments } from '../../src/templates/file-source.js';
import { MemoryTemplateSource } from '../../src/templates/memory-source.js';
import { createWebhooks } from '../../src/webhooks/index.js';
import { admissionRequest, decodePatch } from '../helpers/reviews.js';

const examples = new URL('../../examples/', import.meta.url);

function readFolder(name: string): JsonObject[] {
  const folder = new URL(`${name}/`, examples);
  return readdirSync(folder)
    .sort()
    .flatMap((file) => parseYamlDocuments(readFileSync(new URL(file, folder), 'utf8'), file))
    .map((document) => document as JsonObject);
}

function exampleTemplates(): MemoryTemplateSource {
  const source = new MemoryTemplateSource('mif');
  for (const template of readFolder('templates')) source.put(template as InferenceServiceTemplate);
  return source;
}

function runtimeTemplate(image: string, args: string): InferenceServiceTemplate {
  return {
    apiVersion: 'odin.moreh.io/v1alpha1',
    kind: 'InferenceServiceTemplate',
    metadata: { name: 'runtime', namespace: 'mif' },
    spec: {
      template: { spec: { containers: [{ name: 'main', image, args: [args] }] } },
    },
  } as InferenceServiceTemplate;
}

function service(labels: Record<string, string> = {}, replicas = 1): InferenceService {
  return {
    apiVersion: 'odin.moreh.io/v1alpha1',
    kind: 'InferenceService',
    metadata: { name: 'demo', namespace: 'team-a', labels },
    spec: { replicas, templateRefs: [{ name: 'runtime' }] },
  } as InferenceService;
}

function firstContainer(
  rendered: RenderedService,
): { image?: string; args?: string[] } | undefined {
  const template = rendered.spec?.template as
    { spec?: { containers?: { image?: string; args?: string[] }[] } } | undefined;
  return template?.spec?.containers?.[0];
}

const options = (cache?: RenderCache<RenderedService>) => ({
  systemNamespace: 'mif',
  namespace: 'team-a',
  cache,
});

t.test('cached outcomes equal fresh renders for every example', async (t) => {
  const templates = exampleTemplates();
  const cache = new RenderCache<RenderedService>();
  const services = readFolder('services') as InferenceService[];
  t.ok(services.length >= 5, 'examples found');
  for (const example of services) {
    const fresh = renderInferenceService(example, templates, options());
    const first = renderInferenceService(example, templates, options(cache));
    const second = renderInferenceService(example, templates, options(cache));
    const name = String(example.metadata?.name);
    t.same(first, fresh, `${name}: first render`);
    t.same(second, fresh, `${name}: second render`);
  }
});

t.test('repeated render returns the cached outcome', async (t) => {
  const templates = new MemoryTemplateSource('mif');
  templates.put(runtimeTemplate('img:1', '{{ .Name }}'));
  const cache = new RenderCache<RenderedService>();
  const first = renderInferenceService(service(), templates, options(cache));
  const second = renderInferenceService(service(), templates, options(cache));
  t.equal(first.errors.length, 0, 'renders');
  t.equal(second, first, 'same object from the cache');
});

t.test('replaced template is rendered anew', async (t) => {
  const templates = new MemoryTemplateSource('mif');
  templates.put(runtimeTemplate('img:1', '{{ .Name }}'));
  const cache = new RenderCache<RenderedService>();
  const before = renderInferenceService(service(), templates, options(cache));
  templates.put(runtimeTemplate('img:2', '{{ .Name }}'));
  const after = renderInferenceService(service(), templates, options(cache));
  const image = (rendered: RenderedService) => firstContainer(rendered)?.image;
  t.equal(image(before), 'img:1', 'first template');
  t.equal(image(after), 'img:2', 'replacing template');
});

t.test('labels, name and namespace are part of the key', async (t) => {
  const templates = new MemoryTemplateSource('mif');
  templates.put(runtimeTemplate('img:1', '{{ .Name }}.{{ .Namespace }}/{{ index .Labels "app" }}'));
  const cache = new RenderCache<RenderedService>();
  const argsOf = (rendered: RenderedService) => firstContainer(rendered)?.args;

  t.same(argsOf(renderInferenceService(service({ app: 'a' }), templates, options(cache))), [
    'demo.team-a/a',
  ]);
  t.same(argsOf(renderInferenceService(service({ app: 'b' }), templates, options(cache))), [
    'demo.team-a/b',
  ]);
  const renamed = service({ app: 'b' });
  renamed.metadata = { ...renamed.metadata, name: 'other' };
  t.same(argsOf(renderInferenceService(renamed, templates, options(cache))), ['other.team-a/b']);
  const moved = renderInferenceService(service({ app: 'b' }), templates, {
    ...options(cache),
    namespace: 'team-b',
  });
  t.same(argsOf(moved), ['demo.team-b/b']);
});

t.test('failed render is not cached', async (t) => {
  const templates = new MemoryTemplateSource('mif');
  templates.put(runtimeTemplate('img:1', '{{ fail "stop here" }}'));
  const cache = new RenderCache<RenderedService>();
  const first = renderInferenceService(service(), templates, options(cache));
  const second = renderInferenceService(service(), templates, options(cache));
  t.equal(first.errors.length, 1, 'render error');
  t.match(first.errors[0].detail, /stop here/);
  t.not(second, first, 'rendered again');
  t.same(second, first, 'same result');
});

t.test('large spec is not cached', async (t) => {
  const templates = new MemoryTemplateSource('mif');
  templates.put(runtimeTemplate('img:1', 'plain'));
  const cache = new RenderCache<RenderedService>({ maxSpecChars: 100 });
  const large = service();
  (large.spec as JsonObject).model = { name: 'x'.repeat(200) };
  const first = renderInferenceService(large, templates, options(cache));
  const second = renderInferenceService(large, templates, options(cache));
  t.equal(first.errors.length, 0, 'renders');
  t.not(second, first, 'rendered again');
  t.same(second, first, 'same result');
});

t.test('outcome count is bounded', async (t) => {
  const templates = new MemoryTemplateSource('mif');
  templates.put(runtimeTemplate('img:1', '{{ .Name }}'));
  const cache = new RenderCache<RenderedService>({ maxOutcomes: 2 });
  const first = renderInferenceService(service({}, 1), templates, options(cache));
  renderInferenceService(service({}, 2), templates, options(cache));
  renderInferenceService(service({}, 3), templates, options(cache));
  const again = renderInferenceService(service({}, 1), templates, options(cache));
  t.not(again, first, 'the oldest entry was evicted');
  t.same(again, first, 'same result');
});

t.test('merged template chain is shared by services', async (t) => {
  const templates = exampleTemplates();
  const cache = new RenderCache<RenderedService>();
  const [runtime, preset] = ['vllm', 'preset-llama-3.2-1b-tp2'].map((name) =>
    templates.getTemplate('mif', name)!,
  );
  t.ok(runtime && preset, 'example templates found');
  const user = (replicas: number) =>
    ({
      metadata: { name: `llama-${replicas}`, namespace: 'team-a' },
      spec: { replicas, templateRefs: [{ name: 'vllm' }, { name: 'preset-llama-3.2-1b-tp2' }] },
    }) as InferenceService;
  const first = renderInferenceService(user(1), templates, options(cache));
  t.equal(first.errors.length, 0, 'renders');
  const { chainKey } = await import('../../src/inferenceservice/render-cache.js');
  const chain = cache.chain(chainKey([runtime, preset]));
  t.ok(chain, 'chain cached');
  const chainText = JSON.stringify(chain);
  const second = renderInferenceService(user(2), templates, options(cache));
  t.equal(second.spec?.replicas, 2, 'service spec merged over the cached chain');
  t.same(second.spec?.template, first.spec?.template, 'same pod template');
  t.equal(JSON.stringify(cache.chain(chainKey([runtime, preset]))), chainText, 'chain unchanged');
});

t.test('validating webhook sees a template change at once', async (t) => {
  const templates = new MemoryTemplateSource('mif');
  templates.put(runtimeTemplate('img:1', '{{ .Name }}'));
  const [, validate] = createWebhooks({ templates, systemNamespace: 'mif' });
  const review = () =>
    validate.review(admissionRequest({ object: service() as unknown as JsonObject }));

  t.equal((await review()).allowed, true, 'allowed');
  t.equal((await review()).allowed, true, 'allowed again');
  templates.put(runtimeTemplate('', '{{ .Name }}'));
  const denied = await review();
  t.equal(denied.allowed, false, 'denied after the template lost its image');
  t.match(denied.status?.message, /image/);
});

t.test('status writes keep the cached spec intact', async (t) => {
  const templates = exampleTemplates();
  const [mutate] = createWebhooks({ templates, systemNamespace: 'mif' });
  const llama = readFolder('services').find((object) => {
    const metadata = object.metadata as { name?: string };
    return metadata.name === 'llama-tp2';
  })!;
  t.ok(llama, 'example service found');
  const statusReview = () =>
    mutate.review(
      admissionRequest({
        operation: 'UPDATE',
        subResource: 'status',
        object: structuredClone(llama),
        oldObject: structuredClone(llama),
      }),
    );
  const first = await statusReview();
  const second = await statusReview();
  t.ok(first.patch, 'first status write gets the rendered spec');
  t.same(
    decodePatch(second.patch),
    decodePatch(first.patch),
    'second status write gets the same patch',
  );
});

t.test('status write of a service without templates leaves the request intact', async (t) => {
  const templates = exampleTemplates();
  const [mutate] = createWebhooks({ templates, systemNamespace: 'mif' });
  const selfContained = readFolder('services').find((object) => {
    const metadata = object.metadata as { name?: string };
    return metadata.name === 'self-contained';
  })!;
  t.ok(selfContained, 'example service found');
  const object = structuredClone(selfContained);
  const before = JSON.stringify(object);
  const response = await mutate.review(
    admissionRequest({ operation: 'UPDATE', subResource: 'status', object, oldObject: object }),
  );
  t.equal(JSON.stringify(object), before, 'request object unchanged');
  const operations = decodePatch(response.patch);
  t.equal(operations.length, 1, 'one operation');
  t.equal(operations[0]?.path, '/status', 'adds the status');
  const rendered = (operations[0]?.value as { renderedSpec?: { replicas?: number } }).renderedSpec;
  t.equal(rendered?.replicas, 1, 'rendered spec carries the defaults');
});

t.test('deeply nested spec is rendered without caching', async (t) => {
  const { exceedsJsonLength } = await import('../../src/inferenceservice/render-cache.js');
  let deep: unknown = 'leaf';
  for (let level = 0; level < 20_000; level++) deep = { next: deep };
  t.equal(exceedsJsonLength(deep, 1_000_000), true, 'too deep to key');
  t.equal(exceedsJsonLength({ a: ['x'.repeat(10)] }, 100), false, 'small spec keyed');
  t.equal(exceedsJsonLength({ a: ['x'.repeat(200)] }, 100), true, 'long spec turned away');
});

t.test('rendered output counts against the cache budget', async (t) => {
  const templates = new MemoryTemplateSource('mif');
  // A short expression that renders 3,000 characters.
  templates.put(runtimeTemplate('img:1', '{{ repeat 3000 "x" }}'));
  const cache = new RenderCache<RenderedService>({ maxOutcomeBytes: 20_000 });
  const first = new Map<number, RenderedService>();
  for (let replicas = 1; replicas <= 20; replicas++) {
    const rendered = renderInferenceService(service({}, replicas), templates, options(cache));
    t.equal(rendered.errors.length, 0, `service ${replicas} renders`);
    first.set(replicas, rendered);
  }
  // An outcome is still cached when rendering again returns the same object.
  // Newest first, so that a miss evicts only entries already counted.
  let retainedChars = 0;
  for (const [replicas, rendered] of [...first].reverse()) {
    const again = renderInferenceService(service({}, replicas), templates, options(cache));
    if (again === rendered) retainedChars += JSON.stringify(rendered).length;
  }
  t.ok(retainedChars > 0, 'some outcomes stay cached');
  t.ok(retainedChars <= 20_000, `cached outcomes hold ${retainedChars} characters of JSON`);
});

t.test('outcome over the entry limit is not cached', async (t) => {
  const templates = new MemoryTemplateSource('mif');
  templates.put(runtimeTemplate('img:1', '{{ repeat 100000 "x" }}'));
  const cache = new RenderCache<RenderedService>({ maxOutcomeEntryBytes: 50_000 });
  const first = renderInferenceService(service(), templates, options(cache));
  const second = renderInferenceService(service(), templates, options(cache));
  t.equal(first.errors.length, 0, 'renders');
  t.not(second, first, 'rendered again');
  t.equal(cache.outcomeBytes, 0, 'nothing cached');
});

t.test('many small objects count at their heap size', async (t) => {
  const { estimateHeapBytes } = await import('../../src/inferenceservice/render-cache.js');
  const list = Array.from({ length: 80_000 }, () => ({}));
  // An empty object takes at least 16 bytes of V8 heap and its slot 4 more,
  // though its JSON is 3 characters.
  t.ok(estimateHeapBytes(list, Infinity) >= 80_000 * 20, 'not counted as characters of JSON');
  t.equal(estimateHeapBytes(list, 100_000), Infinity, 'stops past the limit');

  const templates = new MemoryTemplateSource('mif');
  const cache = new RenderCache<RenderedService>({ maxChainBytes: 4_000_000 });
  for (let round = 0; round < 8; round++) {
    // A new object each round, as a template update stores, so a new chain.
    const template = runtimeTemplate('img:1', 'plain');
    (template.spec as JsonObject).x = Array.from({ length: 20_000 }, () => ({}));
    templates.put(template);
    renderInferenceService(service({}, round + 1), templates, options(cache));
  }
  t.ok(cache.chainBytes > 0, 'chains cached');
  t.ok(cache.chainBytes <= 4_000_000, `chains take ${cache.chainBytes} estimated bytes`);
  t.equal(cache.outcomeBytes, 0, 'outcomes over the entry limit are not cached');
});

t.test('key strings and two-byte text count in the estimate', async (t) => {
  const { estimateHeapBytes } = await import('../../src/inferenceservice/render-cache.js');
  const key = '中'.repeat(1000);
  // A two-byte string takes two bytes per character on the V8 heap.
  t.ok(estimateHeapBytes(key, Infinity) >= 2000, 'two bytes per character');
  t.ok(estimateHeapBytes({ [key]: 1 }, Infinity) >= 2000, 'an object key counts too');
});
