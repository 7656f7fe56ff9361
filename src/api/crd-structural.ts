// Rewrites a JSON Schema 2020-12 node of the API into the structural OpenAPI
// v3 schema that apiextensions.k8s.io/v1 requires. `$ref`s are inlined, every
// node has a type, and int-or-string takes the one `anyOf` form CRDs accept.
// Keywords that CRDs do not know are dropped, because the apiserver rejects them.
// The merge-key requirement of pod template lists is an if/else, so that a
// `{$patch: replace}` item may omit the key. CRDs have no such form, so the
// CRD leaves merge keys optional and the webhook enforces them.
//
// Inside pod templates the apiserver must keep what strategic merge reads:
// directive keys (`$patch`, `$setElementOrder/containers`, ...) and `null`
// values, which delete a key. A structural schema prunes unknown keys and
// the nulls of non-nullable fields, so every object that accepts directives
// is marked `x-kubernetes-preserve-unknown-fields` and its fields `nullable`,
// and so are the values of every map that accepts directives.
// The webhook still rejects unknown fields that are not directives.
import type { Schema } from './schema.js';
import { isPatchDirective } from './kubernetes-schema.js';

/** Keywords that CRDs do not support and that carry no meaning for the apiserver. */
const DROPPED_KEYWORDS = new Set([
  '$ref',
  'if',
  'then',
  'else',
  'x-kubernetes-patch-merge-key',
  'x-kubernetes-patch-strategy',
  'x-kubernetes-unions',
]);

const DEFINITION_PREFIX = '#/$defs/';

function resolve(schema: Schema, definitions: Record<string, Schema>, seen: string[]): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.slice(DEFINITION_PREFIX.length);
  if (seen.includes(name)) throw new Error(`cannot inline the recursive definition ${name}`);
  const target = definitions[name];
  if (!target) throw new Error(`schema references the unknown definition ${name}`);
  seen.push(name);
  // Keywords beside a `$ref` (a description, the merge-key condition) refine the target.
  const { $ref: _reference, ...siblings } = schema;
  return { ...resolve(target, definitions, seen), ...siblings };
}

/**
 * Rewrites a node into the int-or-string form of a structural schema, as
 * controller-gen writes it for Quantity and IntOrString.
 */
function intOrString(schema: Schema): Schema {
  const { type: _types, ...rest } = schema;
  return { ...rest, anyOf: [{ type: 'integer' }, { type: 'string' }] };
}

/**
 * Tells whether every key of a list map is required in its items. The apiserver
 * rejects a list map whose keys may be absent, and pod template fragments
 * leave nearly every field optional, so such lists stay plain lists in a CRD.
 */
function hasRequiredMapKeys(schema: Schema): boolean {
  const keys = schema['x-kubernetes-list-map-keys'];
  const required = schema.items?.required ?? [];
  return Array.isArray(keys) && keys.every((key) => required.includes(String(key)));
}

function structuralProperties(
  properties: Record<string, Schema>,
  definitions: Record<string, Schema>,
  seen: string[],
): Record<string, Schema> {
  const result: Record<string, Schema> = {};
  const acceptsDirectives = Object.keys(properties).some(isPatchDirective);
  for (const [name, child] of Object.entries(properties)) {
    if (isPatchDirective(name)) continue;
    result[name] = inline(child, definitions, seen);
    if (acceptsDirectives) result[name].nullable = true;
  }
  return result;
}

function inline(schema: Schema, definitions: Record<string, Schema>, seen: string[]): Schema {
  const depth = seen.length;
  const resolved = resolve(schema, definitions, seen);
  const result: Schema = {};
  for (const [keyword, value] of Object.entries(resolved)) {
    if (DROPPED_KEYWORDS.has(keyword)) continue;
    if (keyword === 'properties') {
      const properties = value as Record<string, Schema>;
      result.properties = structuralProperties(properties, definitions, seen);
      if (Object.keys(properties).some(isPatchDirective)) {
        result['x-kubernetes-preserve-unknown-fields'] = true;
      }
    } else if (keyword === 'items') {
      result.items = inline(value as Schema, definitions, seen);
    } else if (keyword === 'additionalProperties') {
      if (typeof value === 'object') {
        result.additionalProperties = inline(value as Schema, definitions, seen);
        // In a map that accepts directives (nodeSelector, labels, resource limits),
        // a null value deletes that key, so the apiserver must keep it.
        if (Object.keys(resolved.properties ?? {}).some(isPatchDirective)) {
          result.additionalProperties.nullable = true;
        }
      }
    } else {
      (result as Record<string, unknown>)[keyword] = value;
    }
  }
  seen.length = depth;
  return finish(result);
}

/** The order of keywords in a written CRD, for readers: what a field is before what it contains. */
const KEYWORD_ORDER = ['type', 'format', 'description', 'default', 'enum', 'minimum', 'maximum'];

function orderKeywords(schema: Schema): Schema {
  const rank = (keyword: string): number => {
    const position = KEYWORD_ORDER.indexOf(keyword);
    if (position !== -1) return position;
    return keyword === 'properties' || keyword === 'items' || keyword === 'additionalProperties'
      ? KEYWORD_ORDER.length + 1
      : KEYWORD_ORDER.length;
  };
  const keywords = Object.keys(schema).sort((a, b) => rank(a) - rank(b));
  return Object.fromEntries(
    keywords.map((keyword) => [keyword, (schema as Record<string, unknown>)[keyword]]),
  );
}

/** Applies the rules of structural schemas that concern a node's own keywords. */
function finish(schema: Schema): Schema {
  if (schema.additionalProperties) delete schema.properties;
  if (schema['x-kubernetes-list-type'] === 'map' && !hasRequiredMapKeys(schema)) {
    delete schema['x-kubernetes-list-type'];
    delete schema['x-kubernetes-list-map-keys'];
  }
  if (schema.type === 'object' && !schema.properties && !schema.additionalProperties) {
    schema['x-kubernetes-preserve-unknown-fields'] = true;
  }
  if (schema['x-kubernetes-int-or-string'] === true) return orderKeywords(intOrString(schema));
  return orderKeywords(schema);
}

/** Inlines and rewrites one schema node for a CRD's openAPIV3Schema. */
export function toStructural(schema: Schema, definitions: Record<string, Schema>): Schema {
  return inline(schema, definitions, []);
}
