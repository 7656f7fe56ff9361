// Recorded AdmissionReviews that once tripped admission webhooks, replayed
// against the cores. Each fixture in test/fixtures/reviews contains the review,
// the templates that exist, and what the answer must show.
import { readdirSync, readFileSync } from 'node:fs';
import fastJsonPatch from 'fast-json-patch';
import t from 'tap';
import type { AdmissionReview, JsonObject } from '../../src/admission/review.js';
import type { InferenceServiceTemplate } from '../../src/api/types.js';
import { renderInferenceService } from '../../src/inferenceservice/render.js';
import { MemoryTemplateSource } from '../../src/templates/memory-source.js';
import { createWebhooks } from '../../src/webhooks/index.js';
import { decodePatch } from '../helpers/reviews.js';

type Operation = { op: string; path: string; value?: unknown };

interface Fixture {
  description: string;
  endpoint: 'mutate' | 'validate';
  templates: InferenceServiceTemplate[];
  review: AdmissionReview;
  expect: {
    allowed: boolean;
    code?: number;
    patch?: Operation[];
    patchIncludes?: Operation[];
    patchExcludesPrefix?: string;
    causeFields?: string[];
    messageIncludes?: string[];
    renderedServiceTarget?: string;
  };
}

const directory = new URL('../fixtures/reviews/', import.meta.url);

for (const file of readdirSync(directory).sort()) {
  const fixture = JSON.parse(readFileSync(new URL(file, directory), 'utf8')) as Fixture;
  t.test(file.replace(/\.json$/, ''), async (t) => {
    t.comment(fixture.description);
    const templates = new MemoryTemplateSource('mif');
    for (const template of fixture.templates) templates.put(template);
    const [mutate, validate] = createWebhooks({ templates, systemNamespace: 'mif' });
    const request = fixture.review.request!;
    const webhook = fixture.endpoint === 'mutate' ? mutate : validate;
    const response = await webhook.review(structuredClone(request));
    const expect = fixture.expect;

    t.equal(response.allowed, expect.allowed, 'allowed');
    if (expect.code !== undefined) t.equal(response.status?.code, expect.code, 'code');
    for (const text of expect.messageIncludes ?? []) t.match(response.status?.message, text);
    if (expect.causeFields) {
      t.same(
        response.status?.details?.causes?.map((cause) => cause.field),
        expect.causeFields,
        'causes',
      );
    }
    for (const warning of response.warnings ?? []) {
      t.ok(warning.length <= 120 && !/[\r\n\t]/.test(warning), `warning fits a header: ${warning}`);
    }

    const operations = decodePatch(response.patch);
    if (fixture.endpoint === 'validate')
      t.equal(response.patch, undefined, 'a validating answer has no patch');
    if (expect.patch) t.same(operations, expect.patch, 'patch');
    for (const operation of expect.patchIncludes ?? [])
      t.ok(
        operations.some((op) => JSON.stringify(op) === JSON.stringify(operation)),
        `patch has ${operation.path}`,
      );
    if (expect.patchExcludesPrefix) {
      t.notOk(
        operations.some((op) => op.path.startsWith(expect.patchExcludesPrefix!)),
        `no operation under ${expect.patchExcludesPrefix}`,
      );
    }

    if (fixture.endpoint === 'mutate' && request.object) {
      const object = request.object;
      const mutated = fastJsonPatch.applyPatch(
        structuredClone(object),
        operations as never,
        true,
        false,
      ).newDocument as JsonObject;
      t.same(mutated.metadata, object.metadata, 'metadata untouched');
      const again = await mutate.review({ ...structuredClone(request), object: mutated });
      t.equal(again.patch, undefined, 'mutating the result again gives no patch');
    }
    if (expect.renderedServiceTarget !== undefined && request.object) {
      const rendered = renderInferenceService(request.object, templates, {
        systemNamespace: 'mif',
      });
      t.same(rendered.errors, []);
      t.equal(
        (rendered.spec?.service as { target?: string } | undefined)?.target,
        expect.renderedServiceTarget,
      );
    }
  });
}
