// Go's reflect.DeepEqual over typed values, which Sprig's has, uniq and without
// use: identical types, nil and empty collections differ, NaN never equals itself.

import { typeString } from '../types.js';
import { GoMap, Ref, Value, isValid } from '../value.js';

function equalLists(a: Value[] | null, b: Value[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
}

function equalMaps(a: GoMap | null, b: GoMap | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.size !== b.size) return false;
  for (const [key, value] of a) {
    const other = b.get(key);
    if (other === undefined || !deepEqual(value, other)) return false;
  }
  return true;
}

export function deepEqual(a: Value, b: Value): boolean {
  if (!isValid(a) || !isValid(b)) return !isValid(a) && !isValid(b);
  if (typeString(a.t) !== typeString(b.t)) return false;
  switch (a.t.kind) {
    case 'slice':
      return equalLists(a.v as Value[] | null, b.v as Value[] | null);
    case 'struct':
      return equalLists(a.v as Value[], b.v as Value[]);
    case 'map':
      return equalMaps(a.v as GoMap | null, b.v as GoMap | null);
    case 'ptr':
      if (a.v === null || b.v === null) return a.v === b.v;
      return a.v === b.v || deepEqual((a.v as Ref).target, (b.v as Ref).target);
    case 'interface':
      if (a.v === null || b.v === null) return a.v === b.v;
      return deepEqual(a.v as Value, b.v as Value);
    default:
      return a.v === b.v;
  }
}
