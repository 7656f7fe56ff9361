// Decodes a parsed request body into an AdmissionReview request. Only the
// envelope is checked here: the fields the server itself reads (apiVersion,
// kind, uid) and the types the webhook cores rely on. Whether the object is
// a valid InferenceService is for the webhook to decide, with a denial.
import { ERR_BODY_EMPTY, ERR_NOT_ADMISSION_REVIEW } from './http-errors.js';
import {
  ADMISSION_API_VERSIONS,
  type AdmissionApiVersion,
  type AdmissionRequest,
} from './review.js';

/** A request that passed the envelope checks, with the version to respond in. */
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

/** Quotes a short string such as an apiVersion; other values are named by type. */
function describe(value: unknown): string {
  if (typeof value !== 'string') return jsonType(value);
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}...` : value);
}

/** Says that `field` must be `expected`, and what it is instead. */
function mustBe(field: string, expected: string, value: unknown): string {
  if (value === undefined) return `\`${field}\` is missing; it must be ${expected}`;
  return `\`${field}\` must be ${expected}, not ${describe(value)}`;
}

function isApiVersion(value: unknown): value is AdmissionApiVersion {
  return ADMISSION_API_VERSIONS.some((version) => version === value);
}

/** The operations the apiserver sends; anything else would become a metrics label. */
const OPERATIONS = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] as const;

function isGroupVersionKind(value: unknown): boolean {
  return (
    isRecord(value) &&
    ['group', 'version', 'kind'].every(
      (field) => typeof value[field] === 'string' && value[field].length <= MAX_NAME_LENGTH,
    )
  );
}

/** Maximum uid length accepted. A UUID has 36 characters. */
const MAX_UID_LENGTH = 128;
/** Maximum length of a name or namespace. A DNS subdomain has at most 253 characters. */
const MAX_NAME_LENGTH = 253;

/** Returns the first problem with the request's fields, or undefined when there is none. */
function requestProblem(request: JsonRecord): string | undefined {
  if (typeof request.uid !== 'string' || request.uid === '') {
    return mustBe('request.uid', 'a non-empty string', request.uid);
  }
  // The apiserver sends a UUID; a long uid would be copied into every log
  // line and response.
  if (request.uid.length > MAX_UID_LENGTH) {
    return `\`request.uid\` must be at most ${MAX_UID_LENGTH} characters, not ${request.uid.length}`;
  }
  for (const field of ['name', 'namespace'] as const) {
    const value = request[field];
    if (typeof value === 'string' && value.length > MAX_NAME_LENGTH) {
      return `\`request.${field}\` must be at most ${MAX_NAME_LENGTH} characters, not ${value.length}`;
    }
  }
  if (!isGroupVersionKind(request.kind)) {
    return mustBe(
      'request.kind',
      'an object with string `group`, `version` and `kind`',
      request.kind,
    );
  }
  if (!OPERATIONS.includes(request.operation as never)) {
    return mustBe('request.operation', `one of ${OPERATIONS.join(', ')}`, request.operation);
  }
  for (const field of ['object', 'oldObject'] as const) {
    const value = request[field];
    // The apiserver sends null for the side that does not exist (object on DELETE).
    if (value !== undefined && value !== null && !isRecord(value)) {
      return mustBe(`request.${field}`, 'an object or null', value);
    }
  }
  return undefined;
}

/** Returns the first problem with the envelope, or undefined when there is none. */
function envelopeProblem(body: unknown): string | undefined {
  if (!isRecord(body)) return `the body must be a JSON object, not ${jsonType(body)}`;
  if (!isApiVersion(body.apiVersion)) {
    const supported = ADMISSION_API_VERSIONS.map((version) => `"${version}"`).join(' or ');
    return mustBe('apiVersion', supported, body.apiVersion);
  }
  if (body.kind !== 'AdmissionReview') {
    return mustBe('kind', '"AdmissionReview"', body.kind);
  }
  if (!isRecord(body.request)) {
    return mustBe('request', 'an object', body.request);
  }
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
