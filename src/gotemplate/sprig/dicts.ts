// Sprig v3.3.0 dict functions over map[string]interface{}. Dicts are JavaScript
// Maps, so keys such as `__proto__` and `constructor` are ordinary entries. set,
// unset and merge change the dict in place, as Go's shared maps do.

import { CallContext, CallError, GoFunc, fn } from '../funcs.js';
import { compareStrings } from '../fmt/printer.js';
import { T, T_ANYS, T_ANY_MAP, T_STRINGS, typeString } from '../types.js';
import { GoMap, INVALID, Value, boxAny, indirectInterface, isValid, mk } from '../value.js';
import { strval } from './cast.js';
import { isEmpty } from './empty.js';

const dictOf = (v: Value): GoMap => (v.v as GoMap | null) ?? new Map();
const newDict = (map: GoMap): Value => ({ t: T_ANY_MAP, v: map });

const unbox = indirectInterface;

function dict(args: Value[], ctx: CallContext): Value {
  ctx.checkLength(args.length / 2);
  const map: GoMap = new Map();
  for (let i = 0; i < args.length; i += 2) {
    const key = strval(args[i]);
    map.set(key, i + 1 < args.length ? boxAny(args[i + 1]) : boxAny(mk.string('')));
  }
  return newDict(map);
}

function isMapValue(v: Value): boolean {
  return isValid(v) && v.t.kind === 'map';
}

/** Merges src into dst in place with the rules of dario.cat/mergo v1.0.1 for maps. */
function mergeInto(dst: GoMap, src: GoMap, overwrite: boolean): void {
  for (const [key, srcElement] of src) {
    const srcValue = unbox(srcElement);
    if (!isValid(srcValue) || srcValue.v === null) {
      if (overwrite) dst.set(key, srcElement);
      continue;
    }
    const dstElement = dst.get(key);
    const dstValue = dstElement === undefined ? INVALID : unbox(dstElement);
    if (isMapValue(srcValue) && isMapValue(dstValue) && dstValue.v !== null) {
      mergeInto(dstValue.v as GoMap, srcValue.v as GoMap, overwrite);
    }
    if (dstElement !== undefined && !isEmpty(dstElement)) {
      if (srcValue.t.kind === 'slice') continue;
      if (isMapValue(srcValue) && isMapValue(dstValue)) continue;
    }
    if (overwrite || dstElement === undefined || isEmpty(dstElement)) dst.set(key, srcElement);
  }
}

function merge(overwrite: boolean): GoFunc {
  return fn(
    [T_ANY_MAP],
    T.any,
    ([dst, ...srcs]) => {
      const target = dst.v === null ? new Map() : (dst.v as GoMap);
      for (const src of srcs) if (src.v !== null) mergeInto(target, src.v as GoMap, overwrite);
      return dst.v === null ? newDict(target) : dst;
    },
    T_ANY_MAP,
  );
}

function deepCopy(v: Value): Value {
  if (!isValid(v)) return v;
  switch (v.t.kind) {
    case 'interface':
      return v.v === null ? v : { t: v.t, v: deepCopy(v.v as Value) };
    case 'slice':
      return { t: v.t, v: v.v === null ? null : (v.v as Value[]).map(deepCopy) };
    case 'struct':
      return { t: v.t, v: (v.v as Value[]).map(deepCopy) };
    case 'map': {
      if (v.v === null) return v;
      const map: GoMap = new Map();
      for (const [key, item] of v.v as GoMap) map.set(key, deepCopy(item));
      return { t: v.t, v: map };
    }
    case 'ptr':
      return v.v === null
        ? v
        : { t: v.t, v: { target: deepCopy((v.v as { target: Value }).target) } };
    default:
      return v;
  }
}

function assertion(v: Value, want: string): CallError {
  const have = isValid(v) ? typeString(v.t) : 'nil';
  return new CallError(`interface conversion: interface {} is ${have}, not ${want}`);
}

function dig(args: Value[]): Value {
  if (args.length < 3) throw new CallError('dig needs at least three arguments');
  const last = args[args.length - 1];
  if (!isValid(last) || typeString(last.t) !== 'map[string]interface {}') {
    throw assertion(last, 'map[string]interface {}');
  }
  const fallback = args[args.length - 2];
  const keys = args.slice(0, -2).map((k) => {
    if (!isValid(k) || k.t.kind !== 'string' || k.t.name !== undefined)
      throw assertion(k, 'string');
    return k.v as string;
  });
  let current = dictOf(last);
  for (const [i, key] of keys.entries()) {
    const step = current.get(key);
    if (step === undefined) return fallback;
    if (i === keys.length - 1) return unbox(step);
    const next = unbox(step);
    if (!isValid(next) || typeString(next.t) !== 'map[string]interface {}') {
      throw assertion(next, 'map[string]interface {}');
    }
    current = dictOf(next);
  }
  return fallback;
}

const sortedKeys = (map: GoMap): string[] => [...map.keys()].map(String).sort(compareStrings);
const D = T_ANY_MAP;
const S = T.string;

export const dictFuncs: Record<string, GoFunc> = {
  dict: fn([], D, dict, T.any),
  get: fn([D, S], T.any, ([d, k]) => unbox(dictOf(d).get(k.v as string) ?? boxAny(mk.string('')))),
  set: fn([D, S, T.any], D, ([d, k, v]) => {
    if (d.v === null) throw new CallError('assignment to entry in nil map');
    (d.v as GoMap).set(k.v as string, boxAny(v));
    return d;
  }),
  unset: fn([D, S], D, ([d, k]) => {
    (d.v as GoMap | null)?.delete(k.v as string);
    return d;
  }),
  hasKey: fn([D, S], T.bool, ([d, k]) => mk.bool(dictOf(d).has(k.v as string))),
  pluck: fn(
    [S],
    T_ANYS,
    ([k, ...dicts]) =>
      mk.anySlice(
        dicts.flatMap((d) =>
          dictOf(d).has(k.v as string) ? [unbox(dictOf(d).get(k.v as string) as Value)] : [],
        ),
      ),
    D,
  ),
  // NOTE: Go's keys and values follow Go's random map order; these return key order.
  keys: fn(
    [],
    T_STRINGS,
    (dicts) => mk.stringSlice(dicts.flatMap((d) => sortedKeys(dictOf(d)))),
    D,
  ),
  values: fn([D], T_ANYS, ([d]) =>
    mk.anySlice(sortedKeys(dictOf(d)).map((k) => unbox(dictOf(d).get(k) as Value))),
  ),
  pick: fn(
    [D],
    D,
    ([d, ...keys]) => {
      const map: GoMap = new Map();
      for (const k of keys)
        if (dictOf(d).has(k.v as string)) map.set(k.v, dictOf(d).get(k.v) as Value);
      return newDict(map);
    },
    S,
  ),
  omit: fn(
    [D],
    D,
    ([d, ...keys]) => {
      const omitted = new Set(keys.map((k) => k.v));
      return newDict(new Map([...dictOf(d)].filter(([k]) => !omitted.has(k))));
    },
    S,
  ),
  merge: merge(false),
  mustMerge: merge(false),
  mergeOverwrite: merge(true),
  mustMergeOverwrite: merge(true),
  deepCopy: fn([T.any], T.any, ([v]) => deepCopy(v)),
  mustDeepCopy: fn([T.any], T.any, ([v]) => deepCopy(v)),
  dig: fn([], T.any, dig, T.any),
};
