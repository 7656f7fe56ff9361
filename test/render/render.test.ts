// Behaviour of renderSpec and checkTemplateStrings: outputs for the expressions
// real templates use, problems at field paths, warnings for unset values, and
// the regression probes for Sprig's default, Go's float printing and missing keys.

import t from 'tap';
import { checkTemplateStrings, renderSpec, type RenderMeta } from '../../src/render/index.js';

const meta: RenderMeta = { name: 'demo', namespace: 'team-a', labels: { app: 'demo' } };

function renderArgs(spec: Record<string, unknown>, args: string[]): ReturnType<typeof renderSpec> {
  return renderSpec(
    { ...spec, template: { spec: { containers: [{ name: 'main', args }] } } },
    meta,
  );
}

function argsOf(result: ReturnType<typeof renderSpec>): unknown {
  const template = result.spec.template as { spec: { containers: { args: string[] }[] } };
  return template.spec.containers[0].args;
}

const DATA_ARGS = [
  '{{ deref .Spec "Parallelism" "DataLocal" | default (deref .Spec "Parallelism" "Data" | default 1) }}',
  '{{ if deref .Spec "Parallelism" "Expert" }}--enable-expert-parallel{{ end }}',
  '{{ if .Spec.InferencePoolRefs }}{{ (index .Spec.InferencePoolRefs 0).Name }}{{ end }}',
  'kv@{{ .Namespace }}/{{ .Name }}@{{ deref .Spec "Model" "Name" }}',
];

t.test('runtime expressions render', async (t) => {
  const table: { name: string; spec: Record<string, unknown>; args: string[] }[] = [
    {
      name: 'all fields set',
      spec: {
        parallelism: { data: 8, dataLocal: 4, expert: true },
        inferencePoolRefs: [{ name: 'pool-a' }],
        model: { name: 'org/model' },
      },
      args: ['4', '--enable-expert-parallel', 'pool-a', 'kv@team-a/demo@org/model'],
    },
    {
      name: 'data without dataLocal',
      spec: { parallelism: { data: 8 }, model: { name: 'm' } },
      args: ['8', '', '', 'kv@team-a/demo@m'],
    },
    {
      name: 'nothing set',
      spec: {},
      args: ['1', '', '', 'kv@team-a/demo@<no value>'],
    },
  ];
  for (const row of table) {
    const result = renderArgs(row.spec, DATA_ARGS);
    t.same(argsOf(result), row.args, row.name);
    t.same(result.errors, [], `${row.name}: no errors`);
  }
});

t.test('default replaces false and zero', async (t) => {
  const args = [
    '--enable-expert-parallel={{ deref .Spec "Parallelism" "Expert" | default true }}',
    '--tensor-parallel-size={{ deref .Spec "Parallelism" "Tensor" | default 1 }}',
  ];
  t.same(argsOf(renderArgs({ parallelism: { expert: false } }, args)), [
    '--enable-expert-parallel=true',
    '--tensor-parallel-size=1',
  ]);
  t.same(argsOf(renderArgs({ parallelism: { expert: true, tensor: 4 } }, args)), [
    '--enable-expert-parallel=true',
    '--tensor-parallel-size=4',
  ]);
});

t.test('numbers print as Go prints them', async (t) => {
  const args = [
    '{{ mulf (deref .Spec "Parallelism" "Tensor" | default 1) 500000 }}',
    '{{ mul (deref .Spec "Parallelism" "Tensor" | default 1) 500000 }}',
    '{{ div (deref .Spec "Parallelism" "Data" | default 1) (deref .Spec "Parallelism" "DataLocal" | default 1) }}',
    '{{ divf (deref .Spec "Parallelism" "Data" | default 1) (deref .Spec "Parallelism" "DataLocal" | default 1) }}',
    '{{ 999999.0 }} {{ 1234567.0 }}',
  ];
  const result = renderArgs({ parallelism: { tensor: 2, data: 12, dataLocal: 8 } }, args);
  t.same(argsOf(result), ['1e+06', '1000000', '1', '1.5', '999999 1.234567e+06']);
});

t.test('missing label renders no value with a warning', async (t) => {
  const result = renderArgs({}, ['{{ .Labels.model }}', '{{ .Namespace }}']);
  t.same(argsOf(result), ['<no value>', 'team-a']);
  t.same(
    result.warnings.map((w) => w.path),
    ['spec.template.spec.containers[0].args[0]'],
  );
  t.match(result.warnings[0].message, /<no value>/);
  const labelled = renderSpec(
    { template: { spec: { containers: [{ name: 'main', args: ['{{ .Labels.model }}'] }] } } },
    { ...meta, labels: { model: 'demo-model' } },
  );
  t.same(argsOf(labelled), ['demo-model']);
  t.same(labelled.warnings, []);
});

t.test('nil pointer field prints nil with a warning', async (t) => {
  const result = renderArgs({}, ['{{ .Spec.Replicas }}']);
  t.same(argsOf(result), ['<nil>']);
  t.equal(result.warnings.length, 1);
});

t.test('errors carry the path and Go text', async (t) => {
  const result = renderArgs({}, ['ok', '{{ .Spec.Model.Name }}']);
  const path = 'spec.template.spec.containers[0].args[1]';
  t.same(result.errors, [
    {
      path,
      message: `template: ${path}:1:8: executing "${path}" at <.Spec.Model.Name>: nil pointer evaluating *v1alpha1.ModelSpec.Name`,
    },
  ]);
  t.same(argsOf(result), ['ok', '{{ .Spec.Model.Name }}'], 'failed strings stay as written');
});

t.test('path prefix and bracketed keys', async (t) => {
  const spec = { template: { metadata: { annotations: { 'example.com/x': '{{ .Nope }}' } } } };
  const result = renderSpec(spec, meta, { pathPrefix: 'template.spec' });
  t.equal(result.errors[0].path, 'template.spec.template.metadata.annotations[example.com/x]');
});

t.test('strings without braces and keys stay untouched', async (t) => {
  const spec = {
    model: { name: 'plain' },
    template: { metadata: { labels: { '{{ key }}': 'v' } } },
  };
  const frozen = JSON.stringify(spec);
  const result = renderSpec(spec, meta);
  t.same(result.spec, spec);
  t.equal(JSON.stringify(spec), frozen, 'input not mutated');
  t.equal(result.spec, spec, 'a spec without templates is returned as it is');
});

t.test('input with templates is not mutated', async (t) => {
  const spec = {
    model: { name: 'x' },
    template: { spec: { containers: [{ name: '{{ .Name }}' }] } },
  };
  const frozen = JSON.stringify(spec);
  const result = renderSpec(spec, meta);
  t.equal(JSON.stringify(spec), frozen);
  t.equal(
    (result.spec.template as { spec: { containers: { name: string }[] } }).spec.containers[0].name,
    'demo',
  );
});

t.test('checkTemplateStrings reports parse errors only', async (t) => {
  const value = {
    a: [
      '{{ env "HOME" }}',
      '{{ now }}',
      '{{ randAlpha 5 }}',
      '{{ if }}',
      'plain',
      '{{ .Spec.Nope.X }}',
    ],
    b: { 'c d': '{{ expandenv "$X" }}', e: '{{ getHostByName "x" }}', f: '{{ uuidv4 }}' },
  };
  t.same(checkTemplateStrings(value, 'spec'), [
    { path: 'spec.a[0]', message: 'template: spec.a[0]:1: function "env" not defined' },
    { path: 'spec.a[1]', message: 'template: spec.a[1]:1: function "now" not defined' },
    { path: 'spec.a[2]', message: 'template: spec.a[2]:1: function "randAlpha" not defined' },
    { path: 'spec.a[3]', message: 'template: spec.a[3]:1: missing value for if' },
    { path: 'spec.b[c d]', message: 'template: spec.b[c d]:1: function "expandenv" not defined' },
    { path: 'spec.b.e', message: 'template: spec.b.e:1: function "getHostByName" not defined' },
    { path: 'spec.b.f', message: 'template: spec.b.f:1: function "uuidv4" not defined' },
  ]);
});

t.test('pod template fields use Go names', async (t) => {
  const spec = {
    template: {
      metadata: { labels: { tier: 'x' } },
      spec: {
        nodeSelector: { zone: 'a' },
        containers: [{ name: 'main', image: 'img:1', ports: [{ containerPort: 8000 }] }],
      },
    },
    workerTemplate: {
      spec: {
        containers: [
          {
            name: 'w',
            args: [
              '{{ (index .Spec.Template.Spec.Containers 0).Image }}',
              '{{ range (index .Spec.Template.Spec.Containers 0).Ports }}{{ .ContainerPort }}{{ end }}',
              '{{ .Spec.Template.Labels.tier }} {{ .Spec.Template.Spec.NodeSelector.zone }}',
            ],
          },
        ],
      },
    },
  };
  const result = renderSpec(spec, meta);
  const worker = result.spec.workerTemplate as { spec: { containers: { args: string[] }[] } };
  t.same(worker.spec.containers[0].args, ['img:1', '8000', 'x a']);
  t.same(result.errors, []);
});

t.test('rendering copies only the path to a changed string', async (t) => {
  const spec = {
    model: { name: 'plain' },
    template: {
      metadata: { labels: { app: 'x' } },
      spec: { containers: [{ name: 'main', args: ['{{ .Name }}', 'kept'] }, { name: 'side' }] },
    },
  };
  const frozen = JSON.stringify(spec);
  const result = renderSpec(spec, meta);
  const rendered = result.spec as typeof spec;
  t.equal(JSON.stringify(spec), frozen, 'input not mutated');
  t.same(rendered.template.spec.containers[0].args, [meta.name, 'kept'], 'string rendered');
  t.not(rendered.template, spec.template, 'object on the path copied');
  t.equal(rendered.model, spec.model, 'untouched object shared');
  t.equal(rendered.template.metadata, spec.template.metadata, 'untouched sibling shared');
  t.equal(
    rendered.template.spec.containers[1],
    spec.template.spec.containers[1],
    'untouched item shared',
  );
});
