// Go types of the template context (render.Context with the InferenceServiceSpec
// and core/v1 pod templates), built from the table that Go reflection generated,
// and decoding of the webhook's JSON into Go values as encoding/json would.
// Hand-written because templates must see Go field names, nil pointers and Go
// type names exactly as the Go controller's text/template does.

import {
  GoMap,
  GoType,
  INVALID,
  StructField,
  T,
  Value,
  boxAny,
  jsonToValue,
  mapOf,
  ptrTo,
  sliceOf,
  zeroValue,
} from '../gotemplate/index.js';
import { GO_ROOT_TYPE, GO_TYPES, GoTypeInfo } from './go-types.generated.js';
import { CUSTOM_TYPES } from './go-custom-types.js';

const BASIC: Record<string, GoType> = {
  bool: T.bool,
  string: T.string,
  int: T.int,
  int8: T.int8,
  int16: T.int16,
  int32: T.int32,
  int64: T.int64,
  uint: T.uint,
  uint8: T.uint8,
  uint16: T.uint16,
  uint32: T.uint32,
  uint64: T.uint64,
  float32: T.float32,
  float64: T.float64,
  'interface {}': T.any,
};

const named = new Map<string, GoType>();

function namedType(name: string, info: GoTypeInfo): GoType {
  const cached = named.get(name);
  if (cached !== undefined) return cached;
  const custom = CUSTOM_TYPES[name];
  if (custom !== undefined) {
    named.set(name, custom.type);
    return custom.type;
  }
  if (info.kind === 'struct') {
    // Registered before its fields resolve, so a recursive type refers to itself.
    const struct: GoType = { kind: 'struct', name, fields: [], stringer: generatedStringer(info) };
    named.set(name, struct);
    const fields: StructField[] = (info.fields ?? []).map((f) => ({
      name: f.name,
      json: f.json,
      type: resolveType(f.type),
      embedded: f.embedded,
      omitempty: f.omitempty,
    }));
    (struct as { fields: StructField[] }).fields.push(...fields);
    return struct;
  }
  const underlying = underlyingOf(info);
  const t = { ...underlying, name } as GoType;
  named.set(name, t);
  return t;
}

/**
 * Kubernetes API structs have generated String methods (pointer receivers) that
 * print "nil" for a nil pointer.
 * NOTE: their text for a non-nil value (`&PodTemplateSpec{...}`) is not
 * reproduced, so printing a whole core/v1 object differs from Go.
 */
function generatedStringer(info: GoTypeInfo): GoType['stringer'] {
  return info.stringer === 'pointer' ? { pointerReceiver: true, nilText: 'nil' } : undefined;
}

function underlyingOf(info: GoTypeInfo): GoType {
  switch (info.kind) {
    case 'map':
      return mapOf(resolveType(info.key ?? 'string'), resolveType(info.elem ?? 'string'));
    case 'slice':
      return sliceOf(resolveType(info.elem ?? 'string'));
    case 'ptr':
      return ptrTo(resolveType(info.elem ?? 'string'));
    default: {
      const basic = BASIC[info.kind];
      if (basic === undefined) throw new Error(`unsupported Go kind ${info.kind}`);
      return basic;
    }
  }
}

/** Resolves a type spelled as Go's reflect.Type.String() to a GoType. */
export function resolveType(spelling: string): GoType {
  if (spelling.startsWith('*')) return ptrTo(resolveType(spelling.slice(1)));
  if (spelling.startsWith('[]')) return sliceOf(resolveType(spelling.slice(2)));
  if (spelling.startsWith('map[')) {
    const close = spelling.indexOf(']');
    return mapOf(resolveType(spelling.slice(4, close)), resolveType(spelling.slice(close + 1)));
  }
  const basic = BASIC[spelling];
  if (basic !== undefined) return basic;
  const info = Object.hasOwn(GO_TYPES, spelling) ? GO_TYPES[spelling] : undefined;
  if (info === undefined) throw new Error(`unknown Go type ${spelling}`);
  return namedType(spelling, info);
}

export function contextType(): GoType {
  return resolveType(GO_ROOT_TYPE);
}

/** Field positions of a struct type by JSON name, exact and case-folded, built on first use. */
interface FieldLookup {
  exact: Map<string, number>;
  folded: Map<string, number>;
}

const fieldLookups = new WeakMap<StructField[], FieldLookup>();

function fieldLookupOf(fields: StructField[]): FieldLookup {
  let lookup = fieldLookups.get(fields);
  if (lookup === undefined) {
    lookup = { exact: new Map(), folded: new Map() };
    fields.forEach((field, position) => {
      if (field.json === '') return;
      if (!lookup!.exact.has(field.json)) lookup!.exact.set(field.json, position);
      const folded = field.json.toLowerCase();
      if (!lookup!.folded.has(folded)) lookup!.folded.set(folded, position);
    });
    fieldLookups.set(fields, lookup);
  }
  return lookup;
}

/** Returns the position of the field a JSON key decodes into: exact name first, then case-insensitive. */
function findJsonField(fields: StructField[], key: string): number | undefined {
  const lookup = fieldLookupOf(fields);
  return lookup.exact.get(key) ?? lookup.folded.get(key.toLowerCase());
}

function decodeStruct(json: unknown, t: GoType & { kind: 'struct' }): Value {
  const value = zeroValue(t);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return value;
  const fields = value.v as Value[];
  t.fields.forEach((field, i) => {
    if (field.embedded && field.json === '') fields[i] = decodeValue(json, field.type);
  });
  for (const [key, item] of Object.entries(json)) {
    const position = findJsonField(t.fields, key);
    if (position === undefined) continue;
    fields[position] = decodeValue(item, t.fields[position].type);
  }
  return value;
}

function decodeMap(json: unknown, t: GoType & { kind: 'map' }): Value {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return zeroValue(t);
  const map: GoMap = new Map();
  for (const [key, item] of Object.entries(json)) map.set(key, decodeValue(item, t.elem));
  return { t, v: map };
}

function decodeInteger(json: unknown, t: GoType & { kind: 'int' | 'uint' }): Value {
  if (typeof json !== 'number' || !Number.isInteger(json)) return zeroValue(t);
  const n = BigInt(json);
  const fits = t.kind === 'int' ? BigInt.asIntN(t.bits, n) === n : BigInt.asUintN(t.bits, n) === n;
  return fits ? { t, v: n } : zeroValue(t);
}

/**
 * Decodes JSON into a value of type `t` as encoding/json's Unmarshal does: JSON
 * names matched exactly, then case-insensitively; null leaves pointers, slices and
 * maps nil. A value of the wrong JSON type leaves the zero value, as Go does for
 * the field it reports in its error.
 */
export function decodeValue(json: unknown, t: GoType): Value {
  if (t.name !== undefined && CUSTOM_TYPES[t.name] !== undefined) {
    return CUSTOM_TYPES[t.name].decode(json);
  }
  switch (t.kind) {
    case 'ptr':
      if (json === null || json === undefined) return { t, v: null };
      return { t, v: { target: decodeValue(json, t.elem) } };
    case 'struct':
      return decodeStruct(json, t);
    case 'slice':
      if (!Array.isArray(json)) return zeroValue(t);
      return { t, v: json.map((item) => decodeValue(item, t.elem)) };
    case 'map':
      return decodeMap(json, t);
    case 'string':
      return typeof json === 'string' ? { t, v: json } : zeroValue(t);
    case 'bool':
      return typeof json === 'boolean' ? { t, v: json } : zeroValue(t);
    case 'int':
    case 'uint':
      return decodeInteger(json, t);
    case 'float':
      return typeof json === 'number' ? { t, v: json } : zeroValue(t);
    case 'interface':
      return boxAny(jsonToValue(json));
    default:
      return INVALID;
  }
}
