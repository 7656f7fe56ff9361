// `deref VALUE "Field" ...`: safe navigation through optional fields. Each name
// selects a struct field by its Go name (promoted fields included) or a key of a
// map with string keys. A nil pointer, nil interface or nil map on the way, or a
// missing map key, makes the result nil, which prints as `<no value>`; the final
// value is returned with its pointers followed. An unknown field name, or a name
// applied to a value that is neither struct nor map, is an error. The Go oracle
// implements the same contract, so both engines agree on it.

import { CallError, GoFunc, fn } from './funcs.js';
import { quoteGo } from './quote.js';
import { T, findField, typeString } from './types.js';
import { GoMap, INVALID, Ref, Value, isValid } from './value.js';

function followPointers(v: Value): Value {
  let current = v;
  while (current.t.kind === 'ptr' || current.t.kind === 'interface') {
    if (current.v === null) return INVALID;
    current = current.t.kind === 'ptr' ? (current.v as Ref).target : (current.v as Value);
  }
  return current;
}

function selectField(current: Value, name: string): Value {
  if (current.t.kind === 'struct') {
    const path = findField(current.t, name);
    if (path === undefined) {
      throw new CallError(`no field ${quoteGo(name)} in type ${typeString(current.t)}`);
    }
    let value = current;
    for (const [i, index] of path.entries()) {
      if (i > 0) value = followPointers(value);
      if (!isValid(value)) return INVALID;
      value = (value.v as Value[])[index];
    }
    return value;
  }
  if (current.t.kind === 'map' && current.t.key.kind === 'string') {
    return (current.v as GoMap | null)?.get(name) ?? INVALID;
  }
  throw new CallError(
    `cannot select field ${quoteGo(name)} in a value of type ${typeString(current.t)}`,
  );
}

export function deref([value, ...names]: Value[]): Value {
  let current = value;
  for (const name of names) {
    current = followPointers(current);
    if (!isValid(current)) return INVALID;
    current = selectField(current, name.v as string);
  }
  return followPointers(current);
}

export const derefFunc: GoFunc = fn([T.any], T.any, deref, T.string);
