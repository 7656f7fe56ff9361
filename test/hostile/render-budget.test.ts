// Render limits cover the whole service, not one template string: one deadline
// for all strings, one output allowance, and a cap on template text before it
// is parsed. Each row is a single review whose cost stays bounded only because
// the limits cover the whole spec. With limits per string, a spec with many
// strings multiplied both the time and the output, and a 3 KB request produced
// a 33 MB status patch.
import t from 'tap';
import { DEFAULT_RENDER_LIMITS, renderSpec } from '../../src/render/index.js';
import {
  admissionRequest,
  decodePatch,
  fixture,
  MUTATE_PATH,
  serviceObject,
  VALIDATE_PATH,
  webhookAt,
} from './support.js';

const META = { name: 'demo', namespace: 'team-a', labels: {} };
const LIMITS = { maxDurationMs: 100 };

function renderTime(spec: Record<string, unknown>): {
  elapsed: number;
  errors: { path: string; message: string }[];
} {
  const started = Date.now();
  const result = renderSpec(spec, META, { limits: LIMITS });
  return { elapsed: Date.now() - started, errors: result.errors };
}

function containerArgs(args: string[]): Record<string, unknown> {
  return { template: { spec: { containers: [{ name: 'main', image: 'vllm', args }] } } };
}

void t.test('uniq of 10,000 items stays within the deadline', async (t) => {
  // uniq of 10,000 items, the list limit, took 4 to 9 s with a 100 ms limit.
  const { elapsed, errors } = renderTime({ model: { name: '{{ uniq (until 10000) | len }}' } });
  t.same(errors, [], 'no render error');
  t.ok(elapsed < 300, `uniq took ${elapsed} ms with a limit of 100 ms`);
});

void t.test('many slow strings share one deadline', async (t) => {
  // Each string alone stops at 100 ms; 30 of them took more than 3 s.
  const slow = '{{ range 9999 }}{{ $x := sha512sum (repeat 20000 "x") }}{{ end }}';
  const { elapsed, errors } = renderTime(containerArgs(Array<string>(30).fill(slow)));
  t.equal(errors.length, 1, 'one render error for the service');
  t.match(errors[0]?.message, 'time limit of 100 ms for all template strings of the spec');
  t.ok(elapsed < 1000, `rendering took ${elapsed} ms for one service`);
});

void t.test('long template text is rejected before parsing', async (t) => {
  // 125,000 actions in 1 MB of text took about 3 s to parse; a 3 MB string about 5 s.
  const { elapsed, errors } = renderTime({ model: { name: 'x{{ 1 }}'.repeat(125_000) } });
  t.same(errors, [
    {
      path: 'spec.model.name',
      message: `template text of 1000000 bytes exceeds the limit of ${DEFAULT_RENDER_LIMITS.maxTemplateBytes} bytes`,
    },
  ]);
  t.ok(elapsed < 500, `1 MB of template text took ${elapsed} ms`);
});

void t.test('many template strings share one text allowance', async (t) => {
  // Plain text parses in microseconds, so only the text limit can stop these.
  const text = `${'x'.repeat(60_000)}{{ 1 }}`;
  const { errors } = renderTime(containerArgs(Array<string>(10).fill(text)));
  t.same(errors, [
    {
      path: 'spec.template.spec.containers[0].args[4]',
      message: `template text exceeds the limit of ${DEFAULT_RENDER_LIMITS.maxTotalTemplateBytes} bytes for all template strings of the spec`,
    },
  ]);
});

void t.test('status patch stays within the apiserver request limit', async (t) => {
  // 100 strings of 25 bytes each rendered to 250 KiB, inside the per-string
  // output limit, so a 3 KB request produced a 33 MB patch.
  const fix = fixture();
  const spec = containerArgs(Array<string>(100).fill('{{ repeat 250000 "x" }}'));
  const request = admissionRequest({ object: serviceObject(spec), subResource: 'status' });
  const response = await webhookAt(fix, MUTATE_PATH).review(request);
  const patchBytes = response.patch?.length ?? 0;
  t.ok(
    patchBytes < 3 * 1024 * 1024,
    `a ${JSON.stringify(spec).length}-byte spec gave a ${patchBytes}-byte patch`,
  );
  t.match(
    response.warnings?.[0],
    /^status\.renderedSpec left unchanged, no render: /,
  );
});

void t.test('status patch at the output limit renders', async (t) => {
  const fix = fixture();
  const spec = containerArgs(Array<string>(4).fill('{{ repeat 250000 "x" }}'));
  const request = admissionRequest({ object: serviceObject(spec), subResource: 'status' });
  const response = await webhookAt(fix, MUTATE_PATH).review(request);
  t.equal(response.allowed, true);
  const operations = decodePatch(String(response.patch));
  const bytes = JSON.stringify(operations).length;
  t.ok(bytes > 1_000_000 && bytes < 1_100_000, `the patch holds ${bytes} bytes`);
});

void t.test('render budget errors deny the service at the path', async (t) => {
  const spec = {
    templateRefs: [{ name: 'base' }],
    ...containerArgs(Array<string>(5).fill('{{ repeat 250000 "x" }}')),
  };
  const response = await webhookAt(fixture(), VALIDATE_PATH).review(
    admissionRequest({ object: serviceObject(spec) }),
  );
  t.equal(response.allowed, false);
  t.equal(response.status?.code, 422);
  t.equal(response.status?.details?.causes?.[0]?.field, 'spec.template.spec.containers[0].args[4]');
  t.match(
    response.status?.details?.causes?.[0]?.message,
    'output exceeds the limit of 1048576 bytes for all template strings of the spec',
  );
});
