// fast-check arbitraries for hostile input. JSON values have keys that reach
// prototypes, numbers at the edges of int32, double and JSON, and strings that
// look like numbers, templates or escapes. InferenceService specs may have any
// JSON in every field, template specs carry strategic merge directives, and Go
// template text is built from syntax fragments and Sprig calls.
import fc from 'fast-check';
import { templateFuncs } from '../../src/gotemplate/index.js';
import { objectFrom, TEMPLATE_NAMES } from './support.js';

export const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '$patch',
  '$retainKeys',
  '$setElementOrder/containers',
  '$setElementOrder/env',
  '$deleteFromPrimitiveList/args',
  '$deleteFromPrimitiveList/',
  '$setElementOrder',
  'a/b',
  '~0',
  '~1',
  '~',
  '',
  ' ',
  '\u0000',
  'ü',
  '\u{1F600}',
  'name',
  'image',
  'containers',
  'env',
  'value',
  'spec',
  'template',
  'target',
  'data',
  'dataLocal',
  'service',
  'parallelism',
  'templateRefs',
] as const;

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_KEYS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8, unit: 'binary' }) },
);

export const edgeNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    2147483647,
    2147483648,
    -2147483648,
    -2147483649,
    65535,
    65536,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 2,
    -(2 ** 63),
    2 ** 63,
    2 ** 64,
    1e21,
    1e308,
    -1e308,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    0.1,
    0.5,
    1.5,
    1e6,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

export const edgeString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    'NaN',
    'Infinity',
    '-Infinity',
    '-0',
    '1e309',
    '0x10',
    '00',
    'null',
    'true',
    '{{',
    '}}',
    '{{ .Spec }}',
    '{{ .Name }}',
    '{{ deref .Spec "Parallelism" "Data" }}',
    '<no value>',
    '\\',
    '"',
    '\u0000',
    '\ud800',
    '\u2028',
    'a'.repeat(300),
    'vllm',
    'sglang',
    'auto',
    'leader',
    'odin.moreh.io',
    'InferenceServiceTemplate',
    ...TEMPLATE_NAMES,
  ),
  fc.string({ maxLength: 16, unit: 'binary' }),
);

export const scalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  edgeNumber,
  edgeString,
);

/** Any JSON value, with hostile keys and scalars, at most `maxDepth` containers deep. */
export function hostileJson(maxDepth = 4): fc.Arbitrary<unknown> {
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth, withCrossShrink: true },
      scalar,
      fc.array(tie('value'), { maxLength: 4 }),
      fc
        .array(fc.tuple(hostileKey, tie('value')), { maxLength: 5 })
        .map((entries) => objectFrom(entries)),
    ),
  }));
  return value;
}

/**
 * Lists or objects nested 60 to 80 deep: past the merge's depth limit of 64
 * and the depth that validation copies, but well inside the 512 of the body.
 */
export const deepJson: fc.Arbitrary<unknown> = fc
  .tuple(fc.integer({ min: 60, max: 80 }), fc.boolean(), scalar)
  .map(([depth, asList, leaf]) => {
    let value: unknown = leaf;
    for (let level = 0; level < depth; level++) value = asList ? [value] : { a: value };
    return value;
  });

/** Returns values that are usually plausible for a field, otherwise any JSON, and rarely nested deep. */
function field<T>(plausible: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 16, arbitrary: plausible },
    { weight: 4, arbitrary: hostileJson(3) },
    { weight: 1, arbitrary: deepJson },
  );
}

const templateText: fc.Arbitrary<string> = fc.constantFrom(
  'plain',
  '{{ .Name }}',
  '{{ .Namespace }}-{{ .Spec.Model.Name }}',
  '{{ deref .Spec "Parallelism" "Tensor" | default 1 }}',
  '{{ deref .Spec "Parallelism" "DataLocal" | default (deref .Spec "Parallelism" "Data" | default 1) }}',
  '{{ if deref .Spec "Parallelism" "Expert" }}--ep{{ end }}',
  '{{ if .Spec.InferencePoolRefs }}{{ (index .Spec.InferencePoolRefs 0).Name }}{{ end }}',
  '{{ .Spec.Parallelism.DataRPCPort }}',
  '{{ index .Labels "app" }}',
  '{{ toJson .Spec }}',
  '{{ env "HOME" }}',
  '{{',
);

const container = fc.record(
  {
    name: field(fc.constantFrom('main', 'sidecar', '__proto__')),
    image: field(fc.constantFrom('registry.example.com/vllm:1', '{{ .Name }}')),
    args: field(fc.array(templateText, { maxLength: 3 })),
    env: field(
      fc.array(
        fc.record({ name: fc.constantFrom('A', 'B', 'MODEL'), value: field(templateText) }),
        {
          maxLength: 3,
        },
      ),
    ),
    ports: field(
      fc.array(
        fc.record({
          name: fc.constantFrom('http', 'rpc'),
          containerPort: field(fc.integer({ min: 1, max: 65535 })),
        }),
        {
          maxLength: 2,
        },
      ),
    ),
  },
  { requiredKeys: [] },
);

export const podTemplate: fc.Arbitrary<unknown> = field(
  fc.record(
    {
      metadata: field(
        fc.record(
          { labels: field(fc.dictionary(fc.constantFrom('app', 'team'), edgeString)) },
          { requiredKeys: [] },
        ),
      ),
      spec: field(
        fc.record(
          { containers: field(fc.array(container, { maxLength: 2 })) },
          { requiredKeys: [] },
        ),
      ),
    },
    { requiredKeys: [] },
  ),
);

const templateRef = field(
  fc.record(
    {
      name: field(fc.constantFrom(...TEMPLATE_NAMES)),
      group: field(fc.constantFrom('odin.moreh.io', '', 'apps')),
      kind: field(fc.constantFrom('InferenceServiceTemplate', '', 'Deployment')),
    },
    { requiredKeys: [] },
  ),
);

const parallelism = fc.record(
  {
    data: field(fc.constantFrom(1, 2, 4, 8)),
    dataLocal: field(fc.constantFrom(1, 2, 4)),
    pipeline: field(fc.constantFrom(1, 2)),
    tensor: field(fc.constantFrom(1, 2, 8)),
    expert: field(fc.boolean()),
    dataRPCPort: field(fc.constantFrom(1, 13345, 65535, 65536)),
  },
  { requiredKeys: [] },
);

const specFields = {
  framework: field(fc.constantFrom('vllm', 'sglang', 'tgi')),
  model: field(
    fc.record(
      { name: field(fc.constantFrom('meta-llama/Llama-3.2-1B', '')) },
      { requiredKeys: [] },
    ),
  ),
  parallelism: field(parallelism),
  service: field(
    fc.record(
      { target: field(fc.constantFrom('leader', 'workers', 'all', 'auto')) },
      { requiredKeys: [] },
    ),
  ),
  template: podTemplate,
  workerTemplate: podTemplate,
  inferencePoolRefs: field(
    fc.array(fc.record({ name: fc.constantFrom('pool') }), { maxLength: 2 }),
  ),
};

/** An InferenceService spec: known fields with plausible values, any of which may be any JSON. */
export const serviceSpec: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.record(
      {
        ...specFields,
        replicas: field(fc.constantFrom(0, 1, 3)),
        templateRefs: field(fc.array(templateRef, { maxLength: 4 })),
      },
      { requiredKeys: [] },
    ),
    fc.array(fc.tuple(hostileKey, hostileJson(2)), { maxLength: 2 }),
  )
  .map(([known, extra]) => objectFrom([...Object.entries(known), ...extra]));

const directiveEntries = fc.array(
  fc.oneof(
    fc.tuple(
      fc.constant('$patch'),
      fc.constantFrom('replace', 'delete', 'merge', 'bogus', null, 1),
    ),
    fc.tuple(
      fc.constant('$retainKeys'),
      fc.oneof(
        fc.array(fc.constantFrom('name', 'image', 'containers', 'target', 'data')),
        hostileJson(1),
      ),
    ),
    fc.tuple(
      fc.constantFrom(
        '$setElementOrder/containers',
        '$setElementOrder/env',
        '$setElementOrder/args',
      ),
      fc.oneof(
        fc.array(fc.record({ name: fc.constantFrom('main', 'sidecar', 'A') })),
        hostileJson(1),
      ),
    ),
    fc.tuple(
      fc.constantFrom(
        '$deleteFromPrimitiveList/args',
        '$deleteFromPrimitiveList/command',
        '$deleteFromPrimitiveList/',
      ),
      fc.oneof(fc.array(fc.string({ maxLength: 3 })), hostileJson(1)),
    ),
    fc.tuple(hostileKey, fc.constant(null)),
  ),
  { maxLength: 3 },
);

/** Adds random directive entries to every object of a value, keeping its other keys. */
function withDirectives(value: unknown): fc.Arbitrary<unknown> {
  if (Array.isArray(value)) return fc.tuple(...value.map(withDirectives)).map((items) => items);
  if (value === null || typeof value !== 'object') return fc.constant(value);
  const entries = Object.entries(value);
  return fc
    .tuple(fc.tuple(...entries.map(([, child]) => withDirectives(child))), directiveEntries)
    .map(([children, directives]) =>
      objectFrom([
        ...entries.map(([key], index) => [key, children[index]] as const),
        ...directives,
      ]),
    );
}

/** A template spec: the fields a template may set, with strategic merge directives and nulls anywhere. */
export const templateSpec: fc.Arbitrary<unknown> = fc
  .record(specFields, { requiredKeys: [] })
  .chain((spec) => withDirectives(spec));

const FUNCTION_NAMES = [...templateFuncs().keys()];
const FORBIDDEN_FUNCTIONS = [
  'env',
  'expandenv',
  'getHostByName',
  'now',
  'date',
  'randAlpha',
  'randInt',
  'uuidv4',
  'genPrivateKey',
  'readFile',
  'shuffle',
];

const templateArgument: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '.',
    '.Spec',
    '.Name',
    '.Labels',
    '$',
    '$x',
    'nil',
    'true',
    '1',
    '-1',
    '1.5',
    '1e400',
    '0x10',
    "'a'",
    '"a"',
    '`raw`',
    '(list 1 2)',
    '(dict "a" 1)',
    '(until 5)',
    '9223372036854775808',
  ),
  fc.string({ maxLength: 6 }).map((text) => JSON.stringify(text)),
  fc.integer().map(String),
);

const functionCall: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...FUNCTION_NAMES, ...FORBIDDEN_FUNCTIONS),
    fc.array(templateArgument, { maxLength: 3 }),
  )
  .map(([name, args]) => [name, ...args].join(' '));

const templateFragment: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: functionCall.map((call) => `{{ ${call} }}`) },
  { weight: 1, arbitrary: functionCall.map((call) => `{{ ${call} | ${FUNCTION_NAMES[0]} }}`) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '{{',
      '}}',
      '{{-',
      '-}}',
      '{{ end }}',
      '{{ else }}',
      '{{ if .Spec }}',
      '{{ range $i, $v := .Labels }}',
      '{{ with .Spec.Model }}',
      '{{ define "x" }}',
      '{{ template "x" . }}',
      '{{ block "b" . }}',
      '{{ $x := 1 }}',
      '{{ $x = 2 }}',
      '{{/* comment */}}',
      '{{ break }}',
      '{{ continue }}',
      '{{ .Spec.Parallelism.Tensor }}',
      '{{ deref .Spec "Parallelism" "Tensor" }}',
      '{{ (index .Spec.InferencePoolRefs 0).Name }}',
      '{{ printf "%v %d %s %q %x %e %10.3f %-5s %+v %#v %T %%" . 1 "s" "q" 255 1e6 3.14159 "x" . . . }}',
      '{{ "unterminated }}',
      '{{ `raw }}',
      '((((((',
      '))))',
      '|',
      ' ',
      'text',
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1, max: 120 })
      .map((depth) => `{{ ${'('.repeat(depth)}1${')'.repeat(depth)} }}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1, max: 120 })
      .map((depth) => `${'{{ if 1 }}'.repeat(depth)}x${'{{ end }}'.repeat(depth)}`),
  },
);

/** Go template text: syntax fragments, unbalanced delimiters, deep nesting and random Sprig calls. */
export const templateString: fc.Arbitrary<string> = fc
  .array(templateFragment, { minLength: 1, maxLength: 6 })
  .map((fragments) => fragments.join(''));
