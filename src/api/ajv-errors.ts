// Translates ajv errors into field errors worded like the apiserver's. A JSON
// pointer becomes a field path, and each keyword becomes a field error type.
// Where ajv reports several errors for one cause, such as a type error with
// the enum that a value of the wrong type cannot meet, only the clearest remains.
import type { ErrorObject } from 'ajv';
import { FieldPath, fieldErrors, type FieldError } from '../admission/field-errors.js';
import { GROUP_PATTERN, KIND_PATTERN } from './definitions.js';
import { QUANTITY_PATTERN } from './kubernetes-schema.js';

/** Property names written as `.name`; any other key is written in brackets, like `[app.kubernetes.io/name]`. */
const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

const ROOT_PATH = FieldPath.fromSegments([]);

/** Unknown-field errors list the supported fields when there are at most this many. */
const MAX_LISTED_FIELDS = 10;

const PATTERN_DETAILS: Record<string, string> = {
  [QUANTITY_PATTERN]: 'must be a quantity such as `8`, `500m` or `16Gi`',
  [GROUP_PATTERN]:
    'must be empty or a lowercase RFC 1123 subdomain: lowercase alphanumeric characters, ' +
    "'-' or '.', starting and ending with an alphanumeric character",
  [KIND_PATTERN]:
    "must start with a letter, contain only letters, digits and '-', and end with a letter or digit",
};

const FORMAT_DETAILS: Record<string, string> = {
  'date-time': 'must be an RFC 3339 date-time such as `2025-01-02T15:04:05Z`',
  int32: 'must be an integer from -2147483648 to 2147483647 (int32)',
  int64: 'must be an integer from -9223372036854775808 to 9223372036854775807 (int64)',
};

/** Appends an object key to a path, bracketing keys that contain dots, slashes and the like. */
export function appendKey(path: FieldPath, key: string): FieldPath {
  return PLAIN_KEY.test(key) ? path.child(key) : path.key(key);
}

function ownValue(container: unknown, key: string): unknown {
  if (container === null || typeof container !== 'object' || !Object.hasOwn(container, key)) {
    return undefined;
  }
  return (container as Record<string, unknown>)[key];
}

/**
 * Converts a JSON pointer into a field path. It walks the validated value to
 * distinguish an array index from a map key made of digits.
 */
export function pointerToPath(root: unknown, pointer: string, base = ROOT_PATH): FieldPath {
  let path = base;
  let current: unknown = root;
  if (pointer === '') return path;
  for (const escaped of pointer.slice(1).split('/')) {
    const segment = escaped.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      path = path.index(Number(segment));
      current = current[Number(segment)];
    } else {
      path = appendKey(path, segment);
      current = ownValue(current, segment);
    }
  }
  return path;
}

function unknownFieldDetail(key: string, parentSchema: unknown): string {
  const properties = (parentSchema as { properties?: Record<string, unknown> })?.properties ?? {};
  const known = Object.keys(properties).filter((name) => !name.startsWith('$'));
  const match = known.find((name) => name.toLowerCase() === key.toLowerCase());
  if (match) return `unknown field; did you mean \`${match}\`?`;
  if (known.length > 0 && known.length <= MAX_LISTED_FIELDS) {
    return `unknown field; supported fields: ${known.map((name) => `\`${name}\``).join(', ')}`;
  }
  return 'unknown field';
}

function typeDetail(types: string): string {
  return `must be of type ${types.split(',').join(' or ')}`;
}

function lengthDetail(limit: number): string {
  return limit === 1 ? 'must not be empty' : `must be at least ${limit} characters long`;
}

function limitDetail(comparison: string, limit: unknown): string {
  const words: Record<string, string> = {
    '>=': 'greater than or equal to',
    '>': 'greater than',
    '<=': 'less than or equal to',
    '<': 'less than',
  };
  return `must be ${words[comparison] ?? comparison} ${String(limit)}`;
}

/** Returns the detail of an error whose field error type is Invalid. */
function invalidDetail(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return typeDetail(String(params.type));
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum':
      return limitDetail(String(params.comparison), params.limit);
    case 'minLength':
      return lengthDetail(Number(params.limit));
    case 'pattern': {
      const pattern = String(params.pattern);
      return PATTERN_DETAILS[pattern] ?? `must match the regular expression \`${pattern}\``;
    }
    case 'format': {
      const format = String(params.format);
      return FORMAT_DETAILS[format] ?? `must be a valid ${format}`;
    }
    default:
      return `must satisfy the \`${error.keyword}\` constraint`;
  }
}

/** Translates one ajv error; returns undefined for errors that only echo another one. */
function translateError(
  error: ErrorObject,
  root: unknown,
  base: FieldPath,
): FieldError | undefined {
  const path = pointerToPath(root, error.instancePath, base);
  const params = error.params as Record<string, unknown>;
  const value: unknown = error.data;
  switch (error.keyword) {
    case 'if':
    case 'anyOf':
    case 'oneOf':
      return undefined;
    case 'required':
      return fieldErrors.required(appendKey(path, String(params.missingProperty)));
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const detail = unknownFieldDetail(key, error.parentSchema);
      return fieldErrors.forbidden(appendKey(path, key), detail);
    }
    case 'enum':
      return fieldErrors.notSupported(path, value, (params.allowedValues as unknown[]).map(String));
    case 'maxLength':
      return fieldErrors.tooLong(path, Number(params.limit));
    case 'maxItems': {
      const length = Array.isArray(value) ? value.length : 0;
      return fieldErrors.tooMany(path, length, Number(params.limit));
    }
    default:
      return fieldErrors.invalid(path, value, invalidDetail(error));
  }
}

/** Ranks a keyword: where ajv reports several errors on a field, the lowest rank is kept. */
function precedence(keyword: string): number {
  const order = [
    'type',
    'required',
    'additionalProperties',
    'enum',
    'format',
    'maximum',
    'minimum',
  ];
  const position = order.indexOf(keyword);
  return position === -1 ? order.length : position;
}

interface Translated {
  keyword: string;
  error: FieldError;
}

/**
 * Translates ajv errors into field errors, one per field and error type, in
 * the order ajv reached the fields. `base` is the path of the validated value.
 * A type error on a field hides every other error on it, because no other
 * constraint can be judged on a value of the wrong type.
 */
export function translateAjvErrors(
  errors: readonly ErrorObject[],
  root: unknown,
  base = ROOT_PATH,
): FieldError[] {
  const translated: Translated[] = [];
  const fieldOrder = new Set<string>();
  for (const error of errors) {
    const fieldError = translateError(error, root, base);
    if (!fieldError) continue;
    fieldOrder.add(fieldError.field);
    translated.push({ keyword: error.keyword, error: fieldError });
  }
  translated.sort((a, b) => precedence(a.keyword) - precedence(b.keyword));

  const byField = new Map<string, FieldError[]>();
  const mistyped = new Set<string>();
  for (const { keyword, error } of translated) {
    const kept = byField.get(error.field) ?? [];
    if (mistyped.has(error.field) || kept.some((other) => other.type === error.type)) continue;
    if (keyword === 'type') mistyped.add(error.field);
    kept.push(error);
    byField.set(error.field, kept);
  }
  return [...fieldOrder].flatMap((field) => byField.get(field) ?? []);
}
