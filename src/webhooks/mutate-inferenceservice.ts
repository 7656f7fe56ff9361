// The mutating webhook for InferenceService: writes the defaults into the
// service's own spec and, on the status subresource, the rendered spec into
// `status.renderedSpec`. It runs before the apiserver's schema validation, so
// it may receive an object of any shape. It responds without a patch where
// the shape is wrong and leaves the verdict to the validating webhook.
import { allowed, patched, unavailable, type ResponseBody } from '../admission/responses.js';
import type { AdmissionRequest, JsonObject } from '../admission/review.js';
import type { Webhook } from '../admission/webhook.js';
import { validateInferenceService } from '../api/index.js';
import { INFERENCE_SERVICE, type InferenceService } from '../api/types.js';
import { formatFieldError } from '../admission/field-errors.js';
import {
  applyServiceDefaults,
  copyWritableSpec,
  isObject,
  shallowCopy,
} from '../inferenceservice/defaults.js';
import { namespaceOf, renderInferenceService } from '../inferenceservice/render.js';
import { createPatch } from '../patch/json-patch.js';
import { resolveTemplates } from '../templates/resolve.js';
import { templateReferencesOf } from '../templates/references.js';
import { checkRequest, isBeingDeleted, requireObject, type WebhookDependencies } from './common.js';

export const MUTATE_INFERENCE_SERVICE_PATH = '/mutate-odin-moreh-io-v1alpha1-inferenceservice';

/**
 * Returns the object with the defaults written into its spec. The result
 * shares every part that the defaults leave alone with `object`, so neither
 * may be changed while the other is in use.
 */
export function defaultInferenceService(
  object: JsonObject,
  dependencies: WebhookDependencies,
  requestNamespace?: string,
): JsonObject {
  const mutated = shallowCopy(object);
  if (!isObject(mutated.spec)) return mutated;
  const spec = copyWritableSpec(mutated.spec);
  mutated.spec = spec;
  const references = templateReferencesOf(spec);
  const namespace = namespaceOf(mutated, requestNamespace);
  const { templates } = resolveTemplates(
    references,
    namespace,
    dependencies.templates,
    dependencies.systemNamespace,
  );
  applyServiceDefaults(
    spec,
    templates.map((resolved) => resolved.template.spec),
  );
  return mutated;
}

function mutateStatus(
  request: AdmissionRequest,
  object: JsonObject,
  dependencies: WebhookDependencies,
): ResponseBody {
  // The main resource's writes were validated, but a status write is not, so
  // a spec of any size or shape must not reach the renderer unchecked.
  const fieldErrors = validateInferenceService(object);
  if (fieldErrors.length > 0) {
    return allowed([
      `status.renderedSpec left unchanged, invalid: ${formatFieldError(fieldErrors[0])}`,
    ]);
  }
  const rendered = renderInferenceService(object as InferenceService, dependencies.templates, {
    systemNamespace: dependencies.systemNamespace,
    namespace: request.namespace,
    renderLimits: dependencies.renderLimits,
    cache: dependencies.renderCache,
  });
  if (rendered.spec === undefined || rendered.errors.length > 0) {
    const first = rendered.errors[0];
    const reason = first ? `${first.field}: ${first.detail}` : 'the spec does not render';
    return allowed([`status.renderedSpec left unchanged, no render: ${reason}`]);
  }
  const mutated = shallowCopy(object);
  const status = isObject(mutated.status) ? shallowCopy(mutated.status) : {};
  mutated.status = status;
  status.renderedSpec = rendered.spec;
  return patched(createPatch(object, mutated));
}

export function createMutateInferenceService(dependencies: WebhookDependencies): Webhook {
  return {
    path: MUTATE_INFERENCE_SERVICE_PATH,
    name: 'mutate-inferenceservice',
    async review(request: AdmissionRequest): Promise<ResponseBody> {
      const rejection = checkRequest(request, INFERENCE_SERVICE, ['CREATE', 'UPDATE']);
      if (rejection) return rejection;
      const found = requireObject(request);
      if ('response' in found) return found.response;
      if (isBeingDeleted(request)) return allowed();

      const references = templateReferencesOf(found.object.spec);
      if (references.length > 0 && !dependencies.templates.isReady()) {
        return unavailable('the template cache is not synced yet; retry the request');
      }
      if (request.subResource === 'status')
        return mutateStatus(request, found.object, dependencies);
      const mutated = defaultInferenceService(found.object, dependencies, request.namespace);
      return patched(createPatch(found.object, mutated));
    },
  };
}
