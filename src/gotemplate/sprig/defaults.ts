// Sprig's default, empty, coalesce, all, any and ternary (Sprig v3.3.0
// defaults.go semantics): `default` replaces every empty value, so an explicit
// false or 0 also takes the default, exactly as Helm users see it.

import { GoFunc, fn } from '../funcs.js';
import { T } from '../types.js';
import { INVALID, Value, mk } from '../value.js';
import { isEmpty } from './empty.js';

function dfault([d, ...given]: Value[]): Value {
  if (given.length === 0 || isEmpty(given[0])) return d;
  return given[0];
}

function coalesce(values: Value[]): Value {
  return values.find((v) => !isEmpty(v)) ?? INVALID;
}

export const defaultFuncs: Record<string, GoFunc> = {
  default: fn([T.any], T.any, dfault, T.any),
  empty: fn([T.any], T.bool, ([v]) => mk.bool(isEmpty(v))),
  coalesce: fn([], T.any, coalesce, T.any),
  all: fn([], T.bool, (values) => mk.bool(values.every((v) => !isEmpty(v))), T.any),
  any: fn([], T.bool, (values) => mk.bool(values.some((v) => !isEmpty(v))), T.any),
  ternary: fn([T.any, T.any, T.bool], T.any, ([vt, vf, v]) => ((v.v as boolean) ? vt : vf)),
};
