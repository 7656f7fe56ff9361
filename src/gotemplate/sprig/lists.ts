// Sprig v3.3.0 list functions. The plain forms panic where the must* forms return
// an error; Go's text/template turns both into `error calling NAME: ...`, so
// here both throw the same CallError.

import { CallContext, CallError, GoFunc, fn } from '../funcs.js';
import { compareStrings } from '../fmt/printer.js';
import { T, T_ANYS, T_STRINGS, sliceOf, typeString } from '../types.js';
import {
  INVALID,
  Value,
  boxAny,
  byteLength,
  indirect,
  indirectInterface,
  isValid,
  mk,
} from '../value.js';
import { kindName, nilDereference } from './kinds.js';
import { deepEqual } from './deep-equal.js';
import { isEmpty } from './empty.js';
import { strval, toInt64 } from './cast.js';

/** Items of a slice argument, or the error Sprig raises for another kind. */
function items(list: Value, what: string): Value[] {
  if (!isValid(list)) throw nilDereference();
  if (list.t.kind !== 'slice') throw new CallError(`Cannot ${what} on type ${kindName(list)}`);
  return ((list.v as Value[] | null) ?? []).map((item) =>
    item.t.kind === 'interface' ? item : boxAny(item),
  );
}

const anys = (values: Value[] | null): Value => ({ t: T_ANYS, v: values });

const unbox = indirectInterface;

/** Sprig's strslice: a list of strings from any list, dropping nil items. */
export function strslice(v: Value): string[] {
  if (!isValid(v)) return [];
  if (v.t.kind !== 'slice') return [strval(v)];
  const list = (v.v as Value[] | null) ?? [];
  return list.map(unbox).filter(isValid).map(strval);
}

/** Joins the strings of a list, checking the size of the result before building it. */
function join(separator: string, list: Value, ctx: CallContext): string {
  const parts = strslice(list);
  let bytes = byteLength(separator) * Math.max(parts.length - 1, 0);
  for (const part of parts) bytes += byteLength(part);
  ctx.checkStringLength(bytes);
  return parts.join(separator);
}

function chunk(size: bigint, list: Value, ctx: CallContext): Value {
  const all = items(list, 'chunk');
  const n = Number(size);
  if (n <= 0) throw new CallError('runtime error: makeslice: len out of range');
  const chunks: Value[] = [];
  for (let i = 0; i < all.length; i += n) chunks.push(anys(all.slice(i, i + n)));
  ctx.checkLength(chunks.length);
  return { t: sliceOf(T_ANYS), v: chunks };
}

function sliceList(list: Value, indices: Value[]): Value {
  if (!isValid(list)) throw nilDereference();
  if (list.t.kind !== 'slice') {
    throw new CallError(`list should be type of slice or array but ${kindName(list)}`);
  }
  const all = items(list, 'slice');
  if (all.length === 0) return INVALID;
  const start = indices.length > 0 ? Number(toInt64(indices[0])) : 0;
  const end = indices.length < 2 ? all.length : Number(toInt64(indices[1]));
  if (start < 0 || end < start || end > all.length) {
    throw new CallError('reflect.Value.Slice: slice index out of bounds');
  }
  return { t: list.t, v: (list.v as Value[]).slice(start, end) };
}

function concat(lists: Value[], ctx: CallContext): Value {
  let result: Value[] | null = null;
  for (const list of lists) {
    if (!isValid(list)) throw nilDereference();
    if (list.t.kind !== 'slice')
      throw new CallError(`Cannot concat type ${kindName(list)} as list`);
    result = [...(result ?? []), ...items(list, 'concat')];
    ctx.checkLength(result.length);
  }
  return anys(result);
}

function sortAlpha(list: Value): Value {
  const target = isValid(list) ? indirect(list).value : list;
  if (!isValid(target) || target.t.kind !== 'slice') return mk.stringSlice([strval(list)]);
  return mk.stringSlice(strslice(list).sort(compareStrings));
}

/**
 * Returns a key that two values share exactly when reflect.DeepEqual is true
 * for them. Only nil and the basic kinds get a key. Other values and NaN, which
 * equals nothing, get undefined.
 */
function basicKey(v: Value): string | undefined {
  if (!isValid(v)) return 'nil';
  switch (typeof v.v) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return `${typeString(v.t)}:${String(v.v)}`;
    case 'number':
      // String() writes -0 as "0", and Go's DeepEqual(-0.0, 0.0) is true.
      return Number.isNaN(v.v) ? undefined : `${typeString(v.t)}:${String(v.v)}`;
    default:
      return undefined;
  }
}

/**
 * Sprig's uniq keeps the first of each group of deeply equal items. Basic
 * values are looked up by key, so a list of numbers or strings takes linear
 * time. Composite items are compared with every kept one, so the deadline is
 * checked for each of them.
 */
function uniq(list: Value, ctx: CallContext): Value {
  const out: Value[] = [];
  const seenKeys = new Set<string>();
  const composites: Value[] = [];
  for (const item of items(list, 'find uniq')) {
    const value = unbox(item);
    const key = basicKey(value);
    if (key !== undefined) {
      if (seenKeys.has(key)) continue;
      seenKeys.add(key);
    } else {
      ctx.checkDeadline();
      if (composites.some((seen) => deepEqual(seen, value))) continue;
      composites.push(value);
    }
    out.push(item);
  }
  return anys(out);
}

function without(list: Value, omit: Value[], ctx: CallContext): Value {
  const kept: Value[] = [];
  for (const item of items(list, 'find without')) {
    ctx.checkDeadline();
    if (!omit.some((o) => deepEqual(o, unbox(item)))) kept.push(item);
  }
  return anys(kept);
}

function has(needle: Value, haystack: Value): boolean {
  if (!isValid(haystack)) return false;
  return items(haystack, 'find has').some((item) => deepEqual(needle, unbox(item)));
}

const L = T.any;
const listFn = (what: string, f: (all: Value[]) => Value): GoFunc =>
  fn([L], L, ([list]) => f(items(list, what)));

const basics: Record<string, GoFunc> = {
  list: fn([], T_ANYS, (args) => anys(args.length === 0 ? null : args.map(boxAny)), L),
  push: fn([L, L], T_ANYS, ([list, v], ctx) => {
    const all = items(list, 'push');
    ctx.checkLength(all.length + 1);
    return anys([...all, boxAny(v)]);
  }),
  prepend: fn([L, L], T_ANYS, ([list, v], ctx) => {
    const all = items(list, 'prepend');
    ctx.checkLength(all.length + 1);
    return anys([boxAny(v), ...all]);
  }),
  first: listFn('find first', (all) => (all.length === 0 ? INVALID : unbox(all[0]))),
  last: listFn('find last', (all) => (all.length === 0 ? INVALID : unbox(all[all.length - 1]))),
  rest: listFn('find rest', (all) => anys(all.length === 0 ? null : all.slice(1))),
  initial: listFn('find initial', (all) => anys(all.length === 0 ? null : all.slice(0, -1))),
  reverse: listFn('find reverse', (all) => anys([...all].reverse())),
  compact: listFn('compact', (all) => anys(all.filter((item) => !isEmpty(item)))),
  uniq: fn([L], T_ANYS, ([list], ctx) => uniq(list, ctx)),
  without: fn([L], T_ANYS, ([list, ...omit], ctx) => without(list, omit, ctx), L),
  has: fn([L, L], T.bool, ([needle, haystack]) => mk.bool(has(needle, haystack))),
  slice: fn([L], L, ([list, ...indices]) => sliceList(list, indices), L),
  concat: fn([], L, (lists, ctx) => concat(lists, ctx), L),
  chunk: fn([T.int, L], sliceOf(T_ANYS), ([size, list], ctx) => chunk(size.v as bigint, list, ctx)),
  sortAlpha: fn([L], T_STRINGS, ([list]) => sortAlpha(list)),
  toStrings: fn([L], T_STRINGS, ([v]) => mk.stringSlice(strslice(v))),
  join: fn([T.string, L], T.string, ([sep, v], ctx) => mk.string(join(sep.v as string, v, ctx))),
};

const MUST_ALIASES: Record<string, string> = {
  append: 'push',
  mustAppend: 'push',
  mustPush: 'push',
  mustPrepend: 'prepend',
  mustFirst: 'first',
  mustLast: 'last',
  mustRest: 'rest',
  mustInitial: 'initial',
  mustReverse: 'reverse',
  mustCompact: 'compact',
  mustUniq: 'uniq',
  mustWithout: 'without',
  mustHas: 'has',
  mustSlice: 'slice',
  mustChunk: 'chunk',
  tuple: 'list',
};

export const listFuncs: Record<string, GoFunc> = { ...basics };
for (const [alias, target] of Object.entries(MUST_ALIASES)) listFuncs[alias] = basics[target];
