// Checks that values.yaml documents every value and that values.schema.json
// types every value, without helm.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { isMap, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml';
import { CHART_DIR } from './helm.js';

/**
 * Values that are Kubernetes objects passed through as they are; a comment on
 * the object documents its fields, which the Kubernetes API reference describes.
 */
const KUBERNETES_OBJECTS = new Set([
  'resources.requests',
  'resources.limits',
  'podSecurityContext',
  'securityContext',
]);

interface JsonSchema {
  type?: string | string[];
  anyOf?: JsonSchema[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
}

const valuesDocument = parseDocument(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8'));
const schema = JSON.parse(
  readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8'),
) as JsonSchema;

interface ValueEntry {
  path: string;
  comment: string | undefined;
  value: unknown;
}

/** Lists every key of values.yaml with its path and the comment above it. */
function listValues(map: YAMLMap, prefix: string, entries: ValueEntry[]): ValueEntry[] {
  map.items.forEach((pair, index) => {
    const key = String((pair.key as { value: unknown }).value);
    const path = prefix === '' ? key : `${prefix}.${key}`;
    // The yaml package attaches the comment above a mapping's first key to the mapping.
    const comment =
      (pair.key as Node).commentBefore ?? (index === 0 ? map.commentBefore : undefined);
    const node = pair.value as Node | null;
    entries.push({ path, comment: comment ?? undefined, value: node });
    if (isMap(node) && !KUBERNETES_OBJECTS.has(path)) listValues(node, path, entries);
  });
  return entries;
}

function schemaAt(path: string): JsonSchema | undefined {
  let current: JsonSchema | undefined = schema;
  for (const key of path.split('.')) current = current?.properties?.[key];
  return current;
}

function typesOf(node: JsonSchema): string[] {
  if (node.type !== undefined) return Array.isArray(node.type) ? node.type : [node.type];
  return (node.anyOf ?? []).flatMap(typesOf);
}

function yamlType(node: unknown): string {
  if (isMap(node)) return 'object';
  if (isSeq(node)) return 'array';
  const value = (node as { value: unknown }).value;
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const values = listValues(valuesDocument.contents as YAMLMap, '', []);

t.test('values.yaml parses', async (t) => {
  t.same(valuesDocument.errors, []);
  t.ok(values.length > 40, `found ${values.length} values`);
});

t.test('every value has a comment', async (t) => {
  for (const { path, comment } of values) {
    t.ok(comment?.trim(), `${path} has a comment`);
  }
});

t.test('every value has a typed schema', async (t) => {
  for (const { path, value } of values) {
    const node = schemaAt(path);
    if (node === undefined) {
      t.fail(`${path} is missing from values.schema.json`);
      continue;
    }
    const types = typesOf(node);
    t.ok(types.length > 0, `${path} has a type`);
    t.ok(node.description, `${path} has a description`);

    // An integer is also a number in JSON Schema.
    const actual = yamlType(value);
    const accepted = types.includes(actual) || (actual === 'integer' && types.includes('number'));
    t.ok(accepted, `${path} default is ${actual}, schema allows ${types.join(' or ')}`);
  }
});

t.test('chart sections reject unknown keys', async (t) => {
  t.equal(schema.additionalProperties, false, 'top level');
  for (const { path, value } of values) {
    if (!isMap(value) || KUBERNETES_OBJECTS.has(path)) continue;
    const node = schemaAt(path);
    const isFreeMap = typeof node?.additionalProperties === 'object';
    const isKubernetesObject = node?.properties === undefined;
    if (isFreeMap || isKubernetesObject) continue;
    t.equal(node?.additionalProperties, false, path);
  }
});

t.test('every schema property is in values.yaml', async (t) => {
  const known = new Set(values.map((entry) => entry.path));
  const walk = (node: JsonSchema, prefix: string): void => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const path = prefix === '' ? key : `${prefix}.${key}`;
      // global is what helm passes to subcharts; Kubernetes objects may leave fields out.
      if (
        path === 'global' ||
        [...KUBERNETES_OBJECTS].some((object) => path.startsWith(`${object}.`))
      ) {
        continue;
      }
      if (path.startsWith('livenessProbe.') || path.startsWith('readinessProbe.')) {
        continue;
      }
      t.ok(known.has(path), `${path} is in values.yaml`);
      walk(child, path);
    }
  };
  walk(schema, '');
});
