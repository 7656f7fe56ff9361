// The JSON body parser of the admission plugin: the depth limit counts only
// brackets outside strings, and parsing keeps `__proto__` as an own key.
import t from 'tap';
import { exceedsJsonDepth, parseJsonBody } from '../../src/admission/json-body.js';

const DEPTH_CASES: [string, string, number, boolean][] = [
  ['flat object', '{"a":1}', 1, false],
  ['two levels over a limit of one', '{"a":{}}', 1, true],
  ['mixed arrays and objects at the limit', '[{"a":[1]}]', 3, false],
  ['mixed arrays and objects over the limit', '[{"a":[[]]}]', 3, true],
  ['brackets inside a string', '{"a":"[[[[{{{{"}', 1, false],
  ['escaped quote inside a string', '{"a":"\\"[[[["}', 1, false],
  ['escaped backslash before the closing quote', '{"a":"\\\\"}', 1, false],
  ['brackets after an escaped backslash', '{"a":"\\\\","b":[[]]}', 2, true],
  ['siblings do not add up', '[[],[],[],[]]', 2, false],
  ['unclosed string', '{"a":"[[[[', 1, false],
];

t.test('depth limit', async (t) => {
  for (const [name, text, limit, expected] of DEPTH_CASES) {
    t.equal(exceedsJsonDepth(text, limit), expected, name);
  }
});

t.test('depth check of 100,000 levels is iterative', async (t) => {
  const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
  t.equal(exceedsJsonDepth(deep, 512), true);
  t.equal(exceedsJsonDepth(deep, 100_000), false);
});

t.test('parse errors are 400 without body text', async (t) => {
  const cases: [string, string][] = [
    ['', 'request body must be an AdmissionReview, but it is empty'],
    ['  \n', 'request body must be an AdmissionReview, but it is empty'],
    ['{"secret": "hunter2"', 'request body must be valid JSON: syntax error at position 20'],
    ['{"secret": ', 'request body must be valid JSON: the body ends inside a value'],
    ['{"secret": hunter2}', 'request body must be valid JSON'],
    ['[[[]]]', 'request body must not nest objects and arrays deeper than 2 levels'],
  ];
  for (const [text, message] of cases) {
    t.throws(() => parseJsonBody(text, 2), { statusCode: 400, message }, JSON.stringify(text));
  }
});

t.test('__proto__ stays an own property', async (t) => {
  const parsed = parseJsonBody(
    '{"__proto__":{"polluted":1},"constructor":{"prototype":{}}}',
    8,
  ) as object;
  t.ok(Object.hasOwn(parsed, '__proto__'));
  t.ok(Object.hasOwn(parsed, 'constructor'));
  t.equal(Object.getPrototypeOf(parsed), Object.prototype);
  t.equal(({} as { polluted?: number }).polluted, undefined);
});

t.test('depth check of a 7 MiB body is fast', async (t) => {
  const item = JSON.stringify({ name: 'VAR', value: 'x'.repeat(100), nested: { list: [1, 2, 3] } });
  const text = `{"items":[${Array(Math.floor((7 * 1024 * 1024) / (item.length + 1)))
    .fill(item)
    .join(',')}]}`;
  const started = performance.now();
  t.equal(exceedsJsonDepth(text, 512), false);
  const elapsed = performance.now() - started;
  // A loose bound that still catches a per-character slow path on a shared CI machine.
  t.ok(elapsed < 500, `took ${elapsed.toFixed(1)} ms`);
});
