// Patch metadata for strategic merge: which Go type sits at each field, and the
// patch strategy and merge key of each list. Go's strategicpatch reads these
// from struct tags through reflection. Here the Kubernetes types come from the
// generated OpenAPI definitions (whose x-kubernetes-patch-strategy and
// x-kubernetes-patch-merge-key extensions carry the same tags), and the lookups
// fail where Go's reflection-based lookups fail.
import { definitions, type OpenApiSchema } from '../generated/k8s-openapi.js';

export type GoType = GoStruct | GoMapType | GoSliceType | GoScalar;

export interface GoStruct {
  readonly kind: 'struct';
  readonly name: string;
  readonly fields: () => ReadonlyMap<string, StructField>;
}

export interface GoMapType {
  readonly kind: 'map';
  readonly elem: GoType;
}

export interface GoSliceType {
  readonly kind: 'slice';
  readonly elem: GoType;
}

export interface GoScalar {
  readonly kind: 'scalar';
  /** Go kind name, such as `string` or `int32`, used in error messages as Go prints it. */
  readonly name: string;
}

export interface StructField {
  readonly type: GoType;
  /** Whether the Go field is a pointer, which changes how a list lookup treats a non-list field. */
  readonly pointer: boolean;
  /** The `patchStrategy` tag split at commas, `['']` when the tag is absent. */
  readonly strategies: readonly string[];
  readonly mergeKey: string;
}

/** The metadata that a lookup returns for one field. */
export interface PatchMeta {
  readonly type: GoType;
  readonly strategies: readonly string[];
  readonly mergeKey: string;
}

export function scalar(name: string): GoScalar {
  return { kind: 'scalar', name };
}

export function field(type: GoType, options: Partial<StructField> = {}): StructField {
  return { type, pointer: false, strategies: [''], mergeKey: '', ...options };
}

export function struct(name: string, fields: () => Record<string, StructField>): GoStruct {
  let resolved: ReadonlyMap<string, StructField> | undefined;
  return {
    kind: 'struct',
    name,
    fields: () => (resolved ??= new Map(Object.entries(fields()))),
  };
}

/**
 * Go structs behind definitions that OpenAPI describes as strings: they marshal
 * themselves to JSON, but reflection still finds their exported fields.
 * Quantity embeds `Format`, IntOrString has Type, IntVal and StrVal, and Time
 * embeds time.Time, which has no exported fields.
 */
const GO_STRUCTS_FOR_STRINGS: Record<string, () => Record<string, StructField>> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': () => ({ Format: field(scalar('string')) }),
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': () => ({
    Type: field(scalar('int')),
    IntVal: field(scalar('int32')),
    StrVal: field(scalar('string')),
  }),
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': () => ({}),
};

const definitionTypes = new Map<string, GoType>();

/** Returns the Go type of an OpenAPI definition, such as `io.k8s.api.core.v1.PodTemplateSpec`. */
export function definitionType(name: string): GoType {
  let type = definitionTypes.get(name);
  if (type === undefined) {
    type = typeOfDefinition(name);
    definitionTypes.set(name, type);
  }
  return type;
}

function typeOfDefinition(name: string): GoType {
  const schema = definitions[name];
  if (schema === undefined) {
    throw new Error(`OpenAPI definition ${name} is missing from the generated data`);
  }
  const hidden = GO_STRUCTS_FOR_STRINGS[name];
  if (hidden !== undefined) {
    return struct(shortName(name), hidden);
  }
  if (schema.type === 'object') {
    return struct(shortName(name), () => structFields(schema));
  }
  return typeOfSchema(schema);
}

function shortName(definition: string): string {
  return definition.slice(definition.lastIndexOf('.') + 1);
}

function structFields(schema: OpenApiSchema): Record<string, StructField> {
  const properties = (schema.properties ?? {}) as Record<string, OpenApiSchema>;
  const fields: Record<string, StructField> = {};
  for (const [name, property] of Object.entries(properties)) {
    const strategy = property['x-kubernetes-patch-strategy'];
    const mergeKey = property['x-kubernetes-patch-merge-key'];
    // NOTE: OpenAPI does not say which Go fields are pointers, so every field
    // counts as a value here. It matters only when both sides put a list in a
    // field that is not a list: Go replaces a pointer field and fails otherwise.
    fields[name] = field(typeOfSchema(property), {
      strategies: typeof strategy === 'string' ? strategy.split(',') : [''],
      mergeKey: typeof mergeKey === 'string' ? mergeKey : '',
    });
  }
  return fields;
}

const SCALAR_NAMES: Record<string, string> = {
  string: 'string',
  boolean: 'bool',
  number: 'float64',
};

function typeOfSchema(schema: OpenApiSchema): GoType {
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    return definitionType(ref.replace('#/definitions/', ''));
  }
  if (schema.type === 'array') {
    return { kind: 'slice', elem: typeOfSchema(schema.items as OpenApiSchema) };
  }
  if (schema.type === 'object') {
    const values = schema.additionalProperties;
    return values === undefined
      ? struct('object', () => ({}))
      : { kind: 'map', elem: typeOfSchema(values as OpenApiSchema) };
  }
  if (schema.type === 'integer') {
    return scalar(schema.format === 'int32' ? 'int32' : 'int64');
  }
  return scalar(SCALAR_NAMES[String(schema.type)] ?? 'string');
}

const GO_KIND_NAMES: Record<GoType['kind'], string> = {
  struct: 'struct',
  map: 'map',
  slice: 'slice',
  scalar: 'scalar',
};

function goKindName(type: GoType): string {
  return type.kind === 'scalar' ? type.name : GO_KIND_NAMES[type.kind];
}

/**
 * Finds the struct field that Go's encoding/json would decode `key` into: the
 * exact name, or else a name equal under its case folding (ASCII letters fold,
 * and the Kelvin sign and long s match k and s).
 */
function findField(type: GoStruct, key: string): StructField | undefined {
  const fields = type.fields();
  const exact = fields.get(key);
  if (exact !== undefined) {
    return exact;
  }
  for (const [name, candidate] of fields) {
    if (equalFold(name, key)) {
      return candidate;
    }
  }
  return undefined;
}

function equalFold(name: string, key: string): boolean {
  const keyChars = [...key];
  if (keyChars.length !== name.length) {
    return false;
  }
  return keyChars.every((char, i) => foldsTo(name[i], char));
}

function foldsTo(nameChar: string, keyChar: string): boolean {
  const lower = nameChar.toLowerCase();
  const isLetter = lower >= 'a' && lower <= 'z';
  if (keyChar === nameChar || (isLetter && keyChar.toLowerCase() === lower && keyChar < '\u0080')) {
    return true;
  }
  return (lower === 'k' && keyChar === '\u212a') || (lower === 's' && keyChar === '\u017f');
}

export type LookupFailure = (message: string) => never;

/** Returns the metadata of field `key` of a struct, as LookupPatchMetadataForStruct does. */
export function lookupStructField(type: GoType, key: string, failure: LookupFailure): PatchMeta {
  if (type.kind !== 'struct') {
    failure(`cannot merge objects or lists inside a Go ${goKindName(type)}, only in struct fields`);
  }
  const found = findField(type, key);
  if (found === undefined) {
    failure(`unknown field "${key}" in ${type.name}: objects and lists merge only in known fields`);
  }
  return found;
}

/** Returns the metadata of list field `key` with the item type, as LookupPatchMetadataForSlice does. */
export function lookupSliceField(type: GoType, key: string, failure: LookupFailure): PatchMeta {
  const found = lookupStructField(type, key, failure) as StructField;
  const fieldType = found.type;
  if (fieldType.kind === 'slice') {
    if (fieldType.elem.kind === 'slice') {
      failure('lists of lists are not supported');
    }
    return { ...found, type: fieldType.elem };
  }
  // Go dereferences a pointer field and then takes its type as the item type.
  if (found.pointer) {
    return found;
  }
  failure(
    `field "${key}" is a Go ${goKindName(fieldType)}, not a list, so lists cannot merge here`,
  );
}
