// Render limits apply to one template string at a time, and only between the
// steps of execution. So one Sprig call can run far past the deadline, a spec
// with many strings multiplies both the time and the output limit, and parsing
// has no limit on the length of the text. Each row is a single review whose
// cost stays bounded only if the limits cover the whole service.
import t from 'tap';
import { renderSpec } from '../../src/render/index.js';
import { admissionRequest, fixture, MUTATE_PATH, serviceObject } from './support.js';

const META = { name: 'demo', namespace: 'team-a', labels: {} };
const LIMITS = { maxDurationMs: 100 };

function renderTime(spec: Record<string, unknown>): { elapsed: number; errors: number } {
  const started = Date.now();
  const result = renderSpec(spec, META, { limits: LIMITS });
  return { elapsed: Date.now() - started, errors: result.errors.length };
}

function containerArgs(args: string[]): Record<string, unknown> {
  return { template: { spec: { containers: [{ name: 'main', image: 'vllm', args }] } } };
}

void t.test('one quadratic Sprig call stops at the deadline', async (t) => {
  // uniq of 10,000 items, the list limit, took 4 to 9 s with a 100 ms limit.
  const { elapsed } = renderTime({ model: { name: '{{ uniq (until 10000) | len }}' } });
  t.ok(elapsed < 300, `uniq took ${elapsed} ms with a limit of 100 ms`);
});

void t.test('many slow strings share one deadline', async (t) => {
  // Each string alone stops at 100 ms; 30 of them took more than 3 s.
  const slow = '{{ range 9999 }}{{ $x := sha512sum (repeat 20000 "x") }}{{ end }}';
  const { elapsed, errors } = renderTime(containerArgs(Array(30).fill(slow)));
  t.ok(errors > 0, 'the service gets a render error');
  t.ok(elapsed < 1000, `rendering took ${elapsed} ms for one service`);
});

void t.test('long template text is rejected before parsing', async (t) => {
  // 125,000 actions in 1 MB of text took about 3 s to parse; a 3 MB string about 5 s.
  const { elapsed } = renderTime({ model: { name: 'x{{ 1 }}'.repeat(125_000) } });
  t.ok(elapsed < 500, `1 MB of template text took ${elapsed} ms`);
});

void t.test('status patch stays within the apiserver request limit', async (t) => {
  // 100 strings of 25 bytes each render to 250 KiB, inside the per-string
  // output limit, so a 3 KB request produced a 33 MB patch.
  const fix = fixture();
  const spec = containerArgs(Array(100).fill('{{ repeat 250000 "x" }}'));
  const request = admissionRequest({ object: serviceObject(spec), subResource: 'status' });
  const response = await fix.byPath.get(MUTATE_PATH)?.review(request);
  const patchBytes = response?.patch?.length ?? 0;
  t.ok(
    patchBytes < 3 * 1024 * 1024,
    `a ${JSON.stringify(spec).length}-byte spec gave a ${patchBytes}-byte patch`,
  );
});
