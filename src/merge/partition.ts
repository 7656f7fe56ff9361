// Splitting a merged list into the items that a patch (or an order directive)
// names and the items only the original has, as Go's partitionPrimitivesByPresentInList
// and partitionMapsByPresentInList do, with their errors.
import { fail, type FieldPath } from './errors.js';
import {
  hashKey,
  isGoMap,
  kindOf,
  scalarKey,
  type GoKind,
  type GoValue,
  type ScalarKey,
} from './go-value.js';

export interface Partition {
  readonly present: GoValue[];
  readonly absent: GoValue[];
}

/** Splits scalars by whether `partitionBy` contains them; Go panics on maps and lists here. */
export function partitionScalars(
  items: readonly GoValue[],
  partitionBy: readonly GoValue[],
  path: FieldPath,
): Partition {
  const members = new Set(partitionBy.map((value) => hashKey(value, path)));
  const present: GoValue[] = [];
  const absent: GoValue[] = [];
  for (const item of items) {
    (members.has(hashKey(item, path)) ? present : absent).push(item);
  }
  return { present, absent };
}

/** Splits maps by whether `partitionBy` has a map with the same merge key value. */
export function partitionMaps(
  items: readonly GoValue[],
  partitionBy: readonly GoValue[],
  mergeKey: string,
  path: FieldPath,
): Partition {
  const lookup = new KeyedLookup(partitionBy, mergeKey, path);
  const present: GoValue[] = [];
  const absent: GoValue[] = [];
  for (const item of items) {
    if (!isGoMap(item)) {
      fail(path, `items of a list merged by "${mergeKey}" must be objects`);
    }
    if (!item.has(mergeKey)) {
      fail(path, `every item must contain the merge key "${mergeKey}"`);
    }
    (lookup.contains(item.get(mergeKey) as GoValue) ? present : absent).push(item);
  }
  return { present, absent };
}

/**
 * Membership by merge key value in a list, as findMapInSliceBasedOnKeyValue
 * scans it: a non-map item reached before a match is an error.
 */
class KeyedLookup {
  private readonly firstPosition = new Map<ScalarKey, number>();
  private readonly uncomparableKinds = new Set<GoKind>();
  private firstNonMap = Infinity;

  constructor(
    list: readonly GoValue[],
    mergeKey: string,
    private readonly path: FieldPath,
  ) {
    list.forEach((item, position) => {
      if (!isGoMap(item)) {
        this.firstNonMap = Math.min(this.firstNonMap, position);
        return;
      }
      if (!item.has(mergeKey)) {
        return;
      }
      const value = item.get(mergeKey) as GoValue;
      const key = scalarKey(value);
      if (key === undefined) {
        this.uncomparableKinds.add(kindOf(value));
      } else if (!this.firstPosition.has(key)) {
        this.firstPosition.set(key, position);
      }
    });
  }

  contains(value: GoValue): boolean {
    const key = scalarKey(value);
    const position = key === undefined ? Infinity : (this.firstPosition.get(key) ?? Infinity);
    if (this.firstNonMap < position) {
      fail(this.path, 'list items must all be objects');
    }
    if (key === undefined && this.uncomparableKinds.has(kindOf(value))) {
      fail(this.path, 'merge key values must not be objects or lists');
    }
    return position !== Infinity;
  }
}
