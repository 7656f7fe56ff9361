// Conversion between JSON values and the merge's Go-like values. Objects
// become Maps, so keys such as `__proto__`, `constructor` and `prototype` are
// plain data inside the merge, and results are built with defineProperty, so
// those keys become own properties and never reach a prototype. Reading the
// input walks an explicit stack and enforces the limits, so deep or huge
// input fails with a MergeError instead of exhausting the call stack.
import { isDirectiveKey } from './directives.js';
import { fail, type FieldPath } from './errors.js';
import { isGoMap, type GoMap, type GoValue } from './go-value.js';

export interface MergeLimits {
  /** Maximum nesting depth of objects and lists in one input; the top-level object is depth 1. */
  maxDepth: number;
  /** Maximum number of values (objects, lists and scalars) in one input. */
  maxNodes: number;
}

interface PendingValue {
  readonly source: unknown;
  readonly path: FieldPath;
  readonly depth: number;
  readonly place: (value: GoValue) => void;
}

/** Copies a JSON value into Go-like values; `label` names the input in errors. */
export function toGoValue(
  input: unknown,
  limits: MergeLimits,
  root: FieldPath,
  label: string,
): GoValue {
  let result: GoValue = null;
  const pending: PendingValue[] = [
    { source: input, path: root, depth: 0, place: (value) => (result = value) },
  ];
  const budget = { limits, label, values: 1 };
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    next.place(convertValue(next, budget, pending));
  }
  return result;
}

interface Budget {
  readonly limits: MergeLimits;
  readonly label: string;
  /** Values seen so far, counting the children of every container when it is opened. */
  values: number;
}

/** Counts the children of a container before they are queued, so no huge input is queued. */
function reserve(budget: Budget, children: number, path: FieldPath): void {
  budget.values += children;
  if (budget.values > budget.limits.maxNodes) {
    fail(path, `${budget.label} has more than ${budget.limits.maxNodes} values, the merge limit`);
  }
}

function convertValue(
  { source, path, depth }: PendingValue,
  budget: Budget,
  pending: PendingValue[],
): GoValue {
  const { limits, label } = budget;
  if (source === null || typeof source === 'string' || typeof source === 'boolean') {
    return source;
  }
  if (typeof source === 'number' && Number.isFinite(source)) {
    return source;
  }
  if (typeof source !== 'object') {
    fail(path, `${label} contains a value that is not JSON: ${typeof source}`);
  }
  if (depth + 1 > limits.maxDepth) {
    fail(
      path,
      `${label} nests objects and lists deeper than ${limits.maxDepth} levels, the merge limit`,
    );
  }

  if (Array.isArray(source)) {
    reserve(budget, source.length, path);
    const list: GoValue[] = new Array<GoValue>(source.length).fill(null);
    source.forEach((item: unknown, position) => {
      const place = (value: GoValue): void => {
        list[position] = value;
      };
      pending.push({ source: item, path: path.index(position), depth: depth + 1, place });
    });
    return list;
  }

  const keys = Object.keys(source);
  reserve(budget, keys.length, path);
  const map: GoMap = new Map();
  for (const key of keys) {
    const value: unknown = (source as Record<string, unknown>)[key];
    if (value === undefined) {
      continue;
    }
    // Reserve the key now so the map keeps the input's key order.
    map.set(key, null);
    const place = (converted: GoValue): void => {
      map.set(key, converted);
    };
    pending.push({ source: value, path: path.field(key), depth: depth + 1, place });
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
    Object.defineProperty(object, key, {
      value: toJson(child, clean),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return object;
}
