// Merge of a list of maps by its merge key, following mergeSliceWithSpecialElements
// and mergeSliceWithoutSpecialElements in k8s.io/apimachinery/pkg/util/strategicpatch
// (v0.34.2). Patch items with `$patch: delete` remove every original item
// with their key, `$patch: replace` makes the other patch items the whole
// list, and every other patch item merges into the first original item with
// its key or is appended.
import { PATCH_DIRECTIVE } from './directives.js';
import { fail, type FieldPath } from './errors.js';
import {
  capacityOf,
  kindOf,
  scalarKey,
  type GoKind,
  type GoMap,
  type GoValue,
} from './go-value.js';
import { normalizeElementOrder, partitionMaps } from './list-order.js';
import type { SliceMergeResult } from './merge-list.js';
import { mergeMap } from './merge-map.js';
import type { GoType } from './patch-meta.js';

/**
 * A Go slice over a backing array that it may share with the original list:
 * writes stay visible through the original until an append outgrows the
 * capacity and Go copies the items to a new array.
 */
class KeyedSlice {
  private items: GoValue[];
  private shared = true;
  private readonly firstPosition = new Map<string, number>();
  private readonly uncomparableKinds = new Set<GoKind>();

  constructor(
    readonly buffer: GoValue[],
    public length: number,
    private readonly capacity: number,
    private readonly mergeKey: string,
  ) {
    this.items = buffer;
    for (let position = 0; position < length; position++) {
      this.indexItem(buffer[position] as GoMap, position);
    }
  }

  private indexItem(item: GoMap, position: number): void {
    if (!item.has(this.mergeKey)) {
      return;
    }
    const value = item.get(this.mergeKey) as GoValue;
    const key = scalarKey(value);
    if (key === undefined) {
      this.uncomparableKinds.add(kindOf(value));
    } else if (!this.firstPosition.has(key)) {
      this.firstPosition.set(key, position);
    }
  }

  /** Returns the position of the first item whose merge key equals `value`, or -1. */
  find(value: GoValue, path: FieldPath): number {
    const key = scalarKey(value);
    if (key === undefined) {
      if (this.uncomparableKinds.has(kindOf(value))) {
        fail(path, 'merge key values must not be objects or lists');
      }
      return -1;
    }
    return this.firstPosition.get(key) ?? -1;
  }

  get(position: number): GoMap {
    return this.items[position] as GoMap;
  }

  set(position: number, item: GoMap): void {
    this.items[position] = item;
  }

  append(item: GoMap): void {
    if (this.shared && this.length >= this.capacity) {
      this.items = this.items.slice(0, this.length);
      this.shared = false;
    }
    this.items[this.length] = item;
    this.indexItem(item, this.length);
    this.length++;
  }

  contents(): GoValue[] {
    return this.items.slice(0, this.length);
  }
}

/**
 * Removes every item of buffer[0:length] whose merge key equals `value`, as
 * Go's repeated in-place deletions do: the freed slots keep the item that was
 * last. Returns the new length.
 */
function deleteMatching(
  buffer: GoValue[],
  length: number,
  mergeKey: string,
  value: GoValue,
  path: FieldPath,
): number {
  const key = scalarKey(value);
  const matches = (item: GoMap): boolean => {
    if (!item.has(mergeKey)) {
      return false;
    }
    const candidate = item.get(mergeKey) as GoValue;
    if (key === undefined && kindOf(candidate) === kindOf(value)) {
      fail(path, 'merge key values must not be objects or lists');
    }
    return key !== undefined && scalarKey(candidate) === key;
  };

  const last = buffer[length - 1];
  let kept = 0;
  for (let position = 0; position < length; position++) {
    const item = buffer[position] as GoMap;
    if (!matches(item)) {
      buffer[kept++] = item;
    }
  }
  for (let position = kept; position < length; position++) {
    buffer[position] = last;
  }
  return kept;
}

interface PatchItem {
  readonly item: GoMap;
  readonly position: number;
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
  let length = original.length;
  let replace = false;
  const plain: PatchItem[] = [];
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
      length = deleteMatching(buffer, length, mergeKey, item.get(mergeKey) as GoValue, itemPath);
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      fail(itemPath, '$patch: merge is not supported in a list');
    } else {
      fail(
        itemPath,
        `unsupported $patch value ${JSON.stringify(directive)} in a list: supported values are "replace" and "delete"`,
      );
    }
  });

  let merged: GoValue[];
  let serverOrder: readonly GoValue[];
  let patchOrder: GoValue[];
  if (replace) {
    merged = plain.map(({ item }) => item);
    serverOrder = merged;
    patchOrder = [];
  } else {
    const slice = new KeyedSlice(buffer, length, capacityOf(original), mergeKey);
    mergePatchItems(slice, plain, itemType, mergeKey, path);
    merged = slice.contents();
    serverOrder = buffer.slice(0, length);
    patchOrder = plain.map(({ item }) => item);
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
