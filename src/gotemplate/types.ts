// Go's type system, as far as text/template observes it: kinds, named types, the
// reflect.Type.String() spelling used in error messages, and assignability.
// Hand-written because the engine must reproduce Go's reflection-driven behaviour
// byte for byte, and no npm package models Go types for a template engine.

export type IntName = 'int' | 'int8' | 'int16' | 'int32' | 'int64';
export type UintName = 'uint' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'uintptr';

export interface StructField {
  /** Go field name, as a template spells it after a dot. */
  name: string;
  /** JSON name from the field's `json` tag, used to decode the webhook's JSON. */
  json: string;
  type: GoType;
  /** Embedded fields are promoted, so `.Name` finds `ObjectMeta.Name`. */
  embedded?: boolean;
  omitempty?: boolean;
}

/** A printer for types whose Go String method defines their printed form. */
export type StringMethod = (raw: unknown) => string;

interface Named {
  /** Name of a defined type, such as `v1.Protocol`; absent for unnamed types. */
  name?: string;
  /** Set when the type (or its pointer) has a String method that fmt uses. */
  stringer?: {
    pointerReceiver: boolean;
    /** The String method's result; absent where the engine cannot reproduce it. */
    format?: StringMethod;
    /** What String returns for a nil pointer. */
    nilText?: string;
  };
}

export type GoType =
  | ({ kind: 'invalid' } & Named)
  | ({ kind: 'bool' } & Named)
  | ({ kind: 'int'; bits: number; base: IntName } & Named)
  | ({ kind: 'uint'; bits: number; base: UintName } & Named)
  | ({ kind: 'float'; bits: 32 | 64 } & Named)
  | ({ kind: 'string' } & Named)
  | ({ kind: 'interface' } & Named)
  | ({ kind: 'ptr'; elem: GoType } & Named)
  | ({ kind: 'slice'; elem: GoType } & Named)
  | ({ kind: 'map'; key: GoType; elem: GoType } & Named)
  | ({ kind: 'struct'; fields: StructField[] } & Named)
  | ({ kind: 'func' } & Named);

export type Kind = GoType['kind'];

function intType(base: IntName, bits: number): GoType {
  return { kind: 'int', base, bits };
}

function uintType(base: UintName, bits: number): GoType {
  return { kind: 'uint', base, bits };
}

export const T = {
  invalid: { kind: 'invalid' } as GoType,
  bool: { kind: 'bool' } as GoType,
  int: intType('int', 64),
  int8: intType('int8', 8),
  int16: intType('int16', 16),
  int32: intType('int32', 32),
  int64: intType('int64', 64),
  uint: uintType('uint', 64),
  uint8: uintType('uint8', 8),
  uint16: uintType('uint16', 16),
  uint32: uintType('uint32', 32),
  uint64: uintType('uint64', 64),
  uintptr: uintType('uintptr', 64),
  float32: { kind: 'float', bits: 32 } as GoType,
  float64: { kind: 'float', bits: 64 } as GoType,
  string: { kind: 'string' } as GoType,
  any: { kind: 'interface' } as GoType,
  /** The type of a function value, which Go's `printf "%T"` spells out fully. */
  func: { kind: 'func' } as GoType,
};

const pointerCache = new WeakMap<GoType, GoType>();
const sliceCache = new WeakMap<GoType, GoType>();

export function ptrTo(elem: GoType): GoType {
  let t = pointerCache.get(elem);
  if (t === undefined) {
    t = { kind: 'ptr', elem };
    pointerCache.set(elem, t);
  }
  return t;
}

export function sliceOf(elem: GoType): GoType {
  let t = sliceCache.get(elem);
  if (t === undefined) {
    t = { kind: 'slice', elem };
    sliceCache.set(elem, t);
  }
  return t;
}

export function mapOf(key: GoType, elem: GoType): GoType {
  return { kind: 'map', key, elem };
}

export const T_BYTES = sliceOf(T.uint8);
export const T_STRINGS = sliceOf(T.string);
export const T_ANYS = sliceOf(T.any);
export const T_STRING_MAP = mapOf(T.string, T.string);
export const T_ANY_MAP = mapOf(T.string, T.any);

/** Spells a type as Go's reflect.Type.String() does (`*int32`, `map[string]interface {}`). */
export function typeString(t: GoType): string {
  if (t.name !== undefined) return t.name;
  switch (t.kind) {
    case 'int':
    case 'uint':
      return t.base;
    case 'float':
      return `float${t.bits}`;
    case 'interface':
      return 'interface {}';
    case 'ptr':
      return '*' + typeString(t.elem);
    case 'slice':
      return '[]' + typeString(t.elem);
    case 'map':
      return `map[${typeString(t.key)}]${typeString(t.elem)}`;
    case 'struct':
      return 'struct {...}';
    case 'func':
      return 'func()';
    default:
      return t.kind;
  }
}

export function identical(a: GoType, b: GoType): boolean {
  return a === b || typeString(a) === typeString(b);
}

/** Reports whether a value of type `from` may be assigned to `to` (Go's AssignableTo). */
export function assignableTo(from: GoType, to: GoType): boolean {
  if (identical(from, to)) return true;
  if (to.kind === 'interface') return true;
  // Predeclared types such as string are named too, so only a type literal
  // (map, slice, pointer) is assignable to a defined type of the same shape.
  if (isNamed(from) && isNamed(to)) return false;
  if (from.kind !== to.kind) return false;
  return identical({ ...from, name: undefined }, { ...to, name: undefined });
}

function isNamed(t: GoType): boolean {
  return t.name !== undefined || ['bool', 'int', 'uint', 'float', 'string'].includes(t.kind);
}

export function isIntKind(t: GoType): boolean {
  return t.kind === 'int' || t.kind === 'uint';
}

/** Reports whether a zero value of the type is nil (chan, func, interface, map, pointer, slice). */
export function canBeNil(t: GoType): boolean {
  switch (t.kind) {
    case 'func':
    case 'interface':
    case 'map':
    case 'ptr':
    case 'slice':
      return true;
    default:
      return false;
  }
}

/** Finds a field by name, including fields promoted from embedded structs. */
export function findField(t: GoType, name: string): number[] | undefined {
  if (t.kind !== 'struct') return undefined;
  const direct = t.fields.findIndex((f) => f.name === name);
  if (direct >= 0) return [direct];
  for (let i = 0; i < t.fields.length; i++) {
    const field = t.fields[i];
    if (!field.embedded) continue;
    const inner = field.type.kind === 'ptr' ? field.type.elem : field.type;
    const path = findField(inner, name);
    if (path !== undefined) return [i, ...path];
  }
  return undefined;
}
