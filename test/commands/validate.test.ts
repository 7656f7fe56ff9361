import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { runValidate } from '../../src/commands/validate.js';
import { captureIo } from './io.js';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
const TEMPLATES = join(EXAMPLES, 'templates');
const SERVICES = join(EXAMPLES, 'services');

t.test('validate accepts valid objects', async (t) => {
  const io = captureIo();
  const code = await runValidate(
    [
      '-f',
      TEMPLATES,
      '-f',
      join(SERVICES, 'llama-tp2.yaml'),
      join(SERVICES, 'qwen-data-only.yaml'),
    ],
    io,
  );
  t.equal(code, 0, io.err());
  t.match(io.out(), /InferenceServiceTemplate "mif\/vllm" is valid/);
  t.match(io.out(), /InferenceService "team-a\/llama-tp2" is valid/);
  t.match(io.out(), /InferenceService "team-a\/qwen-data-only" is valid/);
});

t.test('validate reports every invalid service', async (t) => {
  const io = captureIo();
  const code = await runValidate(['-f', TEMPLATES, '-f', SERVICES], io);
  t.equal(code, 1);
  for (const name of [
    'pipeline-and-data',
    'missing-template',
    'override-in-template',
    'borrowed-template',
    'invalid-fields',
  ]) {
    t.match(
      io.err(),
      new RegExp(`InferenceService "team-./${name}" is invalid:`),
      `${name} reported`,
    );
  }
  t.match(io.err(), /5 of 16 objects are invalid/);
  t.match(io.out(), /InferenceService "team-b\/deepseek-dp" is valid/);
});

t.test('validate rejects broken template', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'odin-validate-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  const file = join(directory, 'broken.yaml');
  await writeFile(
    file,
    [
      'apiVersion: odin.moreh.io/v1alpha1',
      'kind: InferenceServiceTemplate',
      'metadata: {name: broken, namespace: mif}',
      'spec:',
      '  framework: vllm',
      '  template: {spec: {containers: [{name: main, image: x, args: ["{{ .Spec.Model.Name "]}]}}',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: other}',
      '',
    ].join('\n'),
  );
  const io = captureIo();
  const code = await runValidate(['-f', file], io);
  t.equal(code, 1);
  t.match(
    io.err(),
    /InferenceServiceTemplate "mif\/broken" is invalid:\n {2}- spec\.template\.spec\.containers\[0\]\.args\[0\]/,
  );
  t.match(io.err(), /skipped 1 documents of other kinds/);
});

t.test('validate usage errors exit 2', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'odin-validate-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  const other = join(directory, 'configmap.yaml');
  await writeFile(other, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\n');
  const bad = join(directory, 'bad.yaml');
  await writeFile(bad, 'kind: [unclosed\n');

  const cases: Array<[string[], RegExp]> = [
    [[], /no input/],
    [['-f', other], /no InferenceService or InferenceServiceTemplate/],
    [['-f', bad], /invalid YAML/],
    [['-f', TEMPLATES, '--templates-dir', '/nonexistent'], /cannot read --templates-dir/],
  ];
  for (const [argv, pattern] of cases) {
    const io = captureIo();
    t.equal(await runValidate(argv, io), 2, `${argv.join(' ')} exit code`);
    t.match(io.err(), pattern, `${argv.join(' ')} message`);
  }
});
