// Go reflect.Kind names, which Sprig prints in its errors and kindOf returns,
// and the runtime error Go raises when Sprig inspects the type of a nil value.

import { CallError } from '../funcs.js';
import { Value, isValid } from '../value.js';

export function kindName(v: Value): string {
  if (!isValid(v)) return 'invalid';
  const t = v.t;
  switch (t.kind) {
    case 'int':
    case 'uint':
      return t.base;
    case 'float':
      return `float${t.bits}`;
    default:
      return t.kind;
  }
}

export function nilDereference(): CallError {
  return new CallError('runtime error: invalid memory address or nil pointer dereference');
}
