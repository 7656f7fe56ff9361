// Sprig v3.3.0 type inspection (typeOf, typeIs, typeIsLike, kindOf, kindIs,
// deepEqual), path functions (Go's path and, on Linux, path/filepath) and fail.

import { CallError, GoFunc, fn } from '../funcs.js';
import { T, typeString } from '../types.js';
import { Value, isValid, mk } from '../value.js';
import { deepEqual } from './deep-equal.js';
import { kindName } from './kinds.js';

const typeOf = (v: Value): string => (isValid(v) ? typeString(v.t) : '<nil>');

/** Go's path.Clean: lexical processing of `.`, `..` and repeated slashes. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

function basePath(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function dirPath(p: string): string {
  const cut = p.lastIndexOf('/');
  return cleanPath(p.slice(0, cut + 1));
}

function extPath(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

const S = T.string;
const pathFn = (f: (p: string) => string): GoFunc =>
  fn([S], S, ([p]) => mk.string(f(p.v as string)));
const isAbs = fn([S], T.bool, ([p]) => mk.bool((p.v as string).startsWith('/')));

export const reflectionFuncs: Record<string, GoFunc> = {
  typeOf: fn([T.any], S, ([v]) => mk.string(typeOf(v))),
  typeIs: fn([S, T.any], T.bool, ([target, v]) => mk.bool(target.v === typeOf(v))),
  typeIsLike: fn([S, T.any], T.bool, ([target, v]) =>
    mk.bool(target.v === typeOf(v) || '*' + (target.v as string) === typeOf(v)),
  ),
  kindOf: fn([T.any], S, ([v]) => mk.string(kindName(v))),
  kindIs: fn([S, T.any], T.bool, ([target, v]) => mk.bool(target.v === kindName(v))),
  deepEqual: fn([T.any, T.any], T.bool, ([a, b]) => mk.bool(deepEqual(a, b))),
  base: pathFn(basePath),
  dir: pathFn(dirPath),
  clean: pathFn(cleanPath),
  ext: pathFn(extPath),
  isAbs,
  osBase: pathFn(basePath),
  osDir: pathFn(dirPath),
  osClean: pathFn(cleanPath),
  osExt: pathFn(extPath),
  osIsAbs: isAbs,
  fail: fn([S], S, ([message]) => {
    throw new CallError(message.v as string);
  }),
};
