// Properties of the mutating webhook over generated services and templates:
// the patch applies to the request object and gives the mutated object, a
// second mutation gives no patch, and no written default hides a value that
// a referenced template sets.
import fc from 'fast-check';
import fastJsonPatch from 'fast-json-patch';
import t from 'tap';
import type { JsonObject } from '../../src/admission/review.js';
import { renderInferenceService } from '../../src/inferenceservice/render.js';
import { MemoryTemplateSource } from '../../src/templates/memory-source.js';
import {
  createMutateInferenceService,
  defaultInferenceService,
} from '../../src/webhooks/mutate-inferenceservice.js';
import { admissionRequest, decodePatch } from '../helpers/reviews.js';

const TEMPLATE_NAMES = ['base', 'preset', 'overlay'] as const;
const TARGETS = ['leader', 'workers', 'all', 'auto'] as const;

const templateSpec = fc.record(
  {
    service: fc.record({ target: fc.constantFrom(...TARGETS) }),
    parallelism: fc.record(
      { data: fc.constantFrom(2, 4, 8), dataLocal: fc.constantFrom(1, 2) },
      { requiredKeys: [] },
    ),
    template: fc.constant({
      spec: { containers: [{ name: 'main', image: 'registry.example.com/vllm:1' }] },
    }),
  },
  { requiredKeys: [] },
);

const serviceSpec = fc.record(
  {
    replicas: fc.constantFrom(0, 1, 3),
    templateRefs: fc.array(
      fc.record(
        {
          name: fc.constantFrom(...TEMPLATE_NAMES),
          group: fc.constant('odin.moreh.io'),
          kind: fc.constant('InferenceServiceTemplate'),
        },
        { requiredKeys: ['name'] },
      ),
      { maxLength: 3 },
    ),
    service: fc.oneof(fc.constant({}), fc.record({ target: fc.constantFrom(...TARGETS) })),
    parallelism: fc.record(
      { data: fc.constantFrom(2, 4, 8), dataLocal: fc.constantFrom(1, 2), tensor: fc.constant(2) },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

function sourceOf(specs: JsonObject[]): MemoryTemplateSource {
  const source = new MemoryTemplateSource('mif');
  specs.forEach((spec, index) => {
    source.put({
      apiVersion: 'odin.moreh.io/v1alpha1',
      kind: 'InferenceServiceTemplate',
      metadata: { name: TEMPLATE_NAMES[index], namespace: 'mif' },
      spec,
    });
  });
  return source;
}

function serviceOf(spec: JsonObject): JsonObject {
  return {
    apiVersion: 'odin.moreh.io/v1alpha1',
    kind: 'InferenceService',
    metadata: { name: 'demo', namespace: 'team-a' },
    spec,
  };
}

/** Returns the value a field takes: the service's own, else the last template's that sets it. */
function expectedValue(
  service: JsonObject,
  templates: JsonObject[],
  group: string,
  field: string,
): unknown {
  const read = (spec: JsonObject): unknown => (spec[group] as JsonObject | undefined)?.[field];
  if (read(service) !== undefined) return read(service);
  const refs = (service.templateRefs as Array<{ name: string }> | undefined) ?? [];
  const values = refs
    .map((ref) => read(templates[TEMPLATE_NAMES.indexOf(ref.name as never)]))
    .filter((v) => v !== undefined);
  return values.at(-1);
}

t.test('patches apply, are idempotent and hide no template value', async (t) => {
  await fc.assert(
    fc.asyncProperty(
      fc.tuple(templateSpec, templateSpec, templateSpec),
      serviceSpec,
      async (specs, spec) => {
        const templates = sourceOf(specs as JsonObject[]);
        const dependencies = { templates, systemNamespace: 'mif' };
        const webhook = createMutateInferenceService(dependencies);
        const object = serviceOf(spec as JsonObject);

        const response = await webhook.review(admissionRequest({ object }));
        const operations = decodePatch(response.patch);
        const patchedObject = fastJsonPatch.applyPatch(
          structuredClone(object),
          operations as never,
          true,
          false,
        ).newDocument;
        t.same(patchedObject, defaultInferenceService(object, dependencies, 'team-a'));

        const again = await webhook.review(
          admissionRequest({ object: patchedObject as JsonObject }),
        );
        t.equal(again.patch, undefined);

        const rendered = renderInferenceService(patchedObject as JsonObject, templates, {
          systemNamespace: 'mif',
        }).spec as JsonObject;
        const target =
          expectedValue(spec as JsonObject, specs as JsonObject[], 'service', 'target') ?? 'auto';
        t.equal((rendered.service as JsonObject).target, target);
        const data = (rendered.parallelism as JsonObject | undefined)?.data;
        const dataLocal =
          expectedValue(spec as JsonObject, specs as JsonObject[], 'parallelism', 'dataLocal') ??
          data;
        t.equal((rendered.parallelism as JsonObject | undefined)?.dataLocal, dataLocal);
      },
    ),
    { numRuns: 200 },
  );
});
