// Traversal of a JSON value that visits every string value (never keys) with its
// field path and rebuilds the value with replacements. Objects are rebuilt with
// Object.fromEntries, which defines own properties, so a key such as `__proto__`
// stays an ordinary key and the input is never mutated.

import { childPath, indexPath } from './paths.js';

export type StringVisitor = (text: string, path: string) => string;

export function mapStrings(value: unknown, path: string, visit: StringVisitor): unknown {
  if (typeof value === 'string') return visit(value, path);
  if (Array.isArray(value))
    return value.map((item, i) => mapStrings(item, indexPath(path, i), visit));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => [
      key,
      mapStrings(item, childPath(path, key), visit),
    ]);
    return Object.fromEntries(entries);
  }
  return value;
}

/** Calls `visit` for every string value, without rebuilding anything. */
export function forEachString(
  value: unknown,
  path: string,
  visit: (text: string, path: string) => void,
): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value))
    value.forEach((item, i) => forEachString(item, indexPath(path, i), visit));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value))
      forEachString(item, childPath(path, key), visit);
  }
}
