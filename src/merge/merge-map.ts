// Map merge of Kubernetes strategic merge patch, following mergeMap in
// k8s.io/apimachinery/pkg/util/strategicpatch (v0.34.2). Null deletes a key,
// and a patch value is copied when the original lacks the key or has a value
// of another type. Maps merge recursively and lists merge by their patch
// strategy. The original map is updated in place, as in Go, and returned.
import {
  applyMapPatchDirective,
  applyRetainKeys,
  DELETE_FROM_PRIMITIVE_LIST_PREFIX,
  discardNullValues,
  extractDirectiveField,
  PATCH_DIRECTIVE,
  removeDirectives,
} from './directives.js';
import { fail, type FieldPath } from './errors.js';
import { isGoMap, kindOf, type GoMap, type GoValue } from './go-value.js';
import { mergeSliceField } from './merge-list.js';
import { lookupStructField, type GoType } from './patch-meta.js';
import { mergeOrderedLists } from './set-element-order.js';

/** Returns the path of map key `key` inside a value of type `schema`. */
export function childPath(path: FieldPath, schema: GoType, key: string): FieldPath {
  return schema.kind === 'map' ? path.key(key) : path.field(key);
}

/** Merges `patch` into `original` (null means an empty original) and returns the merged map. */
export function mergeMap(
  original: GoMap | null,
  patch: GoMap,
  schema: GoType,
  path: FieldPath,
): GoMap {
  if (patch.has(PATCH_DIRECTIVE)) {
    return applyMapPatchDirective(patch.get(PATCH_DIRECTIVE) as GoValue, patch, path);
  }
  const target = original ?? new Map<string, GoValue>();
  applyRetainKeys(target, patch, path);
  mergeOrderedLists(target, patch, schema, path);

  // NOTE: Go visits the patch keys in random map order, which matters only
  // when a patch both adds and deletes one value of a primitive list through
  // `<field>` and `$deleteFromPrimitiveList/<field>`. The keys are visited in
  // patch order here, which is one of the orders Go may pick.
  for (const [key, patchValue] of patch) {
    mergeEntry(target, key, patchValue, schema, path);
  }
  return target;
}

function mergeEntry(
  target: GoMap,
  patchKey: string,
  patchValue: GoValue,
  schema: GoType,
  path: FieldPath,
): void {
  let key = patchKey;
  let isDeleteList = false;
  if (patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) {
    const listField = extractDirectiveField(patchKey, DELETE_FROM_PRIMITIVE_LIST_PREFIX, path);
    // Go keeps the whole key when nothing follows the slash.
    key = listField === '' ? patchKey : listField;
    isDeleteList = true;
  }

  if (patchValue === null) {
    target.delete(key);
    return;
  }

  const originalValue = target.get(key);
  if (originalValue === undefined || kindOf(originalValue) !== kindOf(patchValue)) {
    if (!isDeleteList) {
      copyPatchValue(target, key, patchValue);
    }
    return;
  }

  const entryPath = childPath(path, schema, key);
  if (isGoMap(originalValue)) {
    mergeMapField(target, key, originalValue, patchValue as GoMap, schema, entryPath);
  } else if (Array.isArray(originalValue)) {
    const patchList = patchValue as GoValue[];
    const merged = mergeSliceField(originalValue, patchList, schema, key, isDeleteList, entryPath);
    target.set(key, merged.result);
  } else {
    // Two scalars of one type: the patch value wins.
    target.set(key, patchValue);
  }
}

function copyPatchValue(target: GoMap, key: string, patchValue: GoValue): void {
  discardNullValues(patchValue);
  const cleaned = removeDirectives(patchValue);
  if (cleaned === undefined) {
    target.delete(key);
  } else {
    target.set(key, cleaned);
  }
}

function mergeMapField(
  target: GoMap,
  key: string,
  originalValue: GoMap,
  patchValue: GoMap,
  schema: GoType,
  path: FieldPath,
): void {
  const meta = lookupStructField(schema, key, (message) => fail(path, message));
  const strategy = listStrategy(meta.strategies, path);
  const merged =
    strategy === 'replace' ? patchValue : mergeMap(originalValue, patchValue, meta.type, path);
  target.set(key, merged);
}

/**
 * Returns the strategy of a field other than retainKeys, which only guides
 * patch creation: `merge`, `replace` or '' for none. Mirrors
 * extractRetainKeysPatchStrategy.
 */
export function listStrategy(strategies: readonly string[], path: FieldPath): string {
  if (strategies.length === 1) {
    return strategies[0] === 'retainKeys' ? '' : strategies[0];
  }
  if (strategies.length === 2 && strategies.includes('retainKeys')) {
    return strategies[0] === 'retainKeys' ? strategies[1] : strategies[0];
  }
  fail(path, `unexpected patch strategy ${JSON.stringify(strategies.join(','))}`);
}
