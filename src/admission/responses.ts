// Constructors for every admission response this webhook sends. Handlers
// return a ResponseBody; `completeReview` adds the uid and the envelope, so no
// response, including an error, leaves without them.
import type { Operation as PatchOperation } from 'fast-json-patch';
import {
  CAUSE_TYPES,
  FieldError,
  formatFieldError,
  formatFieldErrors,
  MAX_FIELD_ERRORS,
} from './field-errors.js';
import type { AdmissionApiVersion, AdmissionResponse, AdmissionReview, Status } from './review.js';

export type ResponseBody = Omit<AdmissionResponse, 'uid'>;

/** The apiserver passes warnings on as HTTP headers; it truncates them past 256 characters. */
export const MAX_WARNING_LENGTH = 120;
export const MAX_WARNINGS = 10;

/** The object a denial is about, as `InferenceService.odin.moreh.io "demo"`. */
export interface ObjectIdentity {
  group: string;
  kind: string;
  name: string;
}

/** Returns warnings fit for an HTTP header: one line each, short, few, unique. */
export function normalizeWarnings(warnings: readonly string[]): string[] {
  const result: string[] = [];
  for (const warning of warnings) {
    let line = warning
      .replace(/[\r\n\t]+/g, ' ')
      .replace(/[^\x20-\x7e]/g, '?')
      .trim();
    if (line.length > MAX_WARNING_LENGTH) line = `${line.slice(0, MAX_WARNING_LENGTH - 3)}...`;
    if (line !== '' && !result.includes(line)) result.push(line);
  }
  if (result.length > MAX_WARNINGS) {
    const hidden = result.length - (MAX_WARNINGS - 1);
    return [...result.slice(0, MAX_WARNINGS - 1), `${hidden} more warnings not shown`];
  }
  return result;
}

function withWarnings(body: ResponseBody, warnings: readonly string[]): ResponseBody {
  const lines = normalizeWarnings(warnings);
  return lines.length > 0 ? { ...body, warnings: lines } : body;
}

export function allowed(warnings: readonly string[] = []): ResponseBody {
  return withWarnings({ allowed: true }, warnings);
}

/** Allows with a JSON Patch, or without one when there are no operations. */
export function patched(
  operations: readonly PatchOperation[],
  warnings: readonly string[] = [],
): ResponseBody {
  if (operations.length === 0) return allowed(warnings);
  const patch = Buffer.from(JSON.stringify(operations)).toString('base64');
  return withWarnings({ allowed: true, patchType: 'JSONPatch', patch }, warnings);
}

function denied(status: Status, warnings: readonly string[]): ResponseBody {
  return withWarnings(
    { allowed: false, status: { metadata: {}, status: 'Failure', ...status } },
    warnings,
  );
}

/** 422 Invalid, one cause per field error, worded like the apiserver's own. */
export function invalid(
  object: ObjectIdentity,
  errors: readonly FieldError[],
  warnings: readonly string[] = [],
): ResponseBody {
  const shown = errors.slice(0, MAX_FIELD_ERRORS);
  const causes = shown.map((error) => ({
    reason: CAUSE_TYPES[error.type],
    message: formatFieldError(error).slice(error.field.length + 2),
    field: error.field,
  }));
  let summary = formatFieldErrors(shown);
  if (errors.length > shown.length) summary += ` (and ${errors.length - shown.length} more errors)`;
  const qualifiedKind = object.group === '' ? object.kind : `${object.kind}.${object.group}`;
  return denied(
    {
      message: `${qualifiedKind} ${JSON.stringify(object.name)} is invalid: ${summary}`,
      reason: 'Invalid',
      details: { name: object.name, group: object.group, kind: object.kind, causes },
      code: 422,
    },
    warnings,
  );
}

/** 403 Forbidden, for a request that policy does not allow (a template in use). */
export function forbidden(message: string, warnings: readonly string[] = []): ResponseBody {
  return denied({ message, reason: 'Forbidden', code: 403 }, warnings);
}

/** 400 BadRequest, for a kind or operation that does not belong on the path. */
export function badRequest(message: string): ResponseBody {
  return denied({ message, reason: 'BadRequest', code: 400 }, []);
}

/** 503 ServiceUnavailable: the caches are not synced yet; the client should retry. */
export function unavailable(message: string): ResponseBody {
  return denied({ message, reason: 'ServiceUnavailable', code: 503 }, []);
}

/** 500 with a generic message; the details belong in the log only. */
export function errored(): ResponseBody {
  return denied(
    { message: 'internal error while reviewing the object', reason: 'InternalError', code: 500 },
    [],
  );
}

/** Wraps a response in the AdmissionReview envelope of the request's version. */
export function completeReview(
  apiVersion: AdmissionApiVersion,
  uid: string,
  body: ResponseBody,
): AdmissionReview {
  return { apiVersion, kind: 'AdmissionReview', response: { uid, ...body } };
}
