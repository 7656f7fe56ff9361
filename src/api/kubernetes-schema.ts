// Turns the official Kubernetes OpenAPI v2 definitions (src/generated) into
// JSON Schema 2020-12 definitions for pod template fragments. The pod template
// of a template, and a service's own, may be a partial overlay that strategic
// merge lays over other templates. So the only `required` fields kept are the
// patch merge keys of list items, which the merge needs to match items.
// The strategic merge directives (`$patch`, `$retainKeys`, `$setElementOrder/`,
// `$deleteFromPrimitiveList/`) are declared where strategicpatch accepts them.
import { definitions as kubernetesDefinitions } from '../generated/k8s-openapi.js';
import { INT32_MAX, INT32_MIN, type Schema } from './schema.js';

export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** The canonical quantity syntax of k8s.io/apimachinery's resource.Quantity. */
export const QUANTITY_PATTERN =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

export const PATCH_DIRECTIVE = '$patch';
export const PATCH_DIRECTIVE_VALUES = ['replace', 'delete', 'merge'];
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

const DEFINITIONS_PREFIX = '#/definitions/';

/** Returns the `$patch` directive property, which strategicpatch accepts in any map or struct. */
export function patchDirectiveProperty(): Schema {
  return { type: 'string', enum: [...PATCH_DIRECTIVE_VALUES] };
}

function definitionName(reference: string): string {
  return reference.startsWith(DEFINITIONS_PREFIX)
    ? reference.slice(DEFINITIONS_PREFIX.length)
    : reference;
}

/**
 * Copies one OpenAPI node, pointing `$ref`s at `$defs` and giving `int32`
 * fields their range, which OpenAPI states only as a format.
 */
function convertNode(node: unknown): Schema {
  const source = node as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(source)) {
    if (keyword === '$ref') {
      result.$ref = `#/$defs/${definitionName(value as string)}`;
    } else if (keyword === 'properties') {
      const properties: Record<string, Schema> = {};
      for (const [name, child] of Object.entries(value as Record<string, unknown>)) {
        properties[name] = convertNode(child);
      }
      result.properties = properties;
    } else if (
      keyword === 'items' ||
      (keyword === 'additionalProperties' && typeof value === 'object')
    ) {
      result[keyword] = convertNode(value);
    } else {
      result[keyword] = value;
    }
  }
  if (result.format === 'int32') {
    result.minimum ??= INT32_MIN;
    result.maximum ??= INT32_MAX;
  }
  return result as Schema;
}

function patchStrategies(property: Schema): string[] {
  const strategy = property['x-kubernetes-patch-strategy'];
  return typeof strategy === 'string' ? strategy.split(',') : [];
}

function referencedDefinition(schema: Schema | undefined): string | undefined {
  return schema?.$ref?.replace('#/$defs/', '');
}

/**
 * Requires the merge key on each item of a merge-keyed list, except on the
 * item `{$patch: replace}` that replaces the whole list and carries no key.
 */
function requireMergeKey(items: Schema, mergeKey: string): Schema {
  return {
    ...items,
    type: 'object',
    if: {
      type: 'object',
      required: [PATCH_DIRECTIVE],
      properties: { [PATCH_DIRECTIVE]: { enum: ['replace'] } },
    },
    // The empty property schema satisfies ajv's strictRequired; the real one comes through $ref.
    else: { type: 'object', required: [mergeKey], properties: { [mergeKey]: {} } },
  };
}

function hasScalarItems(list: Schema): boolean {
  const type = list.items?.type;
  return type === 'string' || type === 'integer' || type === 'number' || type === 'boolean';
}

/** Adds the list directives that strategicpatch accepts next to a merged list. */
function addListDirectives(
  properties: Record<string, Schema>,
  name: string,
  list: Schema,
  definitions: Record<string, Schema>,
): void {
  const mergeKey = list['x-kubernetes-patch-merge-key'];
  if (typeof mergeKey === 'string') {
    const itemDefinition = definitions[referencedDefinition(list.items) ?? ''];
    const keySchema = itemDefinition?.properties?.[mergeKey] ?? {};
    properties[`${SET_ELEMENT_ORDER}${name}`] = {
      type: 'array',
      items: { type: 'object', required: [mergeKey], properties: { [mergeKey]: keySchema } },
    };
    return;
  }
  properties[`${SET_ELEMENT_ORDER}${name}`] = { type: 'array', items: list.items };
  properties[`${DELETE_FROM_PRIMITIVE_LIST}${name}`] = { type: 'array', items: list.items };
}

/** Applies fragment semantics to one struct definition, in place. */
function makeFragment(
  definition: Schema,
  definitions: Record<string, Schema>,
  retainKeysTargets: Set<string>,
): void {
  delete definition.required;
  const properties = definition.properties ?? {};
  for (const [name, property] of Object.entries(properties)) {
    const strategies = patchStrategies(property);
    const mergeKey = property['x-kubernetes-patch-merge-key'];
    if (property.items && typeof mergeKey === 'string') {
      property.items = requireMergeKey(property.items, mergeKey);
    }
    // strategicpatch also reads `$setElementOrder/` and `$deleteFromPrimitiveList/`
    // beside a list of scalars without a patch strategy, such as `args`.
    if (property.type === 'array' && (strategies.includes('merge') || hasScalarItems(property))) {
      addListDirectives(properties, name, property, definitions);
    }
    if (strategies.includes('retainKeys')) {
      const target = referencedDefinition(property.items) ?? referencedDefinition(property);
      if (target) retainKeysTargets.add(target);
    }
    if (property.additionalProperties && typeof property.additionalProperties === 'object') {
      property.properties = { [PATCH_DIRECTIVE]: patchDirectiveProperty() };
    }
  }
  properties[PATCH_DIRECTIVE] = patchDirectiveProperty();
}

/** Returns the value schema that replaces a definition the Kubernetes OpenAPI types as a string. */
function kubernetesScalar(name: string): Schema | undefined {
  if (name === QUANTITY) {
    return {
      type: ['integer', 'string'],
      pattern: QUANTITY_PATTERN,
      'x-kubernetes-int-or-string': true,
    };
  }
  if (name === INT_OR_STRING) {
    return { type: ['integer', 'string'], 'x-kubernetes-int-or-string': true };
  }
  return undefined;
}

/**
 * Returns the Kubernetes definitions that PodTemplateSpec reaches, as fragment
 * schemas keyed by their OpenAPI names. Every struct gets
 * `additionalProperties: false` later, with Odin's own definitions.
 */
export function kubernetesFragmentDefinitions(): Record<string, Schema> {
  const result: Record<string, Schema> = {};
  for (const [name, definition] of Object.entries(kubernetesDefinitions)) {
    result[name] = kubernetesScalar(name) ?? convertNode(definition);
  }

  const retainKeysTargets = new Set<string>();
  for (const definition of Object.values(result)) {
    if (definition.properties) makeFragment(definition, result, retainKeysTargets);
  }
  for (const target of retainKeysTargets) {
    const properties = result[target]?.properties;
    if (properties) properties[RETAIN_KEYS] = { type: 'array', items: { type: 'string' } };
  }
  return result;
}

/** Tells whether a property name is a strategic merge directive rather than a field. */
export function isPatchDirective(name: string): boolean {
  return name.startsWith('$');
}
