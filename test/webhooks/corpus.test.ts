// Every example service against its documented outcome, through the webhook
// cores: the mutating patch, the validating verdict and the rendered spec.
import fastJsonPatch from 'fast-json-patch';
import t from 'tap';
import type { JsonObject } from '../../src/admission/review.js';
import { renderInferenceService } from '../../src/inferenceservice/render.js';
import { loadServiceDirectory, loadTemplateDirectory } from '../../src/templates/file-source.js';
import { createWebhooks } from '../../src/webhooks/index.js';
import { CORPUS_OUTCOMES as outcomes, sortByPath } from '../helpers/corpus-outcomes.js';
import { admissionRequest, decodePatch, readObject } from '../helpers/reviews.js';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
const templates = await loadTemplateDirectory(`${EXAMPLES}templates`);
const services = await loadServiceDirectory(`${EXAMPLES}services`, 'mif', templates);
const dependencies = { templates, services, systemNamespace: 'mif' };
const [mutate, validate, validateTemplate] = createWebhooks(dependencies);

for (const outcome of outcomes) {
  t.test(`${outcome.file} gets its documented outcome`, async (t) => {
    const object = readObject(`${EXAMPLES}services/${outcome.file}.yaml`);
    const mutation = await mutate.review(admissionRequest({ object }));
    t.equal(mutation.allowed, true, 'mutation allows');
    const operations = decodePatch(mutation.patch);
    t.same(sortByPath(operations), sortByPath(outcome.patch), 'patch');

    const mutated = fastJsonPatch.applyPatch(
      structuredClone(object),
      operations as never,
      true,
      false,
    ).newDocument;
    const again = await mutate.review(admissionRequest({ object: mutated as JsonObject }));
    t.equal(again.patch, undefined, 'mutating the result again gives no patch');

    for (const candidate of [object, mutated as JsonObject]) {
      const verdict = await validate.review(admissionRequest({ object: candidate }));
      t.equal(verdict.allowed, outcome.allowed, 'verdict');
      if (outcome.causes) {
        t.equal(verdict.status?.code, 422);
        t.equal(verdict.status?.reason, 'Invalid');
        const causes = verdict.status?.details?.causes?.map(({ field, reason }) => ({
          field,
          reason,
        }));
        t.same(causes, outcome.causes, 'causes');
      }
    }
  });
}

t.test('invalid-fields has one cause per bad field', async (t) => {
  const object = readObject(`${EXAMPLES}services/invalid-fields.yaml`);
  const verdict = await validate.review(admissionRequest({ object }));
  t.equal(verdict.allowed, false);
  t.equal(verdict.status?.code, 422);
  const fields = verdict.status?.details?.causes?.map((cause) => cause.field).sort();
  t.same(fields, [
    'spec.framework',
    'spec.parallelism.dataRPCPort',
    'spec.parallelism.tensor',
    'spec.replicas',
  ]);
  const framework = verdict.status?.details?.causes?.find(
    (cause) => cause.field === 'spec.framework',
  );
  t.equal(framework?.reason, 'FieldValueNotSupported');
  t.match(framework?.message, /"tgi"/);
});

t.test('missing template message lists the namespaces searched', async (t) => {
  const object = readObject(`${EXAMPLES}services/invalid-missing-template.yaml`);
  const verdict = await validate.review(admissionRequest({ object }));
  t.match(
    verdict.status?.message,
    /^InferenceService\.odin\.moreh\.io "missing-template" is invalid: /,
  );
  t.match(verdict.status?.details?.causes?.[0].message, /"team-a", "mif"/);
});

t.test('override in template warns where overrides belong', async (t) => {
  const object = readObject(`${EXAMPLES}services/invalid-override-in-template.yaml`);
  const verdict = await validate.review(admissionRequest({ object }));
  t.ok(
    verdict.warnings?.some((warning) =>
      warning.includes('put overrides under spec.workerTemplate'),
    ),
  );
  for (const warning of verdict.warnings ?? []) t.ok(warning.length <= 120, `short: ${warning}`);
});

t.test('no-model is allowed with warnings about <no value>', async (t) => {
  const object = readObject(`${EXAMPLES}services/no-model.yaml`);
  const verdict = await validate.review(admissionRequest({ object }));
  t.equal(verdict.allowed, true);
  t.ok(verdict.warnings?.some((warning) => warning.includes('containers[0].args[0]')));
  t.ok(verdict.warnings?.some((warning) => warning.includes('containers[0].env[1].value')));
  for (const warning of verdict.warnings ?? []) t.ok(warning.length <= 120, `short: ${warning}`);
});

function render(file: string): JsonObject {
  const object = readObject(`${EXAMPLES}services/${file}.yaml`);
  const result = renderInferenceService(object, templates, { systemNamespace: 'mif' });
  if (result.errors.length > 0) throw new Error(JSON.stringify(result.errors));
  return result.spec as JsonObject;
}

type Container = { name: string; args?: string[]; env?: Array<{ name: string; value?: string }> };
function mainContainer(spec: JsonObject, field: string): Container {
  const podTemplate = spec[field] as { spec: { containers: Container[] } };
  return podTemplate.spec.containers[0];
}

t.test('llama-tp2 renders the preset over the base', async (t) => {
  const spec = render('llama-tp2');
  t.equal(spec.framework, 'vllm');
  t.same(spec.model, { name: 'meta-llama/Llama-3.2-1B-Instruct' });
  t.same(spec.parallelism, { tensor: 2 });
  t.equal(spec.replicas, 2);
  const main = mainContainer(spec, 'template');
  // Strategic merge puts entries that only the service adds before the
  // merged ones, as Go's strategicpatch does (checked by the merge oracle).
  t.same(
    main.env?.map((entry) => entry.name),
    ['HF_TOKEN', 'ISVC_EXTRA_ARGS', 'SERVED_MODEL_NAME', 'POD_IP'],
  );
  const env = new Map(main.env?.map((entry) => [entry.name, entry.value]));
  t.match(env.get('ISVC_EXTRA_ARGS'), /--max-model-len 8192/);
  t.equal(env.get('SERVED_MODEL_NAME'), 'meta-llama/Llama-3.2-1B-Instruct');
  t.match(main.args?.[0], /--tensor-parallel-size 2 /);
  t.notMatch(main.args?.[0], /--enable-expert-parallel/);
  const podSpec = (spec.template as { spec: JsonObject }).spec;
  t.same(podSpec.nodeSelector, { 'accelerator.example.com/model': 'mi250' });
  t.same(
    (podSpec.volumes as Array<{ name: string }>).map((volume) => volume.name),
    ['shm'],
  );
});

t.test('deepseek-dp renders data parallel arguments', async (t) => {
  const spec = render('deepseek-dp');
  t.same(spec.service, { target: 'leader' });
  t.same(spec.parallelism, { data: 8, dataLocal: 8, expert: true, tensor: 1 });
  const main = mainContainer(spec, 'workerTemplate');
  const script = main.args?.[0] ?? '';
  for (const text of [
    'dp_size=8',
    'dp_local=8',
    'pool="deepseek-pool"',
    '--tensor-parallel-size 1',
    '--data-parallel-rpc-port 13345',
    '--enable-expert-parallel',
  ]) {
    t.ok(script.includes(text), text);
  }
  const topic = main.env?.find((entry) => entry.name === 'KV_EVENTS_TOPIC');
  t.equal(topic?.value, 'kv@team-b/deepseek-dp@deepseek-ai/DeepSeek-R1');
});

t.test('qwen-data-only renders dataLocal from data', async (t) => {
  const script = mainContainer(render('qwen-data-only'), 'workerTemplate').args?.[0] ?? '';
  t.ok(script.includes('dp_local=4'));
  t.ok(script.includes('pool=""'));
});

t.test('deleting a template in use is forbidden and names the users', async (t) => {
  const oldObject = readObject(`${EXAMPLES}templates/vllm.yaml`);
  const verdict = await validateTemplate.review(
    admissionRequest({ operation: 'DELETE', oldObject }),
  );
  t.equal(verdict.allowed, false);
  t.equal(verdict.status?.code, 403);
  t.equal(verdict.status?.reason, 'Forbidden');
  t.match(verdict.status?.message, /team-a\/llama-tp2/);
  t.match(verdict.status?.message, /team-a\/no-model/);
});

t.test('deleting an unused template is allowed', async (t) => {
  const oldObject = readObject(`${EXAMPLES}templates/team-a-private.yaml`);
  const verdict = await validateTemplate.review(
    admissionRequest({ operation: 'DELETE', oldObject }),
  );
  t.equal(verdict.allowed, true);
});
