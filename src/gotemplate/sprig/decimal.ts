// The exact decimal arithmetic behind Sprig's addf, subf, mulf and divf
// (shopspring/decimal v1.4.0): each float64 becomes its shortest decimal form,
// sums and products are exact, quotients are rounded half away from zero to 16
// decimal places, and the result is converted back to the nearest float64.

import { CallError } from '../funcs.js';
import { formatFloat } from '../fmt/format-float.js';

interface Decimal {
  coef: bigint;
  exp: number;
}

const DIVISION_PRECISION = 16;

function fromFloat(f: number): Decimal {
  if (!Number.isFinite(f)) {
    throw new CallError(`Cannot create a Decimal from ${formatFloat(f, 'g', -1)}`);
  }
  if (f === 0) return { coef: 0n, exp: 0 };
  const [mantissa, exponent] = Math.abs(f).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const fractionDigits = mantissa.includes('.') ? mantissa.split('.')[1].length : 0;
  const coef = BigInt(digits) * (f < 0 ? -1n : 1n);
  return { coef, exp: Number(exponent) - fractionDigits };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.coef * 10n ** BigInt(a.exp - exp), b.coef * 10n ** BigInt(b.exp - exp), exp];
}

function divide(a: Decimal, b: Decimal): Decimal {
  if (b.coef === 0n) throw new CallError('decimal division by 0');
  const scale = -DIVISION_PRECISION;
  const e = a.exp - b.exp - scale;
  const [num, den] =
    e < 0 ? [a.coef, b.coef * 10n ** BigInt(-e)] : [a.coef * 10n ** BigInt(e), b.coef];
  let q = num / den;
  const r = num % den;
  const twice = 2n * (r < 0n ? -r : r);
  if (twice >= (den < 0n ? -den : den)) q += a.coef < 0n !== b.coef < 0n ? -1n : 1n;
  return { coef: q, exp: scale };
}

function apply(op: string, a: Decimal, b: Decimal): Decimal {
  if (op === 'mul') return { coef: a.coef * b.coef, exp: a.exp + b.exp };
  if (op === 'div') return divide(a, b);
  const [x, y, exp] = align(a, b);
  return { coef: op === 'add' ? x + y : x - y, exp };
}

export function decimalOp(
  op: 'add' | 'sub' | 'mul' | 'div',
  first: number,
  rest: number[],
): number {
  let result = fromFloat(first);
  for (const x of rest) result = apply(op, result, fromFloat(x));
  return Number(`${result.coef}e${result.exp}`);
}
