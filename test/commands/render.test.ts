import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parse, parseAllDocuments } from 'yaml';
import { runRender } from '../../src/commands/render.js';
import { FakeApiServer } from '../cluster/fake-apiserver.js';
import { captureIo } from './io.js';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
const TEMPLATES = join(EXAMPLES, 'templates');
const service = (name: string): string => join(EXAMPLES, 'services', `${name}.yaml`);

t.test('render prints spec from templates dir', async (t) => {
  const io = captureIo();
  const code = await runRender(['-f', service('llama-tp2'), '--templates-dir', TEMPLATES], io);
  t.equal(code, 0, io.err());
  const spec = parse(io.out()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  t.equal(spec.framework, 'vllm');
  t.equal(spec.model.name, 'meta-llama/Llama-3.2-1B-Instruct');
  t.equal(spec.parallelism.tensor, 2);
  t.equal(spec.replicas, 2);
  t.equal(spec.service.target, 'auto');
  t.match(JSON.stringify(spec.template.spec.containers[0].args), /--tensor-parallel-size 2/);
  t.equal(io.err(), '', 'no warnings');
});

t.test('render prints warnings on stderr', async (t) => {
  const io = captureIo();
  const code = await runRender(['-f', service('no-model'), '--templates-dir', TEMPLATES], io);
  t.equal(code, 0, io.err());
  t.match(io.err(), /^Warning: InferenceService "team-a\/no-model": .*<no value>/m);
  t.ok(parse(io.out()), 'spec still printed');
});

t.test('render exits 1 with field errors', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['invalid-pipeline-and-data', /spec\.parallelism/],
    ['invalid-missing-template', /spec\.templateRefs\[0\]\.name: .*team-a.*mif/],
    ['invalid-fields', /spec\.framework: Unsupported value: "tgi"/],
  ];
  for (const [name, pattern] of cases) {
    const io = captureIo();
    const code = await runRender(['-f', service(name), '--templates-dir', TEMPLATES], io);
    t.equal(code, 1, `${name} exit code`);
    t.match(io.err(), /is invalid:\n {2}- /, `${name} header and list`);
    t.match(io.err(), pattern, `${name} names the field`);
    t.equal(io.out(), '', `${name} prints no spec`);
  }
});

t.test('render reads templates and services from stdin', async (t) => {
  const text = [
    'apiVersion: odin.moreh.io/v1alpha1',
    'kind: InferenceServiceTemplate',
    'metadata: {name: base}',
    'spec:',
    '  framework: sglang',
    '  template: {spec: {containers: [{name: main, image: "sglang:0.5", args: ["{{ .Name }}"]}]}}',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: ignored}',
    '---',
    'apiVersion: odin.moreh.io/v1alpha1',
    'kind: InferenceService',
    'metadata: {name: one}',
    'spec: {templateRefs: [{name: base}]}',
    '---',
    'apiVersion: odin.moreh.io/v1alpha1',
    'kind: InferenceService',
    'metadata: {name: two}',
    'spec: {templateRefs: [{name: base}], replicas: 3}',
    '',
  ].join('\n');
  const io = captureIo(text);
  const code = await runRender(['-f', '-'], io);
  t.equal(code, 0, io.err());
  const documents = parseAllDocuments(io.out()).map(
    (document) => document.toJS() as Record<string, any>,
  ); // eslint-disable-line @typescript-eslint/no-explicit-any
  t.equal(documents.length, 2, 'one document per service');
  t.same(documents[0].template.spec.containers[0].args, ['one'], 'rendered against the first name');
  t.equal(documents[1].replicas, 3);
  t.match(io.out(), /^# rendered spec of InferenceService "default\/one"$/m);
});

t.test('render usage errors exit 2', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [[], /no input/],
    [['-f', '/nonexistent/service.yaml'], /ENOENT/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['-f', join(TEMPLATES, 'vllm.yaml')], /no InferenceService in/],
    [['-f', service('llama-tp2'), '-n', 'team-b'], /does not match --namespace team-b/],
  ];
  for (const [argv, pattern] of cases) {
    const io = captureIo();
    const code = await runRender(argv, io);
    t.equal(code, 2, `${argv.join(' ')} exit code`);
    t.match(io.err(), pattern, `${argv.join(' ')} message`);
  }
});

t.test('render help exits 0', async (t) => {
  const io = captureIo();
  t.equal(await runRender(['--help'], io), 0);
  t.match(io.out(), /^Usage: odin-webhook render -f FILE/);
});

t.test('render reads templates from the cluster', async (t) => {
  const server = new FakeApiServer();
  await server.start();
  t.teardown(() => server.close());
  for (const name of ['vllm', 'preset-llama-3.2-1b-tp2']) {
    const text = await readFile(join(TEMPLATES, `${name}.yaml`), 'utf8');
    server.put('inferenceservicetemplates', parse(text) as Record<string, unknown>);
  }
  const directory = await mkdtemp(join(tmpdir(), 'odin-render-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  const kubeconfig = join(directory, 'config');
  await writeFile(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: fake, cluster: {server: "http://127.0.0.1:${server.port}", insecure-skip-tls-verify: true}}]`,
      'users: [{name: me, user: {token: user-token}}]',
      'contexts: [{name: fake, context: {cluster: fake, user: me}}]',
      'current-context: fake',
      '',
    ].join('\n'),
  );

  const io = captureIo();
  const code = await runRender(['-f', service('llama-tp2'), '--kubeconfig', kubeconfig], io);
  t.equal(code, 0, io.err());
  t.equal((parse(io.out()) as { framework?: string }).framework, 'vllm');
  const gets = server.requests.map((request) => request.resource);
  t.ok(
    gets.length > 0 && gets.every((resource) => resource === 'inferenceservicetemplates'),
    'only template GETs',
  );
  t.ok(
    server.requests.every((request) => !request.watch),
    'no watch',
  );
  t.ok(
    server.requests.every((request) => request.authorization === 'Bearer user-token'),
    "user's own token",
  );
});
