// JSON values in the form Go's strategic merge works on after decoding into
// map[string]interface{}: objects are maps, numbers are int64 or float64, and
// `==` between two values panics when both are maps or both are lists. The
// merge keeps these rules because list order and errors depend on them.
import { fail, type FieldPath } from './errors.js';

export type GoMap = Map<string, GoValue>;
export type GoValue = null | boolean | number | string | GoValue[] | GoMap;

/** The Go dynamic type of a decoded JSON value, as reflect.TypeOf distinguishes them. */
export type GoKind = 'nil' | 'bool' | 'string' | 'int64' | 'float64' | 'slice' | 'map';

const INT64_LIMIT = 2 ** 63;

/**
 * Returns the Go type of a value. k8s.io/apimachinery/pkg/util/json decodes a
 * number as int64 when it parses as one and as float64 otherwise.
 * NOTE: JSON text such as `1.0` or `1e3` decodes to float64 in Go but reaches
 * this code as an integral number, so it counts as int64 here.
 */
export function kindOf(value: GoValue): GoKind {
  if (value === null) {
    return 'nil';
  }
  if (value instanceof Map) {
    return 'map';
  }
  if (Array.isArray(value)) {
    return 'slice';
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) && Math.abs(value) < INT64_LIMIT ? 'int64' : 'float64';
  }
  return typeof value === 'boolean' ? 'bool' : 'string';
}

export function isGoMap(value: GoValue | undefined): value is GoMap {
  return value instanceof Map;
}

function isUncomparable(kind: GoKind): boolean {
  return kind === 'map' || kind === 'slice';
}

/**
 * Compares two values like Go's `==` on interface values: equal only with the
 * same dynamic type, and a runtime panic (raised here as a MergeError) when
 * both are maps or both are lists.
 */
export function goEqual(left: GoValue, right: GoValue, path: FieldPath): boolean {
  const kind = kindOf(left);
  if (kind !== kindOf(right)) {
    return false;
  }
  if (isUncomparable(kind)) {
    fail(path, 'merge key values and list items that are compared must not be objects or lists');
  }
  return left === right;
}

/**
 * A scalar used as a JS Map or Set key in place of a Go map key. The value
 * itself serves as the key, because kindOf derives a number's Go type from its
 * value, so int64 1 and float64 1 never both occur. Map keys compare by
 * SameValueZero, which matches Go's `==` on these scalars: 0 equals -0, and
 * NaN never reaches the merge because conversion rejects it.
 */
export type ScalarKey = null | boolean | number | string;

/**
 * Returns the key that identifies a scalar as a Go map key would. Go panics
 * when it hashes a map or a list, so those raise a MergeError.
 */
export function hashKey(value: GoValue, path: FieldPath): ScalarKey {
  if (typeof value === 'object' && value !== null) {
    fail(path, 'list items used as set members must be strings, numbers or booleans');
  }
  return value;
}

/** Returns the key of a scalar, or undefined for a map or list (used by lookups). */
export function scalarKey(value: GoValue): ScalarKey | undefined {
  return typeof value === 'object' && value !== null ? undefined : value;
}

/**
 * Capacities that Go 1.26 gives a []interface{} decoded from a JSON array by
 * k8s.io/apimachinery/pkg/util/json, measured by decoding arrays of each
 * length at which the capacity grows. Go's merge appends into spare capacity
 * and shifts items in place, which can change the list that later steps read
 * as the base order, so the merge reproduces those writes.
 */
const DECODED_CAPACITIES = [
  0, 1, 2, 4, 8, 16, 32, 71, 143, 303, 591, 1023, 1535, 2560, 3584, 5120, 6656, 8704, 11264, 14336,
  18432, 23552, 29696, 37376, 47104, 59392, 74752, 93696, 117760, 147456, 184832, 231424, 289792,
  362496, 453632,
];

const assignedCapacity = new WeakMap<GoValue[], number>();

/** Records the capacity of a list that Go builds itself rather than decodes. */
export function setCapacity(list: GoValue[], capacity: number): GoValue[] {
  assignedCapacity.set(list, capacity);
  return list;
}

/** Returns the Go capacity of a list: recorded, or that of a decoded array of its length. */
export function capacityOf(list: GoValue[]): number {
  const assigned = assignedCapacity.get(list);
  if (assigned !== undefined) {
    return assigned;
  }
  // Lists past the table's last entry, longer than the default limits allow, get no spare room.
  return DECODED_CAPACITIES.find((capacity) => capacity >= list.length) ?? list.length;
}
