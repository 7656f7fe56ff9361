// Decodes a parsed request body into an AdmissionReview request. Only the
// envelope is checked here: the fields the server itself reads (apiVersion,
// kind, uid) and the types the webhook cores rely on. Whether the object is
// a valid InferenceService is for the webhook to answer with a denial.
import { ERR_BODY_EMPTY, ERR_NOT_ADMISSION_REVIEW } from './http-errors.js';
import {
  ADMISSION_API_VERSIONS,
  type AdmissionApiVersion,
  type AdmissionRequest,
} from './review.js';

/** A request that passed the envelope checks, with the version to answer in. */
export interface DecodedReview {
  apiVersion: AdmissionApiVersion;
  request: AdmissionRequest;
}

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Names the JSON type of a value, never its contents, for an error message. */
function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** Quotes a short envelope value such as an apiVersion. */
function quoted(value: unknown): string {
  if (typeof value !== 'string') return jsonType(value);
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}...` : value);
}

function isApiVersion(value: unknown): value is AdmissionApiVersion {
  return ADMISSION_API_VERSIONS.some((version) => version === value);
}

/** Returns the first problem with the request's fields, or undefined when there is none. */
function requestProblem(request: JsonRecord): string | undefined {
  if (typeof request.uid !== 'string' || request.uid === '') {
    return `\`request.uid\` must be a non-empty string, not ${quoted(request.uid)}`;
  }
  const kind = request.kind;
  const kindFields = ['group', 'version', 'kind'];
  if (!isRecord(kind) || !kindFields.every((field) => typeof kind[field] === 'string')) {
    return '`request.kind` must be an object with string `group`, `version` and `kind`';
  }
  if (typeof request.operation !== 'string') {
    return `\`request.operation\` must be a string, not ${jsonType(request.operation)}`;
  }
  for (const field of ['object', 'oldObject'] as const) {
    const value = request[field];
    // The apiserver sends null for the side that does not exist (object on DELETE).
    if (value !== undefined && value !== null && !isRecord(value)) {
      return `\`request.${field}\` must be an object or null, not ${jsonType(value)}`;
    }
  }
  return undefined;
}

/** Returns the first problem with the envelope, or undefined when there is none. */
function envelopeProblem(body: unknown): string | undefined {
  if (!isRecord(body)) return `the body must be a JSON object, not ${jsonType(body)}`;
  if (!isApiVersion(body.apiVersion)) {
    const supported = ADMISSION_API_VERSIONS.map((version) => `"${version}"`).join(' or ');
    return `\`apiVersion\` must be ${supported}, not ${quoted(body.apiVersion)}`;
  }
  if (body.kind !== 'AdmissionReview') {
    return `\`kind\` must be "AdmissionReview", not ${quoted(body.kind)}`;
  }
  if (body.request === undefined) return '`request` is missing';
  if (!isRecord(body.request)) return `\`request\` must be an object, not ${jsonType(body.request)}`;
  return requestProblem(body.request);
}

/**
 * Checks that `body` is an AdmissionReview with a request and returns it.
 * Throws an HttpError with status 400 for a missing body, or naming the
 * first field that is wrong.
 */
export function decodeAdmissionReview(body: unknown): DecodedReview {
  // Fastify leaves the body undefined when a request without Content-Type has none.
  if (body === undefined) throw ERR_BODY_EMPTY();

  const problem = envelopeProblem(body);
  if (problem !== undefined) throw ERR_NOT_ADMISSION_REVIEW(problem);

  const review = body as { apiVersion: AdmissionApiVersion; request: AdmissionRequest };
  return { apiVersion: review.apiVersion, request: review.request };
}
