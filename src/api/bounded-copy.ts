// Copies untrusted JSON into a bounded form before schema validation. Any
// in-cluster client can reach the webhook, so depth, list length and key
// count are limited, and the key `__proto__` is removed and reported, so that
// no later merge can follow it into Object.prototype.
import { fieldErrors, type FieldError, type FieldPath } from '../admission/field-errors.js';
import { appendKey } from './ajv-errors.js';

/**
 * Deeper values are left uncopied. The schemas describe at most 16 levels, so
 * ajv never descends that far. Only free-form objects such as
 * `managedFields[].fieldsV1` may nest deeper, and ajv does not enter them.
 */
const MAX_COPY_DEPTH = 64;
/** Longer lists are reported and not validated item by item, which bounds ajv's error count. */
export const MAX_LIST_ITEMS = 10000;
/** Objects with more keys are reported and not validated key by key. */
export const MAX_OBJECT_KEYS = 10000;
/**
 * The key that reaches Object.prototype when code writes `target[key]`. It is
 * no Kubernetes field name and no valid label or annotation key, so it is
 * rejected even as a map key. `constructor` is a valid label key and stays
 * data: every module that copies objects defines own properties.
 */
const RESERVED_KEYS = new Set(['__proto__']);

/**
 * Returns true when `value` contains anything that boundedCopy would leave out
 * or report: a null property, a reserved key, or a list or object over the
 * size bounds, at any depth that boundedCopy copies. Most reviews hold none,
 * and this walk allocates nothing, where a copy builds every object and path.
 */
function needsCopy(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object' || depth > MAX_COPY_DEPTH) return false;
  if (Array.isArray(value)) {
    if (value.length > MAX_LIST_ITEMS) return true;
    for (const item of value) {
      if (needsCopy(item, depth + 1)) return true;
    }
    return false;
  }
  let keys = 0;
  for (const key in value) {
    keys++;
    const child = (value as Record<string, unknown>)[key];
    if (child === null || RESERVED_KEYS.has(key) || needsCopy(child, depth + 1)) return true;
  }
  return keys > MAX_OBJECT_KEYS;
}

/**
 * Returns a JSON value ready for validation: the value itself when it contains
 * nothing to leave out or report (see needsCopy), and otherwise a copy that
 * boundedCopy makes, with the size bounds reported into `errors`. The result
 * may share objects with the input, so neither may be changed afterwards.
 */
export function boundedValue(value: unknown, path: FieldPath, errors: FieldError[]): unknown {
  return needsCopy(value, 0) ? boundedCopy(value, path, 0, errors) : value;
}

/**
 * Copies a JSON value for validation and reports size bounds into `errors`.
 * Properties whose value is null are left out, because the apiserver prunes
 * them from custom resources whose schema does not mark them nullable.
 */
export function boundedCopy(
  value: unknown,
  path: FieldPath,
  depth: number,
  errors: FieldError[],
): unknown {
  if (value === null || typeof value !== 'object' || depth > MAX_COPY_DEPTH) return value;
  if (Array.isArray(value)) {
    if (value.length > MAX_LIST_ITEMS) {
      errors.push(fieldErrors.tooMany(path, value.length, MAX_LIST_ITEMS));
      return [];
    }
    return value.map((item, index) => boundedCopy(item, path.index(index), depth + 1, errors));
  }

  const keys = Object.keys(value);
  if (keys.length > MAX_OBJECT_KEYS) {
    errors.push(fieldErrors.invalid(path, undefined, `must have at most ${MAX_OBJECT_KEYS} keys`));
    return {};
  }
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    const child = (value as Record<string, unknown>)[key];
    const childPath = appendKey(path, key);
    if (RESERVED_KEYS.has(key)) {
      errors.push(
        fieldErrors.forbidden(childPath, `unknown field; \`${key}\` may not be used as a key`),
      );
    } else if (child !== null) {
      // defineProperty, because assigning to `copy['__proto__']` would set the prototype.
      Object.defineProperty(copy, key, {
        value: boundedCopy(child, childPath, depth + 1, errors),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return copy;
}
