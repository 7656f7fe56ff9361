// Traversals of a JSON value that visit string values (never keys) with their
// field paths. A path is built only for a string that is visited, because
// building one for every value cost more than rendering a typical spec.

import { childPath, indexPath } from './paths.js';

export type StringVisitor = (text: string, path: string) => string;

/** Keys and list indexes from the root to the current value. */
type Segments = (string | number)[];

function pathOf(root: string, segments: Segments): string {
  let path = root;
  for (const segment of segments) {
    path = typeof segment === 'number' ? indexPath(path, segment) : childPath(path, segment);
  }
  return path;
}

/** Copies an object with one property replaced; defineProperty keeps `__proto__` an ordinary key. */
function withProperty(object: object, key: string, value: unknown): Record<string, unknown> {
  const copy = Object.fromEntries(Object.entries(object)) as Record<string, unknown>;
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/**
 * Returns `value` with each string for which `select` returns true (every
 * string, without `select`) replaced by `visit`'s result. The input is never
 * mutated. Objects and lists on the way to a changed string are copied, and
 * everything else is shared with the input, so the result must not be changed
 * while the input is in use.
 */
export function mapStrings(
  value: unknown,
  path: string,
  visit: StringVisitor,
  select?: (text: string) => boolean,
): unknown {
  const segments: Segments = [];
  const walk = (current: unknown): unknown => {
    if (typeof current === 'string') {
      return select === undefined || select(current)
        ? visit(current, pathOf(path, segments))
        : current;
    }
    if (Array.isArray(current)) {
      let copy: unknown[] | undefined;
      for (let index = 0; index < current.length; index++) {
        segments.push(index);
        const item: unknown = current[index];
        const mapped = walk(item);
        segments.pop();
        if (mapped !== item) (copy ??= current.slice())[index] = mapped;
      }
      return copy ?? current;
    }
    if (current !== null && typeof current === 'object') {
      let copy: Record<string, unknown> | undefined;
      for (const key of Object.keys(current)) {
        segments.push(key);
        const item = (current as Record<string, unknown>)[key];
        const mapped = walk(item);
        segments.pop();
        if (mapped === item) continue;
        if (copy === undefined) copy = withProperty(current, key, mapped);
        else
          Object.defineProperty(copy, key, {
            value: mapped,
            enumerable: true,
            writable: true,
            configurable: true,
          });
      }
      return copy ?? current;
    }
    return current;
  };
  return walk(value);
}

/** Calls `visit` for every string for which `select` returns true (every string, without `select`). */
export function forEachString(
  value: unknown,
  path: string,
  visit: (text: string, path: string) => void,
  select?: (text: string) => boolean,
): void {
  const segments: Segments = [];
  const walk = (current: unknown): void => {
    if (typeof current === 'string') {
      if (select === undefined || select(current)) visit(current, pathOf(path, segments));
    } else if (Array.isArray(current)) {
      for (let index = 0; index < current.length; index++) {
        segments.push(index);
        walk(current[index]);
        segments.pop();
      }
    } else if (current !== null && typeof current === 'object') {
      for (const key of Object.keys(current)) {
        segments.push(key);
        walk((current as Record<string, unknown>)[key]);
        segments.pop();
      }
    }
  };
  walk(value);
}
