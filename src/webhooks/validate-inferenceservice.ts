// The validating webhook for InferenceService. It judges the object as it
// will be stored: the defaults of the mutating webhook are applied first, so
// a review sent here directly gets the same verdict as one that went through
// the mutating webhook.
import { allowed, invalid, unavailable, type ResponseBody } from '../admission/responses.js';
import { isDeepStrictEqual } from 'node:util';
import type { AdmissionRequest, JsonObject } from '../admission/review.js';
import type { Webhook } from '../admission/webhook.js';
import { validateInferenceService } from '../api/index.js';
import { API_GROUP, INFERENCE_SERVICE, type InferenceService } from '../api/types.js';
import { isObject } from '../inferenceservice/defaults.js';
import { renderInferenceService } from '../inferenceservice/render.js';
import { templateReferencesOf } from '../templates/references.js';
import {
  checkRequest,
  isBeingDeleted,
  nameOf,
  requireObject,
  type WebhookDependencies,
} from './common.js';
import { defaultInferenceService } from './mutate-inferenceservice.js';

export const VALIDATE_INFERENCE_SERVICE_PATH = '/validate-odin-moreh-io-v1alpha1-inferenceservice';

/** Validates a whole InferenceService: its own fields, then its rendered spec. */
export function reviewInferenceService(
  object: JsonObject,
  request: AdmissionRequest,
  dependencies: WebhookDependencies,
): ResponseBody {
  const identity = { group: API_GROUP, kind: INFERENCE_SERVICE, name: nameOf(object, request) };
  const defaulted = defaultInferenceService(object, dependencies, request.namespace);
  const fieldErrors = validateInferenceService(defaulted);
  if (fieldErrors.length > 0) return invalid(identity, fieldErrors);

  if (templateReferencesOf(defaulted.spec).length > 0 && !dependencies.templates.isReady()) {
    return unavailable('the template cache is not synced yet; retry the request');
  }
  const rendered = renderInferenceService(defaulted as InferenceService, dependencies.templates, {
    systemNamespace: dependencies.systemNamespace,
    namespace: request.namespace,
    renderLimits: dependencies.renderLimits,
    cache: dependencies.renderCache,
  });
  if (rendered.errors.length > 0) return invalid(identity, rendered.errors, rendered.warnings);
  return allowed(rendered.warnings);
}

/**
 * Judges an update of a service that is being deleted. A controller removing
 * its finalizer leaves the spec as it was, and is allowed even when a
 * template has gone since. A spec that changes is checked field by field,
 * still without templates.
 */
function reviewDeletingUpdate(object: JsonObject, request: AdmissionRequest): ResponseBody {
  const old = isObject(request.oldObject) ? request.oldObject : {};
  if (isDeepStrictEqual(object.spec, old.spec)) return allowed();
  const identity = { group: API_GROUP, kind: INFERENCE_SERVICE, name: nameOf(object, request) };
  const errors = validateInferenceService(object);
  return errors.length > 0 ? invalid(identity, errors) : allowed();
}

export function createValidateInferenceService(dependencies: WebhookDependencies): Webhook {
  return {
    path: VALIDATE_INFERENCE_SERVICE_PATH,
    name: 'validate-inferenceservice',
    async review(request: AdmissionRequest): Promise<ResponseBody> {
      const rejection = checkRequest(request, INFERENCE_SERVICE, ['CREATE', 'UPDATE']);
      if (rejection) return rejection;
      const found = requireObject(request);
      if ('response' in found) return found.response;
      // Status writes carry the spec unchanged; judging them would block a
      // controller's status updates whenever a template broke later.
      if (request.subResource === 'status') return allowed();
      if (isBeingDeleted(request)) return reviewDeletingUpdate(found.object, request);
      return reviewInferenceService(found.object, request, dependencies);
    },
  };
}
