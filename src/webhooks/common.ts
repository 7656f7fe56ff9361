// Checks and helpers shared by the three webhooks.
import { badRequest, type ResponseBody } from '../admission/responses.js';
import type { AdmissionRequest, JsonObject, Operation } from '../admission/review.js';
import { API_GROUP, API_VERSION } from '../api/types.js';
import type { RenderLimits } from '../render/index.js';
import type { RenderCache } from '../inferenceservice/render-cache.js';
import type { RenderedService } from '../inferenceservice/render.js';
import type { ServiceIndex, TemplateSource } from '../templates/source.js';
import { isObject } from '../inferenceservice/defaults.js';

export interface WebhookDependencies {
  templates: TemplateSource;
  /** The services that use templates; without it, deleting a template is never blocked. */
  services?: ServiceIndex;
  systemNamespace: string;
  renderLimits?: Partial<RenderLimits>;
  /** Caches renders across reviews; createWebhooks adds one when it is missing. */
  renderCache?: RenderCache<RenderedService>;
}

/**
 * Returns a 400 response when the request's kind or operation does not
 * belong on this path, or undefined when it does.
 */
export function checkRequest(
  request: AdmissionRequest,
  kind: string,
  operations: readonly Operation[],
): ResponseBody | undefined {
  const actual = request.kind;
  if (
    !isObject(actual) ||
    actual.group !== API_GROUP ||
    actual.kind !== kind ||
    actual.version !== API_VERSION
  ) {
    const text = isObject(actual)
      ? `${String(actual.group)}/${String(actual.version)}, Kind=${String(actual.kind)}`
      : String(actual);
    return badRequest(
      `this webhook reviews ${API_GROUP}/${API_VERSION}, Kind=${kind}, not ${text}`,
    );
  }
  if (!operations.includes(request.operation)) {
    return badRequest(
      `operation ${JSON.stringify(request.operation)} is not reviewed here; supported operations: ${operations.join(', ')}`,
    );
  }
  return undefined;
}

/** Returns the object of a CREATE or UPDATE, or a 400 response when it is missing or not an object. */
export function requireObject(
  request: AdmissionRequest,
): { object: JsonObject } | { response: ResponseBody } {
  if (isObject(request.object)) return { object: request.object };
  return { response: badRequest(`request.object must be an object for ${request.operation}`) };
}

/**
 * True for an update of an object that is already being deleted, such as a
 * controller removing its finalizer: it is allowed without resolving
 * templates, so a template that has since gone cannot keep it alive.
 */
export function isBeingDeleted(request: AdmissionRequest): boolean {
  const metadata = isObject(request.oldObject) ? request.oldObject.metadata : undefined;
  return (
    request.operation === 'UPDATE' &&
    isObject(metadata) &&
    typeof metadata.deletionTimestamp === 'string'
  );
}

export function nameOf(object: JsonObject, request: AdmissionRequest): string {
  const metadata = isObject(object.metadata) ? object.metadata : {};
  if (typeof metadata.name === 'string' && metadata.name !== '') return metadata.name;
  return typeof request.name === 'string' ? request.name : '';
}
