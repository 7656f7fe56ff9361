// The builtin functions of Go's text/template other than comparisons: and, or,
// not, len, index, slice, call, print, printf, println, html, js and urlquery.
// and/or short-circuit inside the executor; their entries here give the signature.

import { CallError, FuncMap, GoFunc, REFLECT_VALUE, fn } from '../funcs.js';
import { sprint, sprintf, sprintln } from '../fmt/printf.js';
import { T, assignableTo, isIntKind, typeString } from '../types.js';
import {
  GoMap,
  INVALID,
  Value,
  indirect,
  indirectInterface,
  isTrue,
  isValid,
  lengthOf,
  mk,
  toBytes,
  zeroValue,
} from '../value.js';
import { printableValue } from '../printable.js';
import { comparisonBuiltins } from './compare.js';
import { htmlEscape, jsEscape, queryEscape } from './escape.js';

function indexArg(index: Value, cap: number): number {
  if (!isValid(index)) throw new CallError('cannot index slice/array with nil');
  if (!isIntKind(index.t)) {
    throw new CallError(`cannot index slice/array with type ${typeString(index.t)}`);
  }
  const x = index.v as bigint;
  if (x < 0n || x > BigInt(cap)) throw new CallError(`index out of range: ${x}`);
  return Number(x);
}

function mapKey(index: Value, keyType: Value['t']): unknown {
  if (!isValid(index)) {
    if (['interface', 'map', 'ptr', 'slice', 'func'].includes(keyType.kind)) return null;
    throw new CallError(`value is nil; should be of type ${typeString(keyType)}`);
  }
  if (assignableTo(index.t, keyType)) return index.v;
  if (isIntKind(index.t) && isIntKind(keyType)) return index.v;
  throw new CallError(`value has type ${typeString(index.t)}; should be ${typeString(keyType)}`);
}

function indexOne(item: Value, rawIndex: Value): Value {
  const index = indirectInterface(rawIndex);
  const { value, isNil } = indirect(item);
  if (isNil) throw new CallError('index of nil pointer');
  switch (value.t.kind) {
    case 'slice':
    case 'string': {
      const length = lengthOf(value) ?? 0;
      const x = indexArg(index, length);
      if (x === length) throw new CallError(`reflect: ${value.t.kind} index out of range`);
      if (value.t.kind === 'string')
        return { t: T.uint8, v: BigInt(toBytes(value.v as string)[x]) };
      return (value.v as Value[])[x];
    }
    case 'map': {
      const key = mapKey(index, value.t.key);
      const found = (value.v as GoMap | null)?.get(key);
      return found ?? zeroValue(value.t.elem);
    }
    default:
      throw new CallError(`can't index item of type ${typeString(value.t)}`);
  }
}

function index(args: Value[]): Value {
  let item = indirectInterface(args[0]);
  if (!isValid(item)) throw new CallError('index of untyped nil');
  for (const i of args.slice(1)) item = indexOne(item, i);
  return item;
}

/** Go's builtin slice; Sprig replaces it, but its semantics stay available here. */
function slice(args: Value[]): Value {
  const item0 = indirectInterface(args[0]);
  if (!isValid(item0)) throw new CallError('slice of untyped nil');
  const { value: item, isNil } = indirect(item0);
  if (isNil) throw new CallError('slice of nil pointer');
  const indexes = args.slice(1);
  if (indexes.length > 3) throw new CallError(`too many slice indexes: ${indexes.length}`);
  if (item.t.kind === 'string' && indexes.length === 3) {
    throw new CallError('cannot 3-index slice a string');
  }
  if (item.t.kind !== 'string' && item.t.kind !== 'slice') {
    throw new CallError(`can't slice item of type ${typeString(item.t)}`);
  }
  const length = lengthOf(item) ?? 0;
  const idx = [0, length, length];
  indexes.forEach((ix, i) => (idx[i] = indexArg(indirectInterface(ix), length)));
  if (idx[0] > idx[1]) throw new CallError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1] > idx[2]) {
    throw new CallError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  }
  if (item.t.kind === 'string') {
    const bytes = toBytes(item.v as string).subarray(idx[0], idx[1]);
    return { t: item.t, v: Buffer.from(bytes).toString('utf8') };
  }
  return { t: item.t, v: ((item.v as Value[] | null) ?? []).slice(idx[0], idx[1]) };
}

function length(args: Value[]): Value {
  const { value, isNil } = indirect(args[0]);
  if (isNil) throw new CallError('len of nil pointer');
  const n = lengthOf(value);
  if (n === undefined) {
    throw new CallError(`len of type ${isValid(value) ? typeString(value.t) : '<nil>'}`);
  }
  return mk.int(n);
}

/** Text of html, js and urlquery operands: a lone string as is, else Sprint. */
export function evalArgs(args: Value[]): string {
  if (args.length === 1 && isValid(args[0]) && args[0].t.kind === 'string' && !args[0].t.name) {
    return args[0].v as string;
  }
  return sprint(
    args.map((a) => {
      const printable = printableValue(a);
      return typeof printable === 'string' ? mk.string(printable) : (printable ?? a);
    }),
  );
}

const notReached = (): Value => INVALID;

const core: Record<string, GoFunc> = {
  and: fn([REFLECT_VALUE], REFLECT_VALUE, notReached, REFLECT_VALUE),
  or: fn([REFLECT_VALUE], REFLECT_VALUE, notReached, REFLECT_VALUE),
  call: fn([REFLECT_VALUE], REFLECT_VALUE, notReached, REFLECT_VALUE),
  not: fn([REFLECT_VALUE], T.bool, ([v]) => mk.bool(!(isTrue(indirectInterface(v)) ?? false))),
  len: fn([REFLECT_VALUE], T.int, length),
  index: fn([REFLECT_VALUE], REFLECT_VALUE, index, REFLECT_VALUE),
  slice: fn([REFLECT_VALUE], REFLECT_VALUE, slice, REFLECT_VALUE),
  print: fn([], T.string, (args) => mk.string(sprint(args)), T.any),
  println: fn([], T.string, (args) => mk.string(sprintln(args)), T.any),
  printf: fn(
    [T.string],
    T.string,
    ([f, ...rest]) => mk.string(sprintf(f.v as string, rest)),
    T.any,
  ),
  html: fn([], T.string, (args) => mk.string(htmlEscape(evalArgs(args))), T.any),
  js: fn([], T.string, (args) => mk.string(jsEscape(evalArgs(args))), T.any),
  urlquery: fn([], T.string, (args) => mk.string(queryEscape(evalArgs(args))), T.any),
  ...comparisonBuiltins,
};

/** Returns a fresh map of Go's text/template builtins. */
export function builtinFuncs(): FuncMap {
  return new Map(Object.entries(core));
}
