// Sprig's notion of an empty value, shared by default, empty, coalesce, all, any
// and compact: nil, false, 0, "" and empty lists and maps are empty, structs never.

import { Value, indirectInterface, isValid, lengthOf } from '../value.js';

export function isEmpty(given: Value): boolean {
  const g = indirectInterface(given);
  if (!isValid(g)) return true;
  switch (g.t.kind) {
    case 'slice':
    case 'map':
    case 'string':
      return lengthOf(g) === 0;
    case 'bool':
      return !(g.v as boolean);
    case 'int':
    case 'uint':
      return (g.v as bigint) === 0n;
    case 'float':
      return (g.v as number) === 0;
    case 'struct':
      return false;
    default:
      return g.v === null;
  }
}
