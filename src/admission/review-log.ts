// The logging policy of admission reviews, and the hook for review metrics.
//
// - Each line about a review carries its identity in fixed field names: uid,
//   kind, namespace, name, operation, user, dryRun, webhook (and subResource
//   when the request is for one). The fields are merged into each line rather
//   than bound to a child logger, because creating a child per review cost
//   more than the line itself.
// - Each review writes one decision line at info: allowed, code, reason, the
//   paths of the denied fields, the count of patch operations and warnings,
//   and durationMs. Messages are constant; data lives in fields.
// - No line carries object contents, at any level: pod templates carry
//   secrets in `env`, and denial messages may quote field values. An error
//   thrown by a webhook is logged by name, message and stack only, because
//   errors of JSON libraries keep the whole document in their properties.
import type { FastifyBaseLogger } from 'fastify';
import type { ResponseBody } from './responses.js';
import type { AdmissionRequest } from './review.js';

export type ReviewResult = 'allowed' | 'denied' | 'error';

/** Receives the outcome of every review, for metrics. */
export interface ReviewRecorder {
  /** A decoded review was handed to the webhook. */
  reviewStarted(webhook: string): void;
  /** The webhook returned a response, or failed and the server responded with `errored()`. */
  reviewFinished(webhook: string, operation: string, result: ReviewResult, seconds: number): void;
  /** A request to the webhook's path was not an admission review (an HTTP 4xx error). */
  requestRejected(webhook: string): void;
}

/** Returns `error` for 5xx responses (`errored`, `unavailable`), else allowed or denied. */
export function reviewResult(body: ResponseBody): ReviewResult {
  if (body.allowed) return 'allowed';
  return (body.status?.code ?? 500) >= 500 ? 'error' : 'denied';
}

/** The fields that identify one review in each of its log lines. */
export interface ReviewFields {
  webhook: string;
  uid: string;
  kind: string;
  namespace: string | undefined;
  name: string | undefined;
  operation: string;
  user: string | undefined;
  dryRun: boolean;
  /** Set only for a request to a subresource; pino leaves out undefined fields. */
  subResource: string | undefined;
}

/** Returns the fields that identify one review in each of its log lines. */
export function reviewFields(webhook: string, request: AdmissionRequest): ReviewFields {
  return {
    webhook,
    uid: request.uid,
    kind: request.kind.kind,
    namespace: request.namespace,
    name: request.name,
    operation: request.operation,
    user: request.userInfo?.username,
    dryRun: request.dryRun === true,
    subResource: request.subResource || undefined,
  };
}

/**
 * Counts the operations in a base64 JSON Patch. Returns 0 when there is no
 * patch, and -1 when the patch does not decode to an array, which a test of
 * the webhook should have caught.
 */
export function countPatchOperations(patch: string | undefined): number {
  if (patch === undefined) return 0;
  try {
    const operations: unknown = JSON.parse(Buffer.from(patch, 'base64').toString('utf8'));
    return Array.isArray(operations) ? operations.length : -1;
  } catch {
    return -1;
  }
}

/**
 * Writes the decision line of a review. The line is one object literal of
 * fixed shape: spreading the identity fields into it cost more than
 * serializing them.
 */
export function logDecision(
  log: FastifyBaseLogger,
  identity: ReviewFields,
  body: ResponseBody,
  durationMs: number,
): void {
  const causes = body.status?.details?.causes ?? [];
  log.info(
    {
      webhook: identity.webhook,
      uid: identity.uid,
      kind: identity.kind,
      namespace: identity.namespace,
      name: identity.name,
      operation: identity.operation,
      user: identity.user,
      dryRun: identity.dryRun,
      subResource: identity.subResource,
      allowed: body.allowed,
      code: body.status?.code ?? 200,
      reason: body.status?.reason,
      fields: causes.length > 0 ? causes.map((cause) => cause.field) : undefined,
      patchOperations: countPatchOperations(body.patch),
      warnings: body.warnings?.length ?? 0,
      durationMs: Math.round(durationMs * 1000) / 1000,
    },
    'admission review decided',
  );
}

/**
 * Returns the parts of a thrown value that are safe to log: its type,
 * message and stack, but none of its other properties.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  return { type: error.name, message: error.message, stack: error.stack };
}
