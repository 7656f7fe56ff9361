// Conversion between JSON values and the merge's Go-like values. Objects
// become Maps, so keys such as `__proto__`, `constructor` and `prototype` are
// plain data inside the merge. Results are built by assignment, which creates
// an own property for every key except `__proto__`, the one accessor that
// Object.prototype has. That key is defined with defineProperty, so no key
// reaches a prototype. Reading the input walks an explicit stack and enforces
// the limits, so deep or huge input fails with a MergeError instead of
// exhausting the call stack.
import { isDirectiveKey } from './directives.js';
import { fail, type FieldPath } from './errors.js';
import { isGoMap, type GoMap, type GoValue } from './go-value.js';

export interface MergeLimits {
  /** Maximum nesting depth of objects and lists in one input; the top-level object is depth 1. */
  maxDepth: number;
  /** Maximum number of values (objects, lists and scalars) in one input. */
  maxNodes: number;
}

/**
 * A container value that is yet to be converted. It records where its copy
 * goes and how it was reached, so that its field path is built only for an
 * error. Scalars are copied directly and never become pending values.
 */
interface PendingValue {
  readonly source: unknown;
  readonly depth: number;
  /** The pending value that contains this one, or undefined at the root. */
  readonly parent: PendingValue | undefined;
  /** Map key or list index of this value in its parent. */
  readonly key: string | number;
  /** The converted parent that receives the copy at `key`, or undefined at the root. */
  readonly target: GoMap | GoValue[] | undefined;
}

interface Conversion {
  readonly limits: MergeLimits;
  readonly label: string;
  readonly root: FieldPath;
  /** Values seen so far, counting the children of every container when it is opened. */
  values: number;
  readonly pending: PendingValue[];
}

/** Copies a JSON value into Go-like values; `label` names the input in errors. */
export function toGoValue(
  input: unknown,
  limits: MergeLimits,
  root: FieldPath,
  label: string,
): GoValue {
  const conversion: Conversion = { limits, label, root, values: 1, pending: [] };
  const top: PendingValue = {
    source: input,
    depth: 0,
    parent: undefined,
    key: '',
    target: undefined,
  };
  const result = convertValue(top, conversion);
  for (let next = conversion.pending.pop(); next !== undefined; next = conversion.pending.pop()) {
    const value = convertValue(next, conversion);
    if (Array.isArray(next.target)) {
      next.target[next.key as number] = value;
    } else {
      (next.target as GoMap).set(next.key as string, value);
    }
  }
  return result;
}

/** Returns whether a value copies unchanged into a Go-like value. */
function isJsonScalar(value: unknown): value is null | boolean | number | string {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/** Builds the field path of a pending value: list indices in brackets, map keys as fields. */
function pathOf(value: PendingValue, root: FieldPath): FieldPath {
  const chain: PendingValue[] = [];
  for (let node = value; node.parent !== undefined; node = node.parent) {
    chain.push(node);
  }
  let path = root;
  for (let i = chain.length - 1; i >= 0; i--) {
    const key = chain[i].key;
    path = typeof key === 'number' ? path.index(key) : path.field(key);
  }
  return path;
}

/** Counts the children of a container before they are queued, so no huge input is queued. */
function reserve(conversion: Conversion, children: number, value: PendingValue): void {
  conversion.values += children;
  const { limits, label, root } = conversion;
  if (conversion.values > limits.maxNodes) {
    fail(pathOf(value, root), `${label} has more than ${limits.maxNodes} values, the merge limit`);
  }
}

/**
 * Converts one value. A container is returned with its scalar children
 * copied and its other children queued, in the slots they will fill.
 */
function convertValue(value: PendingValue, conversion: Conversion): GoValue {
  const { source, depth } = value;
  const { limits, label, root, pending } = conversion;
  if (isJsonScalar(source)) {
    return source;
  }
  if (typeof source !== 'object') {
    fail(pathOf(value, root), `${label} contains a value that is not JSON: ${typeof source}`);
  }
  if (depth + 1 > limits.maxDepth) {
    fail(
      pathOf(value, root),
      `${label} nests objects and lists deeper than ${limits.maxDepth} levels, the merge limit`,
    );
  }

  if (Array.isArray(source)) {
    reserve(conversion, source.length, value);
    const list: GoValue[] = new Array<GoValue>(source.length).fill(null);
    // forEach skips the holes of a sparse array, which therefore become null.
    source.forEach((item: unknown, position) => {
      if (isJsonScalar(item)) {
        list[position] = item;
      } else {
        pending.push({
          source: item,
          depth: depth + 1,
          parent: value,
          key: position,
          target: list,
        });
      }
    });
    return list;
  }

  const keys = Object.keys(source);
  reserve(conversion, keys.length, value);
  const map: GoMap = new Map();
  for (const key of keys) {
    const child: unknown = (source as Record<string, unknown>)[key];
    if (child === undefined) {
      continue;
    }
    if (isJsonScalar(child)) {
      map.set(key, child);
    } else {
      // Reserve the key now so the map keeps the input's key order.
      map.set(key, null);
      pending.push({ source: child, depth: depth + 1, parent: value, key, target: map });
    }
  }
  return map;
}

/**
 * Copies Go-like values back to JSON. With `clean`, directive keys and null
 * object values are left out, as Go's decoding into typed structs leaves them
 * out (directives are unknown fields, and null is the zero value).
 */
export function toJson(value: GoValue, clean: boolean): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => toJson(item, clean));
  }
  if (!isGoMap(value)) {
    return value;
  }
  const object: Record<string, unknown> = {};
  for (const [key, child] of value) {
    if (clean && (child === null || isDirectiveKey(key))) {
      continue;
    }
    if (key === '__proto__') {
      // Assignment would call the inherited __proto__ setter and replace the
      // prototype, so this key is defined as an own property instead.
      Object.defineProperty(object, key, {
        value: toJson(child, clean),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      object[key] = toJson(child, clean);
    }
  }
  return object;
}
