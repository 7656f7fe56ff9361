// The one fastify plugin that owns HTTP for admission: the content type, the
// body limit, JSON parsing, decoding the AdmissionReview, calling the webhook,
// the uid and apiVersion echo, and the HTTP errors. Webhooks themselves see
// only an AdmissionRequest and return a ResponseBody.
//
// The plugin is registered without encapsulation, because it sets the error
// handler, the not-found handler and the content-type parsers of the whole
// server: an admission server serves nothing else.
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import { decodeAdmissionReview } from './decode.js';
import {
  ERR_NOT_FOUND,
  ERR_UNSUPPORTED_MEDIA_TYPE,
  type HttpError,
  statusBody,
  toHttpError,
} from './http-errors.js';
import { DEFAULT_MAX_JSON_DEPTH, parseJsonBody } from './json-body.js';
import { completeReview, errored, type ResponseBody } from './responses.js';
import type { AdmissionRequest, AdmissionReview } from './review.js';
import {
  logDecision,
  loggableError,
  reviewFields,
  type ReviewFields,
  reviewResult,
  type ReviewRecorder,
} from './review-log.js';
import type { Webhook } from './webhook.js';

/**
 * Default body limit, 7 MiB: an UPDATE carries `object` and `oldObject`, and
 * each may be up to the apiserver's 3 MiB request limit, plus the envelope.
 */
export const DEFAULT_BODY_LIMIT = 7 * 1024 * 1024;

export interface AdmissionPluginOptions {
  webhooks: readonly Webhook[];
  /** Maximum request body in bytes; larger bodies get 413 (default 7 MiB). */
  bodyLimit?: number;
  /** Maximum nesting of objects and arrays in the body (default 512). */
  maxJsonDepth?: number;
  /** Receives the outcome of every review, for metrics. */
  recorder?: ReviewRecorder;
}

const NO_RECORDER: ReviewRecorder = {
  reviewStarted: () => undefined,
  reviewFinished: () => undefined,
  requestRejected: () => undefined,
};

/** Route config that names the webhook, for metrics of rejected requests. */
interface WebhookRouteConfig {
  webhook?: string;
}

/** Rejects a charset other than UTF-8, which RFC 8259 requires of JSON between systems. */
async function rejectForeignCharset(request: FastifyRequest): Promise<void> {
  const contentType = request.headers['content-type'];
  if (contentType === undefined) return;

  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(contentType)?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw ERR_UNSUPPORTED_MEDIA_TYPE(contentType);
  }
}

/**
 * Calls the webhook. A webhook that throws, or returns no decision, gets
 * `errored()`: a 500 denial with a generic message and the cause in the log.
 */
async function decide(
  webhook: Webhook,
  request: AdmissionRequest,
  log: FastifyBaseLogger,
  fields: ReviewFields,
): Promise<ResponseBody> {
  let body: ResponseBody;
  try {
    body = await webhook.review(request);
  } catch (error) {
    log.error({ ...fields, error: loggableError(error) }, 'webhook failed with an error');
    return errored();
  }

  if (typeof body?.allowed !== 'boolean') {
    log.error(fields, 'webhook returned a response without `allowed`');
    return errored();
  }
  return body;
}

/** Decodes one review, gets the webhook's decision and wraps it with the uid. */
async function serveReview(
  webhook: Webhook,
  recorder: ReviewRecorder,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<AdmissionReview> {
  const review = decodeAdmissionReview(request.body);
  const fields = reviewFields(webhook.name, review.request);
  recorder.reviewStarted(webhook.name);

  const body = await decide(webhook, review.request, request.log, fields);

  // Measured from the first byte of the request, so body parsing counts too.
  const durationMs = reply.elapsedTime;
  recorder.reviewFinished(
    webhook.name,
    review.request.operation,
    reviewResult(body),
    durationMs / 1000,
  );
  logDecision(request.log, fields, body, durationMs);
  return completeReview(review.apiVersion, review.request.uid, body);
}

function registerWebhooks(
  app: FastifyInstance,
  webhooks: readonly Webhook[],
  bodyLimit: number,
  recorder: ReviewRecorder,
): void {
  for (const webhook of webhooks) {
    const config: WebhookRouteConfig = { webhook: webhook.name };
    app.post(
      webhook.path,
      { bodyLimit, config, preParsing: rejectForeignCharset },
      (request, reply) => serveReview(webhook, recorder, request, reply),
    );
  }
}

/** Logs an HTTP error: 4xx at info, 5xx at error with the cause, as fastify does by default. */
function logRejection(request: FastifyRequest, httpError: HttpError, cause: unknown): void {
  const fields = { code: httpError.code, statusCode: httpError.statusCode, url: request.url };
  if (httpError.statusCode >= 500) {
    request.log.error({ ...fields, error: loggableError(cause) }, 'request failed');
  } else {
    request.log.info({ ...fields, message: httpError.message }, 'request rejected');
  }
}

/** Returns the error handler: every error becomes a catalogue error with a Status body. */
function httpErrorHandler(
  bodyLimit: number,
  recorder: ReviewRecorder,
): (error: unknown, request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  return (error, request, reply) => {
    const contentType = request.headers['content-type'];
    const httpError = toHttpError(error, { bodyLimit, contentType });
    const webhook = (request.routeOptions.config as WebhookRouteConfig).webhook;
    if (webhook !== undefined) recorder.requestRejected(webhook);

    logRejection(request, httpError, error);
    return reply.code(httpError.statusCode).send(statusBody(httpError));
  };
}

async function registerAdmission(
  app: FastifyInstance,
  options: AdmissionPluginOptions,
): Promise<void> {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const maxJsonDepth = options.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH;
  const recorder = options.recorder ?? NO_RECORDER;

  // Without fastify's own parsers every other media type gets 415, and JSON
  // goes through a parser that keeps `__proto__` keys (see json-body.ts).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    async (_request: FastifyRequest, body: string) => parseJsonBody(body, maxJsonDepth),
  );

  app.setErrorHandler(httpErrorHandler(bodyLimit, recorder));
  app.setNotFoundHandler((request, reply) => {
    const httpError = ERR_NOT_FOUND(request.method, request.url.split('?')[0]);
    logRejection(request, httpError, undefined);
    return reply.code(404).send(statusBody(httpError));
  });

  registerWebhooks(app, options.webhooks, bodyLimit, recorder);
}

/** Serves each webhook with POST on its path; see the header of this module. */
export const admissionPlugin: FastifyPluginAsync<AdmissionPluginOptions> = Object.assign(
  registerAdmission,
  // Fastify's documented opt-out of encapsulation, which fastify-plugin sets.
  { [Symbol.for('skip-override')]: true },
);
