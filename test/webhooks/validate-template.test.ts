// The template webhook: field and expression checks on CREATE and UPDATE,
// protection of templates that services use on UPDATE and DELETE.
import t from 'tap';
import type { JsonObject } from '../../src/admission/review.js';
import { MemoryServiceIndex, MemoryTemplateSource } from '../../src/templates/memory-source.js';
import { createValidateTemplate } from '../../src/webhooks/validate-template.js';
import { admissionRequest } from '../helpers/reviews.js';

function template(name: string, namespace: string, spec: JsonObject): JsonObject {
  return {
    apiVersion: 'odin.moreh.io/v1alpha1',
    kind: 'InferenceServiceTemplate',
    metadata: { name, namespace },
    spec,
  };
}

function service(
  name: string,
  namespace: string,
  refs: string[],
  spec: JsonObject = {},
): JsonObject {
  return {
    apiVersion: 'odin.moreh.io/v1alpha1',
    kind: 'InferenceService',
    metadata: { name, namespace },
    spec: { templateRefs: refs.map((ref) => ({ name: ref })), ...spec },
  };
}

const base = template('base', 'mif', {
  framework: 'vllm',
  template: {
    spec: {
      containers: [
        {
          name: 'main',
          image: 'registry.example.com/vllm:1',
          args: ['--tp={{ deref .Spec "Parallelism" "Tensor" | default 1 }}'],
        },
      ],
    },
  },
});

function setup(
  services: JsonObject[],
  extraTemplates: JsonObject[] = [],
): ReturnType<typeof createValidateTemplate> {
  const templates = new MemoryTemplateSource('mif');
  for (const item of [base, ...extraTemplates]) templates.put(item);
  const index = new MemoryServiceIndex('mif', templates, 'default');
  for (const item of services) index.put(item);
  return createValidateTemplate({ templates, services: index, systemNamespace: 'mif' });
}

t.test('template with unparsable expression is invalid at its path', async (t) => {
  const webhook = setup([]);
  const broken = template('broken', 'mif', {
    template: { spec: { containers: [{ name: 'main', args: ['ok', '{{ .Name '] }] } },
  });
  const verdict = await webhook.review(admissionRequest({ object: broken }));
  t.equal(verdict.allowed, false);
  t.equal(verdict.status?.code, 422);
  t.same(
    verdict.status?.details?.causes?.map((cause) => cause.field),
    ['spec.template.spec.containers[0].args[1]'],
  );
});

t.test('function that reads the environment is a parse error', async (t) => {
  const webhook = setup([]);
  const reader = template('reader', 'mif', {
    template: { spec: { containers: [{ name: 'main', args: ['{{ env "HOME" }}'] }] } },
  });
  const verdict = await webhook.review(admissionRequest({ object: reader }));
  t.equal(verdict.status?.code, 422);
  t.match(verdict.status?.details?.causes?.[0].message, /function "env" not defined/);
});

t.test('valid template is allowed on create', async (t) => {
  const verdict = await setup([]).review(admissionRequest({ object: base }));
  t.equal(verdict.allowed, true);
});

t.test('delete of a template in use names users and total', async (t) => {
  const users = Array.from({ length: 7 }, (_, i) => service(`svc-${i}`, `team-${i % 3}`, ['base']));
  const verdict = await setup(users).review(
    admissionRequest({ operation: 'DELETE', oldObject: base }),
  );
  t.equal(verdict.allowed, false);
  t.equal(verdict.status?.code, 403);
  t.match(verdict.status?.message, /in use by 7 InferenceServices: .* and 2 more/);
  t.equal(verdict.status?.message?.match(/team-\d\/svc-\d/g)?.length, 5);
});

t.test('delete of a system template shadowed by a local one is allowed', async (t) => {
  const local = template('base', 'team-a', { framework: 'sglang' });
  const verdict = await setup([service('svc', 'team-a', ['base'])], [local]).review(
    admissionRequest({ operation: 'DELETE', oldObject: base }),
  );
  t.equal(verdict.allowed, true);
});

t.test('delete of a local template used only elsewhere is allowed', async (t) => {
  const local = template('base', 'team-a', { framework: 'sglang' });
  const verdict = await setup([service('svc', 'team-b', ['base'])], [local]).review(
    admissionRequest({ operation: 'DELETE', oldObject: local }),
  );
  t.equal(verdict.allowed, true);
});

t.test('update that breaks a user is denied naming it', async (t) => {
  const webhook = setup([service('llm', 'team-a', ['base'])]);
  const changed = template('base', 'mif', {
    framework: 'vllm',
    template: {
      spec: { containers: [{ name: 'main', args: ['{{ .Spec.Parallelism.Tensor }}'] }] },
    },
  });
  const verdict = await webhook.review(
    admissionRequest({ operation: 'UPDATE', object: changed, oldObject: base }),
  );
  t.equal(verdict.allowed, false);
  t.equal(verdict.status?.code, 422);
  t.match(verdict.status?.details?.causes?.[0].message, /team-a\/llm/);
});

t.test('update that keeps users valid is allowed', async (t) => {
  const webhook = setup([service('llm', 'team-a', ['base'])]);
  const changed = structuredClone(base);
  (changed.spec as JsonObject).framework = 'sglang';
  const verdict = await webhook.review(
    admissionRequest({ operation: 'UPDATE', object: changed, oldObject: base }),
  );
  t.equal(verdict.allowed, true);
});

t.test('update is not blamed for a user that was already invalid', async (t) => {
  const webhook = setup([
    service('broken', 'team-a', ['base'], { parallelism: { data: 2, pipeline: 2 } }),
  ]);
  const changed = structuredClone(base);
  (changed.spec as JsonObject).framework = 'sglang';
  const verdict = await webhook.review(
    admissionRequest({ operation: 'UPDATE', object: changed, oldObject: base }),
  );
  t.equal(verdict.allowed, true);
});

t.test('wrong kind on the template path is a 400', async (t) => {
  const verdict = await setup([]).review(
    admissionRequest({ object: service('svc', 'team-a', ['base']) }),
  );
  t.equal(verdict.allowed, false);
  t.equal(verdict.status?.code, 400);
});
