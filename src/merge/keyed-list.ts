// Merge of a list of maps by its merge key, following mergeSliceWithSpecialElements
// and mergeSliceWithoutSpecialElements in k8s.io/apimachinery/pkg/util/strategicpatch
// (v0.34.2). Patch items with `$patch: delete` remove every original item
// with their key, `$patch: replace` makes the other patch items the whole
// list, and every other patch item merges into the first original item with
// its key or is appended.
import { PATCH_DIRECTIVE } from './directives.js';
import { fail, type FieldPath } from './errors.js';
import { capacityOf, type GoMap, type GoValue } from './go-value.js';
import { Deletions, KeyedSlice } from './keyed-slice.js';
import { normalizeElementOrder } from './list-order.js';
import { partitionMaps } from './partition.js';
import type { SliceMergeResult } from './merge-list.js';
import { mergeMap } from './merge-map.js';
import type { GoType } from './patch-meta.js';

interface PatchItem {
  readonly item: GoMap;
  readonly position: number;
}

/**
 * Applies the `$patch` items of a list patch in order and records deletions in
 * `deletions`. Returns the plain items and whether a `$patch: replace` item
 * was present.
 */
function applySpecialItems(
  patch: readonly GoValue[],
  deletions: Deletions,
  mergeKey: string,
  path: FieldPath,
): { plain: PatchItem[]; replace: boolean } {
  const plain: PatchItem[] = [];
  let replace = false;
  patch.forEach((value, position) => {
    const item = value as GoMap;
    if (!item.has(PATCH_DIRECTIVE)) {
      plain.push({ item, position });
      return;
    }
    const itemPath = path.index(position);
    const directive = item.get(PATCH_DIRECTIVE) as GoValue;
    if (directive === 'delete') {
      if (!item.has(mergeKey)) {
        fail(itemPath, `an item with $patch: delete must contain the merge key "${mergeKey}"`);
      }
      deletions.delete(item.get(mergeKey) as GoValue, itemPath);
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      fail(itemPath, '$patch: merge is not supported in a list');
    } else {
      const shown = JSON.stringify(directive);
      fail(itemPath, `unsupported $patch value ${shown} in a list: use "replace" or "delete"`);
    }
  });
  return { plain, replace };
}

/** Merges two lists of maps by `mergeKey`; the caller has checked that all items are maps. */
export function mergeKeyedList(
  original: GoValue[],
  patch: GoValue[],
  itemType: GoType,
  mergeKey: string,
  path: FieldPath,
): SliceMergeResult {
  const buffer = original.slice();
  const deletions = new Deletions(buffer, mergeKey);
  const { plain, replace } = applySpecialItems(patch, deletions, mergeKey, path);
  deletions.apply();

  // `$patch: replace` makes the plain patch items both the list and its base order.
  let merged = plain.map(({ item }): GoValue => item);
  let serverOrder: readonly GoValue[] = merged;
  let patchOrder: GoValue[] = [];
  if (!replace) {
    const slice = new KeyedSlice(buffer, deletions.length, capacityOf(original), mergeKey);
    mergePatchItems(slice, plain, itemType, mergeKey, path);
    patchOrder = merged;
    merged = slice.contents();
    serverOrder = buffer.slice(0, deletions.length);
  }

  const partition = partitionMaps(merged, patchOrder, mergeKey, path);
  const result = normalizeElementOrder(
    partition.present,
    partition.absent,
    patchOrder,
    serverOrder,
    mergeKey,
    'map',
    path,
  );
  return { result, originalView: buffer.slice(0, original.length) };
}

function mergePatchItems(
  slice: KeyedSlice,
  items: readonly PatchItem[],
  itemType: GoType,
  mergeKey: string,
  path: FieldPath,
): void {
  for (const { item, position } of items) {
    const itemPath = path.index(position);
    if (!item.has(mergeKey)) {
      fail(itemPath, `every item must contain the merge key "${mergeKey}"`);
    }
    const found = slice.find(item.get(mergeKey) as GoValue, itemPath);
    if (found >= 0) {
      slice.set(found, mergeMap(slice.get(found), item, itemType, itemPath));
    } else {
      slice.append(item);
    }
  }
}
