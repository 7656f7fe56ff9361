// Go slices of list items that share a backing array with the original list.
// Go's merge deletes and appends in place, and a later step reads the
// original's array as the base order, so these classes reproduce what Go
// leaves in that array. Both index items by merge key value, because Go's
// linear scans would make long lists quadratic.
import { fail, type FieldPath } from './errors.js';
import {
  kindOf,
  scalarKey,
  type GoKind,
  type GoMap,
  type GoValue,
  type ScalarKey,
} from './go-value.js';

/**
 * A Go slice over a backing array that it may share with the original list:
 * writes stay visible through the original until an append outgrows the
 * capacity and Go copies the items to a new array.
 */
export class KeyedSlice {
  private items: GoValue[];
  private shared = true;
  private readonly firstPosition = new Map<ScalarKey, number>();
  private readonly uncomparableKinds = new Set<GoKind>();

  constructor(
    buffer: GoValue[],
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
    // Map values are never undefined, so undefined means the key is missing.
    const value = item.get(this.mergeKey);
    if (value === undefined) {
      return;
    }
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
 * The `$patch: delete` items of a patch applied to the original's backing
 * array. Go deletes the matches of each directive one at a time by shifting
 * the tail left, which leaves copies of the then-last item in the freed
 * slots. This gives the same array in time linear in the list length.
 */
export class Deletions {
  private readonly positionsByKey = new Map<ScalarKey, number[]>();
  private readonly uncomparableKinds = new Set<GoKind>();
  private deleted: boolean[] = [];
  private readonly staleFills: { from: number; to: number; item: GoValue }[] = [];
  private lastKept: number;
  /** Whether the buffer is indexed. The first deletion indexes it, as most patches delete nothing. */
  private indexed = false;
  length: number;

  constructor(
    private readonly buffer: GoValue[],
    private readonly mergeKey: string,
  ) {
    this.length = buffer.length;
    this.lastKept = buffer.length - 1;
  }

  /** Indexes the items by merge key value. The buffer does not change until `apply`. */
  private indexBuffer(): void {
    this.indexed = true;
    this.deleted = new Array<boolean>(this.buffer.length).fill(false);
    this.buffer.forEach((item, position) => {
      const map = item as GoMap;
      if (!map.has(this.mergeKey)) {
        return;
      }
      const value = map.get(this.mergeKey) as GoValue;
      const key = scalarKey(value);
      if (key === undefined) {
        this.uncomparableKinds.add(kindOf(value));
      } else {
        const positions = this.positionsByKey.get(key) ?? [];
        positions.push(position);
        this.positionsByKey.set(key, positions);
      }
    });
  }

  /** Deletes every remaining item whose merge key equals `value`. */
  delete(value: GoValue, path: FieldPath): void {
    if (!this.indexed) {
      this.indexBuffer();
    }
    const key = scalarKey(value);
    if (key === undefined) {
      // Go compares with `==`, which panics on two maps or two lists.
      if (this.uncomparableKinds.has(kindOf(value))) {
        fail(path, 'merge key values must not be objects or lists');
      }
      return;
    }
    const positions = this.positionsByKey.get(key) ?? [];
    this.positionsByKey.delete(key);
    if (positions.length === 0) {
      return;
    }
    const last = this.buffer[this.lastKept];
    for (const position of positions) {
      this.deleted[position] = true;
    }
    this.staleFills.push({ from: this.length - positions.length, to: this.length, item: last });
    this.length -= positions.length;
    while (this.lastKept >= 0 && this.deleted[this.lastKept]) {
      this.lastKept--;
    }
  }

  /** Writes the remaining items to the front of the buffer and the stale copies after them. */
  apply(): void {
    if (this.staleFills.length === 0) {
      return;
    }
    let writePosition = 0;
    this.buffer.forEach((item, position) => {
      if (!this.deleted[position]) {
        this.buffer[writePosition++] = item;
      }
    });
    for (const { from, to, item } of this.staleFills) {
      this.buffer.fill(item, from, to);
    }
  }
}
