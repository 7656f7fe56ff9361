// Sprig v3.3.0 string functions. Lengths and offsets count UTF-8 bytes as Go's do
// (trunc, substr, abbrev), and Go's Unicode space set and simple case mapping are
// used where JavaScript's trim() and toUpperCase() differ.

import { CallContext, CallError, GoFunc, fn } from '../funcs.js';
import { sprintf } from '../fmt/printf.js';
import { quoteGo } from '../quote.js';
import { T, T_STRINGS, T_STRING_MAP } from '../types.js';
import { GoMap, Value, byteLength, fromBytes, isValid, mk, toBytes } from '../value.js';
import { strval } from './cast.js';

const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;

export function isGoSpace(ch: string): boolean {
  return GO_SPACE.test(ch);
}

function trimSpace(s: string): string {
  const chars = [...s];
  let start = 0;
  let end = chars.length;
  while (start < end && isGoSpace(chars[start])) start++;
  while (end > start && isGoSpace(chars[end - 1])) end--;
  return chars.slice(start, end).join('');
}

function trimCutset(s: string, cutset: string): string {
  const cut = new Set(cutset);
  const chars = [...s];
  let start = 0;
  let end = chars.length;
  while (start < end && cut.has(chars[start])) start++;
  while (end > start && cut.has(chars[end - 1])) end--;
  return chars.slice(start, end).join('');
}

/** Maps each rune by Go's simple case mapping: one rune in, one rune out. */
function mapRunes(s: string, map: (ch: string) => string): string {
  let out = '';
  for (const ch of s) {
    const mapped = map(ch);
    out += [...mapped].length === 1 ? mapped : ch;
  }
  return out;
}

const upper = (s: string): string => mapRunes(s, (c) => c.toUpperCase());
const lower = (s: string): string => mapRunes(s, (c) => c.toLowerCase());

function isTitleSeparator(ch: string): boolean {
  if (ch.charCodeAt(0) <= 0x7f && ch.length === 1) return !/[A-Za-z0-9_]/.test(ch);
  if (/[\p{L}\p{Nd}]/u.test(ch)) return false;
  return isGoSpace(ch);
}

/** Go's deprecated strings.Title, which Sprig's title calls. */
function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    out += isTitleSeparator(prev) ? upper(ch) : ch;
    prev = ch;
  }
  return out;
}

function untitle(s: string): string {
  let next = true;
  let out = '';
  for (const ch of s) {
    if (isGoSpace(ch)) {
      next = true;
      out += ch;
    } else {
      out += next ? lower(ch) : ch;
      next = false;
    }
  }
  return out;
}

/** Slices a string by UTF-8 byte offsets, as Go's s[a:b]. */
function byteSlice(s: string, start: number, end?: number): string {
  return fromBytes(toBytes(s).subarray(start, end));
}

function sliceBoundsError(start: number, end: number, length: number): never {
  if (end > length)
    throw new CallError(`runtime error: slice bounds out of range [:${end}] with length ${length}`);
  throw new CallError(`runtime error: slice bounds out of range [${start}:${end}]`);
}

function substr(start: bigint, end: bigint, s: string): string {
  const length = byteLength(s);
  const [a, b] = [Number(start), Number(end)];
  if (a < 0) {
    if (b > length || b < 0) sliceBoundsError(0, b, length);
    return byteSlice(s, 0, b);
  }
  if (b < 0 || b > length) {
    if (a > length)
      throw new CallError(`runtime error: slice bounds out of range [${a}:${length}]`);
    return byteSlice(s, a);
  }
  if (a > b) sliceBoundsError(a, b, length);
  return byteSlice(s, a, b);
}

function trunc(c: bigint, s: string): string {
  const length = byteLength(s);
  const n = Number(c);
  if (n < 0 && length + n > 0) return byteSlice(s, length + n);
  if (n >= 0 && length > n) return byteSlice(s, 0, n);
  return s;
}

function abbreviate(s: string, width: number): string {
  const length = byteLength(s);
  if (s === '' || length <= width) return s;
  return byteSlice(s, 0, width - 3) + '...';
}

/** goutils' byte-wise loops: each byte is taken as the rune of the same number. */
function byteRunes(s: string): string[] {
  return [...toBytes(s)].map((b) => String.fromCharCode(b));
}

function deleteWhiteSpace(s: string): string {
  const runes = byteRunes(s);
  const kept = runes.filter((ch) => !isGoSpace(ch));
  return kept.length === runes.length ? s : kept.join('');
}

function initials(s: string): string {
  let out = '';
  let gap = true;
  for (const ch of byteRunes(s)) {
    if (isGoSpace(ch)) gap = true;
    else if (gap) {
      out += ch;
      gap = false;
    }
  }
  return out;
}

function repeat(count: bigint, s: string, ctx: CallContext): string {
  if (count < 0n) throw new CallError('strings: negative Repeat count');
  ctx.checkStringLength(Number(count) * byteLength(s));
  return s.repeat(Number(count));
}

function indent(spaces: bigint, s: string, ctx: CallContext): string {
  const n = Number(spaces);
  if (n < 0) throw new CallError('strings: negative Repeat count');
  const lines = s.split('\n').length;
  ctx.checkStringLength(byteLength(s) + n * lines);
  const pad = ' '.repeat(n);
  return pad + s.replaceAll('\n', '\n' + pad);
}

function quote(values: Value[], ctx: CallContext): string {
  const out = values.filter(isValid).map((v) => quoteGo(strval(v)));
  const joined = out.join(' ');
  ctx.checkStringLength(byteLength(joined));
  return joined;
}

function cat(values: Value[], ctx: CallContext): string {
  const kept = values.filter(isValid);
  const format = '%v '.repeat(kept.length).trim();
  const out = sprintf(format, kept);
  ctx.checkStringLength(byteLength(out));
  return out;
}

/**
 * Go's strings.Replace with n = -1. An empty `old` matches before each rune and
 * at the end, so `replacement` never lands between the halves of a surrogate
 * pair. The size of the result is checked before it is built.
 */
function replace(old: string, replacement: string, s: string, ctx: CallContext): string {
  const parts = old === '' ? [...s] : s.split(old);
  const matches = old === '' ? parts.length + 1 : parts.length - 1;
  ctx.checkStringLength(byteLength(s) + matches * (byteLength(replacement) - byteLength(old)));
  if (old !== '') return parts.join(replacement);
  return replacement + parts.join(replacement) + (parts.length > 0 ? replacement : '');
}

/** Sprig's split: a map from `_0`, `_1`... to the parts. */
function splitMap(parts: string[]): Value {
  const map: GoMap = new Map();
  parts.forEach((part, i) => map.set(`_${i}`, mk.string(part)));
  return { t: T_STRING_MAP, v: map };
}

/** Go's strings.SplitN (n < 0: all parts; n == 0: none). */
export function splitN(s: string, sep: string, n: number): string[] | null {
  if (n === 0) return null;
  if (sep === '') {
    const runes = [...s];
    if (n < 0 || n >= runes.length) return runes;
    return [...runes.slice(0, n - 1), runes.slice(n - 1).join('')];
  }
  const parts = s.split(sep);
  if (n < 0 || parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

const str = (v: Value): string => v.v as string;
const S = T.string;
const s1 = (f: (s: string) => string): GoFunc => fn([S], S, ([a]) => mk.string(f(str(a))));
const s2 = (f: (a: string, b: string) => string): GoFunc =>
  fn([S, S], S, ([a, b]) => mk.string(f(str(a), str(b))));
const b2 = (f: (a: string, b: string) => boolean): GoFunc =>
  fn([S, S], T.bool, ([a, b]) => mk.bool(f(str(a), str(b))));

export const stringFuncs: Record<string, GoFunc> = {
  abbrev: fn([T.int, S], S, ([w, s]) =>
    mk.string(Number(w.v) < 4 ? str(s) : abbreviate(str(s), Number(w.v))),
  ),
  trunc: fn([T.int, S], S, ([c, s]) => mk.string(trunc(c.v as bigint, str(s)))),
  trim: s1(trimSpace),
  upper: s1(upper),
  lower: s1(lower),
  title: s1(title),
  untitle: s1(untitle),
  substr: fn([T.int, T.int, S], S, ([a, b, s]) =>
    mk.string(substr(a.v as bigint, b.v as bigint, str(s))),
  ),
  repeat: fn([T.int, S], S, ([c, s], ctx) => mk.string(repeat(c.v as bigint, str(s), ctx))),
  trimall: s2((a, b) => trimCutset(b, a)),
  trimAll: s2((a, b) => trimCutset(b, a)),
  trimSuffix: s2((a, b) => (a !== '' && b.endsWith(a) ? b.slice(0, b.length - a.length) : b)),
  trimPrefix: s2((a, b) => (a !== '' && b.startsWith(a) ? b.slice(a.length) : b)),
  nospace: s1(deleteWhiteSpace),
  initials: s1(initials),
  contains: b2((sub, s) => s.includes(sub)),
  hasPrefix: b2((p, s) => s.startsWith(p)),
  hasSuffix: b2((p, s) => s.endsWith(p)),
  quote: fn([], S, (args, ctx) => mk.string(quote(args, ctx)), T.any),
  squote: fn(
    [],
    S,
    (args) =>
      mk.string(
        args
          .filter(isValid)
          .map((v) => sprintf("'%v'", [v]))
          .join(' '),
      ),
    T.any,
  ),
  cat: fn([], S, (args, ctx) => mk.string(cat(args, ctx)), T.any),
  indent: fn([T.int, S], S, ([n, s], ctx) => mk.string(indent(n.v as bigint, str(s), ctx))),
  nindent: fn([T.int, S], S, ([n, s], ctx) => mk.string('\n' + indent(n.v as bigint, str(s), ctx))),
  replace: fn([S, S, S], S, ([o, n, s], ctx) => mk.string(replace(str(o), str(n), str(s), ctx))),
  plural: fn([S, S, T.int], S, ([one, many, c]) => ((c.v as bigint) === 1n ? one : many)),
  toString: fn([T.any], S, ([v]) => mk.string(strval(v))),
  split: fn([S, S], T_STRING_MAP, ([sep, s]) => splitMap(splitN(str(s), str(sep), -1) ?? [])),
  splitList: fn([S, S], T_STRINGS, ([sep, s]) =>
    mk.stringSlice(splitN(str(s), str(sep), -1) ?? []),
  ),
  splitn: fn([S, T.int, S], T_STRING_MAP, ([sep, n, s]) =>
    splitMap(splitN(str(s), str(sep), Number(n.v)) ?? []),
  ),
};
