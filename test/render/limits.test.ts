// Render limits: every way a template can run long or grow large stops with an
// error at the string's path, and the limits are configurable.

import t from 'tap';
import {
  checkTemplateStrings,
  DEFAULT_RENDER_LIMITS,
  renderSpec,
  type RenderLimits,
} from '../../src/render/index.js';

const meta = { name: 'demo', namespace: 'ns', labels: {} };

function render(
  template: string,
  limits: Partial<RenderLimits> = {},
): ReturnType<typeof renderSpec> {
  return renderSpec({ model: { name: template } }, meta, { limits });
}

t.test('runaway templates stop with an error', async (t) => {
  const table: { name: string; template: string; pattern: RegExp }[] = [
    {
      name: 'huge until',
      template: '{{ until 100000000 }}',
      pattern: /list length 100000000 exceeds the limit/,
    },
    {
      name: 'huge untilStep',
      template: '{{ untilStep 0 100000000 1 }}',
      pattern: /exceeds the limit/,
    },
    {
      name: 'huge repeat',
      template: '{{ repeat 100000000 "abc" }}',
      pattern: /string length \d+ exceeds the limit/,
    },
    { name: 'huge seq', template: '{{ seq 100000000 }}', pattern: /exceeds the limit/ },
    {
      name: 'range over a huge int',
      template: '{{ range 100000000 }}x{{ end }}',
      pattern: /range exceeds the limit/,
    },
    {
      name: 'nested range',
      template: '{{ range 1000 }}{{ range 1000 }}{{ range 1000 }}{{ end }}{{ end }}{{ end }}',
      pattern: /range exceeds the limit of 10000 iterations/,
    },
    {
      name: 'recursive define',
      template: '{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}',
      pattern: /exceeded maximum template depth \(50\)/,
    },
    {
      name: 'output growth',
      template:
        '{{ range 5000 }}{{ "0123456789012345678901234567890123456789012345678901234567890123456789" }}{{ end }}',
      pattern: /output exceeds the limit of 262144 bytes/,
    },
    {
      name: 'doubling strings',
      template: '{{ $s := "ab" }}{{ range 40 }}{{ $s = cat $s $s }}{{ end }}',
      pattern: /exceeds the limit/,
    },
  ];
  for (const row of table) {
    const started = Date.now();
    // Each row hits a limit other than time, even on a loaded machine.
    const result = render(row.template, { maxDurationMs: 5000 });
    t.equal(result.errors.length, 1, `${row.name}: one error`);
    t.match(result.errors[0]?.message, row.pattern, `${row.name}: message`);
    t.equal(result.errors[0]?.path, 'spec.model.name', `${row.name}: path`);
    t.ok(Date.now() - started < 5000, `${row.name}: stops quickly`);
  }
});

t.test('deadline stops a slow template', async (t) => {
  const template = '{{ range 100000 }}{{ sha512sum (repeat 1000 "x") }}{{ end }}';
  const result = render(template, {
    maxDurationMs: 20,
    maxRangeIterations: 1_000_000,
    maxOutputBytes: 1 << 30,
  });
  t.match(result.errors[0]?.message, /execution exceeds the time limit of 20 ms/);
});

t.test('limits are configurable', async (t) => {
  t.same(render('{{ range 20 }}x{{ end }}', { maxRangeIterations: 20 }).errors, []);
  t.match(
    render('{{ range 21 }}x{{ end }}', { maxRangeIterations: 20 }).errors[0]?.message,
    /limit of 20/,
  );
  t.match(
    render('{{ repeat 11 "x" }}', { maxStringLength: 10 }).errors[0]?.message,
    /limit of 10 bytes/,
  );
  t.match(render('{{ "abcdef" }}', { maxOutputBytes: 5 }).errors[0]?.message, /limit of 5 bytes/);
});

t.test('deep nesting is a parse error', async (t) => {
  const deep = '{{ ' + '('.repeat(500) + '1' + ')'.repeat(500) + ' }}';
  t.match(render(deep).errors[0]?.message, /max expression depth exceeded/);
  const ifs = '{{ if 1 }}'.repeat(300) + '{{ end }}'.repeat(300);
  t.match(render(ifs).errors[0]?.message, /max expression depth exceeded/);
});

t.test('default limits are exported', async (t) => {
  t.same(DEFAULT_RENDER_LIMITS, {
    maxDurationMs: 100,
    maxOutputBytes: 262144,
    maxTotalOutputBytes: 1048576,
    maxTemplateBytes: 65536,
    maxTotalTemplateBytes: 262144,
    maxCallDepth: 50,
    maxRangeIterations: 10000,
    maxRegexPatternBytes: 2048,
    maxRegexProgramSize: 5000,
    maxRegexSteps: 1000000,
  });
});

/** Renders a spec whose one container has `args`; returns the result and the time taken. */
function renderArgs(
  args: string[],
  limits: Partial<RenderLimits> = {},
): { result: ReturnType<typeof renderSpec>; args: string[]; elapsed: number } {
  const started = Date.now();
  const spec = { template: { spec: { containers: [{ name: 'main', args }] } } };
  const result = renderSpec(spec, meta, { limits });
  const template = result.spec.template as { spec: { containers: { args: string[] }[] } };
  return { result, args: template.spec.containers[0].args, elapsed: Date.now() - started };
}

const argPath = (i: number): string => `spec.template.spec.containers[0].args[${i}]`;

t.test('one deadline covers all strings', async (t) => {
  const slow = '{{ range 9999 }}{{ $x := sha512sum (repeat 20000 "x") }}{{ end }}';
  const args = Array<string>(30).fill(slow);
  const { result, args: rendered, elapsed } = renderArgs(args, { maxDurationMs: 50 });
  t.equal(result.errors.length, 1, 'one error');
  t.match(
    result.errors[0]?.message,
    'execution exceeds the time limit of 50 ms for all template strings of the spec',
  );
  t.same(rendered, args, 'every string stays as written');
  t.ok(elapsed < 1000, `30 strings took ${elapsed} ms`);
});

t.test('deadline reached between strings stops the rest', async (t) => {
  // Each string takes about 20 ms, so the 200 ms deadline passes after several.
  const medium = '{{ range 2000 }}{{ $x := sha512sum (repeat 2000 "x") }}{{ end }}done';
  const args = Array<string>(60).fill(medium);
  const { result, args: rendered } = renderArgs(args, { maxDurationMs: 200 });
  t.equal(result.errors.length, 1, 'one error');
  const failed = Number(/args\[(\d+)\]$/.exec(result.errors[0]?.path ?? '')?.[1]);
  t.ok(failed > 0 && failed < 59, `error at string ${failed}`);
  t.same(rendered.slice(0, failed), Array<string>(failed).fill('done'), 'earlier strings render');
  t.same(rendered.slice(failed), args.slice(failed), 'later strings stay as written');
});

t.test('output limit covers all strings', async (t) => {
  const args = Array<string>(6).fill('{{ repeat 250000 "x" }}');
  const { result, args: rendered } = renderArgs(args);
  t.equal(result.errors.length, 1, 'one error');
  t.equal(result.errors[0]?.path, argPath(4));
  t.match(
    result.errors[0]?.message,
    /output exceeds the limit of 1048576 bytes for all template strings of the spec$/,
  );
  t.equal(rendered[3], 'x'.repeat(250000), 'the fourth string renders');
  t.equal(rendered[5], args[5], 'the sixth string stays as written');
});

t.test('output of a failed string does not count', async (t) => {
  // The second string writes 60 bytes before it fails at its own limit.
  const args = ['{{ repeat 50 "a" }}', '{{ range 70 }}b{{ end }}', '{{ repeat 50 "c" }}'];
  const limits = { maxOutputBytes: 60, maxTotalOutputBytes: 120 };
  const { result, args: rendered } = renderArgs(args, limits);
  t.equal(result.errors.length, 1, 'one error');
  t.equal(result.errors[0]?.path, argPath(1));
  t.match(result.errors[0]?.message, /output exceeds the limit of 60 bytes$/);
  t.equal(rendered[2], 'c'.repeat(50), 'the third string fits the rest of the allowance');
});

t.test('long template string is rejected before parsing', async (t) => {
  const long = 'x{{ 1 }}'.repeat(125_000);
  const { result, args: rendered, elapsed } = renderArgs([long, '{{ 2 }}']);
  t.same(result.errors, [
    {
      path: argPath(0),
      message: 'template text of 1000000 bytes exceeds the limit of 65536 bytes',
    },
  ]);
  t.same(rendered, [long, '2'], 'the other string renders');
  t.ok(elapsed < 500, `took ${elapsed} ms`);
});

t.test('template text limit covers all strings', async (t) => {
  const args = Array<string>(4).fill('{{ 1 }}');
  const { result, args: rendered } = renderArgs(args, { maxTotalTemplateBytes: 20 });
  t.same(result.errors, [
    {
      path: argPath(2),
      message: 'template text exceeds the limit of 20 bytes for all template strings of the spec',
    },
  ]);
  t.same(rendered, ['1', '1', '{{ 1 }}', '{{ 1 }}']);
});

t.test('parse-only check applies the text limits', async (t) => {
  const value = { a: ['{{ 1 }}', '{{ 1 }}', '{{ 1 }}', '{{ (( }}'], b: `{{ ${'x'.repeat(40)} }}` };
  const problems = checkTemplateStrings(value, 'spec', {
    limits: { maxTemplateBytes: 30, maxTotalTemplateBytes: 20 },
  });
  t.same(problems, [
    {
      path: 'spec.a[2]',
      message: 'template text exceeds the limit of 20 bytes for all template strings of the spec',
    },
  ]);
  const each = checkTemplateStrings(value, 'spec', { limits: { maxTemplateBytes: 30 } });
  t.equal(each.length, 2, 'a parse error and a long string');
  t.equal(each[1]?.path, 'spec.b');
  t.equal(each[1]?.message, 'template text of 46 bytes exceeds the limit of 30 bytes');
});

t.test('list functions on 10,000 items', async (t) => {
  const table = [
    { template: '{{ uniq (until 10000) | len }}', output: '10000' },
    { template: '{{ uniq (concat (until 5000) (until 5000)) | len }}', output: '5000' },
    { template: '{{ sortAlpha (until 10000) | len }}', output: '10000' },
    { template: '{{ has 9999 (until 10000) }}', output: 'true' },
  ];
  for (const row of table) {
    const started = Date.now();
    // Quadratic work on 10,000 items took seconds; these take milliseconds.
    const result = render(row.template, { maxDurationMs: 2000 });
    t.same(result.errors, [], `${row.template}: no error`);
    t.equal((result.spec as { model: { name: string } }).model.name, row.output, row.template);
    t.ok(Date.now() - started < 1000, `${row.template} took ${Date.now() - started} ms`);
  }
});

t.test('uniq of composite items stops at the deadline', async (t) => {
  const started = Date.now();
  const result = render('{{ uniq (chunk 1 (until 10000)) | len }}', { maxDurationMs: 50 });
  t.match(result.errors[0]?.message, /execution exceeds the time limit of 50 ms/);
  t.ok(Date.now() - started < 500, `took ${Date.now() - started} ms`);
});

t.test('functions that multiply their input stop at the string limit', async (t) => {
  const table = [
    '{{ replace "" (repeat 1000 "y") (repeat 200000 "x") }}',
    '{{ regexReplaceAll "" (repeat 100000 "x") (repeat 100000 "y") }}',
    '{{ regexReplaceAllLiteral "x" (repeat 100000 "x") (repeat 100 "y") }}',
    '{{ $l := list }}{{ range 100 }}{{ $l = append $l (repeat 200000 "x") }}{{ end }}{{ join "" $l | len }}',
  ];
  for (const template of table) {
    const started = Date.now();
    // A loaded machine must not reach the deadline first.
    const result = render(template, { maxDurationMs: 5000 });
    t.match(
      result.errors[0]?.message,
      /string length \d+ exceeds the limit of 262144 bytes/,
      template,
    );
    t.ok(Date.now() - started < 1000, `${template} took ${Date.now() - started} ms`);
  }
});
