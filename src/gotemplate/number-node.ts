// Interpretation of a number constant in a template: which of int, uint and float
// it can be, as text/template/parse's NumberNode decides, so that `1`, `1.0`,
// `0x10` and `'a'` behave as in Go when passed to typed function parameters.

import { Item } from './lexer.js';
import type { NumberNode } from './nodes.js';
import { quoteGo, unquoteChar } from './quote.js';
import { parseFloat64, parseInt64, parseUint } from './strconv.js';

export type NumberFields = Omit<NumberNode, 'type' | 'pos'>;

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

function charConstant(text: string): NumberFields | string {
  let decoded;
  try {
    decoded = unquoteChar(text, 1, text[0]);
  } catch {
    return 'invalid syntax';
  }
  if (text.slice(decoded.rest) !== "'") return `malformed character constant: ${text}`;
  const n = BigInt(decoded.value);
  return {
    isInt: true,
    isUint: true,
    isFloat: true,
    isComplex: false,
    int64: n,
    uint64: n,
    float64: decoded.value,
    text,
  };
}

function fromFloat(fields: NumberFields, f: number): void {
  fields.isFloat = true;
  fields.float64 = f;
  if (Number.isInteger(f)) {
    const asInt = BigInt(f);
    if (!fields.isInt && asInt >= INT64_MIN && asInt <= INT64_MAX) {
      fields.isInt = true;
      fields.int64 = asInt;
    }
    if (!fields.isUint && asInt >= 0n && asInt <= UINT64_MAX) {
      fields.isUint = true;
      fields.uint64 = asInt;
    }
  }
}

/**
 * Parses a number token as Go's parse.newNumber does. Returns an error message
 * (without the `template: NAME:LINE:` prefix) when the text is not a number.
 */
export function parseNumber(text: string, typ: Item): NumberFields | string {
  if (typ === Item.CharConstant) return charConstant(text);
  const fields: NumberFields = {
    isInt: false,
    isUint: false,
    isFloat: false,
    isComplex: false,
    int64: 0n,
    uint64: 0n,
    float64: 0,
    text,
  };
  if (typ === Item.Complex || text.endsWith('i')) {
    // NOTE: complex constants are recognized but only their real-valued forms
    // (such as `1+0i`) execute; an imaginary value is an execution error.
    const imaginary = parseFloat64(text.slice(0, -1));
    if (typ === Item.Complex || imaginary.ok) {
      fields.isComplex = true;
      return fields;
    }
  }
  const u = parseUint(text, 0, 64);
  if (u.ok) {
    fields.isUint = true;
    fields.uint64 = u.value;
  }
  const i = parseInt64(text, 0, 64);
  if (i.ok) {
    fields.isInt = true;
    fields.int64 = i.value;
    if (i.value === 0n) {
      fields.isUint = true;
      fields.uint64 = 0n;
    }
  }
  if (fields.isInt) {
    fields.isFloat = true;
    fields.float64 = Number(fields.int64);
  } else if (fields.isUint) {
    fields.isFloat = true;
    fields.float64 = Number(fields.uint64);
  } else {
    const f = parseFloat64(text);
    if (f.ok) {
      if (!/[.eEpP]/.test(text)) return `integer overflow: ${quoteGo(text)}`;
      fromFloat(fields, f.value);
    }
  }
  if (!fields.isInt && !fields.isUint && !fields.isFloat) {
    return `illegal number syntax: ${quoteGo(text)}`;
  }
  return fields;
}
