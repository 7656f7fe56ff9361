// List merge of Kubernetes strategic merge patch, following mergeSlice in
// k8s.io/apimachinery/pkg/util/strategicpatch (v0.34.2). Lists whose patch
// strategy is `merge` merge by their merge key (lists of maps) or as sets
// (lists of scalars). Every other list is replaced by the patch list.
//
// Go merges in place inside the original's backing array. A later step reads
// that array as the original order, so the merge keeps the same buffer and
// returns it as `originalView` next to the result.
import { fail, type FieldPath } from './errors.js';
import {
  capacityOf,
  hashKey,
  kindOf,
  setCapacity,
  type GoKind,
  type GoValue,
  type ScalarKey,
} from './go-value.js';
import { mergeKeyedList } from './keyed-list.js';
import { normalizeElementOrder } from './list-order.js';
import { partitionMaps, partitionScalars } from './partition.js';
import { listStrategy } from './merge-map.js';
import { lookupSliceField, type GoType } from './patch-meta.js';

export interface SliceMergeResult {
  readonly result: GoValue[];
  /** The first original-length items of the original's backing array after the merge. */
  readonly originalView: readonly GoValue[];
}

/** Merges list field `key` of a value of type `schema` by that field's patch strategy. */
export function mergeSliceField(
  original: GoValue[],
  patch: GoValue[],
  schema: GoType,
  key: string,
  isDeleteList: boolean,
  path: FieldPath,
): SliceMergeResult {
  const meta = lookupSliceField(schema, key, (message) => fail(path, message));
  const strategy = listStrategy(meta.strategies, path);
  return mergeSliceByStrategy(
    original,
    patch,
    meta.type,
    strategy,
    meta.mergeKey,
    isDeleteList,
    path,
  );
}

/** Merges two lists when the strategy is `merge` or the patch is a deletion list; else replaces. */
export function mergeSliceByStrategy(
  original: GoValue[],
  patch: GoValue[],
  itemType: GoType,
  strategy: string,
  mergeKey: string,
  isDeleteList: boolean,
  path: FieldPath,
): SliceMergeResult {
  if (strategy !== 'merge' && !isDeleteList) {
    return { result: patch, originalView: original };
  }
  if (original.length === 0 && patch.length === 0) {
    return { result: original, originalView: original };
  }

  const kind = sliceElementKind([original, patch], path);
  if (kind !== 'map') {
    return mergeScalarList(original, patch, mergeKey, isDeleteList, kind, path);
  }
  if (mergeKey === '') {
    fail(path, 'a list of objects without a merge key cannot be merged');
  }
  return mergeKeyedList(original, patch, itemType, mergeKey, path);
}

/** Returns the one Go type shared by all items of the lists, failing as sliceElementType does. */
export function sliceElementKind(lists: readonly (readonly GoValue[])[], path: FieldPath): GoKind {
  let first: GoKind | undefined;
  for (const list of lists) {
    for (const item of list) {
      const kind = kindOf(item);
      if (first === undefined) {
        // Go dereferences the nil type of a leading null item and panics.
        if (kind === 'nil') {
          fail(path, 'list items must not be null');
        }
        if (kind === 'slice') {
          fail(path, 'lists of lists are not supported');
        }
        first = kind;
      } else if (kind !== first) {
        fail(path, `list items must all have the same type, but ${first} and ${kind} are mixed`);
      }
    }
  }
  if (first === undefined) {
    fail(path, 'the lists to order have no items');
  }
  return first;
}

function mergeScalarList(
  original: GoValue[],
  patch: GoValue[],
  mergeKey: string,
  isDeleteList: boolean,
  kind: GoKind,
  path: FieldPath,
): SliceMergeResult {
  if (isDeleteList) {
    const deleted = new Set(patch.map((value) => hashKey(value, path)));
    const remaining = original.filter((value) => !deleted.has(hashKey(value, path)));
    return { result: setCapacity(remaining, original.length), originalView: original };
  }

  // Go appends the patch to the original, in its spare capacity when it fits.
  const sharesBuffer = original.length + patch.length <= capacityOf(original);
  const buffer = [...original, ...patch];
  const length = deduplicateScalars(buffer, path);
  const merged = buffer.slice(0, length);
  const serverOrder = sharesBuffer ? buffer.slice(0, original.length) : original;

  const partition =
    mergeKey === ''
      ? partitionScalars(merged, patch, path)
      : partitionMaps(merged, patch, mergeKey, path);
  const result = normalizeElementOrder(
    partition.present,
    partition.absent,
    patch,
    serverOrder,
    mergeKey,
    kind,
    path,
  );
  return { result, originalView: serverOrder };
}

/**
 * Removes later duplicates in place like Go's deduplicateScalars, which fills
 * each hole with the last item, and returns the new length. Slots past the
 * new length keep what Go leaves there. Positions per value make this
 * O(n log n) where Go's loop is quadratic.
 */
export function deduplicateScalars(items: GoValue[], path: FieldPath): number {
  const positions = new Map<ScalarKey, Set<number>>();
  items.forEach((item, position) => {
    const key = hashKey(item, path);
    let set = positions.get(key);
    if (set === undefined) {
      set = new Set();
      positions.set(key, set);
    }
    set.add(position);
  });

  let length = items.length;
  for (let i = 0; i < length - 1; i++) {
    const key = hashKey(items[i], path);
    const own = positions.get(key) as Set<number>;
    const duplicates = [...own].filter((position) => position > i).sort((a, b) => a - b);
    for (const hole of duplicates) {
      if (hole >= length) {
        break;
      }
      length = fillHole(items, hole, length, key, own, positions, path);
    }
  }
  return length;
}

/** Fills a duplicate's hole with the last item that is not a duplicate too; returns the new length. */
function fillHole(
  items: GoValue[],
  hole: number,
  length: number,
  key: ScalarKey,
  own: Set<number>,
  positions: Map<ScalarKey, Set<number>>,
  path: FieldPath,
): number {
  let end = length;
  while (true) {
    const last = end - 1;
    own.delete(last);
    if (last === hole) {
      return last;
    }
    const moved = items[last];
    items[hole] = moved;
    end = last;
    const movedKey = hashKey(moved, path);
    if (movedKey !== key) {
      const movedPositions = positions.get(movedKey) as Set<number>;
      movedPositions.delete(last);
      movedPositions.add(hole);
      own.delete(hole);
      return end;
    }
  }
}
