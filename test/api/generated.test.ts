// The generated schemas and CRDs: up to date with src/api, structural as
// apiextensions.k8s.io/v1 requires, small enough for `kubectl apply`, and
// accepting the same fragments as the validator.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Ajv } from 'ajv';
import t from 'tap';
import { parse } from 'yaml';
import {
  crdManifests,
  generatedFiles,
  jsonBytes,
  MAX_CRD_JSON_BYTES,
  staleFiles,
} from '../../scripts/gen.js';
import { validateInferenceService, validateInferenceServiceTemplate } from '../../src/api/index.js';

type Node = Record<string, unknown>;

/** The fields of JSONSchemaProps that a CRD may use; the apiserver rejects any other. */
const CRD_KEYWORDS = new Set([
  'type',
  'format',
  'description',
  'default',
  'enum',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'maxItems',
  'pattern',
  'required',
  'properties',
  'items',
  'additionalProperties',
  'anyOf',
  'nullable',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
]);

/** Returns a problem for each node that a structural schema does not allow. */
function structuralProblems(node: Node, path: string, problems: string[]): string[] {
  for (const keyword of Object.keys(node)) {
    if (!CRD_KEYWORDS.has(keyword)) problems.push(`${path}: keyword ${keyword}`);
  }
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  if (!node.type && !intOrString && !node['x-kubernetes-preserve-unknown-fields']) {
    problems.push(`${path}: no type`);
  }
  if (node.anyOf && !intOrString) problems.push(`${path}: anyOf outside int-or-string`);
  if (node.properties && node.additionalProperties)
    problems.push(`${path}: properties and additionalProperties`);
  if (node.additionalProperties === false) problems.push(`${path}: additionalProperties false`);
  if (node['x-kubernetes-list-type'] === 'map') {
    const required = ((node.items as Node).required as string[] | undefined) ?? [];
    for (const key of node['x-kubernetes-list-map-keys'] as string[]) {
      if (!required.includes(key)) problems.push(`${path}: list map key ${key} is optional`);
    }
  }
  for (const [name, child] of Object.entries((node.properties as Record<string, Node>) ?? {})) {
    if (name.startsWith('$')) problems.push(`${path}: property ${name}`);
    structuralProblems(child, `${path}.${name}`, problems);
  }
  if (node.items) structuralProblems(node.items as Node, `${path}[]`, problems);
  if (typeof node.additionalProperties === 'object') {
    structuralProblems(node.additionalProperties as Node, `${path}{}`, problems);
  }
  return problems;
}

function collectDefaults(node: Node, path: string, found: string[]): string[] {
  if (node.default !== undefined) found.push(`${path}=${JSON.stringify(node.default)}`);
  for (const [name, child] of Object.entries((node.properties as Record<string, Node>) ?? {})) {
    collectDefaults(child, `${path}.${name}`, found);
  }
  if (node.items) collectDefaults(node.items as Node, `${path}[]`, found);
  return found;
}

function openApiSchema(crd: Node): Node {
  const versions = (crd.spec as Node).versions as Node[];
  return withoutUntypedNullable((versions[0].schema as Node).openAPIV3Schema as Node) as Node;
}

/** ajv accepts `nullable` only beside `type`; int-or-string nodes have `anyOf` instead. */
function withoutUntypedNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutUntypedNullable);
  if (typeof node !== 'object' || node === null) return node;
  const result: Node = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable' && !('type' in node)) continue;
    result[key] = withoutUntypedNullable(value);
  }
  return result;
}

t.test('generated files are up to date', async (t) => {
  t.same(staleFiles(), [], 'run `npm run gen` and commit the result');
});

t.test('staleness check finds missing and changed files', async (t) => {
  const root = t.testdir({});
  const files = generatedFiles();
  t.equal(staleFiles(root).length, files.size, 'every file is missing');

  const [changed] = files.keys();
  for (const [name, text] of files) {
    const path = join(root, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, name === changed ? `${text}\n` : text);
  }
  t.same(staleFiles(root), [changed]);
});

t.test('generated files carry a header', async (t) => {
  for (const [name, text] of generatedFiles()) {
    t.match(text, /npm run gen/, name);
  }
});

t.test('CRDs are structural', async (t) => {
  for (const [kind, crd] of Object.entries(crdManifests())) {
    t.same(structuralProblems(openApiSchema(crd), kind, []), [], kind);
  }
});

t.test('CRDs declare only safe defaults', async (t) => {
  const crds = crdManifests();
  t.same(collectDefaults(openApiSchema(crds.InferenceService), '', []).sort(), [
    '.spec.replicas=1',
    '.spec.templateRefs[].group="odin.moreh.io"',
    '.spec.templateRefs[].kind="InferenceServiceTemplate"',
  ]);
  t.same(collectDefaults(openApiSchema(crds.InferenceServiceTemplate), '', []), []);
});

t.test('CRDs fit the last-applied annotation', async (t) => {
  for (const [kind, crd] of Object.entries(crdManifests())) {
    t.ok(jsonBytes(crd) <= MAX_CRD_JSON_BYTES, `${kind} is ${jsonBytes(crd)} bytes`);
  }
});

t.test('CRD names, subresources and columns', async (t) => {
  const { InferenceService, InferenceServiceTemplate } = crdManifests();
  const serviceSpec = InferenceService.spec as Node;
  const templateSpec = InferenceServiceTemplate.spec as Node;
  t.equal((InferenceService.metadata as Node).name, 'inferenceservices.odin.moreh.io');
  t.same((serviceSpec.names as Node).shortNames, ['isvc', 'is']);
  t.same((templateSpec.names as Node).shortNames, ['ist']);
  t.same((serviceSpec.names as Node).categories, ['odin']);

  const [serviceVersion] = serviceSpec.versions as Node[];
  t.match(serviceVersion, { name: 'v1alpha1', served: true, storage: true });
  t.same(serviceVersion.subresources, {
    status: {},
    scale: {
      specReplicasPath: '.spec.replicas',
      statusReplicasPath: '.status.replicas',
      labelSelectorPath: '.status.hpaPodSelector',
    },
  });
  const [templateVersion] = templateSpec.versions as Node[];
  t.equal(templateVersion.subresources, undefined);
  t.ok((serviceVersion.additionalPrinterColumns as Node[]).length > 0);
});

t.test('chart CRDs equal the schemas CRDs', async (t) => {
  const files = generatedFiles();
  for (const [name, text] of files) {
    if (!name.startsWith('schemas/crds/')) continue;
    t.equal(
      files.get(name.replace('schemas/crds/', 'charts/odin-webhook/files/crds/')),
      text,
      name,
    );
  }
});

t.test('CRD schemas accept what the validator accepts', async (t) => {
  // ajv takes the place of the apiserver here, because both check types, required fields and limits.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const crds = crdManifests();
  const directory = new URL('fixtures/valid/', import.meta.url);
  for (const name of readdirSync(directory)) {
    const object = parse(readFileSync(new URL(name, directory), 'utf8')) as Node;
    const kind = object.kind as 'InferenceService' | 'InferenceServiceTemplate';
    const validate =
      kind === 'InferenceService' ? validateInferenceService : validateInferenceServiceTemplate;
    t.same(validate(object), [], `validator accepts ${name}`);
    const crdValidate = ajv.compile(openApiSchema(crds[kind]));
    t.ok(crdValidate(object), `CRD accepts ${name}: ${JSON.stringify(crdValidate.errors)}`);
  }
});
