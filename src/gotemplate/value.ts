// Go values as text/template sees them through reflect: every value carries its
// static type, interfaces wrap a dynamic value, pointers refer to a value that can
// be nil, and the invalid value (reflect.Value{}) stands for "no value".
// Hand-written because Go's nil-pointer, interface and printing rules depend on
// this model, which plain JavaScript values cannot express.

import { GoType, T, canBeNil, ptrTo, sliceOf, typeString } from './types.js';

/** A pointer target; identity stands for the address. */
export interface Ref {
  target: Value;
}

/**
 * A Go map. Keys are raw basic values (string, bigint, boolean, number), so a key
 * such as `__proto__` is an ordinary entry and can never reach a prototype.
 */
export type GoMap = Map<unknown, Value>;

/**
 * A typed Go value. The raw `v` depends on the kind: boolean, bigint for integers,
 * number for floats, string, `Value | null` for interfaces, `Ref | null` for
 * pointers, `Value[] | null` for slices, `GoMap | null` for maps, `Value[]` for the
 * fields of a struct, and undefined for the invalid value.
 */
export interface Value {
  t: GoType;
  v: unknown;
}

export const INVALID: Value = { t: T.invalid, v: undefined };

export function isValid(v: Value): boolean {
  return v.t.kind !== 'invalid';
}

export const mk = {
  bool: (b: boolean): Value => ({ t: T.bool, v: b }),
  int: (n: bigint | number): Value => ({ t: T.int, v: BigInt(n) }),
  int64: (n: bigint | number): Value => ({ t: T.int64, v: BigInt(n) }),
  float: (n: number): Value => ({ t: T.float64, v: n }),
  string: (s: string): Value => ({ t: T.string, v: s }),
  anySlice: (items: Value[]): Value => ({ t: sliceOf(T.any), v: items.map(boxAny) }),
  stringSlice: (items: string[]): Value => ({ t: sliceOf(T.string), v: items.map(mk.string) }),
  nilAny: (): Value => ({ t: T.any, v: null }),
};

/** Wraps a value in an `interface {}` slot, as storing it in a []interface{} does. */
export function boxAny(v: Value): Value {
  if (v.t.kind === 'interface') return v;
  if (!isValid(v)) return { t: T.any, v: null };
  return { t: T.any, v };
}

/** Creates a pointer to a copy of the value. */
export function pointerTo(v: Value): Value {
  return { t: ptrTo(v.t), v: { target: v } as Ref };
}

/** Returns the zero value of a type (Go's reflect.Zero). */
export function zeroValue(t: GoType): Value {
  switch (t.kind) {
    case 'bool':
      return { t, v: false };
    case 'int':
    case 'uint':
      return { t, v: 0n };
    case 'float':
      return { t, v: 0 };
    case 'string':
      return { t, v: '' };
    case 'struct':
      return { t, v: t.fields.map((f) => zeroValue(f.type)) };
    case 'invalid':
      return INVALID;
    default:
      return { t, v: null };
  }
}

/** Reports whether a nil-able value is nil; other kinds are never nil. */
export function isNil(v: Value): boolean {
  return canBeNil(v.t) && v.v === null;
}

/** Unwraps an interface; a nil interface becomes the invalid value. */
export function indirectInterface(v: Value): Value {
  if (v.t.kind !== 'interface') return v;
  return v.v === null ? INVALID : (v.v as Value);
}

/**
 * Follows pointers and interfaces until a non-pointer value, stopping at the
 * first nil one, which it returns with `isNil` set.
 */
export function indirect(v: Value): { value: Value; isNil: boolean } {
  let current = v;
  while (current.t.kind === 'ptr' || current.t.kind === 'interface') {
    if (current.v === null) return { value: current, isNil: true };
    current = current.t.kind === 'ptr' ? (current.v as Ref).target : (current.v as Value);
  }
  return { value: current, isNil: false };
}

/** Returns the element a pointer points to; a nil pointer gives the invalid value. */
export function elem(v: Value): Value {
  if (v.t.kind === 'ptr') return v.v === null ? INVALID : (v.v as Ref).target;
  if (v.t.kind === 'interface') return indirectInterface(v);
  return v;
}

/** Returns the length of a string in bytes, as Go's len does. */
export function byteLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 1;
      i++;
    } else n += 2;
  }
  return n;
}

/** Returns Go's len of a string, slice or map value, or undefined for other kinds. */
export function lengthOf(v: Value): number | undefined {
  switch (v.t.kind) {
    case 'string':
      return byteLength(v.v as string);
    case 'slice':
      return v.v === null ? 0 : (v.v as Value[]).length;
    case 'map':
      return v.v === null ? 0 : (v.v as GoMap).size;
    default:
      return undefined;
  }
}

/** Go's truth of a value for if, with, and, or and not; undefined when it has none. */
export function isTrue(v: Value): boolean | undefined {
  if (!isValid(v)) return false;
  switch (v.t.kind) {
    case 'string':
    case 'slice':
    case 'map':
      return (lengthOf(v) ?? 0) > 0;
    case 'bool':
      return v.v as boolean;
    case 'int':
    case 'uint':
      return (v.v as bigint) !== 0n;
    case 'float':
      return (v.v as number) !== 0;
    case 'ptr':
    case 'interface':
    case 'func':
      return v.v !== null;
    case 'struct':
      return true;
    default:
      return undefined;
  }
}

/** Names the dynamic type of a value, or `<nil>` for the invalid value. */
export function valueTypeString(v: Value): string {
  return isValid(v) ? typeString(v.t) : '<nil>';
}

/** Copies the bytes of a Go string, which JavaScript keeps as UTF-16. */
export function toBytes(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}

/** Decodes bytes into a string; invalid UTF-8 becomes U+FFFD as Go's encoders do. */
export function fromBytes(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
}
