import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import {
  loadServiceDirectory,
  loadTemplateDirectory,
  parseYamlDocuments,
  readYamlDocuments,
} from '../../src/templates/file-source.js';
import { MemoryTemplateSource } from '../../src/templates/memory-source.js';

async function tempFolder(t: Test): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'odin-file-source-'));
  t.teardown(() => rm(folder, { recursive: true, force: true }));
  return folder;
}

function serviceYaml(index: number): string {
  return [
    'apiVersion: odin.moreh.io/v1alpha1',
    'kind: InferenceService',
    'metadata:',
    `  name: svc-${index}`,
    '  namespace: team-a',
    'spec:',
    '  templateRefs:',
    '    - name: vllm',
    '',
  ].join('\n');
}

t.test('readYamlDocuments keeps file-name order', async (t) => {
  const folder = await tempFolder(t);
  // More files than one read batch, written in reverse order: every seventh
  // is a JSON file and every fifth JSON text in a .yaml file.
  const count = 600;
  for (let i = count - 1; i >= 0; i--) {
    const json = i % 7 === 0;
    const name = `f-${String(i).padStart(4, '0')}.${json ? 'json' : 'yaml'}`;
    const text = json || i % 5 === 0 ? `{"index": ${i}}` : `index: ${i}\nnote: |\n  block\n`;
    await writeFile(join(folder, name), text);
  }
  await writeFile(join(folder, 'ignored.txt'), 'index: -1\n');

  const documents = (await readYamlDocuments(folder)) as Array<{ index: number }>;
  t.equal(documents.length, count, 'one document per manifest file');
  t.strictSame(
    documents.map((document) => document.index),
    Array.from({ length: count }, (_, i) => i),
    'documents in file-name order',
  );
  t.equal((documents[1] as { note?: string }).note, 'block\n', 'YAML file parsed');
  t.strictSame(documents[7], { index: 7 }, 'JSON file parsed');
});

t.test('readYamlDocuments names first bad file', async (t) => {
  const folder = await tempFolder(t);
  for (let i = 0; i < 400; i++) {
    await writeFile(join(folder, `f-${String(i).padStart(4, '0')}.yaml`), `index: ${i}\n`);
  }
  await writeFile(join(folder, 'f-0300.yaml'), 'kind: [unclosed\n');
  await writeFile(join(folder, 'f-0350.yaml'), 'a: 1\na: 2\n');

  await t.rejects(readYamlDocuments(folder), /^f-0300\.yaml: invalid YAML: /);
  await t.rejects(
    loadServiceDirectory(folder, 'mif', new MemoryTemplateSource('mif')),
    /^f-0300\.yaml: invalid YAML: /,
  );
});

t.test('parseYamlDocuments names file on errors', async (t) => {
  const cases: Array<[string, string]> = [
    ['kind: [unclosed\n', 'syntax error'],
    ['a: 1\na: 2\n', 'duplicate key'],
    ['a:\n    b: 1\n  c: 2\n', 'bad indentation'],
    // 101 aliases, past the maxAliasCount of 100 that toJS reports.
    [`a: &x 1\nb: [${Array(101).fill('*x').join(', ')}]\n`, 'too many aliases'],
  ];
  for (const [text, why] of cases) {
    t.throws(() => parseYamlDocuments(text, 'bad.yaml'), /^bad\.yaml: invalid YAML: /, why);
  }
});

t.test('parseYamlDocuments reads JSON text', async (t) => {
  t.strictSame(parseYamlDocuments(' \n{"a": [1, "x", null]}\n', 'x.json'), [{ a: [1, 'x', null] }]);
  t.strictSame(parseYamlDocuments('[{"a": 1}]', 'x.json'), [[{ a: 1 }]]);
  // YAML flow text that is not JSON goes to the yaml package.
  t.strictSame(parseYamlDocuments('{a: 1, b: [x]}', 'x.yaml'), [{ a: 1, b: ['x'] }]);
  t.throws(
    () => parseYamlDocuments('{"a": [1,', 'bad.json'),
    /^bad\.json: invalid JSON: the text ends inside a value$/,
  );
  t.throws(
    () => parseYamlDocuments('{"env": "secret-value" x}', 'bad.json'),
    /^bad\.json: invalid JSON: syntax error at position \d+$/,
    'position without the text',
  );
  // JSON text in a YAML file is YAML, with YAML's rule against duplicate keys.
  t.throws(() => parseYamlDocuments('{"a": 1, "a": 2}', 'dup.yaml'), /^dup\.yaml: invalid YAML: /);
  t.strictSame(
    parseYamlDocuments('{"a": 1, "a": 2}', 'dup.json'),
    [{ a: 2 }],
    'last value in JSON',
  );
});

t.test('parseYamlDocuments skips empty documents', async (t) => {
  t.strictSame(parseYamlDocuments('---\na: 1\n---\n---\n- b\n', 'x.yaml'), [{ a: 1 }, ['b']]);
  t.strictSame(parseYamlDocuments('a: |\n  x\n---\n', 'x.yaml'), [{ a: 'x\n' }]);
});

t.test('loadServiceDirectory indexes services', async (t) => {
  const folder = await tempFolder(t);
  for (let i = 0; i < 300; i++) await writeFile(join(folder, `s-${i}.yaml`), serviceYaml(i));
  await writeFile(
    join(folder, 'other.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
  );

  const templates = await loadTemplateDirectory(folder);
  const services = await loadServiceDirectory(folder, 'mif', templates);
  const users = services.usersOf('team-a', 'vllm', 1000);
  t.equal(users.total, 300, 'every service uses vllm');

  const fetched = await services.fetchService('team-a', 'svc-42');
  t.equal(fetched?.metadata?.name, 'svc-42', 'fetched by name');
  t.strictSame(fetched?.spec, { templateRefs: [{ name: 'vllm' }] }, 'spec kept whole');
  t.equal(await services.fetchService('team-a', 'c'), undefined, 'other kinds skipped');
});

t.test('YAML errors do not quote the file', async (t) => {
  const text = 'env:\n  - name: TOKEN\n    value: secret-value\n  bad: [\n';
  try {
    parseYamlDocuments(text, 'bad.yaml');
    t.fail('the text parsed');
  } catch (error) {
    const message = (error as Error).message;
    t.match(message, /^bad\.yaml: invalid YAML: /, 'names the file');
    t.notMatch(message, /secret-value/, 'no file content');
    t.notMatch(message, /\n/, 'one line');
  }
});

t.test('List items are loaded', async (t) => {
  const folder = await tempFolder(t);
  const template = (name: string) => ({
    apiVersion: 'odin.moreh.io/v1alpha1',
    kind: 'InferenceServiceTemplate',
    metadata: { name, namespace: 'mif' },
    spec: {},
  });
  const list = { apiVersion: 'v1', kind: 'List', items: [template('one'), template('two')] };
  await writeFile(join(folder, 'list.json'), JSON.stringify(list));
  await writeFile(
    join(folder, 'list.yaml'),
    'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: odin.moreh.io/v1alpha1\n    kind: InferenceServiceTemplate\n    metadata:\n      name: three\n',
  );
  const templates = await loadTemplateDirectory(folder);
  t.strictSame(
    templates
      .list()
      .map((item) => item.metadata?.name)
      .sort(),
    ['one', 'three', 'two'],
    'templates from JSON and YAML lists',
  );
});

t.test('JSON file with a byte order mark', async (t) => {
  t.strictSame(parseYamlDocuments('\ufeff{"a": 1}', 'bom.json'), [{ a: 1 }]);
});

t.test('List items must be a list', async (t) => {
  const folder = await tempFolder(t);
  await writeFile(
    join(folder, 'empty.json'),
    '{"apiVersion": "v1", "kind": "List", "items": null}',
  );
  t.strictSame((await loadTemplateDirectory(folder)).list(), [], 'null items are no items');
  await writeFile(join(folder, 'wrong.json'), '{"apiVersion": "v1", "kind": "List", "items": {}}');
  await t.rejects(
    loadTemplateDirectory(folder),
    /^wrong\.json: the items of a List must be a list$/,
  );
});

t.test('nested List items are loaded', async (t) => {
  const folder = await tempFolder(t);
  const template = {
    apiVersion: 'odin.moreh.io/v1alpha1',
    kind: 'InferenceServiceTemplate',
    metadata: { name: 'inner', namespace: 'mif' },
    spec: {},
  };
  const nested = { kind: 'List', items: [{ kind: 'List', items: [template] }] };
  await writeFile(join(folder, 'nested.json'), JSON.stringify(nested));
  const names = (await loadTemplateDirectory(folder)).list().map((item) => item.metadata?.name);
  t.strictSame(names, ['inner'], 'template inside a List inside a List');
  await writeFile(
    join(folder, 'nested-bad.json'),
    JSON.stringify({ kind: 'List', items: [{ kind: 'List', items: 'SECRET' }] }),
  );
  await t.rejects(
    loadTemplateDirectory(folder),
    /^nested-bad\.json: the items of a List must be a list$/,
  );
});

t.test('JSON error position counts the byte order mark', async (t) => {
  t.throws(
    () => parseYamlDocuments('\ufeff{"a" 1}', 'bom.json'),
    /^bom\.json: invalid JSON: syntax error at position 6$/,
  );
});
