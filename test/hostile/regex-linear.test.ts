// Sprig's regex functions run on re2js, a port of RE2, so a pattern with nested
// quantifiers takes time linear in the input, as in Go. A backtracking engine
// took time exponential in the input inside one call that the render deadline
// cannot interrupt: 24 characters took about 0.25 s, and each extra character
// doubled it. Any user who may create an InferenceService can write such an
// expression into its own spec.
import t from 'tap';
import { renderSpec } from '../../src/render/index.js';
import { admissionRequest, fixture, serviceObject, VALIDATE_PATH, webhookAt } from './support.js';

const META = { name: 'demo', namespace: 'team-a', labels: {} };

/** Inputs 400 times longer than a backtracking engine could finish. */
const CASES = [
  {
    name: 'regexMatch',
    text: `{{ regexMatch "^(a+)+$" "${'a'.repeat(10_000)}!" }}`,
    output: 'false',
  },
  {
    name: 'regexReplaceAll',
    text: `{{ regexReplaceAll "(a*)*b" "${'a'.repeat(10_000)}" "x" | len }}`,
    output: '10000',
  },
  {
    name: 'mustRegexSplit',
    text: `{{ mustRegexSplit "(a+)+$" "${'a'.repeat(10_000)}!" -1 | len }}`,
    output: '1',
  },
];

for (const row of CASES) {
  void t.test(`${row.name} with nested quantifiers renders quickly`, async (t) => {
    const started = Date.now();
    // The deadline is far off, so only the engine's speed decides the time.
    const result = renderSpec({ model: { name: row.text } }, META, {
      limits: { maxDurationMs: 5000 },
    });
    const elapsed = Date.now() - started;

    t.same(result.errors, [], 'no render error');
    t.equal((result.spec.model as { name: string }).name, row.output, 'output');
    t.ok(elapsed < 500, `rendering took ${elapsed} ms`);
  });
}

void t.test('regex beyond its limits is a field error', async (t) => {
  const path = 'spec.template.spec.containers[0].args[0]';
  const table = [
    {
      name: 'long pattern',
      text: `{{ regexMatch "${'a'.repeat(3000)}" "a" }}`,
      message: 'regular expression pattern of 3000 bytes exceeds the limit of 2048 bytes',
    },
    {
      name: 'expanding repetition',
      text: `{{ regexMatch "${'x{1000}'.repeat(6)}" "x" }}`,
      message: 'instructions exceeds the limit of 5000 instructions',
    },
    {
      name: 'long input',
      text: '{{ regexFind "[a-z]+[0-9]" (repeat 250000 "b") }}',
      message: 'over 250000 characters exceeds the limit of 1000000 steps',
    },
  ];
  for (const row of table) {
    const spec = {
      templateRefs: [{ name: 'base' }],
      template: { spec: { containers: [{ name: 'main', args: [row.text] }] } },
    };
    const started = Date.now();
    const response = await webhookAt(fixture(), VALIDATE_PATH).review(
      admissionRequest({ object: serviceObject(spec) }),
    );
    t.equal(response.allowed, false, `${row.name}: denied`);
    t.equal(response.status?.details?.causes?.[0]?.field, path, `${row.name}: path`);
    t.match(response.status?.details?.causes?.[0]?.message, row.message, `${row.name}: message`);
    t.ok(Date.now() - started < 2000, `${row.name}: answered in ${Date.now() - started} ms`);
  }
});
