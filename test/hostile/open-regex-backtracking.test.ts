// Sprig's regex functions run on RE2 in Go, in time linear in the input. Here
// they run on JavaScript's backtracking RegExp, so a pattern with nested
// quantifiers takes time exponential in the input, inside one call that the
// render deadline cannot interrupt. The time roughly doubles with each extra
// character: 24 characters took about 0.25 s, so 40 would block the event loop
// for hours. Any user who may create an InferenceService can write such an
// expression into its own spec.
import t from 'tap';
import { renderSpec } from '../../src/render/index.js';

const META = { name: 'demo', namespace: 'team-a', labels: {} };

/** Inputs kept short, so that this test ends in seconds while it fails; the fault grows without bound. */
const CASES = [
  { name: 'regexMatch', text: `{{ regexMatch "^(a+)+$" "${'a'.repeat(25)}!" }}` },
  { name: 'regexReplaceAll', text: `{{ regexReplaceAll "(a*)*b" "${'a'.repeat(22)}" "x" }}` },
  { name: 'mustRegexSplit', text: `{{ mustRegexSplit "(a+)+$" "${'a'.repeat(24)}!" -1 }}` },
];

for (const row of CASES) {
  void t.test(`${row.name} with nested quantifiers stays within the render limit`, async (t) => {
    const started = Date.now();
    const result = renderSpec({ model: { name: row.text } }, META, {
      limits: { maxDurationMs: 100 },
    });
    const elapsed = Date.now() - started;

    t.ok(elapsed < 500, `rendering took ${elapsed} ms with a limit of 100 ms`);
    t.ok(result.errors.length <= 1, 'at most one render error');
  });
}
