// Order of a merged list, following normalizeElementOrder and its helpers in
// k8s.io/apimachinery/pkg/util/strategicpatch (v0.34.2). Items named by the
// patch keep the patch order, items only in the original keep the original
// order, and the two runs are interleaved using the original order. Lookups
// that Go does by scanning a list use an index built once, so a merge stays
// fast on long lists while returning the same results and errors.
import { fail, type FieldPath } from './errors.js';
import { goStableSort } from './go-sort.js';
import {
  isGoMap,
  kindOf,
  scalarKey,
  setCapacity,
  type GoKind,
  type GoMap,
  type GoValue,
  type ScalarKey,
} from './go-value.js';
import { PATCH_DIRECTIVE } from './directives.js';

/**
 * Position lookup in an order list by merge key value (maps) or by value
 * (scalars), like Go's index. Building one never fails. Only lookups raise
 * Go's errors.
 */
class OrderIndex {
  private readonly firstPosition = new Map<ScalarKey, number>();
  private readonly uncomparableKinds = new Set<GoKind>();

  constructor(
    order: readonly GoValue[],
    private readonly mergeKey: string,
    private readonly kind: GoKind,
    private readonly path: FieldPath,
  ) {
    for (let position = 0; position < order.length; position++) {
      const value = this.lookupValue(order[position]);
      const key = scalarKey(value);
      if (key === undefined) {
        this.uncomparableKinds.add(kindOf(value));
      } else if (!this.firstPosition.has(key)) {
        this.firstPosition.set(key, position);
      }
    }
  }

  private lookupValue(item: GoValue): GoValue {
    if (this.kind !== 'map') {
      return item;
    }
    return isGoMap(item) ? (item.get(this.mergeKey) ?? null) : null;
  }

  /** Returns the first position of an item with the same value, or -1. */
  find(item: GoValue): number {
    const value = this.lookupValue(item);
    const key = scalarKey(value);
    if (key === undefined) {
      // Go compares with `==`, which panics on two maps or two lists.
      if (this.uncomparableKinds.has(kindOf(value))) {
        fail(this.path, 'merge key values must not be objects or lists');
      }
      return -1;
    }
    return this.firstPosition.get(key) ?? -1;
  }
}

/** Fails unless every item of the lists is a map that contains the merge key. */
export function validateMergeKeys(
  mergeKey: string,
  lists: readonly (readonly GoValue[])[],
  path: FieldPath,
): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isGoMap(item)) {
        fail(path, `items of a list merged by "${mergeKey}" must be objects`);
      }
      if (!item.has(mergeKey)) {
        fail(path, `every item must contain the merge key "${mergeKey}"`);
      }
    }
  }
}

/**
 * Sorts `items` by their position in `order`, looked up in `index`, keeping
 * items that `order` lacks where Go's comparison leaves them, and moves
 * `$patch: delete` items to the end.
 */
function normalizeSliceOrder(
  items: GoValue[],
  order: readonly GoValue[],
  index: OrderIndex,
  mergeKey: string,
  kind: GoKind,
  path: FieldPath,
): GoValue[] {
  let sortable = items;
  const deletions: GoValue[] = [];
  if (kind === 'map') {
    validateMergeKeys(mergeKey, [items, order], path);
    sortable = [];
    for (const item of items) {
      const isDeletion = (item as GoMap).get(PATCH_DIRECTIVE) === 'delete';
      (isDeletion ? deletions : sortable).push(item);
    }
  }

  goStableSort(sortable, (left, right) => {
    const leftPosition = index.find(left);
    if (leftPosition >= 0) {
      const rightPosition = index.find(right);
      if (rightPosition >= 0) {
        return leftPosition < rightPosition;
      }
    }
    return true;
  });
  return [...sortable, ...deletions];
}

/**
 * Interleaves the original-only items (`left`) into the patch items (`right`):
 * an original-only item goes first only when both items appear in
 * `serverOrder` and it comes earlier there.
 */
function mergeSortedLists(
  left: readonly GoValue[],
  right: readonly GoValue[],
  index: OrderIndex,
): GoValue[] {
  const merged: GoValue[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) {
      merged.push(right[j++]);
    } else if (j >= right.length) {
      merged.push(left[i++]);
    } else {
      const leftPosition = index.find(left[i]);
      const rightPosition = index.find(right[j]);
      const leftFirst = leftPosition >= 0 && rightPosition >= 0 && leftPosition < rightPosition;
      merged.push(leftFirst ? left[i++] : right[j++]);
    }
  }
  // Go allocates exactly the merged length.
  return setCapacity(merged, merged.length);
}

/** Returns the merged list in Go's order, from its patch items and original-only items. */
export function normalizeElementOrder(
  patchItems: GoValue[],
  serverOnlyItems: GoValue[],
  patchOrder: readonly GoValue[],
  serverOrder: readonly GoValue[],
  mergeKey: string,
  kind: GoKind,
  path: FieldPath,
): GoValue[] {
  const patchIndex = new OrderIndex(patchOrder, mergeKey, kind, path);
  const patchSorted = normalizeSliceOrder(patchItems, patchOrder, patchIndex, mergeKey, kind, path);
  // Built before the server items are validated, which is safe because building never
  // fails. The index serves both the sort and the interleaving.
  const serverIndex = new OrderIndex(serverOrder, mergeKey, kind, path);
  const serverSorted = normalizeSliceOrder(
    serverOnlyItems,
    serverOrder,
    serverIndex,
    mergeKey,
    kind,
    path,
  );
  return mergeSortedLists(serverSorted, patchSorted, serverIndex);
}
