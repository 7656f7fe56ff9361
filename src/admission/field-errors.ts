// Field errors as data, shaped like k8s.io/apimachinery's field.Error: a type,
// a path such as `spec.templateRefs[1].name`, the bad value and a detail. They
// are collected, capped and rendered the way the apiserver renders them.

export type FieldErrorType =
  | 'Required'
  | 'Invalid'
  | 'NotSupported'
  | 'Forbidden'
  | 'TooLong'
  | 'TooMany'
  | 'Duplicate'
  | 'NotFound';

/** The cause reason that the apiserver writes for each error type. */
export const CAUSE_TYPES: Record<FieldErrorType, string> = {
  Required: 'FieldValueRequired',
  Invalid: 'FieldValueInvalid',
  NotSupported: 'FieldValueNotSupported',
  Forbidden: 'FieldValueForbidden',
  TooLong: 'FieldValueTooLong',
  TooMany: 'FieldValueTooMany',
  Duplicate: 'FieldValueDuplicate',
  NotFound: 'FieldValueNotFound',
};

const TYPE_TEXT: Record<FieldErrorType, string> = {
  Required: 'Required value',
  Invalid: 'Invalid value',
  NotSupported: 'Unsupported value',
  Forbidden: 'Forbidden',
  TooLong: 'Too long',
  TooMany: 'Too many',
  Duplicate: 'Duplicate value',
  NotFound: 'Not found',
};

export interface FieldError {
  type: FieldErrorType;
  /** Dotted path with bracketed indexes, for example `spec.parallelism.data`. */
  field: string;
  /** The rejected value; omitted from the message when undefined. */
  value?: unknown;
  detail: string;
}

/** Maximum number of field errors listed in one denial. The rest are only counted. */
export const MAX_FIELD_ERRORS = 50;

/** A field path, built one segment at a time like field.NewPath in Go. */
export class FieldPath {
  private constructor(private readonly text: string) {}

  static root(name: string): FieldPath {
    return new FieldPath(name);
  }

  /** Builds a path from JSON Pointer segments, such as ajv's instancePath. */
  static fromSegments(segments: ReadonlyArray<string | number>): FieldPath {
    let path = new FieldPath('');
    for (const segment of segments) {
      path = typeof segment === 'number' ? path.index(segment) : path.child(segment);
    }
    return path;
  }

  child(name: string): FieldPath {
    return new FieldPath(this.text === '' ? name : `${this.text}.${name}`);
  }

  index(position: number): FieldPath {
    return new FieldPath(`${this.text}[${position}]`);
  }

  key(name: string): FieldPath {
    return new FieldPath(`${this.text}[${name}]`);
  }

  toString(): string {
    return this.text;
  }
}

type PathLike = FieldPath | string;

function make(type: FieldErrorType, field: PathLike, value: unknown, detail: string): FieldError {
  return { type, field: String(field), value, detail };
}

export const fieldErrors = {
  required: (field: PathLike, detail = ''): FieldError =>
    make('Required', field, undefined, detail),
  invalid: (field: PathLike, value: unknown, detail: string): FieldError =>
    make('Invalid', field, value, detail),
  notSupported: (field: PathLike, value: unknown, supported: readonly string[]): FieldError =>
    make(
      'NotSupported',
      field,
      value,
      `supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
    ),
  forbidden: (field: PathLike, detail: string): FieldError =>
    make('Forbidden', field, undefined, detail),
  tooLong: (field: PathLike, maxLength: number): FieldError =>
    make('TooLong', field, undefined, `may not be more than ${maxLength} bytes`),
  tooMany: (field: PathLike, actual: number, max: number): FieldError =>
    make('TooMany', field, actual, `must have at most ${max} items`),
  duplicate: (field: PathLike, value: unknown): FieldError => make('Duplicate', field, value, ''),
  notFound: (field: PathLike, value: unknown, detail = ''): FieldError =>
    make('NotFound', field, value, detail),
};

/** Renders a value the way field.Error does: strings quoted, other values as JSON. */
function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (typeof value === 'object') {
    const text = JSON.stringify(value);
    return text.length > 64 ? `${text.slice(0, 61)}...` : text;
  }
  return String(value);
}

/** Formats one error as `spec.parallelism.data: Invalid value: 0: must be ...`. */
export function formatFieldError(error: FieldError): string {
  let text = `${error.field}: ${TYPE_TEXT[error.type]}`;
  const showsValue =
    error.value !== undefined && error.type !== 'Required' && error.type !== 'Forbidden';
  if (showsValue) text += `: ${formatValue(error.value)}`;
  if (error.detail !== '') text += `: ${error.detail}`;
  return text;
}

/**
 * Formats an aggregate like the apiserver: one error alone, several in
 * brackets separated by ", ".
 */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  const lines = errors.map(formatFieldError);
  return lines.length === 1 ? lines[0] : `[${lines.join(', ')}]`;
}
