// The `$setElementOrder/<field>` directive, following mergePatchIntoOriginal
// in k8s.io/apimachinery/pkg/util/strategicpatch (v0.34.2): the named list is
// merged first, then its items that the directive lists take the directive's
// order and the other original items are interleaved by their original order.
import {
  extractDirectiveField,
  PATCH_DIRECTIVE,
  removeDirectives,
  SET_ELEMENT_ORDER_PREFIX,
} from './directives.js';
import { fail, type FieldPath } from './errors.js';
import { goEqual, isGoMap, type GoMap, type GoValue } from './go-value.js';
import { normalizeElementOrder } from './list-order.js';
import { partitionMaps, partitionScalars } from './partition.js';
import { mergeSliceByStrategy, sliceElementKind } from './merge-list.js';
import { childPath, listStrategy } from './merge-map.js';
import { lookupSliceField, type GoType } from './patch-meta.js';

/** Applies every `$setElementOrder/<field>` of `patch` to `target`, removing the lists it merged. */
export function mergeOrderedLists(
  target: GoMap,
  patch: GoMap,
  schema: GoType,
  path: FieldPath,
): void {
  for (const key of [...patch.keys()]) {
    if (!key.startsWith(SET_ELEMENT_ORDER_PREFIX) || !patch.has(key)) {
      continue;
    }
    const order = patch.get(key) as GoValue;
    patch.delete(key);
    if (!Array.isArray(order)) {
      fail(path.field(key), `${SET_ELEMENT_ORDER_PREFIX} must be a list`);
    }
    const listField = extractDirectiveField(key, SET_ELEMENT_ORDER_PREFIX, path);
    orderList(target, patch, listField, order, schema, childPath(path, schema, listField));
  }
}

function listValue(map: GoMap, key: string, path: FieldPath): GoValue[] | undefined {
  if (!map.has(key)) {
    return undefined;
  }
  const value = map.get(key) as GoValue;
  if (!Array.isArray(value)) {
    fail(path, `must be a list, because ${SET_ELEMENT_ORDER_PREFIX}/${key} orders it`);
  }
  return value;
}

function orderList(
  target: GoMap,
  patch: GoMap,
  listField: string,
  order: GoValue[],
  schema: GoType,
  path: FieldPath,
): void {
  const originalList = listValue(target, listField, path);
  const patchList = listValue(patch, listField, path);
  const meta = lookupSliceField(schema, listField, (message) => fail(path, message));
  const strategy = listStrategy(meta.strategies, path);
  validatePatchOrder(patchList ?? [], order, meta.mergeKey, path);

  let merged: GoValue[];
  let serverOrder: readonly GoValue[] = originalList ?? [];
  if (originalList !== undefined && patchList !== undefined) {
    const mergeKey = meta.mergeKey;
    const sliceMerge = mergeSliceByStrategy(
      originalList,
      patchList,
      meta.type,
      strategy,
      mergeKey,
      false,
      path,
    );
    merged = sliceMerge.result;
    serverOrder = sliceMerge.originalView;
  } else if (patchList !== undefined) {
    merged = removeDirectives(patchList) as GoValue[];
  } else if (originalList !== undefined) {
    merged = originalList;
  } else {
    return;
  }

  const partition =
    meta.mergeKey === ''
      ? partitionScalars(merged, order, path)
      : partitionMaps(merged, order, meta.mergeKey, path);
  const kind = sliceElementKind([originalList ?? [], patchList ?? []], path);
  const ordered = normalizeElementOrder(
    partition.present,
    partition.absent,
    order,
    serverOrder,
    meta.mergeKey,
    kind,
    path,
  );
  target.set(listField, ordered);
  patch.delete(listField);
}

/**
 * Fails unless the patch list (without deletions) is a subsequence of the
 * order list, compared by merge key, as validatePatchWithSetOrderList does.
 */
function validatePatchOrder(
  patchList: readonly GoValue[],
  order: readonly GoValue[],
  mergeKey: string,
  path: FieldPath,
): void {
  if (order.length === 0 || patchList.length === 0) {
    return;
  }
  let items = patchList;
  if (mergeKey !== '') {
    if (!patchList.every(isGoMap)) {
      fail(path, `items of a list merged by "${mergeKey}" must be objects`);
    }
    items = patchList.filter((item) => (item as GoMap).get(PATCH_DIRECTIVE) !== 'delete');
  }

  let patchPosition = 0;
  let orderPosition = 0;
  while (patchPosition < items.length && orderPosition < order.length) {
    const item = items[patchPosition];
    if (isGoMap(item) && item.has(PATCH_DIRECTIVE)) {
      patchPosition++;
      continue;
    }
    if (mergeKeyValueEqual(item, order[orderPosition], mergeKey, path)) {
      patchPosition++;
    }
    orderPosition++;
  }
  if (patchPosition < items.length) {
    fail(path, `the patch list must keep the item order that ${SET_ELEMENT_ORDER_PREFIX} gives`);
  }
}

function mergeKeyValueEqual(
  left: GoValue,
  right: GoValue,
  mergeKey: string,
  path: FieldPath,
): boolean {
  if (mergeKey === '') {
    return goEqual(left, right, path);
  }
  if (!isGoMap(left) || !isGoMap(right)) {
    fail(path, `items of a list merged by "${mergeKey}" must be objects`);
  }
  if (!left.has(mergeKey) || !right.has(mergeKey)) {
    fail(path, `every item must contain the merge key "${mergeKey}"`);
  }
  return goEqual(left.get(mergeKey) as GoValue, right.get(mergeKey) as GoValue, path);
}
