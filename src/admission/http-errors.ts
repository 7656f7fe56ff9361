// The HTTP errors of the admission server: requests that are not admission
// reviews at all. Each error has a stable code and an HTTP status, and is sent
// as a Kubernetes `Status` body so that the apiserver, which decodes a Status
// from a failed webhook call, shows the message in its own error.

/** Kubernetes `StatusReason` for each status code this server sends. */
const STATUS_REASONS: Record<number, string> = {
  400: 'BadRequest',
  404: 'NotFound',
  408: 'Timeout',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  500: 'InternalError',
};

/** An error with a code from the catalogue below and the HTTP status to send. */
export class HttpError extends Error {
  readonly code: string;
  readonly statusCode: number;

  constructor(code: string, statusCode: number, message: string) {
    super(message);
    this.name = 'HttpError';
    this.code = code;
    this.statusCode = statusCode;
  }
}

/** The `Status` body of an HTTP error, as the apiserver's REST client decodes it. */
export interface StatusBody {
  apiVersion: 'v1';
  kind: 'Status';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  code: number;
}

export function statusBody(error: HttpError): StatusBody {
  return {
    apiVersion: 'v1',
    kind: 'Status',
    metadata: {},
    status: 'Failure',
    message: error.message,
    reason: STATUS_REASONS[error.statusCode] ?? 'Unknown',
    code: error.statusCode,
  };
}

/** Quotes a client-supplied value for a message, cut to a length that fits a log line. */
function quote(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}...` : value);
}

function defineError<Args extends unknown[]>(
  code: string,
  statusCode: number,
  format: (...args: Args) => string,
): (...args: Args) => HttpError {
  return (...args: Args): HttpError => new HttpError(code, statusCode, format(...args));
}

export const ERR_BODY_NOT_JSON = defineError('ODIN_ERR_BODY_NOT_JSON', 400, (detail?: string) =>
  detail === undefined
    ? 'request body must be valid JSON'
    : `request body must be valid JSON: ${detail}`,
);

export const ERR_BODY_EMPTY = defineError(
  'ODIN_ERR_BODY_EMPTY',
  400,
  () => 'request body must be an AdmissionReview, but it is empty',
);

export const ERR_JSON_TOO_DEEP = defineError(
  'ODIN_ERR_JSON_TOO_DEEP',
  400,
  (maxDepth: number) =>
    `request body must not nest objects and arrays deeper than ${maxDepth} levels`,
);

export const ERR_NOT_ADMISSION_REVIEW = defineError(
  'ODIN_ERR_NOT_ADMISSION_REVIEW',
  400,
  (detail: string) => `request body is not an AdmissionReview: ${detail}`,
);

export const ERR_BAD_CONTENT_LENGTH = defineError(
  'ODIN_ERR_BAD_CONTENT_LENGTH',
  400,
  () => 'request body length must match the Content-Length header',
);

export const ERR_BAD_REQUEST = defineError(
  'ODIN_ERR_BAD_REQUEST',
  400,
  (detail: string) => `bad request: ${detail}`,
);

export const ERR_NOT_FOUND = defineError(
  'ODIN_ERR_NOT_FOUND',
  404,
  (method: string, path: string) =>
    `no admission webhook is served at ${method} ${quote(path)}; webhooks accept POST on their paths`,
);

export const ERR_BODY_TOO_LARGE = defineError(
  'ODIN_ERR_BODY_TOO_LARGE',
  413,
  (limit: number) => `request body must not be larger than ${limit} bytes`,
);

export const ERR_UNSUPPORTED_MEDIA_TYPE = defineError(
  'ODIN_ERR_UNSUPPORTED_MEDIA_TYPE',
  415,
  (received: string | undefined) =>
    received === undefined
      ? 'Content-Type must be application/json, but the request has none'
      : `Content-Type must be application/json with charset utf-8 or none, not ${quote(received)}`,
);

export const ERR_REQUEST_TIMEOUT = defineError(
  'ODIN_ERR_REQUEST_TIMEOUT',
  408,
  () => 'request body was not received in time',
);

export const ERR_INTERNAL = defineError(
  'ODIN_ERR_INTERNAL',
  500,
  () => 'internal error while handling the request',
);

/** Fastify's own error codes for the same conditions, mapped onto the catalogue. */
const FASTIFY_CODES: Record<string, (context: ErrorContext) => HttpError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: (context) => ERR_BODY_TOO_LARGE(context.bodyLimit),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: (context) => ERR_UNSUPPORTED_MEDIA_TYPE(context.contentType),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => ERR_BAD_CONTENT_LENGTH(),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => ERR_BODY_EMPTY(),
};

/** Details of the request, for the messages of errors that fastify raised. */
export interface ErrorContext {
  bodyLimit: number;
  contentType: string | undefined;
}

interface FastifyLikeError {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
}

/**
 * Converts any error that reaches the error handler into a catalogue error.
 * Errors without a client status become a generic 500, so no internal detail
 * reaches the client.
 */
export function toHttpError(error: unknown, context: ErrorContext): HttpError {
  if (error instanceof HttpError) return error;

  const candidate = (typeof error === 'object' && error !== null ? error : {}) as FastifyLikeError;
  const known = typeof candidate.code === 'string' ? FASTIFY_CODES[candidate.code] : undefined;
  if (known !== undefined) return known(context);

  const status = candidate.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Fastify's other client errors (such as an aborted body) carry their own short message.
    const message = typeof candidate.message === 'string' ? candidate.message : 'bad request';
    return status === 408 ? ERR_REQUEST_TIMEOUT() : ERR_BAD_REQUEST(message);
  }
  return ERR_INTERNAL();
}
