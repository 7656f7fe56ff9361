// The comparison builtins eq, ne, lt, le, gt and ge of Go's text/template: basic
// kinds only, int and uint compared by value, and Go's error texts for
// incompatible or non-comparable operands.

import { CallError, REFLECT_VALUE, fn } from '../funcs.js';
import { sprintf } from '../fmt/printf.js';
import { compareStrings } from '../fmt/printer.js';
import { T, typeString } from '../types.js';
import { Value, indirectInterface, isNil, isValid, mk } from '../value.js';

type BasicKind = 'invalid' | 'bool' | 'int' | 'uint' | 'float' | 'string';

function basicKind(v: Value): BasicKind {
  switch (v.t.kind) {
    case 'bool':
    case 'int':
    case 'uint':
    case 'float':
    case 'string':
      return v.t.kind;
    default:
      return 'invalid';
  }
}

const BAD_COMPARISON = 'invalid type for comparison';

function incompatible(a: Value, b: Value): CallError {
  return new CallError(
    `incompatible types for comparison: ${typeString(a.t)} and ${typeString(b.t)}`,
  );
}

function nilOf(v: Value): boolean {
  return !isValid(v) || isNil(v);
}

function isComparable(v: Value): boolean {
  return !['slice', 'map', 'func'].includes(v.t.kind);
}

function equalOther(a: Value, b: Value): boolean {
  const sameKind = a.t.kind === b.t.kind || !isValid(a) || !isValid(b);
  if (!sameKind) {
    throw new CallError(
      `non-comparable types ${sprintf('%s', [a])}: ${typeString(a.t)}, ${typeString(b.t)}: ${sprintf('%v', [b])}`,
    );
  }
  if (nilOf(a) || nilOf(b)) return nilOf(a) === nilOf(b);
  if (!isComparable(b)) {
    throw new CallError(`non-comparable type ${sprintf('%s', [b])}: ${typeString(b.t)}`);
  }
  if (typeString(a.t) !== typeString(b.t)) return false;
  if (a.t.kind === 'ptr') return a.v === b.v;
  return sprintf('%#v', [a]) === sprintf('%#v', [b]);
}

function equalPair(a: Value, b: Value): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return (a.v as bigint) >= 0n && a.v === b.v;
    if (k1 === 'uint' && k2 === 'int') return (b.v as bigint) >= 0n && a.v === b.v;
    if (isValid(a) && isValid(b)) throw incompatible(a, b);
    return false;
  }
  if (k1 === 'invalid') return equalOther(a, b);
  return a.v === b.v;
}

/** Go's eq: true when the first operand equals any of the others. */
function eq(args: Value[]): boolean {
  const first = indirectInterface(args[0]);
  if (args.length < 2) throw new CallError('missing argument for comparison');
  return args.slice(1).some((arg) => equalPair(first, indirectInterface(arg)));
}

function lessThan(x: Value, y: Value): boolean {
  const a = indirectInterface(x);
  const b = indirectInterface(y);
  const k1 = basicKind(a);
  if (k1 === 'invalid') throw new CallError(BAD_COMPARISON);
  const k2 = basicKind(b);
  if (k2 === 'invalid') throw new CallError(BAD_COMPARISON);
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint')
      return (a.v as bigint) < 0n || (a.v as bigint) < (b.v as bigint);
    if (k1 === 'uint' && k2 === 'int')
      return (b.v as bigint) >= 0n && (a.v as bigint) < (b.v as bigint);
    throw incompatible(a, b);
  }
  if (k1 === 'bool') throw new CallError(BAD_COMPARISON);
  if (k1 === 'string') return compareStrings(a.v as string, b.v as string) < 0;
  return (a.v as number | bigint) < (b.v as number | bigint);
}

const le = (a: Value, b: Value): boolean => lessThan(a, b) || eq([a, b]);

export const comparisonBuiltins = {
  eq: fn([REFLECT_VALUE], T.bool, (args) => mk.bool(eq(args)), REFLECT_VALUE),
  ne: fn([REFLECT_VALUE, REFLECT_VALUE], T.bool, ([a, b]) => mk.bool(!eq([a, b]))),
  lt: fn([REFLECT_VALUE, REFLECT_VALUE], T.bool, ([a, b]) => mk.bool(lessThan(a, b))),
  le: fn([REFLECT_VALUE, REFLECT_VALUE], T.bool, ([a, b]) => mk.bool(le(a, b))),
  gt: fn([REFLECT_VALUE, REFLECT_VALUE], T.bool, ([a, b]) => mk.bool(!le(a, b))),
  ge: fn([REFLECT_VALUE, REFLECT_VALUE], T.bool, ([a, b]) => mk.bool(!lessThan(a, b))),
};
