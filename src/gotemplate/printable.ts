// What text/template hands to fmt when it prints a value: pointers followed to
// their target, the invalid value as the text `<no value>`, and values whose type
// has a String method printed through it.

import { Value, indirect, indirectInterface, isValid } from './value.js';

/**
 * Returns the value to print, a string to print as is, or null when Go cannot
 * print the value at all (functions).
 */
export function printableValue(v: Value): Value | string | null {
  let value = v;
  if (value.t.kind === 'ptr') value = indirect(value).value;
  if (!isValid(value)) return '<no value>';
  if (value.t.kind === 'interface') return indirectInterface(value);
  if (value.t.kind === 'func') return null;
  if (value.t.stringer?.format !== undefined) return value.t.stringer.format(value.v);
  return value;
}
