// The regex functions run in time linear in their input, and every limit on
// them (pattern size, program size, search work, input and output size, the
// deadline between searches) stops a call with a message naming the limit.
// Go's outputs and error texts are compared in the differential suite.

import t from 'tap';
import {
  DEFAULT_EXEC_LIMITS,
  Template,
  jsonToValue,
  templateFuncs,
  type ExecLimits,
} from '../../src/gotemplate/index.js';

/** Runs a template; returns its output, or the error text after `ERROR `, and the time taken. */
function run(
  template: string,
  limits: Partial<ExecLimits> = {},
  data: unknown = null,
): { text: string; elapsed: number } {
  const started = Date.now();
  let text: string;
  try {
    text = Template.parse('t', template, { funcs: templateFuncs() }).execute(
      jsonToValue(data),
      limits,
    );
  } catch (e) {
    text = `ERROR ${(e as Error).message}`;
  }
  return { text, elapsed: Date.now() - started };
}

t.test('nested quantifiers run in linear time', async (t) => {
  const input = `${'a'.repeat(20_000)}!`;
  const table = [
    { template: `{{ regexMatch "^(a+)+$" "${input}" }}`, output: 'false' },
    { template: `{{ regexFind "(a|aa)+$" "${input}" | len }}`, output: '0' },
    { template: `{{ regexReplaceAll "(a*)*b" "${input}" "x" | len }}`, output: '20001' },
    { template: `{{ mustRegexSplit "(a+)+$" "${input}" -1 | len }}`, output: '1' },
    { template: `{{ regexFindAll "(x+x+)+y" "${'x'.repeat(20_000)}" -1 | len }}`, output: '0' },
  ];
  for (const row of table) {
    const { text, elapsed } = run(row.template, { maxDurationMs: 5000 });
    t.equal(text, row.output, row.template.slice(0, 40));
    t.ok(elapsed < 1000, `${row.template.slice(0, 40)} took ${elapsed} ms`);
  }
});

t.test('regex limits stop a call', async (t) => {
  const table = [
    {
      name: 'pattern bytes',
      template: `{{ regexMatch "${'a'.repeat(5000)}" "a" }}`,
      limits: {},
      message: 'regular expression pattern of 5000 bytes exceeds the limit of 2048 bytes',
    },
    {
      name: 'estimated program size',
      template: `{{ regexMatch "${'x{1000}'.repeat(6)}" "x" }}`,
      limits: {},
      message:
        'regular expression program of about 6003 instructions exceeds the limit of 5000 instructions',
    },
    {
      // The estimate is 36, but the compiled program has 45 instructions.
      name: 'compiled program size',
      template: '{{ regexMatch "((((((((((x*)*)*)*)*)*)*)*)*)*)*y" "x" }}',
      limits: { maxRegexProgramSize: 40 },
      message: 'regular expression program of 45 instructions exceeds the limit of 40 instructions',
    },
    {
      name: 'search steps',
      template: `{{ regexFind "[a-z]+[0-9]" (repeat 200001 "b") }}`,
      limits: {},
      message:
        'regular expression search of 5 instructions over 200001 characters exceeds the limit of 1000000 steps',
    },
    {
      name: 'input length',
      template: '{{ regexFind "a" .long }}',
      limits: { maxStringLength: 100 },
      message: 'string length 101 exceeds the limit of 100 bytes',
    },
    {
      name: 'replacement output',
      template: '{{ regexReplaceAll "" (repeat 100 "x") (repeat 100 "y") }}',
      limits: { maxStringLength: 1000 },
      message: /string length \d+ exceeds the limit of 1000 bytes$/,
    },
    {
      name: 'matches found',
      template: '{{ regexFindAll "x" (repeat 101 "x") -1 }}',
      limits: { maxListLength: 100 },
      message: 'list length 101 exceeds the limit of 100',
    },
  ];
  for (const row of table) {
    const { text } = run(row.template, row.limits, { long: 'b'.repeat(101) });
    t.match(text, /^ERROR template: t:1:3: executing "t" at <.*>: /, `${row.name}: Go's prefix`);
    if (typeof row.message === 'string') t.ok(text.endsWith(row.message), `${row.name}: ${text}`);
    else t.match(text, row.message, row.name);
  }
  t.equal(DEFAULT_EXEC_LIMITS.maxRegexSteps, 1_000_000);
});

t.test('regexMatch reports limits, not false', async (t) => {
  // regexMatch returns false for a pattern that does not compile, as Go's does.
  t.equal(run('{{ regexMatch "(" "x" }}').text, 'false');
  const { text } = run(`{{ regexMatch "${'x{1000}'.repeat(6)}" "x" }}`);
  t.match(text, /exceeds the limit of 5000 instructions$/);
});

t.test('deadline is checked between searches', async (t) => {
  // Each search scans to the end of the input for the first alternative, so
  // 40,000 searches take quadratic time; the deadline stops them.
  const template = `{{ regexFindAll "(?:a.*b)|a" (repeat 40000 "a") -1 | len }}`;
  const { text, elapsed } = run(template, { maxDurationMs: 50 });
  t.match(text, /execution exceeds the time limit of 50 ms$/);
  t.ok(elapsed < 1000, `took ${elapsed} ms`);
});

t.test('duplicate group names compile as in Go', async (t) => {
  t.equal(run('{{ regexReplaceAll "(?P<n>a)|(?P<n>b)" "abc" "[$n]" }}').text, '[a][b]c');
  t.equal(
    run('{{ mustRegexFind "(?P<n>a)(?P<n>b)(" "x" }}').text,
    'ERROR template: t:1:3: executing "t" at <mustRegexFind "(?P<n>a)(?P<n>b)(" "x">: error calling mustRegexFind: error parsing regexp: missing closing ): `(?P<n>a)(?P<n>b)(`',
  );
});
