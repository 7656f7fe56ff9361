// Sprig v3.3.0 math and number conversion functions. Integer functions work on
// int64 with Go's wrap-around and truncating division. The *f functions compute
// in exact decimal (shopspring/decimal, 16 digits for division) and return
// float64. until and seq build lists of ints.

import { CallContext, CallError, GoFunc, fn } from '../funcs.js';
import { sprint } from '../fmt/printf.js';
import { atoi, parseInt64 } from '../strconv.js';
import { T, sliceOf } from '../types.js';
import { Value, mk } from '../value.js';
import { toFloat64, toInt64 } from './cast.js';
import { decimalOp } from './decimal.js';

const wrap = (n: bigint): bigint => BigInt.asIntN(64, n);
const int64 = (n: bigint): Value => mk.int64(wrap(n));

function divide(a: bigint, b: bigint, op: 'div' | 'mod'): bigint {
  if (b === 0n) throw new CallError('runtime error: integer divide by zero');
  return op === 'div' ? wrap(a / b) : wrap(a % b);
}

/** Go's math.Max/Min: NaN wins, and +0 beats -0 for Max. */
function goMax(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === 0 && b === 0) return Object.is(a, -0) ? b : a;
  return a > b ? a : b;
}

function goMin(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === 0 && b === 0) return Object.is(a, -0) ? a : b;
  return a < b ? a : b;
}

/** Go's math.Modf fractional part of a float. */
function fraction(x: number): number {
  const f = x - Math.trunc(x);
  return Number.isFinite(x) ? f : NaN;
}

function round(a: Value, places: bigint, options: Value[]): number {
  const roundOn = options.length > 0 ? (options[0].v as number) : 0.5;
  const pow = Math.pow(10, Number(places));
  const digit = pow * toFloat64(a);
  const rounded = fraction(digit) >= roundOn ? Math.ceil(digit) : Math.floor(digit);
  return rounded / pow;
}

function untilStep(start: bigint, stop: bigint, step: bigint, ctx: CallContext): bigint[] {
  const out: bigint[] = [];
  const ascending = stop >= start;
  if ((ascending && step <= 0n) || (!ascending && step >= 0n)) return out;
  const count = (stop - start + step - (ascending ? 1n : -1n)) / step;
  ctx.checkLength(Number(count));
  for (let i = start; ascending ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

const ints = (values: bigint[]): Value => ({ t: sliceOf(T.int), v: values.map((n) => mk.int(n)) });

function seq(params: Value[], ctx: CallContext): string {
  const p = params.map((v) => v.v as bigint);
  let list: bigint[];
  if (p.length === 1) {
    const inc = p[0] < 1n ? -1n : 1n;
    list = untilStep(1n, p[0] + inc, inc, ctx);
  } else if (p.length === 2) {
    const step = p[1] < p[0] ? -1n : 1n;
    list = untilStep(p[0], p[1] + step, step, ctx);
  } else if (p.length === 3) {
    const inc = p[2] < p[0] ? -1n : 1n;
    if (inc < 0n && p[1] > 0n) return '';
    list = untilStep(p[0], p[2] + inc, p[1], ctx);
  } else return '';
  return list.join(' ');
}

function toDecimal(v: Value): bigint {
  const parsed = parseInt64(sprint([v]), 8, 64);
  return parsed.ok ? parsed.value : 0n;
}

const A = T.any;
const F = T.float64;

export const mathFuncs: Record<string, GoFunc> = {
  // Sprig drops strconv.Atoi's error, whose value is 0 for a syntax error and
  // the clamped int64 for one out of range.
  atoi: fn([T.string], T.int, ([s]) => mk.int(atoi(s.v as string).value)),
  int64: fn([A], T.int64, ([v]) => mk.int64(toInt64(v))),
  int: fn([A], T.int, ([v]) => mk.int(toInt64(v))),
  float64: fn([A], F, ([v]) => mk.float(toFloat64(v))),
  toDecimal: fn([A], T.int64, ([v]) => mk.int64(toDecimal(v))),
  add1: fn([A], T.int64, ([v]) => int64(toInt64(v) + 1n)),
  add: fn([], T.int64, (vs) => int64(vs.reduce((sum, v) => wrap(sum + toInt64(v)), 0n)), A),
  sub: fn([A, A], T.int64, ([a, b]) => int64(toInt64(a) - toInt64(b))),
  div: fn([A, A], T.int64, ([a, b]) => int64(divide(toInt64(a), toInt64(b), 'div'))),
  mod: fn([A, A], T.int64, ([a, b]) => int64(divide(toInt64(a), toInt64(b), 'mod'))),
  mul: fn(
    [A],
    T.int64,
    ([a, ...vs]) => int64(vs.reduce((p, v) => wrap(p * toInt64(v)), toInt64(a))),
    A,
  ),
  add1f: fn([A], F, ([v]) => mk.float(decimalOp('add', toFloat64(v), [1]))),
  addf: fn([], F, (vs) => mk.float(decimalOp('add', 0, vs.map(toFloat64))), A),
  subf: fn([A], F, ([a, ...vs]) => mk.float(decimalOp('sub', toFloat64(a), vs.map(toFloat64))), A),
  mulf: fn([A], F, ([a, ...vs]) => mk.float(decimalOp('mul', toFloat64(a), vs.map(toFloat64))), A),
  divf: fn([A], F, ([a, ...vs]) => mk.float(decimalOp('div', toFloat64(a), vs.map(toFloat64))), A),
  max: fn(
    [A],
    T.int64,
    ([a, ...vs]) => mk.int64(vs.map(toInt64).reduce((m, b) => (b > m ? b : m), toInt64(a))),
    A,
  ),
  min: fn(
    [A],
    T.int64,
    ([a, ...vs]) => mk.int64(vs.map(toInt64).reduce((m, b) => (b < m ? b : m), toInt64(a))),
    A,
  ),
  maxf: fn([A], F, ([a, ...vs]) => mk.float(vs.map(toFloat64).reduce(goMax, toFloat64(a))), A),
  minf: fn([A], F, ([a, ...vs]) => mk.float(vs.map(toFloat64).reduce(goMin, toFloat64(a))), A),
  ceil: fn([A], F, ([v]) => mk.float(Math.ceil(toFloat64(v)))),
  floor: fn([A], F, ([v]) => mk.float(Math.floor(toFloat64(v)))),
  round: fn([A, T.int], F, ([a, p, ...rest]) => mk.float(round(a, p.v as bigint, rest)), F),
  until: fn([T.int], sliceOf(T.int), ([n], ctx) => {
    const count = n.v as bigint;
    return ints(untilStep(0n, count, count < 0n ? -1n : 1n, ctx));
  }),
  untilStep: fn([T.int, T.int, T.int], sliceOf(T.int), ([a, b, c], ctx) =>
    ints(untilStep(a.v as bigint, b.v as bigint, c.v as bigint, ctx)),
  ),
  seq: fn([], T.string, (params, ctx) => mk.string(seq(params, ctx)), T.int),
};
mathFuncs.biggest = mathFuncs.max;
