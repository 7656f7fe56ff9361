// Every reference costs a lookup, a parse of the template's strings and a
// strategic merge, so `spec.templateRefs` is capped (maxItems) and the cap is
// checked before any lookup, on the main resource and on status writes alike.
import t from 'tap';
import { loadTemplateDirectory } from '../../src/templates/file-source.js';
import { createWebhooks } from '../../src/webhooks/index.js';
import { admissionRequest, serviceObject, SYSTEM_NAMESPACE } from './support.js';

const EXAMPLES = new URL('../../examples/templates', import.meta.url).pathname;
const templates = await loadTemplateDirectory(EXAMPLES);
const [mutate, validate] = createWebhooks({ templates, systemNamespace: SYSTEM_NAMESPACE });

/** The maximum number of references that validation accepts, in a request of about 200 KB. */
const REFERENCE_COUNT = 10_000;

function manyReferences(): ReturnType<typeof serviceObject> {
  const templateRefs = Array.from({ length: REFERENCE_COUNT }, (_, index) => ({
    name: index % 2 === 0 ? 'vllm' : 'hf-hub-offline',
  }));
  return serviceObject({ model: { name: 'meta-llama/Llama-3.2-1B' }, templateRefs });
}

const ROWS = [
  { name: 'status write', webhook: mutate, subResource: 'status' },
  { name: 'validation', webhook: validate, subResource: undefined },
];

for (const row of ROWS) {
  void t.test(`${row.name} with ${REFERENCE_COUNT} references ends within 1 s`, async (t) => {
    const request = admissionRequest({
      object: manyReferences(),
      ...(row.subResource ? { subResource: row.subResource } : {}),
    });
    const started = Date.now();
    const response = await row.webhook.review(request);
    const elapsed = Date.now() - started;

    t.ok(elapsed < 1000, `review took ${elapsed} ms`);
    t.equal(typeof response.allowed, 'boolean');
  });
}
