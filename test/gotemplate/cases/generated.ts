// Cases generated with fast-check from a small template grammar over random data
// and random specs, with a fixed seed so every run sends Go the same cases.

import fc from 'fast-check';
import type { TemplateCase } from '../oracle.js';

const operand = fc.oneof(
  fc.constantFrom('.s', '.n', '.f', '.big', '.list', '.m', '.m.a', '.nil', '.missing', '.t', '$.n'),
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc
    .double({ min: -1e7, max: 1e7, noNaN: true })
    .map((d) => (Number.isInteger(d) ? `${d}.0` : String(d)).replace('+', '')),
  fc.constantFrom('"x"', '"Hello World"', '""', '`raw`', 'true', 'false'),
);

const unary = fc.constantFrom(
  'len',
  'not',
  'print',
  'upper',
  'lower',
  'quote',
  'toString',
  'toJson',
  'int',
  'int64',
  'float64',
  'add1',
  'empty',
  'default 7',
  'printf "%v"',
  'printf "%5.2f"',
  'printf "%d"',
  'printf "%q"',
  'printf "%x"',
  'printf "%T"',
  'typeOf',
  'kindOf',
  'title',
  'trim',
  'b64enc',
  'toPrettyJson',
  'ceil',
  'floor',
  'round 2',
  'sha1sum',
  'first',
  'last',
  'compact',
  'reverse',
);

const binary = fc.constantFrom(
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'and',
  'or',
  'add',
  'sub',
  'mul',
  'div',
  'mod',
  'max',
  'min',
  'addf',
  'subf',
  'mulf',
  'divf',
  'default',
  'coalesce',
  'list',
  'print',
  'cat',
  'index',
  'has',
  'contains',
  'hasPrefix',
  'repeat',
  'trunc',
);

const expression = fc.oneof(
  operand,
  fc.tuple(unary, operand).map(([f, a]) => `${f} ${a}`),
  fc.tuple(binary, operand, operand).map(([f, a, b]) => `${f} ${a} ${b}`),
  fc.tuple(operand, unary).map(([a, f]) => `${a} | ${f}`),
  fc.tuple(binary, operand, operand, unary).map(([f, a, b, g]) => `${f} ${a} ${b} | ${g}`),
  fc.tuple(unary, binary, operand, operand).map(([g, f, a, b]) => `${g} (${f} ${a} ${b})`),
);

const template = fc.oneof(
  expression.map((e) => `{{ ${e} }}`),
  fc
    .tuple(expression, expression)
    .map(([c, e]) => `{{ if ${c} }}[{{ ${e} }}]{{ else }}no{{ end }}`),
  expression.map((e) => `{{ range $i, $e := .list }}{{ $i }}:{{ ${e} }};{{ end }}`),
  expression.map((e) => `{{ with ${e} }}<{{ . }}>{{ else }}empty{{ end }}`),
  fc.tuple(expression, expression).map(([a, b]) => `{{ $v := ${a} }}{{ ${b} }}|{{ $v }}`),
);

const data = fc.record({
  s: fc.string({ maxLength: 12 }),
  n: fc.integer({ min: -100000, max: 100000 }),
  f: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e25, max: 1e25 }),
  big: fc.constantFrom(1000000, 999999, 1e21, 123456789, 0.000001, -0.5),
  t: fc.boolean(),
  list: fc.array(fc.oneof(fc.integer({ min: -9, max: 9 }), fc.constantFrom('a', 'b', null)), {
    maxLength: 4,
  }),
  m: fc.dictionary(
    fc.constantFrom('a', 'b', 'c', '__proto__', 'constructor'),
    fc.integer({ min: 0, max: 9 }),
  ),
});

const optionalInt = fc.option(fc.integer({ min: 0, max: 64 }), { nil: undefined });

const spec = fc.record(
  {
    model: fc.option(fc.record({ name: fc.constantFrom('m1', 'org/model', '') }), {
      nil: undefined,
    }),
    parallelism: fc.option(
      fc.record(
        {
          data: optionalInt,
          dataLocal: optionalInt,
          tensor: optionalInt,
          pipeline: optionalInt,
          expert: fc.option(fc.boolean(), { nil: undefined }),
          dataRPCPort: optionalInt,
        },
        { requiredKeys: [] },
      ),
      { nil: undefined },
    ),
    replicas: optionalInt,
    inferencePoolRefs: fc.option(
      fc.array(fc.record({ name: fc.constantFrom('p1', 'p2') }), { maxLength: 2 }),
      {
        nil: undefined,
      },
    ),
  },
  { requiredKeys: [] },
);

const specExpression = fc.constantFrom(
  '{{ deref .Spec "Parallelism" "Data" | default 1 }}',
  '{{ deref .Spec "Parallelism" "DataLocal" | default (deref .Spec "Parallelism" "Data" | default 1) }}',
  '{{ if deref .Spec "Parallelism" "Expert" }}ep{{ end }}',
  '{{ if .Spec.InferencePoolRefs }}{{ (index .Spec.InferencePoolRefs 0).Name }}{{ end }}',
  '{{ deref .Spec "Model" "Name" }}',
  '{{ div (deref .Spec "Parallelism" "Data" | default 1) (deref .Spec "Parallelism" "DataLocal" | default 1) }}',
  '{{ divf (deref .Spec "Parallelism" "Data" | default 1) (deref .Spec "Parallelism" "DataLocal" | default 1) }}',
  '{{ mulf (deref .Spec "Parallelism" "Tensor" | default 1) 500000 }}',
  '{{ .Spec.Parallelism.Tensor }}',
  '{{ .Spec.Model.Name }}',
  '{{ .Spec.Replicas }}',
  '{{ toJson .Spec.Parallelism }}',
  '{{ with .Spec.Parallelism }}{{ .Data }}/{{ .Pipeline }}{{ end }}',
);

export function generatedCases(): TemplateCase[] {
  const plain = fc.sample(fc.tuple(template, data), { numRuns: 150, seed: 20240601 });
  const specs = fc.sample(fc.tuple(specExpression, spec), { numRuns: 60, seed: 20240602 });
  return [
    ...plain.map(([t, json]) => ({ template: t, json })),
    ...specs.map(([t, s]) => ({
      template: t,
      context: { Name: 'demo', Namespace: 'ns', Labels: {}, Spec: JSON.parse(JSON.stringify(s)) },
    })),
  ];
}
