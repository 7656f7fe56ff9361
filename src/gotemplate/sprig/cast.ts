// Conversions Sprig performs on interface{} arguments: spf13/cast v1.7.0's
// ToInt64, ToInt and ToFloat64 (errors become 0, as Sprig ignores them), and
// Sprig's strval. Exact Go types decide, so a named string type converts to 0.

import { sprint } from '../fmt/printf.js';
import { parseFloat64, parseInt64 } from '../strconv.js';
import { T } from '../types.js';
import { Value, indirect, isValid } from '../value.js';

const INT64_MIN = -(1n << 63n);

/** Go's int64(f) conversion; out-of-range values give the minimum, as on amd64. */
export function floatToInt64(f: number): bigint {
  if (!Number.isFinite(f) || f >= 9223372036854775808 || f < -9223372036854775808) {
    return INT64_MIN;
  }
  return BigInt(Math.trunc(f));
}

function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === '.') {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === '0') foundZero = true;
    else return s;
  }
  return s;
}

function castTarget(v: Value): Value {
  if (!isValid(v) || v.t.kind !== 'ptr') return v;
  return indirect(v).value;
}

/** cast.ToInt64 as Sprig uses it: unconvertible values give 0. */
export function toInt64(input: Value): bigint {
  const v = castTarget(input);
  if (!isValid(v) || v.t.name !== undefined) return 0n;
  switch (v.t.kind) {
    case 'int':
    case 'uint':
      return BigInt.asIntN(64, v.v as bigint);
    case 'float':
      return floatToInt64(v.v as number);
    case 'string': {
      const parsed = parseInt64(trimZeroDecimal(v.v as string), 0, 64);
      return parsed.ok ? parsed.value : 0n;
    }
    case 'bool':
      return v.v ? 1n : 0n;
    default:
      return 0n;
  }
}

/** cast.ToFloat64 as Sprig uses it: unconvertible values give 0. */
export function toFloat64(input: Value): number {
  const v = castTarget(input);
  if (!isValid(v) || v.t.name !== undefined) return 0;
  switch (v.t.kind) {
    case 'int':
    case 'uint':
      return Number(v.v as bigint);
    case 'float':
      return v.v as number;
    case 'string': {
      const parsed = parseFloat64(v.v as string);
      return parsed.ok ? parsed.value : 0;
    }
    case 'bool':
      return v.v ? 1 : 0;
    default:
      return 0;
  }
}

/** Sprig's strval: strings as they are, Stringers through String, others with %v. */
export function strval(v: Value): string {
  if (isValid(v) && v.t.kind === 'string') return v.v as string;
  if (isValid(v) && v.t.kind === 'slice' && v.t.elem === T.uint8 && v.t.name === undefined) {
    return Buffer.from(((v.v as Value[] | null) ?? []).map((b) => Number(b.v))).toString('utf8');
  }
  return sprint([v]);
}
