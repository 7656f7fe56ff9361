// Render limits: every way a template can run long or grow large stops with an
// error at the string's path, and the limits are configurable.

import t from 'tap';
import { DEFAULT_RENDER_LIMITS, renderSpec, type RenderLimits } from '../../src/render/index.js';

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
    const result = render(row.template);
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
    maxCallDepth: 50,
    maxRangeIterations: 10000,
  });
});
